#!/bin/sh
# Arms a one-shot systemd timer that runs biaogan-publish.service at the next
# schedule moment (`biaogan schedule --format json`). Without systemd, the same
# time can be handed to at(1):  echo 'systemctl start biaogan-publish' | at -t "$(date -d "$next" +%Y%m%d%H%M)"
set -eu
BIAOGAN=${BIAOGAN:-biaogan}
CONTENT=${CONTENT:-content}
next=$("$BIAOGAN" schedule --content "$CONTENT" --format json \
    | sed -n 's/^ *"at": "\(.*\)",*$/\1/p' | head -n 1)
if [ -z "$next" ]; then
    echo "arm-next-moment: no future moment; the 15-minute timer stays as a safety net"
    exit 0
fi
# systemd reads calendar times in UTC unambiguously.
when=$(date -u -d "$next" '+%Y-%m-%d %H:%M:%S UTC')
systemctl stop biaogan-next-moment.timer 2>/dev/null || true
systemd-run --unit=biaogan-next-moment --on-calendar="$when" --timer-property=AccuracySec=1s \
    systemctl start biaogan-publish.service
echo "arm-next-moment: next publication at $next ($when)"

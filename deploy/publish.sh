#!/bin/sh
# Builds the site and publishes it; called by the CI recipes and the office timer.
#
#   deploy/publish.sh push        check, build, deploy (on every commit)
#   deploy/publish.sh scheduled   build; deploy only if the site's moment has
#                                 changed since the last deploy (every 15 minutes)
#
# The build publishes /.well-known/biaogan-moment: the latest schedule moment
# not after "now". A scheduled run compares it with the deployed copy; when
# they differ a moment has passed (or the last deploy failed), so it deploys.
# A missed run is caught up by the next one; nothing is ever published early,
# because every build shows the site as it is at the time of the build.
#
# Environment (secrets come from the CI's secret store, never from the repository):
#   BIAOGAN        the biaogan binary (default: biaogan on PATH)
#   CONTENT        content folder (default: content)
#   OUT            output folder (default: public)
#   BIAOGAN_NOW    build as of this time instead of the clock (tests, rehearsals)
#   SITE_URL       where the deployed site is read back (scheduled mode); file:// works
#   DEPLOY_TARGET  rsync | oss | cos
#     rsync: RSYNC_DEST (user@host:/var/www/biaogan/ or a local folder), RSYNC_SSH (optional ssh command)
#     oss:   OSS_BUCKET, OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET
#     cos:   COS_BUCKET (name-appid), COS_REGION, COS_SECRET_ID, COS_SECRET_KEY
set -eu

MODE=${1:-}
BIAOGAN=${BIAOGAN:-biaogan}
CONTENT=${CONTENT:-content}
OUT=${OUT:-public}
MARKER=.well-known/biaogan-moment
FORMAT=text
if [ "${GITHUB_ACTIONS:-}" = true ]; then FORMAT=github; fi

die() { echo "publish.sh: $*" >&2; exit 2; }
need() { for v in "$@"; do eval "[ -n \"\${$v:-}\" ]" || die "$v is not set (add it to the CI secrets)"; done; }

case "$MODE" in
    push)
        # Every state the site will pass through must build, not only today's.
        STRICT=
        if "$BIAOGAN" check --help | grep -q -- --strict; then STRICT=--strict; fi
        # shellcheck disable=SC2086
        "$BIAOGAN" check --content "$CONTENT" --format "$FORMAT" $STRICT \
            ${BIAOGAN_NOW:+"--now=$BIAOGAN_NOW"}
        ;;
    scheduled) ;;
    *) die "usage: publish.sh push|scheduled" ;;
esac

"$BIAOGAN" build --content "$CONTENT" --out "$OUT" --format "$FORMAT" \
    ${BIAOGAN_NOW:+"--now=$BIAOGAN_NOW"}
built=$(cat "$OUT/$MARKER")

if [ "$MODE" = scheduled ]; then
    need SITE_URL
    deployed=$(curl -fsS --max-time 30 "${SITE_URL%/}/$MARKER" 2>/dev/null || echo unknown)
    if [ "$deployed" = "$built" ]; then
        echo "publish.sh: site already shows moment $built; nothing to publish"
        exit 0
    fi
    echo "publish.sh: deployed moment $deployed, now $built; publishing"
fi

# The marker goes up last: if an upload fails half-way, the deployed marker is
# missing or old, and the next scheduled run tries again.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mv "$OUT/$MARKER" "$stage/biaogan-moment"

case "${DEPLOY_TARGET:-}" in
    rsync)
        need RSYNC_DEST
        RSYNC_SSH=${RSYNC_SSH:-ssh}
        rsync -rlt --checksum --delete --delay-updates -e "$RSYNC_SSH" "$OUT/" "${RSYNC_DEST%/}/"
        mkdir -p "$OUT/.well-known" && cp "$stage/biaogan-moment" "$OUT/$MARKER"
        rsync -rlt --checksum -e "$RSYNC_SSH" "$OUT/.well-known/" "${RSYNC_DEST%/}/.well-known/"
        ;;
    oss)
        need OSS_BUCKET OSS_ENDPOINT OSS_ACCESS_KEY_ID OSS_ACCESS_KEY_SECRET
        oss() { ossutil -e "$OSS_ENDPOINT" -i "$OSS_ACCESS_KEY_ID" -k "$OSS_ACCESS_KEY_SECRET" "$@"; }
        oss sync "$OUT/" "oss://$OSS_BUCKET/" --delete --force
        oss cp "$stage/biaogan-moment" "oss://$OSS_BUCKET/$MARKER" --force
        ;;
    cos)
        need COS_BUCKET COS_REGION COS_SECRET_ID COS_SECRET_KEY
        # coscli asks questions when ~/.cos.yaml is missing; write it from the secrets.
        umask 077
        cat > "$HOME/.cos.yaml" <<COS
cos:
  base:
    secretid: $COS_SECRET_ID
    secretkey: $COS_SECRET_KEY
    sessiontoken: ""
    protocol: https
  buckets:
  - name: $COS_BUCKET
    alias: site
    region: $COS_REGION
    endpoint: cos.$COS_REGION.myqcloud.com
COS
        coscli sync "$OUT/" cos://site/ -r --delete --force
        coscli cp "$stage/biaogan-moment" "cos://site/$MARKER"
        ;;
    *) die "DEPLOY_TARGET must be rsync, oss or cos" ;;
esac
echo "publish.sh: published moment $built"

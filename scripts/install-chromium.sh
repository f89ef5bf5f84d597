#!/bin/sh
# Installs Debian's chromium for the browser test of the API docs page.
# Playwright's own browser download is not used: it fetches from a CDN.
set -eu

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get is not available; install Chromium so that /usr/bin/chromium exists, then rerun." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update
$SUDO apt-get install -y chromium

#!/usr/bin/env bash
# Install the Debian packages the service and its tests need, when any is missing:
# Pango for WeasyPrint, Liberation fonts (metric-compatible Arial) for PDFs,
# Chromium for the browser tests, poppler-utils to look at PDFs as pictures,
# Java to run the Nu HTML Checker and npm to install it (tests/tools/package.json).
set -euo pipefail

need=()
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
if [[ "${1:-}" == "--with-browser" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi

if (( ${#need[@]} == 0 )); then
  exit 0
fi

if [[ "$(id -u)" != "0" ]]; then
  echo "Missing Debian packages: ${need[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another install (unattended upgrades, a second make) may hold the package manager's lock: wait for
# it, up to ten minutes, rather than fail.
wait_for_lock=(-o DPkg::Lock::Timeout=600)
apt-get "${wait_for_lock[@]}" update -qq
apt-get "${wait_for_lock[@]}" install -y -qq --no-install-recommends "${need[@]}" >/dev/null

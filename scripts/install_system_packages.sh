#!/usr/bin/env bash
# Install the Debian/Ubuntu packages kokportal needs outside Python, but only those that are missing.
#   chromium            browser tests (Playwright drives Debian's Chromium; its own download does not work here)
#   gettext             msgfmt for the translations
#   fonts-dejavu-core   fallback font of the PDFs (Source Sans 3 ships in static/fonts)
#   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   WeasyPrint's text layout and font subsetting
#   postgresql-client   pg_dump / pg_restore for deploy/backup.sh and deploy/restore.sh
#   default-jre-headless  Java runtime (17 or newer) for the Nu HTML Checker (vnu-jar)
#   redis-server        the shared cache the tests run the page cache and rate limits against
#   nodejs npm          axe-core and vnu-jar come from npm
#   wrk                 load generator of the page benchmark
# Runs apt-get as root, through sudo when that works without a password prompt, and otherwise stops with
# the exact command to run. Usage: scripts/install_system_packages.sh [--check]  (--check: only report)
set -euo pipefail

missing=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

{ have_cmd chromium || [ -x /usr/bin/chromium ]; } || missing+=(chromium)
have_cmd msgfmt || missing+=(gettext)
fc-list 2>/dev/null | grep -qi "DejaVuSans" || missing+=(fonts-dejavu-core)
have_lib "libpango-1.0.so" || missing+=(libpango-1.0-0)
have_lib "libpangoft2-1.0.so" || missing+=(libpangoft2-1.0-0)
have_lib "libharfbuzz-subset.so" || missing+=(libharfbuzz-subset0)
have_cmd pg_dump || missing+=(postgresql-client)
# The Nu HTML Checker needs Java 17 or newer; where the default runtime is older (Ubuntu 22.04: 11), add 17.
java_major() { java -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1; }
if ! have_cmd java; then
  missing+=(default-jre-headless)
elif [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  missing+=(openjdk-17-jre-headless)
fi
have_cmd redis-server || missing+=(redis-server)
have_cmd node || missing+=(nodejs)
have_cmd npm || missing+=(npm)
have_cmd wrk || missing+=(wrk)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "Missing system packages: ${missing[*]}"
  exit 1
fi

command_line="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[*]}"
echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  bash -c "$command_line"
elif have_cmd sudo && sudo -n true 2>/dev/null; then
  sudo bash -c "$command_line"
else
  cat >&2 <<MSG
kokportal needs these system packages: ${missing[*]}
Install them as root, then run the make command again:
    sudo bash -c '$command_line'
MSG
  exit 1
fi

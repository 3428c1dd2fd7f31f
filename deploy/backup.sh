#!/usr/bin/env bash
# Dump the kokportal database (custom format, compressed) into DIR and keep the last 14 dumps.
# Usage: deploy/backup.sh DIR   (DATABASE_URL from the environment)
set -euo pipefail
dir=${1:?usage: backup.sh DIR}
: "${DATABASE_URL:?DATABASE_URL must be set}"
mkdir -p "$dir"
umask 077
file="$dir/kokportal-$(date +%Y%m%d-%H%M%S).dump"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file.partial"
mv "$file.partial" "$file"
ls -1t "$dir"/kokportal-*.dump | tail -n +15 | xargs -r rm --
echo "$file"

#!/usr/bin/env bash
# Restore a dump made by backup.sh into a NEW, empty database, then check it.
# Usage: deploy/restore.sh DUMP TARGET_DATABASE_URL
set -euo pipefail
dump=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL}
target=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL}
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$target" "$dump"
cd "$(dirname "$0")/.."
DATABASE_URL="$target" .venv/bin/python manage.py migrate --check
echo "restored into $target"

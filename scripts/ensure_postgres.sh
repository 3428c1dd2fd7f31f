#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432. Starts the Debian cluster when it is installed but
# stopped; otherwise says exactly what to do.
set -euo pipefail
HOST=${PGHOST:-127.0.0.1}
PORT=${PGPORT:-5432}

ready() { pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "PostgreSQL client tools are missing. Install them: sudo apt-get install postgresql" >&2
  exit 1
fi
if ready; then exit 0; fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "PostgreSQL $version is installed but not running; starting cluster '$version main' ..."
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || sudo pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
fi

cat >&2 <<MSG
PostgreSQL does not answer on $HOST:$PORT.
Install and start it, e.g. on Debian/Ubuntu:
    sudo apt-get install postgresql
    sudo pg_ctlcluster \$(ls /etc/postgresql) main start
and allow local connections for the user 'postgres' (trust or a password in DATABASE_URL).
Or point DATABASE_URL in .env at another server.
MSG
exit 1

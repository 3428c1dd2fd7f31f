#!/usr/bin/env bash
# Make sure Redis answers on 127.0.0.1:6379 (the tests run the page cache and the rate limits against it).
# Starts Debian's redis-server as a daemon, keeping nothing on disk, when it is installed but not running.
set -euo pipefail
HOST=127.0.0.1
PORT=${KOKPORTAL_REDIS_PORT:-6379}
ready() { redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null | grep -q PONG; }
ready && exit 0
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is missing: run scripts/install_system_packages.sh" >&2
  exit 1
fi
echo "Starting Redis on $HOST:$PORT ..."
dir=$(mktemp -d /tmp/kokportal-redis.XXXXXX)
redis-server --daemonize yes --bind "$HOST" --port "$PORT" --save "" --appendonly no --dir "$dir" \
  --logfile "$dir/redis.log"
for _ in $(seq 1 50); do ready && exit 0; sleep 0.1; done
echo "Redis did not start; see $dir/redis.log" >&2
exit 1

#!/usr/bin/env bash
# npm run test:setup — makes a fresh machine ready for `npm test`: Redis and PostgreSQL answering, the `test`
# database, and Debian's Chromium for the browser tests. Safe to run again; changes nothing that is already there.
set -euo pipefail

pg_url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
redis_url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
  echo "starting Redis"
  sudo_if_needed mkdir -p /var/lib/redis /var/log/redis
  sudo_if_needed redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/tests.log
fi
if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  echo "starting PostgreSQL"
  sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
fi
for _ in $(seq 1 30); do
  redis-cli -u "$redis_url" ping >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && break
  sleep 1
done
redis-cli -u "$redis_url" ping
pg_isready -h 127.0.0.1 -p 5432

database="${pg_url##*/}"
database="${database%%\?*}"
server_url="${pg_url%/*}/postgres"
if ! psql "$server_url" -tAc "select 1 from pg_database where datname = '$database'" | grep -q 1; then
  echo "creating database $database"
  psql "$server_url" -c "create database \"$database\""
fi

if [ ! -x "$chromium" ]; then
  echo "installing Chromium (Debian package chromium) for the browser tests"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq chromium >/dev/null
fi
"$chromium" --version

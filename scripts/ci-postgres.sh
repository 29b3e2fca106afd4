#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests, on 127.0.0.1 only.
#
#   eval "$(bash scripts/ci-postgres.sh)"        # install if missing, start, print export lines
#   bash scripts/ci-postgres.sh stop             # stop it again (and remove its data folder)
#
# It installs PostgreSQL from the Debian packages when no server binaries are found (needs root),
# creates a new cluster in a temporary folder (owned by the "postgres" user when run as root),
# starts it on port 5433 (SOURCEBOOK_PG_PORT) listening on 127.0.0.1 only, creates the user and
# database "sourcebook" and prints, on standard output and nothing else:
#
#   export SOURCEBOOK_TEST_PG=postgresql://sourcebook:sourcebook@127.0.0.1:5433/sourcebook_test
#
# Everything else (apt output, server log lines) goes to standard error.  Running it again while
# the server is up reuses it.
set -euo pipefail

PORT="${SOURCEBOOK_PG_PORT:-5433}"
DATA="${SOURCEBOOK_PG_DIR:-${TMPDIR:-/tmp}/sourcebook-pg-$PORT}"
DB=sourcebook_test
USER_NAME=sourcebook
PASSWORD=sourcebook
URL="postgresql://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DB"

log() { echo "ci-postgres: $*" >&2; }

find_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
    echo "$d"
  fi
}

# Run a command as the server's owner: the "postgres" user when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    # from /, so that the postgres user is not left in a folder it may not read
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

BIN="$(find_bin)"

if [ "${1:-start}" = stop ]; then
  if [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ]; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true
  fi
  rm -rf "$DATA"
  log "stopped"
  exit 0
fi

if [ -z "$BIN" ]; then
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and we are not root: install the 'postgresql' package first"
    exit 1
  fi
  log "installing PostgreSQL from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  BIN="$(find_bin)"
  if [ -z "$BIN" ]; then
    log "the postgresql package installed no server binaries under /usr/lib/postgresql"
    exit 1
  fi
fi

if as_owner "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null && [ -f "$DATA/PG_VERSION" ]; then
  log "reusing the server already running on 127.0.0.1:$PORT"
else
  rm -rf "$DATA"
  mkdir -p "$DATA"
  chmod 700 "$DATA"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$DATA"
  fi
  log "initdb in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >&2
  log "starting on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA" start >&2
fi

psql_su() { as_owner "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'")" != 1 ]; then
  psql_su -c "CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_su -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql_su -c "CREATE DATABASE $DB OWNER $USER_NAME" >&2
fi
log "ready: $URL"
echo "export SOURCEBOOK_TEST_PG=$URL"

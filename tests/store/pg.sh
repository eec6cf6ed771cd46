# SPDX-License-Identifier: MIT
# tests/store/pg.sh: starts a private PostgreSQL cluster for a test run and
# stops it, sourced by tests/store/run.sh and bench/ingest_bench.
#   pg_start    -> sets PG_URL (postgres://e8k@127.0.0.1:PORT/edgar8k), or
#                  returns 1 with a message when PostgreSQL is not installed
#   pg_stop     -> stops the server and removes its directory (idempotent)
# The cluster lives in a temporary directory, listens on a free 127.0.0.1
# port only, and runs without fsync (a test cluster, thrown away after).
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` user that Debian's package creates (or `nobody`).

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PG_DIR=
PG_URL=

pg_as() {
    if [ "$(id -u)" -eq 0 ]; then
        pg_user=postgres
        id postgres >/dev/null 2>&1 || pg_user=nobody
        runuser -u "$pg_user" -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pg_start() {
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        echo "pg: PostgreSQL server binaries not found (tools/install-deps installs postgresql)" >&2
        return 1
    fi
    PG_DIR=$(mktemp -d /tmp/e8k-pg.XXXXXX)
    chmod 755 "$PG_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$(id -u postgres 2>/dev/null || id -u nobody)" "$PG_DIR"
    fi
    pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U e8k -E UTF8 \
        --locale=C -N >"$PG_DIR/initdb.log" 2>&1 || {
        echo "pg: initdb failed:" >&2; cat "$PG_DIR/initdb.log" >&2; return 1; }
    port=
    for try in 1 2 3 4 5; do
        port=$(pg_free_port)
        if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
            -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            break
        fi
        port=
    done
    if [ -z "$port" ]; then
        echo "pg: the server did not start:" >&2; tail -20 "$PG_DIR/server.log" >&2
        return 1
    fi
    PG_PORT=$port
    pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U e8k edgar8k || return 1
    PG_URL="postgres://e8k@127.0.0.1:$port/edgar8k"
    export PG_URL
}

# Drops and recreates the database, for a fresh schema.
pg_reset() {
    pg_as "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U e8k edgar8k &&
        pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U e8k edgar8k
}

pg_stop() {
    if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
    PG_DIR=
}

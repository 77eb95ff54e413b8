#!/usr/bin/env bash
# pg-test-server.sh - a real, throwaway PostgreSQL server for sitrep's
# integration tests.
#
# Usage:
#   scripts/pg-test-server.sh start [DIR]   start (creating if needed) a cluster in DIR
#                                           (default: a new `mktemp -d`) and print ONE
#                                           line on stdout: its SQLAlchemy URL, e.g.
#                                           postgresql+psycopg://sitrep@127.0.0.1:PORT/sitrep_test
#                                           The URL is also written to DIR/url.
#   scripts/pg-test-server.sh stop DIR      stop the cluster (pg_ctl stop -m fast) and
#                                           remove DIR.
#
# Why it looks the way it does:
#   * Real server, not a mock: the tests must exercise PostgreSQL's own SQL and
#     types. If the server binaries (initdb, pg_ctl, postgres) are missing, the
#     Debian package `postgresql` is installed with apt-get (as root, or through
#     `sudo -n` when that works without a password); otherwise we fail clearly.
#   * PostgreSQL refuses to run as root ("root" execution of the server is not
#     permitted). CI runs the tests as root, so in that case the cluster is owned
#     and run by a dedicated no-login system user, `sitrep-pg`, created on demand.
#     As an ordinary user, the cluster simply runs as that user.
#   * Loopback only: the server listens on 127.0.0.1 (a free port picked at
#     start) and on a unix socket inside DIR, and trusts only local/loopback
#     connections, so nothing outside this machine can reach a password-less
#     superuser.
#   * Throwaway: everything (data, socket, log, URL) lives in one temporary
#     directory, fsync is off for speed, and `stop` deletes the directory.
#
# Layout of DIR:
#   DIR/.sitrep-pg-test-server   marker: `stop` only ever deletes a DIR holding it
#   DIR/data/                    the cluster (PGDATA)
#   DIR/sock/                    unix socket directory
#   DIR/server.log               server log (pg_ctl -l)
#   DIR/initdb.log               initdb output
#   DIR/port                     the TCP port of the running server
#   DIR/url                      the SQLAlchemy URL printed by `start`
#
# Environment (optional):
#   PG_BIN   directory holding initdb/pg_ctl/postgres, to skip the search.
#
# Every failure exits non-zero with a message on stderr starting with
# "pg-test-server:". stdout carries nothing but the URL line.

set -Eeuo pipefail # -E: the ERR trap below also fires inside functions

PROG="pg-test-server"
PG_OS_USER="sitrep-pg" # server owner when we are root
DB_USER="sitrep"       # bootstrap superuser of the cluster
DB_NAME="sitrep_test"
START_TIMEOUT=30       # seconds to wait for the server to accept connections

die() {
	echo "$PROG: $*" >&2
	exit 1
}

log() {
	echo "$PROG: $*" >&2
}

# Any command failing without an explicit `die` still gets a prefixed message.
trap 'rc=$?; echo "$PROG: unexpected failure (exit $rc) at line $LINENO: $BASH_COMMAND" >&2; exit $rc' ERR

usage() {
	echo "$PROG: usage: $0 start [DIR] | stop DIR" >&2
	exit 2
}

# ---------------------------------------------------------------------------
# Privileges: are we root, and can we become root without a password?
# ---------------------------------------------------------------------------

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

# Run a command as root: directly when root, via passwordless sudo otherwise.
as_root() {
	if [ "$IS_ROOT" -eq 1 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		die "need root to run '$*', but not root and passwordless sudo is unavailable; install PostgreSQL yourself (Debian: apt-get install postgresql) or set PG_BIN"
	fi
}

# Run a command as the user that owns the cluster (sitrep-pg when root).
# Commands run from DIR so the server user never trips over an unreadable cwd
# (e.g. /root).
run_pg() {
	if [ "$IS_ROOT" -eq 1 ]; then
		if command -v runuser >/dev/null 2>&1; then
			(cd "$DIR" && runuser -u "$PG_OS_USER" -- "$@")
		else
			# su needs one command string: quote every argument.
			local cmd="" a
			for a in "$@"; do cmd="$cmd $(printf '%q' "$a")"; done
			(cd "$DIR" && su -s /bin/sh "$PG_OS_USER" -c "$cmd")
		fi
	else
		(cd "$DIR" && "$@")
	fi
}

# Create the dedicated system user (no home, no login shell) if it is missing.
ensure_pg_os_user() {
	[ "$IS_ROOT" -eq 1 ] || return 0
	id -u "$PG_OS_USER" >/dev/null 2>&1 && return 0
	log "creating system user $PG_OS_USER (PostgreSQL refuses to run as root)"
	local nologin=/usr/sbin/nologin
	[ -x "$nologin" ] || nologin=/bin/false
	if command -v useradd >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell "$nologin" --user-group "$PG_OS_USER" >&2 ||
			die "useradd $PG_OS_USER failed"
	elif command -v adduser >/dev/null 2>&1; then
		adduser --system --group --no-create-home --home /nonexistent \
			--shell "$nologin" "$PG_OS_USER" >&2 ||
			die "adduser $PG_OS_USER failed"
	else
		die "cannot create user $PG_OS_USER: neither useradd nor adduser found"
	fi
}

# ---------------------------------------------------------------------------
# PostgreSQL binaries
# ---------------------------------------------------------------------------

# initdb/pg_ctl/postgres run the server; pg_isready and psql (same dir on
# Debian, from postgresql-client-N) check it and create the database.
has_server_bins() {
	local b
	for b in initdb pg_ctl postgres pg_isready psql; do
		[ -x "$1/$b" ] || return 1
	done
}

# Print the newest /usr/lib/postgresql/VERSION/bin holding the server binaries.
find_debian_bin() {
	local d best="" ver bestver=0
	for d in /usr/lib/postgresql/*/bin; do
		has_server_bins "$d" || continue
		ver=${d#/usr/lib/postgresql/}
		ver=${ver%/bin}
		ver=${ver%%.*} # "9.6" -> 9; 10+ are plain integers
		case $ver in '' | *[!0-9]*) continue ;; esac
		if [ "$ver" -gt "$bestver" ]; then
			bestver=$ver
			best=$d
		fi
	done
	[ -n "$best" ] && echo "$best"
}

# Set BIN to the directory of the server binaries, installing them if needed.
# (Sets a global rather than echoing, so a `die` in here is the only message.)
find_pg_bin() {
	if [ -n "${PG_BIN:-}" ]; then
		has_server_bins "$PG_BIN" || die "PG_BIN=$PG_BIN lacks initdb/pg_ctl/postgres/pg_isready/psql"
		BIN=$PG_BIN
		return 0
	fi
	if BIN=$(find_debian_bin); then
		return 0
	fi
	log "PostgreSQL server binaries not found; installing the Debian package 'postgresql'"
	command -v apt-get >/dev/null 2>&1 ||
		die "PostgreSQL server binaries not found and apt-get is unavailable; install PostgreSQL or set PG_BIN"
	# All apt output goes to stderr: stdout is reserved for the URL.
	as_root apt-get update >&2 || die "apt-get update failed"
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends postgresql >&2 ||
		die "apt-get install postgresql failed"
	BIN=$(find_debian_bin) ||
		die "installed 'postgresql' but found no initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin"
}

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

url_for() {
	echo "postgresql+psycopg://${DB_USER}@127.0.0.1:$1/${DB_NAME}"
}

is_running() {
	[ -n "${BIN:-}" ] && [ -f "$DIR/data/PG_VERSION" ] && run_pg "$BIN/pg_ctl" status -D "$DIR/data" >/dev/null 2>&1
}

# Print the end of a log file to stderr, each line prefixed.
show_log() {
	[ -f "$1" ] || return 0
	log "--- last lines of $1 ---"
	tail -n 20 "$1" | sed "s/^/$PROG:   /" >&2 || true
}

# ---------------------------------------------------------------------------
# start
# ---------------------------------------------------------------------------

init_cluster() {
	log "initialising cluster in $DIR/data"
	if ! run_pg "$BIN/initdb" -D "$DIR/data" -U "$DB_USER" --auth=trust \
		--encoding=UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1; then
		show_log "$DIR/initdb.log"
		die "initdb failed (log: $DIR/initdb.log)"
	fi
	# Loopback and the private socket directory only; speed over durability.
	# The port is given at each start (pg_ctl -o -p) so a restart can take a
	# new free one.
	cat >>"$DIR/data/postgresql.conf" <<EOF

# --- added by scripts/pg-test-server.sh: throwaway test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
	# Trust only the unix socket and IPv4 loopback; nothing else may connect.
	cat >"$DIR/data/pg_hba.conf" <<EOF
# written by scripts/pg-test-server.sh: local and loopback only, no passwords
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF
}

# Start the server on a free port; retry with a new port if another process
# grabbed ours between picking it and binding it.
start_server() {
	local attempt port
	command -v python3 >/dev/null 2>&1 || die "python3 is needed to pick a free port"
	for attempt in 1 2 3; do
		port=$(free_port)
		if run_pg "$BIN/pg_ctl" start -D "$DIR/data" -l "$DIR/server.log" \
			-w -t "$START_TIMEOUT" -o "-p $port" >/dev/null 2>>"$DIR/pg_ctl.log"; then
			echo "$port" >"$DIR/port"
			return 0
		fi
		if grep -q "could not bind\|Address already in use" "$DIR/server.log" 2>/dev/null; then
			log "port $port was taken; retrying (attempt $attempt)"
			continue
		fi
		break
	done
	show_log "$DIR/server.log"
	die "could not start PostgreSQL (log: $DIR/server.log)"
}

# Wait until the server accepts TCP connections on loopback.
wait_ready() {
	local port=$1 i
	for ((i = 0; i < START_TIMEOUT * 5; i++)); do
		if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres 2>/dev/null; then
			return 0
		fi
		sleep 0.2
	done
	show_log "$DIR/server.log"
	die "server did not accept connections on 127.0.0.1:$port within ${START_TIMEOUT}s"
}

ensure_database() {
	local port=$1 exists
	exists=$("$BIN/psql" -X -q -t -A -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres \
		-c "select 1 from pg_database where datname = '$DB_NAME'") ||
		die "could not query the server on 127.0.0.1:$port"
	if [ "$exists" != "1" ]; then
		"$BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres \
			-c "create database $DB_NAME" >&2 ||
			die "could not create database $DB_NAME"
	fi
}

# EXIT trap for a start that made its own temp dir: on failure, stop anything
# half-started and delete the dir (its name was never printed).
cleanup_failed_tmp() {
	local rc=$?
	[ "$rc" -ne 0 ] || return 0
	if is_running; then
		run_pg "$BIN/pg_ctl" stop -D "$DIR/data" -m immediate >/dev/null 2>&1 || true
	fi
	rm -rf "$DIR" || true
}

cmd_start() {
	local created_tmp=0
	if [ -z "${DIR:-}" ]; then
		DIR=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-pg.XXXXXX") || die "mktemp -d failed"
		created_tmp=1
	fi
	mkdir -p "$DIR" || die "cannot create $DIR"
	DIR=$(cd "$DIR" && pwd -P) # absolute: the server and the socket path need it

	# A fresh temp dir we made is useless to anyone if start fails: remove it.
	if [ "$created_tmp" -eq 1 ]; then
		trap cleanup_failed_tmp EXIT
	fi

	find_pg_bin
	ensure_pg_os_user

	# Already running here? Just report its URL (idempotent start).
	if is_running && [ -s "$DIR/port" ]; then
		local port
		port=$(cat "$DIR/port")
		wait_ready "$port"
		url_for "$port" >"$DIR/url"
		cat "$DIR/url"
		return 0
	fi

	if [ ! -f "$DIR/data/PG_VERSION" ]; then
		# Refuse to take over a non-empty directory that is not ours.
		if [ ! -e "$DIR/.sitrep-pg-test-server" ] && [ -n "$(ls -A "$DIR")" ]; then
			die "$DIR is not empty and not a pg-test-server directory"
		fi
		touch "$DIR/.sitrep-pg-test-server"
		rm -rf "$DIR/data" "$DIR/sock"
		mkdir -p "$DIR/sock"
	fi
	chmod 700 "$DIR"
	if [ "$IS_ROOT" -eq 1 ]; then
		chown -R "$PG_OS_USER:" "$DIR"
		run_pg test -w "$DIR" ||
			die "$PG_OS_USER cannot write $DIR (a parent directory is not searchable by others?); use a DIR under /tmp"
	fi

	[ -f "$DIR/data/PG_VERSION" ] || init_cluster
	start_server
	local port
	port=$(cat "$DIR/port")
	wait_ready "$port"
	ensure_database "$port"

	url_for "$port" >"$DIR/url"
	cat "$DIR/url"
}

# ---------------------------------------------------------------------------
# stop
# ---------------------------------------------------------------------------

cmd_stop() {
	[ -n "${DIR:-}" ] || die "stop needs the DIR given to (or printed by) start"
	if [ ! -e "$DIR" ]; then
		log "$DIR does not exist; nothing to stop"
		return 0
	fi
	DIR=$(cd "$DIR" && pwd -P)
	[ -e "$DIR/.sitrep-pg-test-server" ] ||
		die "$DIR is not a pg-test-server directory; refusing to delete it"
	if [ -f "$DIR/data/PG_VERSION" ]; then
		find_pg_bin
		if is_running; then
			run_pg "$BIN/pg_ctl" stop -D "$DIR/data" -m fast -w -t "$START_TIMEOUT" >/dev/null 2>&1 || {
				show_log "$DIR/server.log"
				die "pg_ctl stop failed for $DIR/data"
			}
		fi
	fi
	rm -rf "$DIR" || die "could not remove $DIR"
}

# ---------------------------------------------------------------------------

[ $# -ge 1 ] || usage
CMD=$1
DIR=${2:-}
case $CMD in
start) cmd_start ;;
stop) cmd_stop ;;
*) usage ;;
esac

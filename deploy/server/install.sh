#!/usr/bin/env bash
# Install or upgrade the 留守儿童之家 central server (the kiosks' sync and the school office) on Debian 12,
# as root. For a county bureau, or a large school that keeps its own server.
#
#   sudo deploy/server/install.sh --address 192.168.1.10 [--address liushou.county.lan] [--county NAME]
#        [--certfile FILE --keyfile FILE] [--workers N] [--port 8700] [--metrics-from NETWORKS]
#        [--sqlite] [--wheels DIR] [--source DIR]
#
# PostgreSQL (Debian's) on this machine with a database `liushou` for the user liushou-server, the
# server in its own Python environment from the lock file (/opt/liushou-server/releases/<version>),
# a systemd unit running --workers processes (default: one per core, at least 2), nightly backups and
# a weekly restore check (systemd timers), and HTTPS: with the county's own certificate authority,
# made here for every --address (ca.crt is what each kiosk is given as ca_file), or with the county's
# own certificate (--certfile/--keyfile). --sqlite: a small school's server on a SQLite file instead.
# Run again to upgrade: the database is backed up, the new version migrates it, and a failed migration
# or a server that does not come up puts the previous version and the backup back. A second run of
# the same version changes nothing and says "unchanged". Options given again change the settings.
set -euo pipefail

PREFIX=/opt/liushou-server
DATA=/var/lib/liushou-server
CONF=/etc/liushou-server
TLS="$CONF/tls"
USER_NAME=liushou-server
DB_NAME=liushou
UNIT=liushou-server.service
TIMERS=(liushou-server-backup.timer liushou-server-backup-check.timer)
# How long a new version has to answer /healthz, then how long it must stay up, not restarted. The
# environment may shorten them (the boot test does).
START_TIMEOUT="${LIUSHOU_START_TIMEOUT:-120}"
SETTLE="${LIUSHOU_SETTLE:-15}"

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$SOURCE/deploy/server"
WHEELS=""
ADDRESSES=()
COUNTY=""
CERTFILE=""
KEYFILE=""
OPT_WORKERS=""
OPT_PORT=""
OPT_METRICS=""
METRICS_GIVEN=0
OPT_SQLITE=""
changed=0

say() { echo "install: $*"; }
fail() { echo "install: $*" >&2; exit 1; }

usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --address) ADDRESSES+=("${2:?--address needs an IP address or a host name}"); shift 2 ;;
    --county) COUNTY="${2:?--county needs the name of the bureau}"; shift 2 ;;
    --certfile) CERTFILE="$(realpath "${2:?--certfile needs a file}")"; shift 2 ;;
    --keyfile) KEYFILE="$(realpath "${2:?--keyfile needs a file}")"; shift 2 ;;
    --workers) OPT_WORKERS="${2:?--workers needs a number}"; shift 2 ;;
    --port) OPT_PORT="${2:?--port needs a number}"; shift 2 ;;
    --metrics-from) OPT_METRICS="${2?--metrics-from needs networks (or \"\")}"; METRICS_GIVEN=1; shift 2 ;;
    --sqlite) OPT_SQLITE=1; shift ;;
    --wheels) WHEELS="$(cd "${2:?--wheels needs a folder}" && pwd)"; shift 2 ;;
    --source) SOURCE="$(cd "${2:?--source needs a folder}" && pwd)"; HERE="$SOURCE/deploy/server"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "install: unknown option $1" >&2; usage 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || fail "run as root (sudo deploy/server/install.sh)"
if [ ! -f "$SOURCE/pyproject.toml" ] || [ ! -d "$SOURCE/sync/server" ]; then
  fail "$SOURCE is not the server's source"
fi
if { [ -n "$CERTFILE" ] && [ -z "$KEYFILE" ]; } || { [ -z "$CERTFILE" ] && [ -n "$KEYFILE" ]; }; then
  fail "--certfile and --keyfile go together"
fi
case "$OPT_WORKERS" in ""|[1-9]|[1-9][0-9]) ;; *) fail "--workers takes 1 to 99, not $OPT_WORKERS" ;; esac
case "$OPT_PORT" in ""|[1-9]*) ;; *) fail "--port takes a port number, not $OPT_PORT" ;; esac

# shellcheck source=SCRIPTDIR/../lib/releases.sh
. "$SOURCE/deploy/lib/releases.sh"
# shellcheck source=SCRIPTDIR/lib.sh
. "$HERE/lib.sh"

install_packages
install_user_and_folders
read_settings
write_settings
install_units
release="$(release_name)"
build_release "$release"
setup_database
setup_tls "$release"
switch_to "$release"
prune_releases
enable_units
if [ "$changed" -eq 0 ]; then
  say "unchanged: $release is installed and current"
else
  say "done: $release is current: https://$(first_address):$PORT/office/ (data in $DATA, settings in $CONF)"
  say_what_kiosks_need
fi

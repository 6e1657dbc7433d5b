#!/usr/bin/env bash
# Install or upgrade the 留守儿童之家 kiosk on Raspberry Pi OS / Debian 12 (arm64 or x86_64), as root.
#
#   sudo deploy/install.sh [--wheels DIR] [--rotate 0|90|180|270] [--source DIR]
#
# Run again to upgrade: the new version goes beside the old one (/opt/liushou/releases/<version>),
# the database is backed up and migrated with the new version before the switch, and a failed
# migration, or a kiosk that does not come up, puts the previous version and the backup back.
# A second run of the same version changes nothing and says "unchanged".
# --wheels DIR: install Python packages only from DIR (a school without internet: see README).
# Python packages come from a package index (or DIR) checked with pip --require-hashes against
# requirements-build.lock and requirements-kiosk.lock (make lock writes both).
set -euo pipefail

PREFIX=/opt/liushou
DATA=/var/lib/liushou
CONF=/etc/liushou
USER_NAME=liushou
UNIT=liushou-kiosk.service
# How long a new version has to say READY=1 (its window is up), then how long it must stay up, not
# restarted, to count as come up. The environment may shorten them (the boot test does).
START_TIMEOUT="${LIUSHOU_START_TIMEOUT:-120}"
SETTLE="${LIUSHOU_SETTLE:-20}"

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHEELS=""
ROTATE=""
changed=0
stopped=0  # 1 while this script has the kiosk stopped: any failure then starts the current version again

say() { echo "install: $*"; }
fail() { echo "install: $*" >&2; exit 1; }

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --wheels) WHEELS="$(cd "${2:?--wheels needs a folder}" && pwd)"; shift 2 ;;
    --rotate) ROTATE="${2:?--rotate needs 0, 90, 180 or 270}"; shift 2 ;;
    --source) SOURCE="$(cd "${2:?--source needs a folder}" && pwd)"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "install: unknown option $1" >&2; usage 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || fail "run as root (sudo deploy/install.sh)"
case "$ROTATE" in ""|0|90|180|270) ;; *) fail "--rotate takes 0, 90, 180 or 270, not $ROTATE" ;; esac
if [ ! -f "$SOURCE/pyproject.toml" ] || [ ! -d "$SOURCE/kiosk" ]; then
  fail "$SOURCE is not the kiosk's source"
fi
# shellcheck source=SCRIPTDIR/lib/releases.sh
. "$SOURCE/deploy/lib/releases.sh"

# -- system packages ---------------------------------------------------------------------------------
install_packages() {
  local packages=(
    python3 python3-venv sqlite3         # the kiosk and its database tools
    pcscd libccid                        # PC/SC card readers
    cage xwayland                        # full screen without a desktop (see README: why cage)
    libgl1 libegl1 libmtdev1             # what Kivy's wheel needs from the system
    fonts-wqy-microhei                   # Chinese on screen
    fonts-hanazono                       # rare name characters (CJK Extensions A and B: 王𠈌, 刘䶮)
    espeak-ng                            # the queue's call by name, spoken offline
    fake-hwclock                         # the Pi has no clock battery: never start before the last shutdown
    systemd udev                         # the service, the readers' device rules
    seatd                                # gives cage the screen and touch input without a login session
    gcc python3-dev libpcsclite-dev      # pyscard has no Linux wheel: pip builds it from its source
  )
  local missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    changed=1
  fi
}

# -- files, written only when they differ --------------------------------------------------------------
put_file() {  # put_file SOURCE TARGET MODE
  if ! cmp -s "$1" "$2"; then
    install -D -m "$3" "$1" "$2"
    say "wrote $2"
    changed=1
  fi
}

install_user_and_files() {
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
    say "created user $USER_NAME"
    changed=1
  fi
  local group
  for group in dialout video input render audio; do
    if getent group "$group" >/dev/null && ! id -nG "$USER_NAME" | tr ' ' '\n' | grep -qx "$group"; then
      usermod -aG "$group" "$USER_NAME"
      changed=1
    fi
  done
  install -d -m 0755 "$PREFIX" "$PREFIX/releases" "$CONF"
  if [ ! -d "$DATA" ]; then
    install -d -o "$USER_NAME" -g "$USER_NAME" -m 0700 "$DATA"
    changed=1
  fi
  local files="$SOURCE/deploy/files"
  put_file "$files/liushou-kiosk.service" "/etc/systemd/system/$UNIT" 0644
  if [ -f /etc/pam.d/liushou-kiosk ]; then  # earlier versions ran the kiosk in a PAM session
    rm -f /etc/pam.d/liushou-kiosk
    say "removed /etc/pam.d/liushou-kiosk"
    changed=1
  fi
  put_file "$files/60-liushou-readers.rules" /etc/udev/rules.d/60-liushou-readers.rules 0644
  put_file "$files/60-liushou-pcsc.rules" /etc/polkit-1/rules.d/60-liushou-pcsc.rules 0644
  put_file "$files/journald-liushou.conf" /etc/systemd/journald.conf.d/liushou.conf 0644
  if [ ! -f "$CONF/kiosk.toml" ]; then  # the school's own settings: written once, never overwritten
    put_file "$files/kiosk.toml" "$CONF/kiosk.toml" 0644
  fi
}

# -- the release ---------------------------------------------------------------------------------------
# The kiosk's own packages only: the school's server (sync/server) and the tests stay off the Pi.
SHIPPED=(kiosk sync/__init__.py sync/wire.py sync/client hardware db configfile pyproject.toml requirements.lock requirements-kiosk.lock requirements-build.lock README.md)

build_release() {  # build_release NAME: the code and its own venv, beside the others
  start_release "$1" || return 0
  local target="$PREFIX/releases/$1" partial="$PREFIX/releases/$1.partial"
  python3 -m venv "$partial/venv"
  local pip=("$partial/venv/bin/pip" install --quiet --disable-pip-version-check)
  if [ -n "$WHEELS" ]; then
    pip+=(--no-index --find-links "$WHEELS")
  fi
  # Every file checked against the locks' hashes, a tampered mirror or wheelhouse refused: first the
  # tools that build pyscard (no Linux wheel: built from its source with gcc, python3-dev and
  # libpcsclite-dev) and the kiosk, then the kiosk's packages built with those tools, then the kiosk
  # itself from the source just copied, with nothing more fetched.
  "${pip[@]}" --require-hashes --requirement "$partial/src/requirements-build.lock" \
    || fail "could not install the build tools of $1 (nothing was changed): see pip's message above"
  PATH="$partial/venv/bin:$PATH" "${pip[@]}" --require-hashes --no-build-isolation \
    --requirement "$partial/src/requirements-kiosk.lock" \
    || fail "could not install the Python packages of $1 (nothing was changed): see pip's message above"
  "${pip[@]}" --no-deps --no-index --no-build-isolation "$partial/src" \
    || fail "could not install $1 into its environment (nothing was changed)"
  mv "$partial" "$target"
  changed=1
}

as_kiosk() {  # the kiosk's user, with the kiosk's environment
  runuser -u "$USER_NAME" -- env KIOSK_DATA_DIR="$DATA" KIOSK_CONFIG="$CONF/kiosk.toml" "$@"
}

restarts() { systemctl show --property NRestarts --value "$UNIT"; }

came_up() {  # active (READY=1 from its window) within START_TIMEOUT and still so SETTLE s later, not
            # restarted meanwhile; a version that has died three times before its window was up never will
  local waited=0 before
  before="$(restarts)"
  while [ "$waited" -lt "$START_TIMEOUT" ]; do
    if systemctl is-active --quiet "$UNIT"; then
      sleep "$SETTLE"
      systemctl is-active --quiet "$UNIT" && [ "$(restarts)" = "$before" ]
      return
    fi
    [ $(($(restarts) - before)) -lt 3 ] || return 1
    sleep 2
    waited=$((waited + 2))
  done
  return 1
}

start_kiosk() {  # queued, not waited for: a version that never says READY=1 must not hold the script
  systemctl start --no-block "$UNIT"
  stopped=0
}

stop_kiosk() {
  if systemd_running && systemctl is-active --quiet "$UNIT"; then
    stopped=1
    systemctl stop "$UNIT" 2>/dev/null || true
  fi
}

start_again_on_failure() {  # the EXIT trap: whatever failed, a kiosk this script stopped runs again
  local status=$?
  if [ "$status" -ne 0 ] && [ "$stopped" -eq 1 ] && [ "$(current_release)" != none ]; then
    systemctl reset-failed "$UNIT" 2>/dev/null || true
    systemctl start --no-block "$UNIT" 2>/dev/null || true
    echo "install: started $(current_release) again" >&2
  fi
  exit "$status"
}
trap start_again_on_failure EXIT

switch_to() {  # switch_to NEW: back up, migrate with NEW, switch, start; roll back on any failure
  local new="$1" old backup=""
  old="$(current_release)"
  [ "$old" = "$new" ] && return 0
  # The backup first, while the kiosk still runs (SQLite's backup API copies a database in use): a
  # backup that fails (a full card) then leaves the room as it was, the kiosk never stopped.
  if [ -f "$DATA/kiosk.sqlite3" ]; then
    backup="$(as_kiosk "$PREFIX/releases/$new/venv/bin/python" -m kiosk backup --reason upgrade)" \
      || fail "could not back up the database before the upgrade; nothing was changed, $old still runs"
    say "backed up the database to $backup"
  fi
  stop_kiosk
  if ! as_kiosk "$PREFIX/releases/$new/venv/bin/python" -m kiosk migrate; then
    [ -n "$backup" ] && as_kiosk "$PREFIX/releases/$new/venv/bin/python" -m kiosk restore-backup "$backup"
    fail "the new version could not migrate the database: kept version $old and the database as it was"
  fi
  [ "$old" != none ] && point previous "$old"
  point current "$new"
  changed=1
  say "now running $new (was $old)"
  if systemd_running; then  # the unit files were reloaded after they were written
    start_kiosk
    if ! came_up; then
      stopped=1
      systemctl stop "$UNIT" || true
      [ "$old" != none ] || fail "version $new did not come up within ${START_TIMEOUT}s: see journalctl -u $UNIT"
      point current "$old"
      if [ -n "$backup" ]; then
        as_kiosk "$PREFIX/releases/$old/venv/bin/python" -m kiosk restore-backup "$backup"
        say "put back the database from $backup"
      fi
      systemctl reset-failed "$UNIT" 2>/dev/null || true
      start_kiosk
      came_up || fail "version $new did not come up, nor $old after the rollback: see journalctl -u $UNIT"
      fail "version $new did not come up within ${START_TIMEOUT}s: rolled back to $old, which is running"
    fi
  fi
}

# -- the display -------------------------------------------------------------------------------------
set_rotation() {  # the kernel's command line: a Pi whose cmdline.txt is torn by a power cut does not boot,
                  # so the new one is written beside it, flushed, and renamed over it; the old one is kept
  [ -n "$ROTATE" ] || return 0
  local cmdline=/boot/firmware/cmdline.txt
  if [ ! -f "$cmdline" ]; then
    say "no $cmdline (not a Raspberry Pi OS boot partition): rotation not set"
    return 0
  fi
  local wanted="video=DSI-1:800x480@60,rotate=$ROTATE"
  local line
  line="$(sed -e 's/ *video=DSI-1:[^ ]*//' -e 's/ *consoleblank=[^ ]*//' "$cmdline") consoleblank=0 $wanted"
  if [ "$line" != "$(cat "$cmdline")" ]; then
    cp "$cmdline" "$cmdline.before-liushou"
    echo "$line" > "$cmdline.new"
    sync "$cmdline.new" "$cmdline.before-liushou"
    mv -f "$cmdline.new" "$cmdline"
    sync "$(dirname "$cmdline")"
    say "display rotation $ROTATE set (takes effect at the next boot; the old line is in $cmdline.before-liushou)"
    changed=1
  fi
}

enable_units() {
  if ! systemctl is-enabled --quiet "$UNIT" 2>/dev/null; then
    systemctl enable "$UNIT" >/dev/null 2>&1
    changed=1
  fi
  systemctl enable fake-hwclock.service >/dev/null 2>&1 || true
  if ! systemctl is-enabled --quiet seatd.service 2>/dev/null; then
    systemctl enable seatd.service >/dev/null 2>&1 && changed=1
  fi
}

install_packages
install_user_and_files
if systemd_running; then systemctl daemon-reload; fi  # a changed unit file counts from here on
release="$(release_name)"
build_release "$release"
switch_to "$release"
prune_releases
set_rotation
enable_units
if [ "$changed" -eq 0 ]; then
  say "unchanged: $release is installed and current"
else
  say "done: $release is current; the data is in $DATA, the settings in $CONF/kiosk.toml"
fi

# shellcheck shell=bash
# The steps of deploy/server/install.sh (sourced by it; its variables are set there).

# -- system packages ---------------------------------------------------------------------------------
install_packages() {
  local packages=(python3 python3-venv sqlite3 systemd)
  if [ -z "$OPT_SQLITE" ] && ! grep -qs '^SYNC_DATABASE_URL=sqlite' "$CONF/server.env"; then
    packages+=(postgresql postgresql-client)
  fi
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
RESTART_NEEDED=0  # a setting, a unit or the certificate changed: the running server must take it

put_file() {  # put_file SOURCE TARGET MODE [GROUP]
  if ! cmp -s "$1" "$2"; then
    install -D -m "$3" "$1" "$2"
    say "wrote $2"
    changed=1
    RESTART_NEEDED=1
  fi
  if [ -n "${4:-}" ] && [ "$(stat -c %G "$2")" != "$4" ]; then
    chgrp "$4" "$2"
    changed=1
  fi
}

install_user_and_folders() {
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
    say "created user $USER_NAME"
    changed=1
  fi
  install -d -m 0755 "$PREFIX" "$PREFIX/releases" "$CONF"
  install -d -m 0750 -g "$USER_NAME" "$TLS"
  local folder
  for folder in "$DATA" "$DATA/backups"; do
    if [ ! -d "$folder" ]; then
      install -d -o "$USER_NAME" -g "$USER_NAME" -m 0700 "$folder"
      changed=1
    fi
  done
}

# -- settings: /etc/liushou-server/server.env, kept between runs; options given change them ------------
read_settings() {
  local LIUSHOU_HOST="" LIUSHOU_PORT="" LIUSHOU_WORKERS="" LIUSHOU_METRICS_FROM="" SYNC_DATABASE_URL=""
  local LIUSHOU_ADDRESSES="" LIUSHOU_COUNTY=""
  if [ -f "$CONF/server.env" ]; then
    # shellcheck disable=SC1091
    . "$CONF/server.env"
  fi
  HOST="${LIUSHOU_HOST:-0.0.0.0}"
  PORT="${OPT_PORT:-${LIUSHOU_PORT:-8700}}"
  local cores
  cores="$(nproc)"
  [ "$cores" -ge 2 ] || cores=2
  [ "$cores" -le 8 ] || cores=8
  WORKERS="${OPT_WORKERS:-${LIUSHOU_WORKERS:-$cores}}"
  METRICS_FROM="${LIUSHOU_METRICS_FROM:-}"
  [ "$METRICS_GIVEN" -eq 0 ] || METRICS_FROM="$OPT_METRICS"
  if [ ${#ADDRESSES[@]} -eq 0 ] && [ -n "$LIUSHOU_ADDRESSES" ]; then
    read -r -a ADDRESSES <<< "$LIUSHOU_ADDRESSES"
  fi
  COUNTY="${COUNTY:-${LIUSHOU_COUNTY:-留守儿童之家}}"
  local wanted="postgresql+psycopg://$USER_NAME@/$DB_NAME"  # the local socket, as its own user: no password
  [ -z "$OPT_SQLITE" ] || wanted="sqlite:///$DATA/central.sqlite3"
  DATABASE_URL="${SYNC_DATABASE_URL:-$wanted}"
  if [ -n "$OPT_SQLITE" ] && [ "${DATABASE_URL%%:*}" != sqlite ]; then
    fail "this server keeps its data in PostgreSQL; --sqlite would start an empty database beside it"
  fi
}

write_settings() {
  local rendered
  rendered="$(mktemp)"
  cat > "$rendered" <<EOF
# The central server's settings, written by deploy/server/install.sh. Give the installer an option
# again (--workers, --port, --address, --metrics-from) to change one; the unit reads this file.
SYNC_DATABASE_URL=$DATABASE_URL
SYNC_BACKUP_DIR=$DATA/backups
SYNC_SECRET_FILE=$DATA/secret.key
LIUSHOU_HOST=$HOST
LIUSHOU_PORT=$PORT
LIUSHOU_WORKERS=$WORKERS
LIUSHOU_METRICS_FROM=$METRICS_FROM
LIUSHOU_ADDRESSES="${ADDRESSES[*]}"
LIUSHOU_COUNTY="$COUNTY"
EOF
  put_file "$rendered" "$CONF/server.env" 0640 "$USER_NAME"
  rm -f "$rendered"
}

install_units() {
  local unit
  for unit in "$UNIT" liushou-server-backup.service liushou-server-backup.timer \
      liushou-server-backup-check.service liushou-server-backup-check.timer; do
    put_file "$HERE/$unit" "/etc/systemd/system/$unit" 0644
  done
  put_file "$HERE/liushou-server" /usr/local/sbin/liushou-server 0755
  if systemd_running; then systemctl daemon-reload; fi
}

# -- the release ---------------------------------------------------------------------------------------
SHIPPED=(sync db pyproject.toml requirements-server.lock requirements-build.lock README.md)

build_release() {  # build_release NAME: the code and its own venv, beside the others
  start_release "$1" || return 0
  local target="$PREFIX/releases/$1" partial="$PREFIX/releases/$1.partial"
  local pip=("$partial/venv/bin/python" -m pip install --quiet --disable-pip-version-check) running
  if [ -n "$WHEELS" ]; then
    pip+=(--no-index --find-links "$WHEELS")
  fi
  running="$(readlink -f "$PREFIX/current" 2>/dev/null || true)"
  if [ -n "$running" ] && [ -x "$running/venv/bin/python" ] && same_packages "$running/src" "$partial/src"; then
    # The running version's packages, to the file: its environment copied, only the server put in anew
    # (a fix to the code alone installs in seconds, and the rollback keeps the running one untouched).
    say "same packages as $(basename "$running"): copying its environment"
    cp -a "$running/venv" "$partial/venv"
  else
    # Every file checked against the locks' hashes, a tampered mirror or wheelhouse refused: first
    # pip and the tools that build the server, then the server's packages.
    python3 -m venv "$partial/venv"
    "${pip[@]}" --require-hashes --requirement "$partial/src/requirements-build.lock" \
      || fail "could not install the build tools of $1 (nothing was changed): see pip's message above"
    "${pip[@]}" --require-hashes --no-build-isolation --requirement "$partial/src/requirements-server.lock" \
      || fail "could not install the Python packages of $1 (nothing was changed): see pip's message above"
  fi
  # the server itself from the source just copied, with nothing more fetched
  "${pip[@]}" --no-deps --force-reinstall --no-index --no-build-isolation "$partial/src" \
    || fail "could not install $1 into its environment (nothing was changed)"
  rm -rf "$partial/src/sync" "$partial/src/db"  # installed into the venv; the copy would only mislead
  mv "$partial" "$target"
  changed=1
}

same_packages() {  # same_packages SRC SRC: the same locks and the same requirements (the version aside)
  cmp -s "$1/requirements-server.lock" "$2/requirements-server.lock" \
    && cmp -s "$1/requirements-build.lock" "$2/requirements-build.lock" \
    && cmp -s <(grep -v '^version *=' "$1/pyproject.toml") <(grep -v '^version *=' "$2/pyproject.toml")
}

as_server() {  # the server's user, with the server's settings, in its data folder
  # shellcheck disable=SC1091
  (set -a; . "$CONF/server.env"; set +a; cd "$DATA" && runuser -u "$USER_NAME" -- "$@")
}

# -- PostgreSQL: Debian's cluster, a role that logs in over the local socket as its own user ------------
as_postgres() { runuser -u postgres -- "$@"; }

setup_database() {
  [ "${DATABASE_URL%%:*}" != sqlite ] || return 0
  local cluster
  cluster="$(pg_lsclusters --no-header | awk 'NR == 1 {print $1 " " $2}')"
  if [ -z "$cluster" ]; then
    local version
    version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)"
    say "creating PostgreSQL cluster $version/main"
    pg_createcluster "$version" main >/dev/null
    cluster="$version main"
    changed=1
  fi
  # Only the local socket: the server connects as its own user, with no password and no TCP port.
  local conf="/etc/postgresql/${cluster% *}/${cluster#* }/conf.d/liushou-server.conf" wanted
  wanted="$(mktemp)"
  printf '%s\n' "# Written by deploy/server/install.sh: the central server connects over the local socket." \
    "listen_addresses = ''" > "$wanted"
  local restart=0
  cmp -s "$wanted" "$conf" || restart=1
  put_file "$wanted" "$conf" 0644
  rm -f "$wanted"
  if [ "$restart" -eq 1 ] || ! pg_lsclusters --no-header | awk '{print $4}' | grep -qx online; then
    # shellcheck disable=SC2086  # "version name"
    if systemd_running; then systemctl restart "postgresql@${cluster/ /-}.service"; else pg_ctlcluster $cluster restart; fi
  fi
  if [ "$(as_postgres psql -XtAc "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'")" != 1 ]; then
    as_postgres createuser --createdb "$USER_NAME"  # createdb: the weekly check restores into a scratch database
    say "created PostgreSQL role $USER_NAME"
    changed=1
  fi
  if [ "$(as_postgres psql -XtAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
    as_postgres createdb --owner "$USER_NAME" --encoding UTF8 --template template0 "$DB_NAME"
    say "created PostgreSQL database $DB_NAME"
    changed=1
  fi
}

# -- TLS ---------------------------------------------------------------------------------------------
setup_tls() {  # setup_tls RELEASE
  if [ -n "$CERTFILE" ]; then  # the county's own certificate
    put_file "$CERTFILE" "$TLS/server.crt" 0644 && put_file "$KEYFILE" "$TLS/server.key" 0640 "$USER_NAME"
    touch "$TLS/given"  # the county's certificate, not one of the authority made here
    return 0
  fi
  [ ! -f "$TLS/given" ] || return 0  # a certificate given earlier: kept
  [ ${#ADDRESSES[@]} -gt 0 ] || fail "give --address (the IP or name the kiosks use), or --certfile/--keyfile"
  local args=(--dir "$TLS" --county "$COUNTY") address said
  for address in "${ADDRESSES[@]}"; do args+=(--address "$address"); done
  said="$(env -u SYNC_DATABASE_URL "$PREFIX/releases/$1/venv/bin/python" -m sync.server admin make-certificates "${args[@]}")" \
    || fail "could not make the certificates: $said"
  chgrp "$USER_NAME" "$TLS/server.key" && chmod 0640 "$TLS/server.key"
  chmod 0600 "$TLS/ca.key"
  if grep -q "^server certificate: made" <<< "$said"; then
    say "${said//$'\n'/$'\n'install: }"
    RESTART_NEEDED=1
    changed=1
  fi
}

say_what_kiosks_need() {
  if [ ! -f "$TLS/given" ]; then
    say "give each kiosk $TLS/ca.crt as ca_file under [sync] in its kiosk.toml (the county's own authority)"
  else
    say "give each kiosk the certificate authority that signed $TLS/server.crt as ca_file, if it is not public"
  fi
}

first_address() {
  if [ ${#ADDRESSES[@]} -gt 0 ]; then echo "${ADDRESSES[0]}"; else hostname -f; fi
}

# -- switching versions ------------------------------------------------------------------------------
restarts() { systemctl show --property NRestarts --value "$UNIT"; }

answers() {  # the server's /healthz answers 200 (the database is reachable), checked with the release's Python
  local host="$HOST"
  case "$host" in 0.0.0.0|::|"") host=127.0.0.1 ;; esac
  "$PREFIX/current/venv/bin/python" - "https://$host:$PORT/healthz" <<'EOF' >/dev/null 2>&1
import ssl, sys, urllib.request
context = ssl.create_default_context()
context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # this machine asking itself
sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=5, context=context).status == 200 else 1)
EOF
}

came_up() {  # answering within START_TIMEOUT and still so SETTLE s later, not restarted meanwhile
  local waited=0 before
  before="$(restarts)"
  while [ "$waited" -lt "$START_TIMEOUT" ]; do
    if systemctl is-active --quiet "$UNIT" && answers; then
      sleep "$SETTLE"
      systemctl is-active --quiet "$UNIT" && [ "$(restarts)" = "$before" ] && answers
      return
    fi
    [ $(($(restarts) - before)) -lt 3 ] || return 1
    sleep 2
    waited=$((waited + 2))
  done
  return 1
}

switch_to() {  # switch_to NEW: back up, migrate with NEW, switch, start; roll back on any failure
  local new="$1" old backup=""
  old="$(current_release)"
  if [ "$old" = "$new" ]; then
    if systemd_running && [ "$RESTART_NEEDED" -eq 1 ] && systemctl is-active --quiet "$UNIT"; then
      systemctl restart "$UNIT"
      came_up || fail "$new did not come up again with the new settings: see journalctl -u $UNIT"
    fi
    return 0
  fi
  local python="$PREFIX/releases/$new/venv/bin/python"
  if systemd_running; then systemctl stop "$UNIT" 2>/dev/null || true; fi
  if [ "$old" != none ]; then
    backup="$(as_server "$python" -m sync.server backup --reason upgrade)" \
      || fail "could not back up the database before the upgrade; nothing was changed"
    say "backed up the database to $backup"
  fi
  if ! as_server "$python" -m sync.server migrate; then
    [ -z "$backup" ] || as_server "$python" -m sync.server restore-backup --force "$backup"
    if systemd_running && [ "$old" != none ]; then
      # Serving again before we say so: a worker takes seconds to listen after systemctl start.
      systemctl start "$UNIT" || true
      came_up || fail "the new version could not migrate the database, and $old did not come up again: see journalctl -u $UNIT"
    fi
    fail "the new version could not migrate the database: kept version $old, which is running, and the database as it was"
  fi
  [ "$old" = none ] || point previous "$old"
  point current "$new"
  changed=1
  say "now running $new (was $old)"
  systemd_running || return 0
  systemctl start "$UNIT"
  came_up && return 0
  systemctl stop "$UNIT" || true
  [ "$old" != none ] || fail "version $new did not come up within ${START_TIMEOUT}s: see journalctl -u $UNIT"
  point current "$old"
  if [ -n "$backup" ]; then
    as_server "$PREFIX/releases/$old/venv/bin/python" -m sync.server restore-backup --force "$backup"
    say "put back the database from $backup"
  fi
  systemctl reset-failed "$UNIT" 2>/dev/null || true
  systemctl start "$UNIT"
  came_up || fail "version $new did not come up, nor $old after the rollback: see journalctl -u $UNIT"
  fail "version $new did not come up within ${START_TIMEOUT}s: rolled back to $old, which is running"
}

enable_units() {
  local unit
  for unit in "$UNIT" "${TIMERS[@]}"; do
    if ! systemctl is-enabled --quiet "$unit" 2>/dev/null; then
      systemctl enable "$unit" >/dev/null 2>&1
      changed=1
    fi
  done
  if systemd_running; then
    for unit in "${TIMERS[@]}"; do systemctl is-active --quiet "$unit" || systemctl start "$unit"; done
  fi
}

# Versions side by side under $PREFIX/releases/<version>, for deploy/install.sh (the kiosk) and
# deploy/server/install.sh: what a version is called, its source copied in, the current and previous
# links, and the old ones pruned. Sourced; the installer sets PREFIX, SOURCE, SHIPPED (what its
# release carries) and defines say.
# shellcheck shell=bash

release_name() {  # the version and a hash of everything shipped: a change anywhere is a new release
  local version hash
  version="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$SOURCE/pyproject.toml" | head -n 1)"
  hash="$(cd "$SOURCE" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    --exclude=__pycache__ --exclude='*.pyc' -cf - "${SHIPPED[@]}" | sha256sum | cut -c1-12)"
  echo "${version}-${hash}"
}

start_release() {  # start_release NAME: false if NAME is built already; else its source copied into
                   # releases/NAME.partial/src (the installer adds the venv, then renames it whole)
  [ -d "$PREFIX/releases/$1" ] && return 1
  say "building release $1"
  rm -rf "$PREFIX/releases/$1.partial"
  mkdir -p "$PREFIX/releases/$1.partial/src"
  (cd "$SOURCE" && tar --exclude=__pycache__ --exclude='*.pyc' -cf - "${SHIPPED[@]}") \
    | tar -xf - -C "$PREFIX/releases/$1.partial/src"
}

current_release() { basename "$(readlink "$PREFIX/current" 2>/dev/null || echo none)"; }

point() {  # point LINK RELEASE, atomically
  ln -sfn "releases/$2" "$PREFIX/.$1.new"
  mv -T "$PREFIX/.$1.new" "$PREFIX/$1"
}

prune_releases() {  # keep what current and previous point at
  local keep_current keep_previous release
  keep_current="$(current_release)"
  keep_previous="$(basename "$(readlink "$PREFIX/previous" 2>/dev/null || echo none)")"
  for release in "$PREFIX"/releases/*; do
    [ -d "$release" ] || continue
    case "$(basename "$release")" in
      "$keep_current"|"$keep_previous") ;;
      *) rm -rf "$release"; say "removed old release $(basename "$release")" ;;
    esac
  done
}

systemd_running() { [ -d /run/systemd/system ]; }

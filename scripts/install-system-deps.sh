#!/usr/bin/env bash
# Debian packages the kiosk, the server and the test suite need. As root: installs what is missing.
# As another user: lists what is missing and fails, so `make` says why instead of failing later.
set -euo pipefail

packages=(
  # building pyscard from source
  swig libpcsclite-dev
  # PC/SC daemon and the virtual reader the tests use
  pcscd vsmartcard-vpcd pcsc-tools
  # serial pty pairs for reader tests
  socat
  # TLS certificates for the central server (the tests make a self-signed one)
  openssl
  # Kivy under a virtual screen, and a CJK font (Kivy's default Roboto has no Chinese glyphs)
  xvfb xauth libgl1-mesa-dri libgl1 libegl1 libmtdev1 fonts-wqy-microhei
  # real X key events (XTEST) into the kiosk window: the scanner and wedge-reader test types with it
  xdotool
  # fc-query: the UI layout test checks every character on screen is in the font (no tofu)
  fontconfig
  # rare name characters (CJK Extensions A and B: 王𠈌, 刘䶮) and the spoken queue call, as on the Pi
  fonts-hanazono espeak-ng
  # the central server's real database
  postgresql
  # the school's web pages are tested in a real browser, and checked with axe-core (installed by npm)
  chromium chromium-driver nodejs
  # every export is opened by a real spreadsheet program, printed to PDF, and the PDF read back
  libreoffice-calc-nogui poppler-utils
  # deploy/install.sh is tested in a clean Debian root, and its scripts are checked
  mmdebstrap shellcheck systemd
  # ...and booted with systemd as its init (systemd-nspawn), for the unit and the rollback of a version that does not come up
  systemd-container
)

if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)  # Debian's nodejs comes without it (NodeSource's brings its own)
fi

if ! python3 -m venv --help >/dev/null 2>&1; then
  packages+=(python3-venv python3-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

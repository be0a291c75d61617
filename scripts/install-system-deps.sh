#!/usr/bin/env bash
# Installs what `make` needs from Debian: python3-venv (a stock Debian/Ubuntu python3 cannot
# make the virtual environment without it), the libraries Qt's xcb (X11) and offscreen
# platforms load, the freedesktop tools the packaging tests run (desktop-file-utils,
# appstream, shared-mime-info, gio from libglib2.0-bin) and binutils (objdump: packaging/
# build.sh reads the archive's minimum glibc) -- only the missing ones, and only where we
# can (root + apt-get). Safe to run repeatedly.
set -euo pipefail

packages=(
  python3-venv
  libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0
  libxcb-xkb1 libx11-xcb1 fonts-dejavu-core
  desktop-file-utils appstream shared-mime-info libglib2.0-bin binutils
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Qt (and the packaging tests) need these system packages: ${missing[*]}" >&2
  echo "Install them with your package manager (as root: apt-get install ${missing[*]})." >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A failed install must not stop the set-up: the tests run Qt offscreen, which needs
# none of the X11 libraries; only the windowed app does.
if ! { apt-get update -qq >/dev/null && \
       apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "warning: could not install ${missing[*]}; the windowed app may not start" >&2
fi

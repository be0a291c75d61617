#!/usr/bin/env bash
# Refreshes the hash-pinned lock files in requirements/ from pyproject.toml and the small
# inputs beside them (requirements/*.in), with uv in a throwaway environment (build/lock-env;
# uv is no project dependency). Run it after changing a dependency in pyproject.toml:
#   make lock                 # keep every pin that still fits, add or change only what must
#   make lock UPGRADE=1       # move every package to the newest version the bounds allow
# The files are universal (every OS, Python >= 3.10), but for the Flatpak's (Linux, the KDE
# runtime's Python): pip installs them with --require-hashes, so a build takes exactly these
# versions and these files.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
UV_VERSION=0.13.8
env_dir=build/lock-env
if [ ! -x "$env_dir/bin/uv" ] || ! "$env_dir/bin/uv" --version | grep -qF " $UV_VERSION"; then
  rm -rf "$env_dir"
  "$PYTHON" -m venv "$env_dir"
  "$env_dir/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
upgrade=()
[ -n "${UPGRADE:-}" ] && upgrade=(--upgrade)
compile_for() {
  local out=$1; shift
  "$env_dir/bin/uv" pip compile -q --generate-hashes --custom-compile-command "make lock" \
    "${upgrade[@]}" "$@" -o "$out"
  echo "wrote $out"
}
compile() { local out=$1; shift; compile_for "$out" --universal --python-version 3.10 "$@"; }
r=requirements
# What the app needs at run time (the Flatpak's Python modules come from here).
compile $r/app.txt pyproject.toml
# make and .ci/run: the app, the tests, the linters and the build backend.
compile $r/dev.txt pyproject.toml $r/build-backend.in --extra dev
# packaging/build.sh: the app, PyInstaller and the build backend.
compile $r/frozen.txt pyproject.toml $r/build-backend.in $r/pyinstaller.in
# The Flatpak's Python modules (packaging/flatpak/pin_modules.py; PySide6 from the BaseApp).
# Python 3.13: the KDE 6.10 runtime's (packaging/flatpak/pin_modules.py RUNTIME_PYTHON);
# PySide6 comes from the BaseApp, so it is resolved (for the bounds) but not listed.
compile_for $r/flatpak.txt --python-version 3.13 --python-platform x86_64-manylinux_2_39 \
  --no-emit-package pyside6-essentials --no-emit-package shiboken6 \
  pyproject.toml $r/build-backend.in
# make qt-floor: dev.txt's set on the oldest PySide6 pyproject.toml allows.
compile $r/qt-floor.txt pyproject.toml $r/build-backend.in $r/qt-floor.in --extra dev

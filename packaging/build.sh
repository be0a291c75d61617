#!/usr/bin/env bash
# Builds the desktop app as a PyInstaller one-folder bundle, packs it as
#   dist/idsync-configurator-<version>-<os>-<arch>.tar.gz
# then unpacks that archive in a temporary folder, away from the source tree, and runs the
# frozen `idsync --self-test` (offscreen) and `idsync check` on the examples it ships.
# Any failure stops the build with a non-zero exit.
#
# PyInstaller lives only in its own virtual environment (build/pyinstaller-env), made here
# from requirements/frozen.txt: every package (the app's runtime dependencies, PyInstaller,
# the build backend) pinned by version and hash, so a build takes exactly what was locked.
# The archive carries LICENSE and, in licenses/, the licence texts of all it bundles
# (packaging/collect_licenses.py).
#   PYTHON=python3.12 packaging/build.sh     # another interpreter (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
PYTHON=${PYTHON:-python3}
LOCK=requirements/frozen.txt

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' app/idsync/__init__.py)
[ -n "$version" ] || { echo "build.sh: no __version__ in app/idsync/__init__.py" >&2; exit 1; }
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  *) os=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
esac
name=idsync-configurator-$version-$os-$(uname -m)
work=build/pyinstaller
archive=dist/$name.tar.gz

step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

step "build environment"
env_dir=build/pyinstaller-env
stamp=$env_dir/.ready-$(cat pyproject.toml "$LOCK" | cksum | cut -d" " -f1)
if [ ! -e "$stamp" ]; then
  rm -rf "$env_dir"
  "$PYTHON" -m venv "$env_dir"
  # The locked packages (hashes checked), then the project itself without resolving anything.
  "$env_dir/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$LOCK"
  "$env_dir/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
    --no-build-isolation .
  touch "$stamp"
fi
"$env_dir/bin/python" -m PyInstaller --version

step "PyInstaller"
rm -rf "$work/dist"
"$env_dir/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$work/dist" --workpath "$work/work" packaging/idsync.spec
bundle=$work/dist/idsync

# Everything loaded at run time must be in the bundle.
internal=$bundle/_internal
for needed in \
  idsync/resources/catalog/destinations.json idsync/resources/catalog/identifiers.json \
  idsync/resources/examples/facebook-custom-audiences.json \
  idsync/resources/profiles/returning-customer.json \
  idsync/resources/icons/hicolor/256x256/apps/io.github.idsync_configurator.IdSyncConfigurator.png \
  idsync/resources/desktop/io.github.idsync_configurator.IdSyncConfigurator.desktop \
  PySide6/Qt/plugins/platforms/libqoffscreen.so PySide6/Qt/plugins/platforms/libqxcb.so; do
  [ -e "$internal/$needed" ] || [ "$os" != linux ] || {
    echo "build.sh: the bundle lacks $needed" >&2; exit 1; }
done
ls -d "$internal"/keyring-*.dist-info >/dev/null 2>&1 || {
  echo "build.sh: the bundle lacks keyring's metadata (its backends would not be found)" >&2
  exit 1; }
modules=$("$env_dir/bin/pyi-archive_viewer" -r -b "$bundle/idsync")
for module in keyring.backends.SecretService keyring.backends.macOS keyring.backends.Windows \
  idsync.ui.application idsync.ui.self_test idsync.cli.push idsync.cli.review idsync.cli.documents \
  idsync.segment.sandbox idsync.cli.desktop; do
  grep -qx " *$module" <<<"$modules" || { echo "build.sh: the bundle lacks $module" >&2; exit 1; }
done

step "archive"
mkdir -p dist
staging=$work/staging
rm -rf "$staging" && mkdir -p "$staging"
cp -a "$bundle" "$staging/$name"
cp LICENSE "$staging/$name/LICENSE"
"$env_dir/bin/python" packaging/collect_licenses.py "$bundle" "$staging/$name/licenses"
# The oldest glibc the bundle runs on: the newest GLIBC_ symbol version any of its ELF files
# needs (Python and Qt from the build machine and the wheels decide it).
glibc=$(find "$staging/$name" -type f \( -name '*.so*' -o -name idsync \) -print0 |
  xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' |
  sort -t. -k1,1n -k2,2n -k3,3n | tail -1)
echo "the bundle needs glibc >= $glibc"
printf 'ID Sync Configurator %s for Linux %s: run ./idsync (the window, or any command).\n\nNeeds glibc %s or later and the X11/xcb libraries of Debian 12 (see README.md).\n`./idsync install-desktop` adds it to the application menu.\nLICENSE is the app'"'"'s licence; licenses/ holds those of everything bundled with it.\n' \
  "$version" "$(uname -m)" "$glibc" >"$staging/$name/README.txt"
tar -C "$staging" -czf "$archive" "$name"
rm -rf "$staging"
size=$(du -h "$archive" | cut -f1)
echo "$archive ($size)"

step "smoke test of the unpacked archive"
try=$(mktemp -d)
trap 'rm -rf "$try"' EXIT
tar -C "$try" -xzf "$archive"
app_dir=$try/$name
examples=$app_dir/_internal/idsync/resources/examples
cd "$try"  # away from the source tree
# A clean environment: no source tree on any path, a throwaway home, Qt offscreen.
run() {
  env -i PATH=/usr/bin:/bin HOME="$try/home" IDSYNC_HOME="$try/idsync-home" LANG=C.UTF-8 \
    QT_QPA_PLATFORM=offscreen "$app_dir/idsync" "$@"
}
report=$(run --self-test) || { echo "build.sh: the frozen self-test failed" >&2; exit 1; }
echo "self-test: $report"
case "$report" in
  *'"self_test": "ok"'*'"error": 0'*) ;;
  *) echo "build.sh: unexpected self-test report" >&2; exit 1 ;;
esac
run check -q "$examples"/*.json || { echo "build.sh: check of the valid examples failed" >&2; exit 1; }
echo "check of the valid examples: exit 0"
status=0
run check -q "$examples" >/dev/null || status=$?
[ "$status" -eq 1 ] || {
  echo "build.sh: check of the examples folder (with invalid/) exited $status, not 1" >&2
  exit 1; }
echo "check of the examples folder (invalid/ included): exit 1, as documented"
for needed in LICENSE README.txt licenses/Python-*/LICENSE.txt \
  licenses/pyside6-essentials-*/LGPL-3 licenses/pyside6-essentials-*/GPL-3 \
  licenses/shiboken6-*/LGPL-3 licenses/keyring-*/LICENSE licenses/httpx-*/LICENSE.md; do
  compgen -G "$app_dir/$needed" >/dev/null || {
    echo "build.sh: the archive lacks $needed" >&2; exit 1; }
done
echo "licences: $(ls "$app_dir/licenses" | wc -l) bundled components"
run install-desktop --prefix "$try/prefix" >/dev/null || {
  echo "build.sh: the frozen install-desktop failed" >&2; exit 1; }
entry=$try/prefix/share/applications/io.github.idsync_configurator.IdSyncConfigurator.desktop
grep -qx "Exec=$app_dir/idsync %f" "$entry" || {
  echo "build.sh: the installed desktop entry does not start the frozen idsync" >&2; exit 1; }
echo "install-desktop: entry, icons, metainfo and MIME type under a prefix"
cd "$root"

step "done"
echo "archive: $archive ($size); build time: $(($(date +%s) - started)) s"

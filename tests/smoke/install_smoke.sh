#!/usr/bin/env bash
# `cmake --install` puts the binary, assets, shaders, a .desktop file and an icon in standard places,
# and the installed binary finds its installed assets (not the source tree's).
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/blackboard share/applications/blackboard.desktop share/icons/hicolor/scalable/apps/blackboard.svg \
         share/blackboard/assets/hardware/h100-sxm.json share/blackboard/assets/lectures/default.json \
         share/blackboard/shaders/board.frag; do
  test -e "$prefix/$f" || { echo "missing after install: $f"; exit 1; }
done
version=$(env -u BLACKBOARD_ASSETS "$prefix/bin/blackboard" --version)
case "$version" in
  *"assets: $prefix/share/blackboard/assets"*) ;;
  *) echo "installed binary does not use its installed assets: $version"; exit 1 ;;
esac
(cd "$prefix" && env -u BLACKBOARD_ASSETS ./bin/blackboard render batch --out "$prefix/batch.svg")
test -s "$prefix/batch.svg"
echo "install ok: $version"

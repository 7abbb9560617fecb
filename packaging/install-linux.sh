#!/usr/bin/env bash
# Install the one-folder build for the current user (or system-wide with PREFIX=/usr/local, as root):
#   PREFIX/lib/translator-app/          the bundle (dist/translator-app)
#   PREFIX/bin/translator-app           a symlink to its executable
#   PREFIX/share/applications/translator-app.desktop, PREFIX/share/icons/hicolor/*/apps/translator-app.*
#
#   packaging/build.sh && packaging/install-linux.sh          (PREFIX defaults to ~/.local)
#   packaging/install-linux.sh --uninstall
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${PREFIX:-$HOME/.local}"
BUNDLE="${BUNDLE:-$ROOT/dist/translator-app}"
APPS="$PREFIX/share/applications"
ICONS="$PREFIX/share/icons/hicolor"

if [[ "${1:-}" == "--uninstall" ]]; then
    rm -rf "$PREFIX/lib/translator-app"
    rm -f "$PREFIX/bin/translator-app" "$APPS/translator-app.desktop" "$ICONS"/*/apps/translator-app.png \
          "$ICONS/scalable/apps/translator-app.svg"
    echo "removed translator-app from $PREFIX"
    exit 0
fi

[[ -x "$BUNDLE/translator-app" ]] || { echo "no build at $BUNDLE: run packaging/build.sh first" >&2; exit 1; }
mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$APPS" "$ICONS/scalable/apps"
rm -rf "$PREFIX/lib/translator-app"
cp -a "$BUNDLE" "$PREFIX/lib/translator-app"
ln -sf "$PREFIX/lib/translator-app/translator-app" "$PREFIX/bin/translator-app"
for png in "$ROOT"/resources/icons/translator-app-*.png; do
    size="$(basename "$png" .png)"; size="${size##*-}"
    mkdir -p "$ICONS/${size}x${size}/apps"
    cp "$png" "$ICONS/${size}x${size}/apps/translator-app.png"
done
cp "$ROOT/resources/translator-app.svg" "$ICONS/scalable/apps/translator-app.svg"
# an absolute Exec/TryExec: the menu entry works even when PREFIX/bin is not on PATH
sed -e "s|^Exec=translator-app|Exec=$PREFIX/bin/translator-app|" \
    -e "s|^TryExec=translator-app|TryExec=$PREFIX/bin/translator-app|" \
    "$ROOT/resources/translator-app.desktop" > "$APPS/translator-app.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$ICONS" || true
echo "installed translator-app in $PREFIX (menu entry: $APPS/translator-app.desktop)"

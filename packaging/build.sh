#!/usr/bin/env bash
# Build translator-app with PyInstaller: dist/translator-app/ (one folder) or dist/onefile/translator-app.
#
#   packaging/build.sh                  one-folder build into dist/
#   packaging/build.sh --onefile        one-file build: dist/onefile/translator-app
#   packaging/build.sh --check          … then run the frozen app's --self-test
#   packaging/build.sh --distpath D --workpath W    build elsewhere (the slow test does)
#
# Any other arguments go to PyInstaller (e.g. --clean, --log-level WARN).
# Environment: PYTHON (default: python3 or python), TRANSLATOR_APP_BUNDLE_MODELS (a folder of model
# folders to bundle instead of models/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"
SPEC="packaging/translator_app.spec"
DIST=""
WORK="$ROOT/build"
CHECK=0
EXTRA=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --onefile) SPEC="packaging/translator_app_onefile.spec" ;;
        --check) CHECK=1 ;;
        --distpath) DIST="$2"; shift ;;
        --workpath) WORK="$2"; shift ;;
        -h|--help) sed -n '2,11p' "$ROOT/packaging/build.sh"; exit 0 ;;
        *) EXTRA+=("$1") ;;
    esac
    shift
done

# the one-file executable is also called translator-app: keep it apart from the one-folder build
[[ -z "$DIST" ]] && { [[ "$SPEC" == *onefile* ]] && DIST="$ROOT/dist/onefile" || DIST="$ROOT/dist"; }

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    echo "PyInstaller not found: installing it"
    "$PYTHON" -m pip install "pyinstaller>=6.5"
fi
"$PYTHON" -c "import torch, sys; sys.exit(0 if torch.version.cuda is None else 1)" || \
    echo "warning: this torch is a CUDA build; the bundle leaves CUDA libraries out (see packaging/README.md)" >&2

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --distpath "$DIST" --workpath "$WORK" ${EXTRA[@]+"${EXTRA[@]}"} "$SPEC"
end=$(date +%s)

if [[ "$SPEC" == *onefile* ]]; then
    TARGET="$DIST/translator-app"
    EXE="$TARGET"
else
    TARGET="$DIST/translator-app"
    EXE="$TARGET/translator-app"
    [[ -f "$EXE.exe" ]] && EXE="$EXE.exe"
fi
echo
echo "built:      $TARGET"
echo "build time: $((end - start)) s"
echo "bundle:     $(du -sh "$TARGET" | cut -f1) ($(( $(du -sk "$TARGET" | cut -f1) / 1024 )) MiB)"
echo "warnings:   $WORK/$(basename "$SPEC" .spec)/warn-$(basename "$SPEC" .spec).txt"

if [[ $CHECK == 1 ]]; then
    "$EXE" --self-test
fi

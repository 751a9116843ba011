#!/usr/bin/env bash
# Set up casebook_player on Debian: the system libraries Qt Multimedia and libvlc need, then a
# virtual environment in .venv with the player installed. `--test` adds what the tests need.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
for arg in "$@"; do
    case "$arg" in
        --test) with_tests=1 ;;
        *) echo "usage: tools/setup.sh [--test]" >&2; exit 2 ;;
    esac
done

# Qt's xcb platform plugin and Qt Multimedia (libpulse0), libvlc for the second backend.
packages=(
    python3-venv libpulse0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
    libvlc5 libvlc-bin vlc-plugin-base vlc-plugin-video-output fonts-dejavu-core
)
if [ "$with_tests" = 1 ]; then
    packages+=(xvfb xauth)   # real-window screenshots
    packages+=(openbox xdotool wmctrl)   # the kiosk under a real window manager
fi

if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
    missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        echo "Installing system packages: ${missing[*]}"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    fi
else
    echo "Not a Debian system: install Qt's xcb libraries, libpulse and libvlc yourself." >&2
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
extras="vlc"
[ "$with_tests" = 1 ] && extras="vlc,test"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
echo "casebook_player is installed in .venv"

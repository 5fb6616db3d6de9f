#!/usr/bin/env bash
# Refreshes the README's screenshots: the window during a run against the embedded demo server
# (load raised and lowered from the window, a telnet colleague on the console), taken under a
# virtual X server. Run it when the window changes. Needs xvfb (./make.sh deps installs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${BUILD_DIR:-build}
cmake -S . -B "$dir" -G Ninja >/dev/null
cmake --build "$dir" --target swarm_screenshot
shot() { xvfb-run -a -s "-screen 0 1920x1200x24" "$dir/gui/swarm_screenshot" docs/screenshots; }
SWARM_SHOT_SIZE=1600x1000 shot # main-window.png and yaml-editor.png
SWARM_SHOT_SIZE=1280x720 SWARM_SHOT_NAME=main-window-1280x720 shot # a laptop
SWARM_SHOT_SIZE=1600x1000 SWARM_SHOT_NAME=main-window-dark SWARM_SHOT_DARK=1 shot
# The HTML report (docs/REPORT.md): a short open-model run against the embedded demo server,
# written with --html and photographed by headless Chromium (./make.sh deps installs it).
cmake --build "$dir" --target swarm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$dir/app/swarm" --headless --connections 50 --rate 100 --arrivals poisson --duration 20s \
    --status-interval 0 --threshold "p99<50ms" --threshold "errors<1%" \
    --html "$tmp/report.html" >/dev/null || true # a failed threshold still writes the page
# --no-sandbox: Chromium refuses its sandbox as root (containers, CI).
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=1000,2900 --screenshot="$PWD/docs/screenshots/html-report.png" \
    "file://$tmp/report.html"

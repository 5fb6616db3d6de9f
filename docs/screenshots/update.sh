#!/usr/bin/env bash
# Refreshes the README's screenshots: the window during a run against the embedded demo server
# (load raised and lowered from the window, a telnet colleague on the console), taken under a
# virtual X server. Run it when the window changes. Needs xvfb (./make.sh deps installs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${BUILD_DIR:-build}
cmake -S . -B "$dir" -G Ninja >/dev/null
cmake --build "$dir" --target swarm_screenshot
xvfb-run -a -s "-screen 0 1400x900x24" "$dir/gui/swarm_screenshot" docs/screenshots

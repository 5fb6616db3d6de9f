#!/usr/bin/env bash
# The engine library never depends on Qt Gui or Widgets (docs/ARCHITECTURE.md). Given a program
# that links only swarm_engine, fails if it needs libQt6Gui or libQt6Widgets, directly (its
# NEEDED entries) or through another library (ldd). libQt6Core must show up: a check that saw no
# Qt at all would prove nothing.
set -euo pipefail
program=${1:?usage: check-engine-links.sh PROGRAM}
libraries=$(ldd "$program")
if ! grep -q 'libQt6Core' <<<"$libraries"; then
    echo "check-engine-links: $program does not load libQt6Core: not an engine program?" >&2
    exit 2
fi
if grep -E 'libQt6(Gui|Widgets|OpenGL|Charts)' <<<"$libraries"; then
    echo "check-engine-links: the engine pulls in the libraries above; it must link only Qt Core," \
        "Network and Qml" >&2
    exit 1
fi
echo "check-engine-links: $(grep -c 'libQt6' <<<"$libraries") Qt libraries, none of Gui/Widgets"

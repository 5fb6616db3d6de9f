#!/usr/bin/env bash
# check-manpage.sh MAN.1.gz SWARM: the man page help2man made at build time (ctest
# packaging_manpage) renders without groff warnings, has the sections of swarm.h2m, and
# documents every long option that `SWARM --help` lists.
set -euo pipefail
man=$1
swarm=$2
[ -s "$man" ] || { echo "no man page at $man (is help2man installed? ./make.sh deps)" >&2; exit 1; }

warnings=$(zcat "$man" | groff -man -Tutf8 -ww -z 2>&1)
[ -z "$warnings" ] || { echo "groff warnings:" >&2; echo "$warnings" >&2; exit 1; }
text=$(zcat "$man" | groff -man -Tutf8 2>/dev/null | col -bx)

status=0
for section in NAME SYNOPSIS DESCRIPTION "CONSOLE COMMANDS" "EXIT STATUS" EXAMPLES FILES "SEE ALSO"; do
    grep -q "^$section\$" <<<"$text" || { echo "missing section: $section" >&2; status=1; }
done
options=$(QT_QPA_PLATFORM=offscreen "$swarm" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
for option in $options; do
    grep -q -- "$option" <<<"$text" || { echo "option not in the man page: $option" >&2; status=1; }
done
[ $status -eq 0 ] && echo "man page OK: $(wc -w <<<"$options") options, every section"
exit $status

#!/usr/bin/env bash
# tools/check-skips.sh JUNIT [ALLOWLIST]: fails when a test was skipped without being allowed to.
#
# ctest counts a Qt test that called QSKIP as passed, and a test that exited with its
# SKIP_RETURN_CODE as "not run" without failing. A skip is meant for a deliberate platform skip,
# never for a missing package (which must fail), so every skip in ctest's JUnit report (written by
# ./make.sh's test runs: BUILD_DIR/ctest-junit.xml) must match a line of ALLOWLIST (default
# tools/skip-allowlist.txt): an extended regular expression matched against "TEST: SKIP line".
set -euo pipefail
export LC_ALL=C
junit=${1:?usage: tools/check-skips.sh JUNIT [ALLOWLIST]}
allow=${2:-$(dirname "$0")/skip-allowlist.txt}
[[ -r $junit ]] || { echo "check-skips: no JUnit report at $junit" >&2; exit 1; }

# One line per skip: "TEST: SKIP   : Class::function(row) reason" for a QSKIP, "TEST: not run"
# for a test ctest did not run or counted as skipped.
skips=$(awk '
    /<testcase / {
        name = $0; sub(/.*<testcase name="/, "", name); sub(/".*/, "", name)
        if ($0 ~ /status="(notrun|disabled)"/) print name ": not run"
    }
    /^SKIP +: / || /<system-out>SKIP +: / { line = $0; sub(/.*<system-out>/, "", line); print name ": " line }
' "$junit")
[[ -n $skips ]] || { echo "check-skips: no test skipped"; exit 0; }

patterns=()
if [[ -r $allow ]]; then
    while IFS= read -r p; do
        [[ -z $p || $p == \#* ]] || patterns+=("$p")
    done <"$allow"
fi
bad=0
while IFS= read -r skip; do
    allowed=0
    for p in "${patterns[@]}"; do
        if [[ $skip =~ $p ]]; then allowed=1; break; fi
    done
    if ((allowed)); then
        echo "check-skips: allowed: $skip"
    else
        echo "check-skips: UNEXPECTED SKIP: $skip" >&2
        bad=1
    fi
done <<<"$skips"
((bad == 0)) || { echo "check-skips: a skip is a failure unless $allow allows it" >&2; exit 1; }

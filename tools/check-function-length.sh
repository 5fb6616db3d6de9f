#!/usr/bin/env bash
# Fails when a function of the program (engine/, gui/, app/) is longer than 80 lines, listing each
# with its length and place. A function here is what the formatted tree (check_format,
# .clang-format) writes with its braces alone at the start of a line: every free function and
# member function defined outside its class. Inline members, lambdas and the tests' data tables
# are not counted.
#   tools/check-function-length.sh [LIMIT]      default 80
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-80}
mapfile -t files < <(find engine gui app -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
if [ ${#files[@]} -eq 0 ]; then
    echo "check-function-length: no files to check" >&2
    exit 2
fi
long=$(awk -v limit="$limit" '
    FNR == 1 { open = 0; signature = "" }
    /^[^ \t{}#\/]/ { signature = $0 }
    $0 == "{" { open = FNR; next }
    $0 == "}" && open {
        length_ = FNR - open - 1
        if (length_ > limit) printf "%s:%d: %d lines: %s\n", FILENAME, open, length_, signature
        open = 0
    }' "${files[@]}")
if [ -n "$long" ]; then
    echo "$long"
    echo "check-function-length: the functions above are longer than $limit lines: split each along what it does" >&2
    exit 1
fi
echo "check-function-length: ${#files[@]} files, no function longer than $limit lines"

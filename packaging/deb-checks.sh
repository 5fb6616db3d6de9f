# shellcheck shell=bash disable=SC2154 # $root and $deb are test-deb.sh's
# What packaging/test-deb.sh checks once the .deb is installed in the fresh root ($root):
# sourced by it, uses its say, fail and in_root. Each check says what it saw.

check_libraries() {
    local missing
    missing=$(in_root ldd /usr/bin/swarm | grep 'not found' || true)
    [ -z "$missing" ] || fail "libraries the Depends did not pull in:
$missing"
    say "ldd /usr/bin/swarm: every library found"
}

check_version() {
    local out expected
    expected="swarm $(dpkg-deb -f "$deb" Version)"
    out=$(in_root swarm --version) || fail "swarm --version exited $?"
    [ "$out" = "$expected" ] || fail "swarm --version printed '$out', expected '$expected'"
    say "swarm --version: $out"
}

check_scenarios() {
    local yml out
    out=$(in_root swarm --check 2>&1) || fail "swarm --check (bundled scenario): $out"
    say "swarm --check (bundled scenario): $(head -n 1 <<<"$out")"
    for yml in "$root"/usr/share/swarm/scripts/*.yml; do
        yml=/usr/share/swarm/scripts/$(basename "$yml")
        out=$(in_root swarm --check -s "$yml" 2>&1) || fail "swarm --check -s $yml: $out"
    done
    say "swarm --check -s on every installed scenario: OK"
}

# report_total KEY FILE: a number from the "totals" object of a swarm JSON report (indented by
# Qt: four spaces a level), with no JSON tool in the minimal root or needed on the host.
report_total() {
    awk -v key="\"$1\":" '/^    "totals": \{/ { inside = 1; next }
        inside && /^    }/ { exit }
        inside && $1 == key { gsub(/,/, "", $2); print $2; exit }' "$2"
}

# 3 s against the embedded demo server; the report must show requests answered and no errors.
check_headless_run() {
    local log=/tmp/headless.log report=/tmp/run.json requests errors
    in_root timeout -k 5 60 swarm --headless --listen 127.0.0.1:0 --connections 20 --duration 3s \
        --report "$report" --threshold 'requests>0' >"$root$log" 2>&1 \
        || fail "swarm --headless exited $?: $(cat "$root$log")"
    requests=$(report_total requests "$root$report")
    errors=$(report_total errors "$root$report")
    if [ -z "$requests" ] || [ "$requests" -le 0 ]; then
        fail "no requests in $report: $(cat "$root$report")"
    fi
    [ "$errors" = 0 ] || fail "$errors errors against the demo server: $(cat "$root$log")"
    say "swarm --headless --connections 20 --duration 3s: exit 0, $requests requests, 0 errors"
}

# The window on Qt's offscreen platform (no display here): it must come up and keep running
# until stopped, which proves the GUI's libraries and platform plugins are installed too.
check_window_starts() {
    local status=0
    in_root env QT_QPA_PLATFORM=offscreen timeout -k 5 5 swarm --listen 127.0.0.1:0 \
        >"$root/tmp/window.log" 2>&1 || status=$?
    [ "$status" -eq 124 ] || fail "the window exited with $status within 5 s: $(cat "$root/tmp/window.log")"
    say "the window (offscreen) ran until stopped after 5 s"
}

check_installed_files() {
    local f listing
    listing=$(in_root dpkg -L swarm)
    for f in /usr/bin/swarm /usr/share/man/man1/swarm.1.gz /usr/share/applications/swarm.desktop \
        /usr/share/metainfo/invalid.swarm.swarm.metainfo.xml \
        /usr/share/icons/hicolor/scalable/apps/swarm.svg /usr/share/swarm/protocols/durian.js \
        /usr/share/doc/swarm/README.md; do
        grep -qx "$f" <<<"$listing" || fail "the package does not install $f"
        [ -s "$root$f" ] || fail "$f is empty or missing after install"
    done
    zcat "$root/usr/share/man/man1/swarm.1.gz" | grep -q -- 'headless' \
        || fail "the man page does not describe the options"
    f=$(desktop-file-validate "$root/usr/share/applications/swarm.desktop" 2>&1) || true
    [ -z "$f" ] || fail "desktop-file-validate: $f"
    # validate-tree: the installed metainfo, and that its launchable names an installed entry.
    f=$(appstreamcli validate-tree --no-net "$root" 2>&1) || fail "appstreamcli validate-tree: $f"
    say "installed: binary, man page, desktop entry (valid), metainfo (valid), icon, data, docs"
}

run_checks() {
    check_libraries
    check_version
    check_scenarios
    check_headless_run
    check_window_starts
    check_installed_files
}

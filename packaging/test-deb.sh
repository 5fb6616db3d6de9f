#!/usr/bin/env bash
# The .deb on a fresh Debian 12: installs the package that CPack builds into a throwaway minbase
# chroot with apt (so its Depends must pull in everything), then runs what a user would:
# `swarm --version`, `swarm --check` on the bundled scenario, a 3 s headless run against the
# embedded demo server, and the window on Qt's offscreen platform; checks the installed files
# (desktop entry, AppStream metainfo, man page) with the validators. Root only (chroot).
#
#   packaging/test-deb.sh [BUILD_DIR]        (./make.sh deb-test builds first, then runs this)
#
# Cached under BUILD_DIR/deb-test/: the base made by mmdebstrap (a tarball, with apt's package
# lists) and the .debs apt downloaded, so a second run downloads nothing. Delete the folder to
# start from a new base. The chroot uses this machine's Debian sources (debian.sources: mirror,
# bookworm, -updates, -security); DEB_TEST_MIRROR overrides the mirror mmdebstrap fetches from.
# mmdebstrap, not debootstrap: it downloads in parallel and unpacks with apt (40 s here, where
# debootstrap took 5 to 18 minutes). apt in the root also finds the .debs this machine's own apt
# kept (/var/cache/apt/archives: `./make.sh deps` installed Qt from them); apt checks each
# against the root's own package lists before using it, so the root gets exactly what a
# download would give, without downloading it again.
# DEB_TEST_PACKAGE=FILE.deb tests that package instead of building one; DEB_TEST_CACHE=DIR keeps
# the cache elsewhere (e.g. outside a CI clone, so that the next run on the machine is fast).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-${BUILD_DIR:-build}}")
cache=${DEB_TEST_CACHE:-$build/deb-test}
base=$cache/bookworm-minbase.tar.zst
host_sources=/etc/apt/sources.list.d/debian.sources
mirror=${DEB_TEST_MIRROR:-$(awk '/^URIs:/ { print $2; exit }' "$host_sources" 2>/dev/null || true)}
root=""
start=$SECONDS

say() { echo "deb-test [$((SECONDS - start)) s]: $*"; }
fail() {
    echo "deb-test: FAILED: $*" >&2
    exit 1
}

# Nothing is mounted in the chroot: apt, dpkg and swarm run without /proc, /sys or /dev/pts,
# so removing the root is the whole cleanup. Every process in it is bounded by timeout(1).
cleanup() {
    if [ -n "$root" ] && [ -d "$root" ]; then rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || fail "needs root (mmdebstrap, chroot)"
for tool in mmdebstrap zstd desktop-file-validate appstreamcli; do
    command -v "$tool" >/dev/null || fail "$tool is missing: ./make.sh deps installs it"
done

package() {
    if [ -n "${DEB_TEST_PACKAGE:-}" ]; then
        deb=$(realpath "$DEB_TEST_PACKAGE")
        say "package given: $deb"
        return
    fi
    (cd "$build" && cpack -G DEB >/dev/null) || fail "cpack -G DEB in $build"
    # shellcheck disable=SC2012 # the newest; CPack's names have no odd characters
    deb=$(ls -t "$build"/swarm_*.deb | head -n 1)
    say "package $(basename "$deb"): Depends: $(dpkg-deb -f "$deb" Depends)"
}

# A Debian 12 minbase with this machine's Debian sources and fresh package lists, saved as
# the base tarball; it is also this run's root (nothing was installed in it yet).
make_base() {
    local dir
    dir=$(mktemp -d "$cache/root.XXXXXX")
    chmod 755 "$dir" # a root directory (mktemp makes it 700: apt's sandbox user could not enter)
    root=$dir
    say "mmdebstrap --variant=minbase bookworm (once; cached in $base)"
    rmdir "$dir" # mmdebstrap makes the directory itself
    timeout -k 10 900 mmdebstrap --mode=root --variant=minbase bookworm "$dir" ${mirror:+"$mirror"} \
        >"$cache/mmdebstrap.log" 2>&1 || fail "mmdebstrap: see $cache/mmdebstrap.log"
    chmod 755 "$dir"
    if [ -f "$host_sources" ]; then
        cp "$host_sources" "$dir/etc/apt/sources.list.d/"
        rm -f "$dir/etc/apt/sources.list"
    fi
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    chroot "$dir" apt-get update -q >"$cache/apt-update.log" 2>&1 \
        || fail "apt-get update in the base: see $cache/apt-update.log"
    chroot "$dir" apt-get clean
    tar -C "$dir" --numeric-owner -cf - . | zstd -q -T0 -o "$base.tmp"
    mv "$base.tmp" "$base"
}

unpack_base() {
    root=$(mktemp -d "$cache/root.XXXXXX")
    chmod 755 "$root"
    zstd -q -d -c "$base" | tar -C "$root" --numeric-owner -xf -
    cp /etc/resolv.conf "$root/etc/resolv.conf"
}

# No services start in the root; dpkg skips fsync (the root is thrown away); apt finds the
# .debs earlier runs downloaded.
prepare_root() {
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod +x "$root/usr/sbin/policy-rc.d"
    echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/swarm-test-unsafe-io"
    mkdir -p "$cache/archives"
    find "$cache/archives" /var/cache/apt/archives -maxdepth 1 -name '*.deb' \
        -exec cp -n -l -t "$root/var/cache/apt/archives/" {} + 2>/dev/null \
        || find "$cache/archives" /var/cache/apt/archives -maxdepth 1 -name '*.deb' \
            -exec cp -n -t "$root/var/cache/apt/archives/" {} +
    cp "$deb" "$root/tmp/"
}

# A command in the root, with a clean environment, ended after 5 minutes at most.
in_root() {
    timeout -k 10 300 chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 "$@"
}

# apt resolves the package's Depends; recommends are left out, so Depends alone must suffice.
apt_install() {
    local args=(apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")")
    if ! in_root env DEBIAN_FRONTEND=noninteractive "${args[@]}" >"$cache/apt-install.log" 2>&1; then
        say "apt-get install failed; the cached lists may be stale: apt-get update, once more"
        in_root apt-get update -q >>"$cache/apt-install.log" 2>&1 || true
        in_root env DEBIAN_FRONTEND=noninteractive "${args[@]}" >>"$cache/apt-install.log" 2>&1 \
            || fail "apt-get install of the .deb: see $cache/apt-install.log"
    fi
    grep -E '^(Need to get|[0-9]+ upgraded)' "$cache/apt-install.log" | sed 's/^/    /'
    local f # keep what apt downloaded (not what this machine's own cache already holds)
    for f in "$root"/var/cache/apt/archives/*.deb; do
        [ -e "/var/cache/apt/archives/${f##*/}" ] || cp -n "$f" "$cache/archives/"
    done
}

mkdir -p "$cache"
if [ -f "$base" ]; then unpack_base; else make_base; fi
package
prepare_root
say "fresh Debian 12 root in $root"
apt_install
say "installed with apt"
# shellcheck source=packaging/deb-checks.sh
. packaging/deb-checks.sh
run_checks
say "all checks passed"

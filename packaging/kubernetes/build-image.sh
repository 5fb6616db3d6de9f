#!/usr/bin/env bash
# Builds swarm's container image (packaging/kubernetes/Containerfile) with podman, from a Debian 12
# base made here by debootstrap, so no registry is needed; then checks the image without running a
# container: mounts it (podman image mount) and runs `swarm --version`, `swarm --help` and
# `swarm --check` on the bundled redis scenario in a chroot of it, as the image's user.
#
#   packaging/kubernetes/build-image.sh [TAG]           (TAG default: localhost/swarm:VERSION)
#
# Root only (debootstrap, chroot, podman's storage). Slow: 10–20 minutes on two cores (the build
# stage compiles swarm). Not part of ctest for that reason. Cached under IMAGE_CACHE (default
# build/image-cache/): the debootstrapped minbase, as a tarball; delete it for a fresh base.
# BASE_TARBALL=FILE.tar.zst uses an existing minbase tarball instead (packaging/test-deb.sh makes
# the same one in build/deb-test/). To push: podman push TAG REGISTRY/swarm:VERSION.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^project(swarm VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
tag=${1:-localhost/swarm:$version}
base_image=localhost/debian:bookworm
cache=$(realpath -m "${IMAGE_CACHE:-build/image-cache}")
host_sources=/etc/apt/sources.list.d/debian.sources
mirror=$(awk '/^URIs:/ { print $2; exit }' "$host_sources" 2>/dev/null || true)
start=$SECONDS
mnt=""
root=""

say() { echo "build-image [$((SECONDS - start)) s]: $*"; }
fail() {
    echo "build-image: FAILED: $*" >&2
    exit 1
}
cleanup() {
    if [ -n "$mnt" ]; then podman image unmount "$tag" >/dev/null 2>&1 || true; fi
    if [ -n "$root" ] && [ -d "$root" ]; then rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot, podman image mount)"
for tool in podman debootstrap zstd; do
    command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install podman debootstrap zstd"
done

# A Debian 12 minbase with this machine's Debian sources, as a compressed tarball.
make_base_tarball() {
    local root
    root=$(mktemp -d "$cache/root.XXXXXX")
    chmod 755 "$root"
    say "debootstrap --variant=minbase bookworm (once; cached in $cache)"
    debootstrap --variant=minbase bookworm "$root" ${mirror:+"$mirror"} >"$cache/debootstrap.log" 2>&1 \
        || fail "debootstrap: see $cache/debootstrap.log"
    if [ -f "$host_sources" ]; then
        cp "$host_sources" "$root/etc/apt/sources.list.d/"
        rm -f "$root/etc/apt/sources.list"
    fi
    tar -C "$root" --numeric-owner -cf - . | zstd -q -T0 -o "$cache/bookworm-minbase.tar.zst.tmp"
    mv "$cache/bookworm-minbase.tar.zst.tmp" "$cache/bookworm-minbase.tar.zst"
    rm -rf --one-file-system "$root"
}

import_base() {
    local tarball=${BASE_TARBALL:-$cache/bookworm-minbase.tar.zst}
    if podman image exists "$base_image"; then
        say "base image $base_image exists"
        return
    fi
    [ -n "${BASE_TARBALL:-}" ] || [ -f "$tarball" ] || make_base_tarball
    say "podman import $tarball as $base_image (slimmed)"
    root=$(mktemp -d "$cache/root.XXXXXX")
    chmod 755 "$root" # the image's / (mktemp makes 700: only root could enter it)
    zstd -q -d -c "$tarball" | tar -C "$root" --numeric-owner -xf -
    slim "$root"
    tar -C "$root" --numeric-owner -cf - . | podman import - "$base_image" >/dev/null
    rm -rf --one-file-system "$root"
    root=""
}

# What Debian's -slim images leave out: apt's package lists and downloaded .debs, the docs but
# their copyright files, man and info pages, translations; dpkg leaves them out of later
# installs too.
slim() {
    rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb
    find "$1/usr/share/doc" -type f ! -name copyright -delete
    find "$1/usr/share/doc" -depth -type d -empty -delete
    rm -rf "$1"/usr/share/man/* "$1"/usr/share/info/*
    find "$1/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    cat >"$1/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
}

# The running container's checks, without a container runtime: the image's root, chrooted.
check_image() {
    local in_image=(chroot --userspec=10001:10001 "$mnt" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/work)
    say "swarm --version in the image: $("${in_image[@]}" swarm --version)"
    "${in_image[@]}" swarm --help >/dev/null || fail "swarm --help in the image"
    "${in_image[@]}" swarm --check --script /usr/share/swarm/scripts/redis.yml >/dev/null \
        || fail "swarm --check on the bundled redis scenario in the image"
    say "image size: $(podman image inspect --format '{{.Size}}' "$tag" | numfmt --to=iec) ($tag)"
}

mkdir -p "$cache"
import_base
say "podman build $tag (the build stage compiles swarm: minutes)"
nice podman build --isolation=chroot --build-arg BASE_IMAGE="$base_image" \
    --ignorefile packaging/kubernetes/containerignore \
    -f packaging/kubernetes/Containerfile -t "$tag" . >"$cache/build.log" 2>&1 \
    || fail "podman build: see $cache/build.log"
mnt=$(podman image mount "$tag")
check_image
say "done: $tag (push it with: podman push $tag REGISTRY/swarm:$version)"

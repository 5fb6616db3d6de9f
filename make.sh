#!/usr/bin/env bash
# swarm's one entry point on Debian 12: installs what is missing, builds, runs or tests.
#
#   ./make.sh run [swarm options]   build and run swarm (e.g. ./make.sh run --headless)
#   ./make.sh test                  build and run every test (ctest)
#   ./make.sh deps | build          only install the packages / only build
#   ./make.sh asan-test             the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./make.sh tsan-test             the tests under ThreadSanitizer
#
# Packages are installed with apt-get only when missing (fast when all are there); as root, or
# through sudo. BUILD_DIR (default build/) and BUILD_TYPE (default RelWithDebInfo) may be set.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-declarative-dev qt6-charts-dev libyaml-cpp-dev libgl-dev
    node-acorn                          # the JavaScript parser that reads protocol modules
    redis-server memcached              # real servers the tests start on loopback
    xvfb xauth                          # screenshots of the window
    clang libclang-rt-14-dev            # fuzzing (libFuzzer)
    procps util-linux netcat-openbsd    # ps, taskset, nc: tests, benchmarks, the console
)

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

deps() {
    local missing
    missing=$(missing_packages)
    [ -z "$missing" ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "make.sh: installing:" $missing
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! $sudo apt-get install -y --no-install-recommends $missing; then
        $sudo apt-get update
        # shellcheck disable=SC2086
        $sudo apt-get install -y --no-install-recommends $missing
    fi
    # Debian may start the servers it installs; the tests start their own on free ports.
}

build() {
    local dir=${BUILD_DIR:-build} type=${BUILD_TYPE:-RelWithDebInfo}
    local launcher=()
    # ccache when present (a developer's machine): worktrees of one clone share the cache.
    if command -v ccache >/dev/null; then
        export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
        launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${launcher[@]}" "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}

run_tests() {
    local dir=${BUILD_DIR:-build}
    (cd "$dir" && ctest --output-on-failure -j "$(nproc)" --timeout 600)
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
    deps) deps ;;
    build) deps; build ;;
    run) deps; build; exec "${BUILD_DIR:-build}/app/swarm" "$@" ;;
    test) deps; build; run_tests ;;
    asan-test)
        deps
        BUILD_DIR=${BUILD_DIR:-build-asan} BUILD_TYPE=Debug build -DSWARM_SANITIZE=address
        BUILD_DIR=${BUILD_DIR:-build-asan} run_tests ;;
    tsan-test)
        deps
        BUILD_DIR=${BUILD_DIR:-build-tsan} BUILD_TYPE=Debug build -DSWARM_SANITIZE=thread
        BUILD_DIR=${BUILD_DIR:-build-tsan} run_tests ;;
    *) echo "usage: ./make.sh run [swarm options] | test | deps | build | asan-test | tsan-test" >&2; exit 2 ;;
esac

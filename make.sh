#!/usr/bin/env bash
# swarm's one entry point on Debian 12: installs what is missing, builds, runs or tests.
#
#   ./make.sh run [swarm options]   build and run swarm (e.g. ./make.sh run --headless)
#   ./make.sh test                  build and run every test (ctest)
#   ./make.sh deps | build          only install the packages / only build
#   ./make.sh asan-test             the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   ./make.sh tsan-test             the tests under ThreadSanitizer, of the portable build
#                                   without the window
#   ./make.sh portable-test         the build macOS and Windows get (SWARM_PORTABLE: Qt sockets
#                                   only, no Linux-only calls), built and tested here
#   ./make.sh deb-test              the .deb installed with apt and run on a fresh Debian 12 chroot
#
# Packages are installed with apt-get only when missing (fast when all are there); as root, or
# through sudo. BUILD_DIR (default build/) and BUILD_TYPE (default RelWithDebInfo) may be set.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-declarative-dev qt6-charts-dev libyaml-cpp-dev libgl-dev
    node-acorn                          # the JavaScript parser that reads protocol modules
    qt6-httpserver-dev prometheus-cpp-dev   # --metrics: HTTP server, Prometheus text format
    qt6-websockets-dev                  # Qt6HttpServer's CMake config requires it (Debian 12)
    prometheus                          # the metrics test scrapes swarm with a real Prometheus
    libssl-dev openssl                  # TLS (epoll transport: OpenSSL); tests make certificates
    qt6-base-private-dev                # TLS (qt transport): its sockets share one context (Qt private API)
    chromium                            # the HTML report test renders the page headless
    redis-server memcached mosquitto    # real servers the tests start on loopback
    mosquitto-clients                   # mosquitto_sub: the MQTT test reads the broker's $SYS counts
    xvfb xauth                          # screenshots of the window
    clang libclang-rt-14-dev            # fuzzing (libFuzzer)
    clang-format-14                     # the check_format test (tools/check-format.sh)
    procps util-linux netcat-openbsd    # ps, taskset, nc: tests, benchmarks, the console
    curl                                # bench/run.sh metrics: the once-a-second scraper
    help2man groff-base bsdextrautils   # the man page: made at build time, checked by a test
    desktop-file-utils appstream        # validators of the desktop entry and AppStream metainfo
    dpkg-dev file                       # CPack's .deb: dpkg-shlibdeps computes its Depends
    mmdebstrap zstd                     # deb-test: a fresh Debian 12 chroot, cached compressed
    debootstrap                         # packaging/kubernetes/build-image.sh: the image's base
    python3-jsonschema python3-yaml     # packaging_kubernetes: the manifests against the API schemas
    iproute2                            # tst_netns: network namespaces, veth pairs, a bridge
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

# The workflow linters (npm, pinned by packaging/workflow-lint/package-lock.json) for the
# packaging_workflows test; Debian's npm only where the machine has none.
npm_tools() {
    local dir=packaging/workflow-lint
    if ! command -v npm >/dev/null; then
        PACKAGES=(nodejs npm)
        deps
    fi
    [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] && return 0
    echo "make.sh: installing the workflow linters (npm ci in $dir)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
}

build() {
    local dir=${BUILD_DIR:-build} type=${BUILD_TYPE:-RelWithDebInfo}
    local launcher=()
    # ccache when present (a developer's machine): worktrees of one clone share the cache.
    if command -v ccache >/dev/null; then
        export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
        # Debug info names the build directory, so by default ccache keys on it and another
        # worktree never hits; sharing means a hit's debug info may name another worktree.
        export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
        launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${launcher[@]}" "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}

# Every test; then a skipped one fails the run unless tools/skip-allowlist.txt allows it (a missing
# package must fail, never skip: tools/check-skips.sh).
run_tests() {
    local dir=${BUILD_DIR:-build}
    (cd "$dir" && ctest --output-on-failure -j "$(nproc)" --timeout 600 --output-junit ctest-junit.xml)
    tools/check-skips.sh "$dir/ctest-junit.xml"
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
    deps) deps; npm_tools ;;
    build) deps; build ;;
    run) deps; build; exec "${BUILD_DIR:-build}/app/swarm" "$@" ;;
    test) deps; npm_tools; build; run_tests ;;
    deb-test) deps; build; packaging/test-deb.sh "${BUILD_DIR:-build}" ;;
    asan-test)
        deps; npm_tools
        # Debug (Q_ASSERT and assert() on) at -O1, as the sanitizers' own documentation advises:
        # the tests run about twice as fast as at -O0, and -g1 (line tables, the frames a report
        # names) builds faster than full debug information.
        BUILD_DIR=${BUILD_DIR:-build-asan} BUILD_TYPE=Debug build -DSWARM_SANITIZE=address \
            -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1"
        BUILD_DIR=${BUILD_DIR:-build-asan} run_tests ;;
    tsan-test)
        deps; npm_tools
        # The portable build (SWARM_PORTABLE: the Qt transport only, no Linux-only calls — what
        # macOS and Windows compile), without the window: TSan looks for races between threads,
        # which are the engine's and the same on both transports (each transport lives on one
        # worker thread); the window adds no thread of its own and is tested by ASan and the
        # plain build. One extra build in CI instead of two (portable-test builds it whole).
        BUILD_DIR=${BUILD_DIR:-build-tsan} BUILD_TYPE=Debug build -DSWARM_SANITIZE=thread \
            -DSWARM_PORTABLE=ON -DSWARM_BUILD_GUI=OFF -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1"
        BUILD_DIR=${BUILD_DIR:-build-tsan} run_tests ;;
    portable-test)
        deps
        BUILD_DIR=${BUILD_DIR:-build-portable} build -DSWARM_PORTABLE=ON
        BUILD_DIR=${BUILD_DIR:-build-portable} run_tests ;;
    *) echo "usage: ./make.sh run [swarm options] | test | deps | build | asan-test | tsan-test | deb-test | portable-test" >&2
       exit 2 ;;
esac

#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang and runs each for a fixed time.
#
#   tools/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]    default: 20 s, every target
#   tools/fuzz.sh 600                                 a long run by hand
#   tools/fuzz.sh 60 reply_parser                     one target
#
# Targets: scenario_loader console_command telnet_line_decoder reply_parser
# protocol_source_reader.
# Each run starts from the seeds in fuzz/corpus/TARGET/ plus what earlier runs found
# (build-fuzz/corpus/TARGET/, which grows and is never committed). Exits non-zero when any target
# crashes, fails a check or times out; the input that did it is saved as
# build-fuzz/crashes/TARGET/crash-* (or leak-*, timeout-*, oom-*): copy it to
# tests/data/fuzz/TARGET/ to make it a regression test (docs/FUZZING.md).
#
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_JOBS (build parallelism, default 2),
# FUZZ_MAX_LEN (largest input in bytes, default 4096).
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(scenario_loader console_command telnet_line_decoder reply_parser protocol_source_reader json_lines agent_state)
seconds=${1:-20}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ALL_TARGETS[@]}")
case "$seconds" in
    '' | *[!0-9]*) echo "usage: tools/fuzz.sh [seconds-per-target] [target...]" >&2; exit 2 ;;
esac
for t in "${targets[@]}"; do
    [ -d "fuzz/corpus/$t" ] || { echo "fuzz.sh: unknown target '$t' (${ALL_TARGETS[*]})" >&2; exit 2; }
done

dir=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-2}
max_len=${FUZZ_MAX_LEN:-4096}

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

# Debug keeps Q_ASSERT and assert() on (release builds define QT_NO_DEBUG and NDEBUG); -O1 keeps
# the executions per second up.
cmake -S . -B "$dir" -G Ninja \
    -DSWARM_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DSWARM_BUILD_GUI=OFF -DSWARM_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null
cmake --build "$dir" -j "$jobs" --target "${targets[@]/#/fuzz_}"

# Sanitizer reports end the run with a stack; UBSan findings are fatal (-fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
summary=()
for t in "${targets[@]}"; do
    corpus="$dir/corpus/$t"
    crashes="$dir/crashes/$t"
    log="$dir/fuzz-$t.log"
    mkdir -p "$corpus" "$crashes"
    dict=()
    [ -f "fuzz/dict/$t.dict" ] && dict=("-dict=fuzz/dict/$t.dict")
    echo "fuzz.sh: $t for ${seconds}s (log: $log)"
    status=0
    # The first corpus directory receives new inputs; the committed seeds are only read, and so
    # are the repository's own scenarios and modules (read in place, so never stale copies).
    seeds=("fuzz/corpus/$t")
    extra=()
    case "$t" in
        scenario_loader) seeds+=(scripts) ;;
        # The module reader runs acorn in a QJSEngine kept for the thread: objects held only by
        # JavaScript values live in the engine's mmap'd heap, which LeakSanitizer does not scan,
        # so libFuzzer's per-input leak check reports them. Leaks at exit are still checked by
        # the ASan test run (tst_protocolsourcereader, tst_modulechecks).
        protocol_source_reader) seeds+=(protocols); extra=(-detect_leaks=0) ;;
    esac
    "$dir/fuzz/fuzz_$t" "$corpus" "${seeds[@]}" "${dict[@]}" "${extra[@]}" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    units=$(find "$corpus" -type f | wc -l)
    if [ "$status" -ne 0 ]; then
        failed+=("$t")
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        summary+=("$(printf '%-24s FAILED (exit %s) %s' "$t" "$status" "${artifact:-see $log}")")
        echo "---- $t: the end of $log ----"
        tail -n 60 "$log"
    else
        summary+=("$(printf '%-24s ok  %10s execs  %7s/s  cov %-6s corpus %s' "$t" "${execs:-?}" \
            "${rate:-?}" "${cov:-?}" "$units")")
    fi
done

echo "fuzz.sh: ${seconds}s per target"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: FAILED: ${failed[*]}. Reproduce: $dir/fuzz/fuzz_TARGET FILE;" \
        "then copy FILE to tests/data/fuzz/TARGET/ (docs/FUZZING.md)." >&2
    exit 1
fi

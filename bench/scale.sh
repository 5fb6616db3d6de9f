# bench/scale.sh - the `scale` benchmark of bench/run.sh (sourced by it; uses its helpers).
# shellcheck shell=bash disable=SC2154,SC2153,SC2034  # WORK, ROOT, SWARM, IO... are run.sh's; CFD
# and the arrays filled through namerefs are read by run.sh's helpers and record

# Two questions of issue 17 ("scale with the scenario, not only with connections"):
#
# 1. What the once-a-second work costs with a scenario of many commands: bench/scale.yml (twenty
#    commands of bench/redis20.js, no sleeps) at SCALE_CONNECTIONS against redis-server, swarm
#    headless (status printed every second) and swarm's window (under Xvfb, or Qt's offscreen
#    platform), while a dashboard asks the console for `stats json` once a second. The figure is
#    the CPU time of swarm's main thread - where the workers' reports are merged, the status and
#    `stats json` are made, and the window draws its charts and tables - in % of one core over
#    SCALE_SECONDS, read from /proc/PID/task/TID/stat (the main thread's TID is the PID; the
#    workers are the threads named swarm-worker-N). Target: under 2 %.
# 2. Whether a worker does as much per CPU-second when there are two of them: the generator path
#    (bench/ping-checked.yml) with --threads 1 and --threads 2, alternated, at SCALE_GEN_CONNECTIONS;
#    requests (redis' count) per CPU-second of the worker threads alone. Target: within 5 %.

# thread_ticks PID: MAIN_TICKS (the main thread), WORKER_TICKS (the threads named swarm-worker-N)
# and TOTAL_TICKS (the whole process, threads that ended included), user + system, clock ticks.
MAIN_TICKS=0 WORKER_TICKS=0 TOTAL_TICKS=0
thread_ticks() {
    local pid=$1 dir stat comm ticks
    local -a f
    MAIN_TICKS=0 WORKER_TICKS=0
    for dir in /proc/"$pid"/task/*; do
        { read -r stat <"$dir/stat"; } 2>/dev/null || continue   # a thread that just ended
        comm=${stat#*(}
        comm=${comm%) *}
        read -r -a f <<<"${stat##*) }"
        ticks=$((f[11] + f[12]))
        if [[ ${dir##*/} == "$pid" ]]; then
            MAIN_TICKS=$ticks
        elif [[ $comm == swarm-worker-* ]]; then
            WORKER_TICKS=$((WORKER_TICKS + ticks))
        fi
    done
    cpu_ticks "$pid"
    TOTAL_TICKS=$CPU_TICKS
}

# thread_names PID: THREAD_NAMES = the names of PID's threads, "name xN" for repeats.
THREAD_NAMES=
thread_names() {
    THREAD_NAMES=$(cat /proc/"$1"/task/*/comm 2>/dev/null | sort | uniq -c |
        awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s%s%s", (NR > 1 ? ", " : ""), $0, (n > 1 ? " x" n : "") }')
}

# pct TICKS US: TICKS of CPU over US microseconds of wall time, in % of one core.
pct() { calc 't * 1e8 / hz / us' t="$1" hz="$CLK_TCK" us="$2"; }

# has_window BINARY: true when BINARY links Qt Widgets (read whole: grep -q would end ldd early,
# and pipefail would call that a failure).
has_window() { [[ $(ldd "$1" 2>/dev/null) == *libQt6Widgets* ]]; }

# The swarm with a window for part 1: SCALE_SWARM, else SWARM when it has one, else a Release
# build of the window (build-bench-gui/), made when missing.
scale_swarm() {
    if [[ -z ${SCALE_SWARM:-} ]]; then
        if has_window "$SWARM"; then
            SCALE_SWARM=$SWARM
        else
            SCALE_SWARM=$ROOT/build-bench-gui/app/swarm
            if [[ ! -x $SCALE_SWARM ]]; then
                say "building $SCALE_SWARM (Release with the window, no tests)"
                cmake -S "$ROOT" -B "$ROOT/build-bench-gui" -G Ninja -DSWARM_BUILD_GUI=ON \
                    -DSWARM_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
                cmake --build "$ROOT/build-bench-gui" -j"$NCPU" --target swarm >/dev/null
            fi
        fi
    fi
    [[ -x $SCALE_SWARM ]] || die "no swarm binary at $SCALE_SWARM (SCALE_SWARM)"
    has_window "$SCALE_SWARM" ||
        die "$SCALE_SWARM has no window (built with -DSWARM_BUILD_GUI=OFF): set SCALE_SWARM"
}

# start_xvfb: an X server of its own (Xvfb picks a free display and says which: -displayfd) on
# the server's cpu: drawing into it is the window's cost, showing it is not. XVFB_PID, DISPLAY_NAME.
XVFB_PID='' DISPLAY_NAME=''
start_xvfb() {
    local i n
    next_log xvfb
    spawn Xvfb "$LOG" taskset -c "$SERVER_CPUS" Xvfb -displayfd 1 -screen 0 1600x1000x24 \
        -nolisten tcp -noreset
    XVFB_PID=$SPAWNED_PID
    for ((i = 0; i < 200; i++)); do   # up to 10 s
        n=$(grep -m1 -E '^[0-9]+$' "$LOG" || true)
        if [[ -n $n ]]; then
            DISPLAY_NAME=:$n
            return 0
        fi
        is_running "$XVFB_PID" || die "Xvfb exited at start: $(tail -3 "$LOG")"
        sleep 0.05
    done
    die "Xvfb printed no display number in 10 s ($LOG)"
}

# scale_start MODE: swarm running bench/scale.yml at SCALE_CONNECTIONS, MODE headless (status
# every second on its output) or window, console on a free port. SWARM_PID, CONSOLE_PORT.
scale_start() {
    local mode=$1 xdg=$WORK/xdg
    local -a args=(-r "127.0.0.1:$REDIS_PORT" -s "$BENCH_DIR/scale.yml" -p "$BENCH_DIR"
        --threads "$SCALE_THREADS" --connections "$SCALE_CONNECTIONS" --connect-spread 0
        --io "$IO")
    pick_port
    CONSOLE_PORT=$PORT
    args+=(--listen "127.0.0.1:$CONSOLE_PORT")
    next_log "scale-$mode"
    if [[ $mode == headless ]]; then
        spawn swarm "$LOG" taskset -c "$CLIENT_CPUS" "$SCALE_SWARM" --headless \
            --status-interval 1s "${args[@]}"
    else
        # Settings, run history and caches of a home of its own: the user's are not touched.
        mkdir -p "$xdg/config" "$xdg/data" "$xdg/cache" "$xdg/runtime"
        chmod 700 "$xdg/runtime"
        local -a display=(QT_QPA_PLATFORM=offscreen)
        [[ $SCALE_QPA != xvfb ]] || display=(QT_QPA_PLATFORM=xcb "DISPLAY=$DISPLAY_NAME")
        spawn "swarm window" "$LOG" env "${display[@]}" XDG_CONFIG_HOME="$xdg/config" \
            XDG_DATA_HOME="$xdg/data" XDG_CACHE_HOME="$xdg/cache" XDG_RUNTIME_DIR="$xdg/runtime" \
            taskset -c "$CLIENT_CPUS" "$SCALE_SWARM" "${args[@]}"
    fi
    SWARM_PID=$SPAWNED_PID
}

# scale_console: the console of the swarm just started (up to 30 s: a window starts slower).
scale_console() {
    local i
    for ((i = 0; i < 600; i++)); do
        if { exec {CFD}<>"/dev/tcp/127.0.0.1/$CONSOLE_PORT"; } 2>/dev/null; then return 0; fi
        is_running "$SWARM_PID" || die "swarm exited at start: $(tail -5 "$LOG")"
        sleep 0.05
    done
    die "swarm's console did not listen on 127.0.0.1:$CONSOLE_PORT in 30 s ($LOG)"
}

# scale_run MODE: one run; appends the main thread's, the workers' and the other threads' CPU
# (% of a core) to the caller's main_MODE, work_MODE, other_MODE, and Xvfb's to xvfb_cpu.
scale_run() {
    local mode=$1 i t0 t1 m0 m1 w0 w1 a0 a1 x0=0 x1=0 next commands errors
    wait_ports "$SCALE_CONNECTIONS"
    scale_start "$mode"
    scale_console
    wait_count redis_clients '>=' "$SCALE_CONNECTIONS" 120 "$SWARM_PID" ||
        die "swarm ($mode) opened $COUNT of $SCALE_CONNECTIONS connections (log: $LOG)"
    sleep "$SCALE_WARMUP"
    thread_ticks "$SWARM_PID"; m0=$MAIN_TICKS w0=$WORKER_TICKS a0=$TOTAL_TICKS
    [[ -z $XVFB_PID || $mode == headless ]] || { cpu_ticks "$XVFB_PID"; x0=$CPU_TICKS; }
    now_us; t0=$NOW
    # The dashboard: `stats json` once a second, on the second, for the whole window.
    for ((i = 1; i <= ${SCALE_SECONDS%.*}; i++)); do
        console_cmd "stats json" "{"
        now_us
        next=$((t0 + i * 1000000 - NOW))
        ((next <= 0)) || sleep "$(calc 'x / 1e6' x="$next")"
    done
    now_us; t1=$NOW
    thread_ticks "$SWARM_PID"; m1=$MAIN_TICKS w1=$WORKER_TICKS a1=$TOTAL_TICKS
    [[ -z $XVFB_PID || $mode == headless ]] || { cpu_ticks "$XVFB_PID"; x1=$CPU_TICKS; }
    is_running "$SWARM_PID" || die "swarm ($mode) exited during the measurement (log: $LOG)"
    thread_names "$SWARM_PID"
    commands=$(grep -o '"rps_now"' <<<"$REPLY" | wc -l)
    errors=$(json_get totals.errors <<<"$REPLY")
    ((commands == 20)) || die "swarm ($mode) reports $commands commands, not 20: $REPLY"
    close_fd CFD
    reap "$SWARM_PID" 30   # the window closes its 10,000 connections first (15 s at most)
    drain_redis
    local -n s_main=main_$mode s_work=work_$mode s_other=other_$mode
    s_main+=("$(pct $((m1 - m0)) $((t1 - t0)))")
    s_work+=("$(pct $((w1 - w0)) $((t1 - t0)))")
    # The process's total is read after its threads': a tick of rounding may make this -1.
    local other=$((a1 - a0 - (m1 - m0) - (w1 - w0)))
    ((other >= 0)) || other=0
    s_other+=("$(pct "$other" $((t1 - t0)))")
    [[ $mode == headless ]] || xvfb_cpu+=("$(pct $((x1 - x0)) $((t1 - t0)))")
    printf '  %-8s main thread %5s %% | workers %5s %% | other threads %5s %% (%s s, %s commands, %s errors)\n' \
        "$mode" "$(fmt 2 "${s_main[-1]}")" "$(fmt 1 "${s_work[-1]}")" "$(fmt 2 "${s_other[-1]}")" \
        "$(fmt 1 "$(calc '(b - a) / 1e6' a="$t0" b="$t1")")" "$commands" "$errors"
    say "           threads: $THREAD_NAMES"
}

# scale_generator T: the generator path with --threads T; appends redis' req/s, the requests
# per worker CPU-second and redis' CPU to the caller's g_rate_T, g_cpu_T, g_srv_T.
scale_generator() {
    local t=$1 c0 c1 t0 t1 w0 w1 s0 s1 m0 m1
    start_swarm "$SCALE_GEN_CLIENT_CPUS" -r "127.0.0.1:$REDIS_PORT" -s "$BENCH_DIR/ping-checked.yml" \
        -p "$ROOT/protocols" --threads "$t" --connections "$SCALE_GEN_CONNECTIONS" \
        --connect-spread 0 --duration "$((${SCALE_GEN_SECONDS%.*} + ${SCALE_WARMUP%.*} + 120))s"
    wait_count redis_clients '>=' "$SCALE_GEN_CONNECTIONS" 60 "$SWARM_PID" ||
        die "swarm opened $COUNT of $SCALE_GEN_CONNECTIONS connections (log: $LOG)"
    sleep "$SCALE_WARMUP"
    redis_commands; c0=$COUNT; now_us; t0=$NOW
    thread_ticks "$SWARM_PID"; w0=$WORKER_TICKS m0=$MAIN_TICKS
    cpu_ticks "$REDIS_PID"; s0=$CPU_TICKS
    sleep "$SCALE_GEN_SECONDS"
    redis_commands; c1=$COUNT; now_us; t1=$NOW
    thread_ticks "$SWARM_PID"; w1=$WORKER_TICKS m1=$MAIN_TICKS
    cpu_ticks "$REDIS_PID"; s1=$CPU_TICKS
    is_running "$SWARM_PID" || die "swarm exited during the measurement (log: $LOG)"
    stop_client "$SWARM_PID"
    ((w1 > w0)) || die "swarm's workers used no CPU time in the window (log: $LOG)"
    local -n r_rate=g_rate_$t r_cpu=g_cpu_$t r_srv=g_srv_$t
    # redis counts the monitor's own INFO: one of the two falls in the window.
    r_rate+=("$(calc '(b - a - 1) * 1e6 / (t1 - t0)' a="$c0" b="$c1" t0="$t0" t1="$t1")")
    r_cpu+=("$(calc '(b - a - 1) * hz / (w1 - w0)' a="$c0" b="$c1" hz="$CLK_TCK" w0="$w0" w1="$w1")")
    r_srv+=("$(pct $((s1 - s0)) $((t1 - t0)))")
    printf '    --threads %s: %7s req/s, %7s req per worker CPU-s; workers %3s %% of a core, main thread %4s %%, redis-server %3s %%\n' \
        "$t" "$(fmt 0 "${r_rate[-1]}")" "$(fmt 0 "${r_cpu[-1]}")" "$(fmt 0 "$(pct $((w1 - w0)) $((t1 - t0)))")" \
        "$(fmt 1 "$(pct $((m1 - m0)) $((t1 - t0)))")" "$(fmt 0 "${r_srv[-1]}")"
}

scale_once_a_second() {
    local n=$SCALE_CONNECTIONS rep mode order
    scale_swarm
    say ""
    say "== scale: bench/scale.yml (20 commands of bench/redis20.js, no sleeps) at $n connections,"
    say "   --threads $SCALE_THREADS, swarm on cpu $CLIENT_CPUS, redis-server (and Xvfb) on cpu $SERVER_CPUS; a"
    say "   dashboard asks the console for \`stats json\` once a second; headless prints its status every"
    say "   second; the window ($SCALE_QPA) shows the run panel, the charts and the console. CPU over"
    say "   ${SCALE_SECONDS}s from ${SCALE_WARMUP}s after all $n are up, % of one core, from"
    say "   /proc/PID/task/TID/stat: the main thread (merge, status, stats json, the window) against"
    say "   the target of 2 %; the workers; the other threads (Qt's, the script watchdog)"
    say "   swarm: $SCALE_SWARM"
    start_redis 20000
    XVFB_PID=
    [[ $SCALE_QPA != xvfb ]] || start_xvfb
    local -a main_headless=() work_headless=() other_headless=() main_window=() work_window=()
    local -a other_window=() xvfb_cpu=()
    for ((rep = 1; rep <= REPS; rep++)); do
        order="headless window"
        swarm_first "$rep" || order="window headless"
        say "  rep $rep:"
        for mode in $order; do scale_run "$mode"; done
    done
    record "scale 20 cmds C=$n headless: main thread (%)" "$(median "${main_headless[@]}")" - 'swarm<=2'
    record "scale 20 cmds C=$n window: main thread (%)" "$(median "${main_window[@]}")" - 'swarm<=2'
    record "scale 20 cmds C=$n window: other threads (%)" "$(median "${other_window[@]}")" - -
    record "scale 20 cmds C=$n: workers (% of a core)" "$(median "${work_window[@]}")" \
        "$(median "${work_headless[@]}")" -
    if [[ -n $XVFB_PID ]]; then
        record "scale 20 cmds C=$n window: Xvfb (%)" "$(median "${xvfb_cpu[@]}")" - -
        reap "$XVFB_PID" 5
        XVFB_PID=
    fi
    stop_redis
}

scale_threads() {
    local c=$SCALE_GEN_CONNECTIONS rep t order
    say ""
    say "== scale: the generator path (bench/ping-checked.yml) at $c connections, --threads 1 and"
    say "   --threads 2 alternated; req = redis' count over ${SCALE_GEN_SECONDS}s from ${SCALE_WARMUP}s after all"
    say "   are up, per CPU-second of the worker threads alone (swarm-worker-N). swarm on cpus"
    say "   $SCALE_GEN_CLIENT_CPUS, redis-server on cpus $SCALE_GEN_SERVER_CPUS in both runs"
    [[ $SCALE_GEN_CLIENT_CPUS != "$SCALE_GEN_SERVER_CPUS" ]] ||
        say "   (only $NCPU cores: with --threads 2 the two workers and redis-server share them)"
    local saved_server=$SERVER_CPUS
    SERVER_CPUS=$SCALE_GEN_SERVER_CPUS
    start_redis 20000
    SERVER_CPUS=$saved_server
    local -a g_rate_1=() g_cpu_1=() g_srv_1=() g_rate_2=() g_cpu_2=() g_srv_2=()
    for ((rep = 1; rep <= REPS; rep++)); do
        order="1 2"
        swarm_first "$rep" || order="2 1"
        say "  rep $rep:"
        for t in $order; do scale_generator "$t"; done
    done
    # The "reference" is swarm with one worker.
    record "generator --threads 2 vs 1 (req per worker CPU-s)" "$(median "${g_cpu_2[@]}")" \
        "$(median "${g_cpu_1[@]}")" 'ratio>=0.95' "$(ratios g_cpu_2 g_cpu_1)"
    record "generator --threads 2 vs 1 (req/s)" "$(median "${g_rate_2[@]}")" \
        "$(median "${g_rate_1[@]}")" - "$(ratios g_rate_2 g_rate_1)"
    record "generator --threads 2 vs 1 (server CPU %)" "$(median "${g_srv_2[@]}")" \
        "$(median "${g_srv_1[@]}")" -
    stop_redis
}

bench_scale() {
    if [[ $SCALE_QPA == xvfb ]] && ! command -v Xvfb >/dev/null; then
        missing "Xvfb is not installed (Debian: apt-get install xvfb), or set SCALE_QPA=offscreen"
    fi
    scale_once_a_second
    scale_threads
}

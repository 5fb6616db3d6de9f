# bench/metrics.sh - the `metrics` benchmark of bench/run.sh (sourced by it; uses its helpers).
# shellcheck shell=bash disable=SC2154  # WORK, ROOT, REDIS_PORT... are run.sh's

# The metrics address in a running swarm's log (--metrics 127.0.0.1:0 takes any free port): URL.
METRICS_URL=
metrics_url() {
    local pid=$1 log=$2 i
    METRICS_URL=
    for ((i = 0; i < 200; i++)); do   # up to 10 s for swarm to start
        METRICS_URL=$(sed -n 's/^Metrics: \(http:[^ ]*\).*/\1/p' "$log")
        [[ -z $METRICS_URL ]] || return 0
        is_running "$pid" || die "swarm exited at start: $(tail -5 "$log")"
        sleep 0.05
    done
    die "swarm printed no metrics address in 10 s ($log)"
}

# start_scraper URL COUNT: curl GETs URL once a second, COUNT times at most (a bounded loop), on
# the server's cpu like the script's other monitors; each answer's HTTP status goes to a file.
# SCRAPER_PID, SCRAPES (the file).
SCRAPER_PID='' SCRAPES=''
start_scraper() {
    SCRAPES=$WORK/scrapes-$RUN.txt
    : >"$SCRAPES"
    # shellcheck disable=SC2016  # the inner script's $1..$3 are its own arguments
    taskset -c "$SERVER_CPUS" bash -c 'for ((i = 0; i < $2; i++)); do
            curl -s -o /dev/null -w "%{http_code}\n" --max-time 2 "$1" >>"$3"; sleep 1
        done' scraper "$1" "$2" "$SCRAPES" &
    SCRAPER_PID=$!
}

# main_thread_ns PID: NS = the CPU time (ns, /proc schedstat) of PID's main thread, the one that
# merges the workers' reports and serves /metrics (MetricsServer lives there).
main_thread_ns() {
    local a
    read -r a _ <"/proc/$1/task/$1/schedstat" || die "cannot read /proc/$1/task/$1/schedstat"
    NS=$a
}

# metrics_run SCRAPE(0|1): one swarm run of the ping load at MET_CONNECTIONS with --metrics on,
# scraped every second or not; RATE, PER_CPU and SERVER_CPU as measure_window sets them; MAIN_CPU =
# the main thread's CPU in % of a core over the warm-up and the window (the scrapes' own cost shows
# as the difference between a scraped and a not-scraped run: the throughput ratio cannot show a
# cost of < 2 % when redis-server is the bottleneck).
metrics_run() {
    local c=$MET_CONNECTIONS
    wait_ports "$c"
    start_swarm "$CLIENT_CPUS" -r "127.0.0.1:$REDIS_PORT" -s "$ROOT/scripts/ping.yml" \
        -p "$ROOT/protocols" --threads 1 --connections "$c" --connect-spread 0 \
        --metrics 127.0.0.1:0 --duration "$((${MET_SECONDS%.*} + ${MET_WARMUP%.*} + 120))s"
    metrics_url "$SWARM_PID" "$LOG"
    wait_count redis_clients '>=' "$c" 120 "$SWARM_PID" || die "swarm opened $COUNT of $c connections (log: $LOG)"
    if (($1)); then
        start_scraper "$METRICS_URL" "$((${MET_SECONDS%.*} + ${MET_WARMUP%.*} + 5))"
    fi
    local m0 m1 t0 t1
    main_thread_ns "$SWARM_PID"; m0=$NS; now_us; t0=$NOW
    measure_window "$SWARM_PID" redis_commands "$MET_WARMUP" "$MET_SECONDS" "$REDIS_PID"
    main_thread_ns "$SWARM_PID"; m1=$NS; now_us; t1=$NOW
    MAIN_CPU=$(calc '(b - a) / 10 / (u - t)' a="$m0" b="$m1" t="$t0" u="$t1")
    if (($1)); then
        kill "$SCRAPER_PID" 2>/dev/null || true
        wait "$SCRAPER_PID" 2>/dev/null || true
        SCRAPED=$(grep -c '^200$' "$SCRAPES" || true)
        ((SCRAPED > 0)) || die "no scrape of $METRICS_URL answered 200 ($SCRAPES, log: $LOG)"
    fi
    stop_client "$SWARM_PID"
}

bench_metrics() {
    command -v curl >/dev/null || missing "curl is not installed (Debian: apt-get install curl)"
    local rep
    say ""
    say "== metrics: the ping load at $MET_CONNECTIONS connections with --metrics, scraped once a second"
    say "   (curl, a bounded loop) or not; req/s = redis' total_commands_processed over ${MET_SECONDS}s from"
    say "   ${MET_WARMUP}s after all are up; ratio = scraped / not scraped (target >= 0.98: < 2 % cost)"
    say "   the order alternates: odd repetitions run the scraped one first"
    start_redis 20000
    local -a s_rate=() s_cpu=() q_rate=() q_cpu=() s_main=() q_main=() s_srv=() q_srv=()
    SCRAPED=0
    for ((rep = 1; rep <= REPS; rep++)); do
        if swarm_first "$rep"; then
            metrics_run 1; s_rate+=("$RATE") s_cpu+=("$PER_CPU") s_main+=("$MAIN_CPU") s_srv+=("$SERVER_CPU")
            metrics_run 0; q_rate+=("$RATE") q_cpu+=("$PER_CPU") q_main+=("$MAIN_CPU") q_srv+=("$SERVER_CPU")
        else
            metrics_run 0; q_rate+=("$RATE") q_cpu+=("$PER_CPU") q_main+=("$MAIN_CPU") q_srv+=("$SERVER_CPU")
            metrics_run 1; s_rate+=("$RATE") s_cpu+=("$PER_CPU") s_main+=("$MAIN_CPU") s_srv+=("$SERVER_CPU")
        fi
        printf '  rep %d (%s first): scraped %7s req/s %7s req/CPU-s main thread %s %% server %s %% (%s scrapes) | not scraped %7s req/s %7s req/CPU-s main thread %s %% server %s %% | ratio %s\n' \
            "$rep" "$(swarm_first "$rep" && echo scraped || echo "not scraped")" \
            "$(fmt 0 "${s_rate[-1]}")" "$(fmt 0 "${s_cpu[-1]}")" "$(fmt 2 "${s_main[-1]}")" \
            "$(fmt 0 "${s_srv[-1]}")" "$SCRAPED" \
            "$(fmt 0 "${q_rate[-1]}")" "$(fmt 0 "${q_cpu[-1]}")" "$(fmt 2 "${q_main[-1]}")" \
            "$(fmt 0 "${q_srv[-1]}")" \
            "$(fmt 2 "$(calc 's / r' s="${s_rate[-1]}" r="${q_rate[-1]}")")"
    done
    # The "reference" is swarm itself, not scraped.
    record "metrics scraped 1/s C=$MET_CONNECTIONS (req/s)" "$(median "${s_rate[@]}")" \
        "$(median "${q_rate[@]}")" "ratio>=0.98" "$(ratios s_rate q_rate)"
    record "metrics scraped 1/s C=$MET_CONNECTIONS (req per CPU-s)" "$(median "${s_cpu[@]}")" \
        "$(median "${q_cpu[@]}")" - "$(ratios s_cpu q_cpu)"
    record "metrics scraped 1/s C=$MET_CONNECTIONS: main thread (% of a core)" "$(median "${s_main[@]}")" \
        "$(median "${q_main[@]}")" -
    record "metrics scraped 1/s C=$MET_CONNECTIONS: server CPU (%)" "$(median "${s_srv[@]}")" \
        "$(median "${q_srv[@]}")" -
    stop_redis
}

# bench/tls.sh - the `tls` benchmark of bench/run.sh (sourced by it; uses its helpers).
# shellcheck shell=bash disable=SC2154  # WORK, ROOT, REDIS_PORT... are run.sh's

# The certificates of the run (openssl CLI): a CA and a server certificate for 127.0.0.1.
TLS_DIR=
make_tls_certs() {
    [[ -z $TLS_DIR ]] || return 0
    command -v openssl >/dev/null || die "openssl is not installed (Debian: apt-get install openssl)"
    TLS_DIR=$WORK/tls
    mkdir -p "$TLS_DIR"
    (
        cd "$TLS_DIR" || exit 1
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
            -out ca.pem -days 2 -subj /CN=bench-ca
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
            -out server.csr -subj /CN=localhost
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out server.pem -days 2 -extfile server.ext
    ) >"$WORK/openssl.log" 2>&1 || die "openssl could not make the certificates ($WORK/openssl.log)"
}

# redis with a TLS port besides its plain one (the monitor's INFO stays plain): TLS_PORT.
TLS_PORT=
start_tls_redis() {
    make_tls_certs
    pick_port
    TLS_PORT=$PORT
    REDIS_EXTRA=(--tls-port "$TLS_PORT" --tls-cert-file "$TLS_DIR/server.pem"
        --tls-key-file "$TLS_DIR/server.key" --tls-ca-cert-file "$TLS_DIR/ca.pem"
        --tls-auth-clients no)
    start_redis 20000
    REDIS_EXTRA=()
}

tls_swarm_args() {
    TLS_ARGS=(-r "127.0.0.1:$TLS_PORT" --tls --tls-ca "$TLS_DIR/ca.pem" -p "$ROOT/protocols"
        --threads 1 --connect-spread 0)
}

tls_rb() {
    next_log redis-benchmark
    spawn redis-benchmark "$LOG" taskset -c "$CLIENT_CPUS" redis-benchmark -h 127.0.0.1 \
        -p "$TLS_PORT" --tls --cacert "$TLS_DIR/ca.pem" "$@"
    RB_PID=$SPAWNED_PID
}

tls_throughput_swarm() {
    local c=$1
    tls_swarm_args
    start_swarm "$CLIENT_CPUS" "${TLS_ARGS[@]}" -s "$ROOT/scripts/ping.yml" --connections "$c" \
        --duration "$((${TP_SECONDS%.*} + ${TP_WARMUP%.*} + 120))s"
    wait_count redis_clients '>=' "$c" 60 "$SWARM_PID" || die "swarm did not open $c TLS connections (log: $LOG)"
    measure_window "$SWARM_PID" redis_commands "$TP_WARMUP" "$TP_SECONDS" "$REDIS_PID"
    stop_client "$SWARM_PID"
    s_rate+=("$RATE") s_cpu+=("$PER_CPU")
}

tls_throughput_rb() {
    local c=$1
    tls_rb -c "$c" -n "$RB_FOREVER" -t ping_inline
    wait_count redis_clients '>=' "$c" 60 "$RB_PID" || die "redis-benchmark did not open $c TLS connections (log: $LOG)"
    measure_window "$RB_PID" redis_commands "$TP_WARMUP" "$TP_SECONDS" "$REDIS_PID"
    stop_client "$RB_PID"
    r_rate+=("$RATE") r_cpu+=("$PER_CPU")
}

# tls_memory_swarm N: as memory_swarm, over TLS.
tls_memory_swarm() {
    local n=$1 rss0 slab0 sock0
    tls_swarm_args
    start_swarm "$CLIENT_CPUS" "${TLS_ARGS[@]}" -s "$ROOT/scripts/redis-idle.yml" --duration 1h
    console_open "$SWARM_PID" "$LOG"
    memory_sample "$SWARM_PID"
    rss0=$RSS slab0=$KSLAB sock0=$KSOCK
    console_cmd "incr $n" OK
    wait_count redis_clients '>=' "$n" 120 "$SWARM_PID" || die "swarm opened $COUNT of $n TLS connections (log: $LOG)"
    memory_sample "$SWARM_PID"
    close_fd CFD
    stop_client "$SWARM_PID"
    memory_growth s swarm 0 "$n"
}

tls_memory_rb() {
    local n=$1 rss0 slab0 sock0
    tls_rb -I -c 1
    wait_count redis_clients '>=' 1 60 "$RB_PID" || die "redis-benchmark -I --tls -c 1 did not connect"
    memory_sample "$RB_PID"
    rss0=$RSS slab0=$KSLAB sock0=$KSOCK
    stop_client "$RB_PID"
    tls_rb -I -c "$n"
    wait_count redis_clients '>=' "$n" 120 "$RB_PID" || die "redis-benchmark opened $COUNT of $n TLS connections (log: $LOG)"
    memory_sample "$RB_PID"
    stop_client "$RB_PID"
    memory_growth r redis-benchmark 1 "$n"
}

# The handshakes swarm has completed, from its console's `stats json`: COUNT.
tls_handshakes() {
    console_cmd "stats json" "{"
    COUNT=$(json_get connections.tls_handshake_us.count <<<"$REPLY")
    [[ $COUNT =~ ^[0-9]+$ ]] || COUNT=0
}

# tls_handshake_rate N [--tls-session-reuse]: swarm opens N TLS connections at once (the
# console's incr); HPS = N / (the time from the incr until swarm counts N handshakes done).
HPS=-
tls_handshake_rate() {
    local n=$1 t0
    shift
    tls_swarm_args
    start_swarm "$CLIENT_CPUS" "${TLS_ARGS[@]}" -s "$ROOT/scripts/redis-idle.yml" --duration 1h "$@"
    console_open "$SWARM_PID" "$LOG"
    if (($# > 0)); then   # a first connection, so that there is a session to resume
        console_cmd "incr 1" OK
        wait_count tls_handshakes '>=' 1 60 "$SWARM_PID" || die "swarm: no TLS handshake (log: $LOG)"
        n=$((n - 1))
    fi
    local base=0
    (($# == 0)) || base=1
    now_us; t0=$NOW
    console_cmd "incr $n" OK
    wait_count tls_handshakes '>=' "$((n + base))" 120 "$SWARM_PID" || die "swarm: $COUNT of $n TLS handshakes (log: $LOG)"
    HPS=$(calc 'n * 1e6 / (t1 - t0)' n="$n" t0="$t0" t1="$NOW")
    close_fd CFD
    stop_client "$SWARM_PID"
}

bench_tls() {
    local c rep n=$MEM_CONNECTIONS h=$CONNECT_CONNECTIONS
    say ""
    say "== tls: the throughput, memory and connect figures over TLS (redis-server --tls-port) =="
    say "   swarm --tls --tls-ca vs redis-benchmark --tls --cacert, same pinning and alternation as"
    say "   throughput and memory; handshakes/s: swarm alone, $h connections opened by one incr"
    start_tls_redis
    for c in $TP_CONNECTIONS; do
        local -a s_rate=() s_cpu=() r_rate=() r_cpu=()
        for ((rep = 1; rep <= REPS; rep++)); do
            if swarm_first "$rep"; then
                tls_throughput_swarm "$c"; tls_throughput_rb "$c"
            else
                tls_throughput_rb "$c"; tls_throughput_swarm "$c"
            fi
            printf '  TLS C=%-5s rep %d: swarm %7s req/s %7s req/CPU-s | redis-benchmark %7s req/s %7s req/CPU-s | ratio %s\n' \
                "$c" "$rep" "$(fmt 0 "${s_rate[-1]}")" "$(fmt 0 "${s_cpu[-1]}")" \
                "$(fmt 0 "${r_rate[-1]}")" "$(fmt 0 "${r_cpu[-1]}")" \
                "$(fmt 2 "$(calc 's / r' s="${s_rate[-1]}" r="${r_rate[-1]}")")"
        done
        record "tls throughput C=$c (req/s)" "$(median "${s_rate[@]}")" "$(median "${r_rate[@]}")" 'ratio>=1.0' \
            "$(ratios s_rate r_rate)"
        record "tls throughput C=$c (req per client CPU-s)" "$(median "${s_cpu[@]}")" "$(median "${r_cpu[@]}")" - \
            "$(ratios s_cpu r_cpu)"
    done
    local -a s_per=() r_per=() s_slab=() r_slab=() s_sock=() r_sock=()
    for ((rep = 1; rep <= REPS; rep++)); do
        say "  memory rep $rep:"
        if swarm_first "$rep"; then
            tls_memory_swarm "$n"; tls_memory_rb "$n"
        else
            tls_memory_rb "$n"; tls_memory_swarm "$n"
        fi
    done
    record "tls memory per idle connection at $n (KiB)" "$(median "${s_per[@]}")" "$(median "${r_per[@]}")" 'swarm<=8' \
        "$(ratios s_per r_per)"
    local -a full=() reuse=()
    for ((rep = 1; rep <= REPS; rep++)); do
        tls_handshake_rate "$h"; full+=("$HPS")
        tls_handshake_rate "$h" --tls-session-reuse; reuse+=("$HPS")
        printf '  handshakes rep %d: %s/s full, %s/s resumed\n' "$rep" "$(fmt 0 "${full[-1]}")" "$(fmt 0 "${reuse[-1]}")"
    done
    record "tls handshakes/s opening $h" "$(median "${full[@]}")" - -
    record "tls handshakes/s opening $h, session reuse" "$(median "${reuse[@]}")" - -
    stop_redis
}

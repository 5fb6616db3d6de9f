# bench/tls.sh - the `tls` benchmark of bench/run.sh (sourced by it; uses its helpers).
# shellcheck shell=bash disable=SC2154,SC2034  # WORK, ROOT, REDIS_PORT... are run.sh's; TLS... run.sh reads

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

# TLS_REDIS_ARGS: redis-server's TLS port (TLS_PORT, chosen here) and certificates, for
# start_redis when TLS=1; its plain port stays for the monitor's INFO.
TLS_PORT='' TLS_REDIS_ARGS=()
tls_redis_args() {
    make_tls_certs
    pick_port
    TLS_PORT=$PORT
    TLS_REDIS_ARGS=(--tls-port "$TLS_PORT" --tls-cert-file "$TLS_DIR/server.pem"
        --tls-key-file "$TLS_DIR/server.key" --tls-ca-cert-file "$TLS_DIR/ca.pem"
        --tls-auth-clients no)
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
    wait_ports "$n"
    redis_args
    start_swarm "$CLIENT_CPUS" "${REDIS_ARGS[@]}" -s "$ROOT/scripts/redis-idle.yml" -p "$ROOT/protocols" \
        --threads 1 --connect-spread 0 --duration 1h "$@"
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
    wait_count tls_handshakes '>=' "$((n + base))" 300 "$SWARM_PID" || die "swarm: $COUNT of $n TLS handshakes (log: $LOG)"
    HPS=$(calc 'n * 1e6 / (t1 - t0)' n="$n" t0="$t0" t1="$NOW")
    close_fd CFD
    stop_client "$SWARM_PID"
}

# bench_tls: throughput and memory are the `throughput` and `memory` benchmarks with TLS=1 (the
# same steps, pinning and alternation; swarm --tls --tls-ca, redis-benchmark --tls --cacert),
# then the handshake rate of swarm alone.
bench_tls() {
    local h=$CONNECT_CONNECTIONS rep
    say ""
    say "== tls: throughput, memory and handshakes/s over TLS (redis-server --tls-port; ECDSA P-256"
    say "   certificates made by the run; the server sends its certificate and the CA's) =="
    TLS=1 TLS_ROW="tls "
    bench_throughput
    bench_memory
    say ""
    say "== tls handshakes/s: swarm alone, $h connections opened by one incr, until swarm counts $h"
    say "   handshakes done (its stats json); with --tls-session-reuse a first connection is made before"
    start_redis 20000
    local -a full=() reuse=()
    for ((rep = 1; rep <= REPS; rep++)); do
        tls_handshake_rate "$h"; full+=("$HPS")
        tls_handshake_rate "$h" --tls-session-reuse; reuse+=("$HPS")
        printf '  handshakes rep %d: %s/s full, %s/s resumed\n' "$rep" "$(fmt 0 "${full[-1]}")" "$(fmt 0 "${reuse[-1]}")"
    done
    record "handshakes/s opening $h" "$(median "${full[@]}")" - -
    record "handshakes/s opening $h, session reuse" "$(median "${reuse[@]}")" - -
    stop_redis
    TLS=0 TLS_ROW=''
}

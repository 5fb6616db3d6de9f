# bench/fleet.sh - the `fleet` benchmark of bench/run.sh (sourced by it; uses its helpers).
# shellcheck shell=bash disable=SC2154,SC2153  # WORK, ROOT, SWARM, IO, PORT... are run.sh's

# Past one process: FLEET_AGENTS swarm agents on this machine, each under its own open-files
# limit and from its own source address (127.0.0.2, .3, ...: a source address has about 28,000
# ephemeral ports to one server), each against its own redis-server (a redis holds at most
# its open-files limit too), driven by one controller (`swarm --fleet`) to FLEET_CONNECTIONS
# connections together. Figures: the time until the servers count them all, the servers' counts
# against each agent's share, the controller's merged connections and p99 while they hold
# FLEET_SECONDS, the controller's CPU (it only polls and merges: it should be small) and the
# agents' RSS. Not a comparison (no reference tool drives a fleet from a console): a capacity row.

FLEET_TOKEN=bench-fleet-token
declare -a FLEET_REDIS_PIDS=() FLEET_REDIS_PORTS=() FLEET_REDIS_FDS=() FLEET_AGENT_PIDS=()
declare -a FLEET_AGENT_PORTS=()

# fleet_redis I: a redis-server for agent I on the server cpu, with room for its share.
fleet_redis() {
    local i=$1 share=$2 attempt k fd
    for ((attempt = 0; attempt < 10; attempt++)); do
        pick_port
        spawn "redis-server $i" "$WORK/fleet-redis-$i.log" taskset -c "$SERVER_CPUS" redis-server \
            --bind 127.0.0.1 --port "$PORT" --protected-mode no --save '' --appendonly no \
            --maxclients "$((share + 100))" --tcp-backlog 4096 --daemonize no
        for ((k = 0; k < 100; k++)); do   # up to 5 s to listen
            is_running "$SPAWNED_PID" || break
            if { exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
                FLEET_REDIS_PIDS[i]=$SPAWNED_PID FLEET_REDIS_PORTS[i]=$PORT FLEET_REDIS_FDS[i]=$fd
                return 0
            fi
            sleep 0.05
        done
        reap "$SPAWNED_PID" 2
    done
    die "redis-server $i did not start; see $WORK/fleet-redis-$i.log"
}

# fleet_clients I: COUNT = redis I's connected clients, its monitor connection not counted.
fleet_clients() {
    local saved=$RFD
    RFD=${FLEET_REDIS_FDS[$1]}
    redis_cmd INFO clients
    info_field "$REPLY" connected_clients
    RFD=$saved
    COUNT=$((REPLY - 1))
}

# fleet_total: TOTAL = the servers' counts summed; COUNTS = them, space-separated.
fleet_total() {
    local i
    TOTAL=0 COUNTS=
    for ((i = 0; i < FLEET_AGENTS; i++)); do
        fleet_clients "$i"
        TOTAL=$((TOTAL + COUNT)) COUNTS="$COUNTS $COUNT"
    done
    COUNTS=${COUNTS# }
}

# fleet_agent I: agent I, console on a free loopback port with the token, from 127.0.0.(I+2).
fleet_agent() {
    local i=$1
    next_log "agent-$i"
    spawn "agent $i" "$LOG" taskset -c "$CLIENT_CPUS" "$SWARM" --headless --status-interval 0 \
        --io "$IO" --threads 1 --listen 127.0.0.1:0 --console-token "$FLEET_TOKEN" \
        -r "127.0.0.1:${FLEET_REDIS_PORTS[i]}" -s "$BENCH_DIR/fleet-idle.yml" -p "$ROOT/protocols" \
        --source-ip "127.0.0.$((i + 2))" --agent-index "$i/$FLEET_AGENTS" --connect-timeout 30s
    FLEET_AGENT_PIDS[i]=$SPAWNED_PID
    console_port "$SPAWNED_PID" "$LOG"
    FLEET_AGENT_PORTS[i]=$CONSOLE_PORT
}

# fleet_server_ticks: TICKS = the redis-servers' CPU ticks (user + system), summed.
fleet_server_ticks() {
    local i sum=0
    for ((i = 0; i < FLEET_AGENTS; i++)); do
        cpu_ticks "${FLEET_REDIS_PIDS[i]}"
        sum=$((sum + CPU_TICKS))
    done
    TICKS=$sum
}

bench_fleet() {
    local i c share spec t_up controller log c0 c1 s0 s1 t0 t1 rss_sum=0 up=0 merged p99 p99now errors
    share=$((FLEET_CONNECTIONS / FLEET_AGENTS))
    say ""
    say "== fleet: $FLEET_AGENTS agents (one process each, from 127.0.0.2...) x $share connections," \
        "one controller (--fleet), each agent against its own redis-server; hold ${FLEET_SECONDS}s"
    for ((i = 0; i < FLEET_AGENTS; i++)); do fleet_redis "$i" "$share"; done
    spec=
    for ((i = 0; i < FLEET_AGENTS; i++)); do
        fleet_agent "$i"
        spec="$spec,127.0.0.1:${FLEET_AGENT_PORTS[i]}"
    done
    spec=${spec#,}
    next_log controller
    log=$LOG
    spawn controller "$log" taskset -c "$SERVER_CPUS" "$SWARM" --headless --status-interval 0 \
        --listen 127.0.0.1:0 --console-token "$FLEET_TOKEN" --fleet "$spec"
    controller=$SPAWNED_PID
    console_open "$controller" "$log"
    console_cmd "auth $FLEET_TOKEN" "OK"
    # Every agent up in the controller's view before the target is given (bounded: 30 s).
    for ((i = 0; i < 300; i++)); do
        console_cmd "stats json" "{"
        up=$(grep -o '"state":"up"' <<<"$REPLY" | wc -l)
        ((up < FLEET_AGENTS)) || break
        sleep 0.1
    done
    ((up == FLEET_AGENTS)) || die "the controller sees $up of $FLEET_AGENTS agents up ($log)"
    now_us; t0=$NOW
    console_cmd "target $FLEET_CONNECTIONS" ""
    for ((i = 0; i < FLEET_UP_TIMEOUT * 10; i++)); do   # bounded: FLEET_UP_TIMEOUT seconds
        fleet_total
        ((TOTAL < FLEET_CONNECTIONS)) || break
        sleep 0.1
    done
    now_us; t_up=$(calc '(b - a) / 1e6' a="$t0" b="$NOW")
    ((TOTAL == FLEET_CONNECTIONS)) ||
        die "the servers count $TOTAL ($COUNTS) of $FLEET_CONNECTIONS after ${FLEET_UP_TIMEOUT}s"
    say "  all $FLEET_CONNECTIONS up after $(fmt 1 "$t_up") s; the servers count: $COUNTS (each share: $share)"
    record "fleet: $FLEET_CONNECTIONS connections up (s)" "$t_up" - -

    # The hold: the controller's CPU over FLEET_SECONDS, then the merged figures.
    # The servers' CPU beside it (summed over the redis-servers: the bench rule; a saturated
    # server would make the merged p99 the server's figure).
    cpu_ticks "$controller"; c0=$CPU_TICKS; fleet_server_ticks; s0=$TICKS; now_us; t0=$NOW
    sleep "$FLEET_SECONDS"
    cpu_ticks "$controller"; c1=$CPU_TICKS; fleet_server_ticks; s1=$TICKS; now_us; t1=$NOW
    fleet_total
    ((TOTAL == FLEET_CONNECTIONS)) || die "after the hold the servers count $TOTAL ($COUNTS)"
    for c in $COUNTS; do
        ((c == share)) || die "a server counts $c connections, its agent's share is $share ($COUNTS)"
    done
    console_cmd "stats json" "{"
    read -r merged p99 p99now errors <<<"$(json_get connections.current totals.latency_us.p99 \
        last_interval.p99_us totals.errors <<<"$REPLY")"
    [[ $merged == "$FLEET_CONNECTIONS" ]] || die "the controller's merged connections: $merged"
    for ((i = 0; i < FLEET_AGENTS; i++)); do
        rss_kib "${FLEET_AGENT_PIDS[i]}"
        rss_sum=$((rss_sum + RSS))
    done
    local cpu scpu
    cpu=$(calc '100 * t / h / ((b - a) / 1e6)' t="$((c1 - c0))" h="$(getconf CLK_TCK)" a="$t0" b="$t1")
    scpu=$(calc '100 * t / h / ((b - a) / 1e6)' t="$((s1 - s0))" h="$(getconf CLK_TCK)" a="$t0" b="$t1")
    say "  held ${FLEET_SECONDS}s: the servers count $COUNTS; the controller's merged connections $merged," \
        "p99 $p99 us over the run (the opening storm included), $p99now us in the last second," \
        "errors $errors; controller CPU $(fmt 1 "$cpu") % of a core;" \
        "the servers' CPU $(fmt 1 "$scpu") % of a core together;" \
        "agents' RSS $((rss_sum / 1024)) MiB together"
    record "fleet: merged p99 at $FLEET_CONNECTIONS, whole run (us)" "$p99" - -
    record "fleet: merged p99 at $FLEET_CONNECTIONS, last second (us)" "$p99now" - -
    record "fleet: controller CPU (% of a core)" "$cpu" - -
    record "fleet: the redis-servers' CPU, summed (% of a core)" "$scpu" - -
    console_cmd "stop" ""
    close_fd CFD
    wait_exit "$controller" 60 || warn "the controller did not stop in 60 s"
    for ((i = 0; i < FLEET_AGENTS; i++)); do
        reap "${FLEET_AGENT_PIDS[i]}" 30
        close_fd "FLEET_REDIS_FDS[$i]"
        reap "${FLEET_REDIS_PIDS[i]}" 10
    done
}

#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup runs from a trap
# bench/run.sh - swarm's benchmark suite (bench/README.md).
#
# Runs swarm and a reference client (redis-benchmark; for `threads`, swarm against itself)
# in each repetition, in alternating order, against one server it starts itself on 127.0.0.1, the
# client pinned to one core and the server to another, and prints each repetition's pair, the
# medians and the median of the per-repetition ratios swarm / reference. Throughput is judged by
# the server's own counters, never by the clients, next to the server's CPU use.
#
# Needs bash >= 5 (EPOCHREALTIME), awk, taskset (util-linux), redis-server + redis-benchmark
# (Debian: redis-server, redis-tools), memcached (for `threads`). No python.
set -euo pipefail
export LC_ALL=C   # "." as the decimal point in EPOCHREALTIME and awk; bytes = characters in `read -N`

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
readonly BENCH_DIR ROOT
readonly SKIP=77   # exit status when a needed program is missing (not in smoke mode: see missing)

usage() {
    cat <<'EOF'
Usage: bench/run.sh [options] [benchmark...]

Benchmarks (each runnable alone; default: all):
  throughput  ping loop at C=50 and C=1000: server-counted req/s, req per client CPU-second,
              the server's CPU
  generator   the same with a generator that reads and checks each reply and counts in client.vars
              (bench/ping-checked.yml); target >= 1.3 x redis-benchmark per client CPU-second
  durian      the demo protocol's login/say loop (bench/durian.yml) against the embedded demo server
              (in a swarm of its own): req/s and req per client CPU-second, no reference
  parser      memcached gets read by a custom JavaScript parser vs the native one (ratio; target
              >= 0.5), THREADS_CONNECTIONS connections
  latency     C=1: swarm's p50 (its report) vs redis-benchmark's p50
  memory      RSS and kernel memory per idle connection with 10,000 idle connections
  connect     time for swarm to open 10,000 connections at once; --ramp accuracy
  threads     swarm --threads 1 vs --threads 2 against memcached -t 2
  soak        19,000+ heartbeating connections for SOAK_SECONDS (not part of `all`)
  tls         throughput (TP_CONNECTIONS), memory (MEM_CONNECTIONS) over TLS vs redis-benchmark
              --tls, and handshakes/s opening CONNECT_CONNECTIONS (not part of `all`; bench/tls.sh)
  metrics     the ping load at MET_CONNECTIONS with --metrics, scraped once a second (curl) or
              not, alternated: the scrape's cost in req/s (target < 2 %; not part of `all`;
              bench/metrics.sh)
  fleet       FLEET_AGENTS agents (one process each, own source address, own redis-server) hold
              FLEET_CONNECTIONS together, driven by one `swarm --fleet` controller: time to all up,
              servers' counts per agent, merged p99, the controller's CPU (not part of `all`;
              bench/fleet.sh)
  scale       a scenario of 20 commands (bench/scale.yml) at SCALE_CONNECTIONS, headless and with
              the window open (Xvfb), `stats json` asked once a second: the main thread's CPU
              (target < 2 % of a core); and the generator path with --threads 2 vs 1: requests per
              worker CPU-second (target: within 5 %) (not part of `all`; bench/scale.sh)
  all         all of the above but soak, tls, metrics, fleet and scale
  smoke       every benchmark of `all`, soak and scale briefly with small counts; checks that
              every figure is printed (the bench_smoke ctest)

Options:
  --swarm PATH   the swarm binary (default: build-bench/app/swarm, built if missing)
  --reps N       repetitions per figure, each running both clients (default 3)
  --io LIST      swarm's transports, each benchmark run on each: "epoll qt" (default), "qt", ...
                 Every figure's name ends with the transport, e.g. "throughput C=50 (req/s) [qt]"
  --quick        seconds-long runs with small counts (for trying the script out)
  --strict       exit 1 when a figure misses its target
  --keep-logs    keep the work directory (process logs, reports) at exit
  -h, --help     this text

Environment (defaults in brackets; --quick lowers them):
  SWARM, REPS [3], CLIENT_CPUS [0], SERVER_CPUS [1], SERVER_BOUND [90 (% server CPU)], IOS ["epoll qt"]
  TP_CONNECTIONS ["50 1000"], TP_SECONDS [10], TP_WARMUP [2]
  LAT_SECONDS [10]
  MEM_CONNECTIONS [10000], MEM_SETTLE [5]
  CONNECT_CONNECTIONS [10000], RAMP_RATE [2000], RAMP_CONNECTIONS [10000]
  THREADS_CONNECTIONS [100], THREADS_SECONDS [10], THREADS_WARMUP [2],
  THREADS_SCENARIO [bench/memcached.yml], THREADS_CLIENT_CPUS, THREADS_SERVER_CPUS
  SOAK_CONNECTIONS [open-files hard limit - 200, at most 19800], SOAK_SECONDS [600],
  SOAK_INTERVAL [30], SOAK_RSS_TOLERANCE [5 (%)], SOAK_RAMP [2000 (conn/s; 0: at once)],
  SOAK_SOURCE_IPS [127.0.0.1-127.0.0.2]
  MET_CONNECTIONS [10000], MET_SECONDS [10], MET_WARMUP [2]
  FLEET_AGENTS [4], FLEET_CONNECTIONS [60000], FLEET_SECONDS [30], FLEET_UP_TIMEOUT [300 (s)]
  SCALE_CONNECTIONS [10000], SCALE_THREADS [2], SCALE_SECONDS [20], SCALE_WARMUP [3],
  SCALE_QPA [xvfb; or offscreen], SCALE_SWARM [SWARM if it has a window, else
  build-bench-gui/app/swarm, built if missing], SCALE_GEN_CONNECTIONS [1000], SCALE_GEN_SECONDS [10],
  SCALE_GEN_CLIENT_CPUS, SCALE_GEN_SERVER_CPUS [THREADS_CLIENT_CPUS, THREADS_SERVER_CPUS]
Exit status: 0 done, 1 a failure (or a missed target with --strict), 2 bad usage, 77 a needed
program is missing (smoke: 1, so that CI fails).
EOF
}

# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

say() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}
skip() {
    printf 'skipped: %s\n' "$*" >&2
    exit "$SKIP"
}

# awk for floating point (bash has integers only). calc EXPR [VAR=VALUE...]: prints EXPR.
calc() {
    local expr=$1
    shift
    local -a vars=()
    local v
    for v in "$@"; do vars+=(-v "$v"); done
    awk "${vars[@]}" "BEGIN { printf \"%s\", ($expr) }" </dev/null
}

# fmt DECIMALS VALUE: a number rounded for display; "-" stays "-".
fmt() {
    if [[ $2 == - || -z $2 ]]; then printf -- '-'; else awk -v d="$1" -v x="$2" 'BEGIN { printf "%.*f", d, x }'; fi
}

# median VALUE...: the median (mean of the middle two for an even count).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
        END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2];
              else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

is_number() { [[ $1 =~ ^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }

# ratios NAME_A NAME_B: prints the median of A[i] / B[i] over the repetitions (arrays named by
# NAME_A and NAME_B): a ratio of two runs made side by side, not of medians of different runs.
ratios() {
    local -n ra=$1 rb=$2
    local -a r=()
    local i
    for i in "${!ra[@]}"; do
        if is_number "${ra[i]}" && is_number "${rb[i]:-}" && [[ $(calc 'y != 0' y="${rb[i]}") == 1 ]]; then
            r+=("$(calc 'x / y' x="${ra[i]}" y="${rb[i]}")")
        fi
    done
    if ((${#r[@]} == 0)); then echo -; else median "${r[@]}"; fi
}

# swarm_first REP: true when swarm runs first in repetition REP. The order alternates, so that
# neither client always meets the server (and the machine) fresh.
swarm_first() { (($1 % 2 == 1)); }

# The figures, for the summary and the smoke check: name, swarm, reference, ratio, target, verdict
# separated by tabs.
RESULTS=()
MISSED=0

# record NAME SWARM REFERENCE TARGET [RATIO]: prints a figure (medians) and the ratio swarm /
# reference: RATIO when given (the median of the per-repetition ratios, see ratios), else the
# ratio of the two figures (one run, or a reference that is a fixed number). REFERENCE is "-" when
# there is none. TARGET is "-" or one of ratio<=X, ratio>=X, swarm<=X, swarm>=X, |swarm|<=X, and is
# judged here.
record() {
    local name="${TLS_ROW}$1 [$IO]" swarm=$2 ref=$3 target=$4 ratio=${5:-} verdict=-
    if [[ -z $ratio ]]; then
        ratio=-
        if is_number "$swarm" && is_number "$ref" && [[ $(calc 'r != 0' r="$ref") == 1 ]]; then
            ratio=$(calc 's / r' s="$swarm" r="$ref")
        fi
    fi
    if [[ $target != - ]]; then
        local subject op limit value
        [[ $target =~ ^(ratio|swarm|\|swarm\|)(<=|>=)(-?[0-9.]+)$ ]] || die "bad target '$target'"
        subject=${BASH_REMATCH[1]} op=${BASH_REMATCH[2]} limit=${BASH_REMATCH[3]}
        case $subject in
            ratio) value=$ratio ;;
            swarm) value=$swarm ;;
            *) value=$(is_number "$swarm" && calc 'x < 0 ? -x : x' x="$swarm" || echo -) ;;
        esac
        if ! is_number "$value"; then
            verdict="not measured"
        elif [[ $(calc "v $op l" v="$value" l="$limit") == 1 ]]; then
            verdict=met
        else
            verdict="NOT met"
            MISSED=1
        fi
    fi
    RESULTS+=("$name"$'\t'"$swarm"$'\t'"$ref"$'\t'"$ratio"$'\t'"$target"$'\t'"$verdict")
    printf '  => %-44s swarm %-12s reference %-12s ratio %-6s %s\n' "$name" "$(fmt 2 "$swarm")" \
        "$(fmt 2 "$ref")" "$(fmt 2 "$ratio")" \
        "$([[ $target == - ]] && echo "" || echo "target $target: $verdict")"
}

print_summary() {
    ((${#RESULTS[@]} > 0)) || return 0
    say ""
    say "== summary: medians of $REPS repetitions (soak: one run); ratio = the median of the per-repetition"
    say "   ratios swarm / reference (each repetition runs both, in alternating order) =="
    printf '%-46s %12s %12s %7s  %s\n' figure swarm reference ratio target
    local line name swarm ref ratio target verdict
    for line in "${RESULTS[@]}"; do
        IFS=$'\t' read -r name swarm ref ratio target verdict <<<"$line"
        printf '%-46s %12s %12s %7s  %s\n' "$name" "$(fmt 2 "$swarm")" "$(fmt 2 "$ref")" \
            "$(fmt 2 "$ratio")" "$([[ $target == - ]] && echo "" || echo "$target: $verdict")"
    done
}

# json_get PATH... <JSON: prints the values at the dotted paths (e.g. totals.latency_us.p50), on
# one line, space separated, "-" for a missing one. A small JSON walker: swarm's reports are
# nested, and no jq or python is assumed.
json_get() {
    awk -v paths="$*" '
    function found(v,   p, k) {
        p = key[1]
        for (k = 2; k <= depth; k++) p = p "." key[k]
        if (p in wanted) value[p] = v
    }
    BEGIN { np = split(paths, want, " "); for (k = 1; k <= np; k++) wanted[want[k]] = 1 }
    { text = text $0 "\n" }
    END {
        n = length(text); depth = 0; i = 1; wantkey = 0
        while (i <= n) {
            c = substr(text, i, 1)
            if (c == "{" || c == "[") {
                depth++; kind[depth] = c; idx[depth] = 0
                key[depth] = (c == "[") ? "0" : ""; wantkey = (c == "{"); i++; continue
            }
            if (c == "}" || c == "]") { depth--; i++; continue }
            if (c == ",") {
                if (kind[depth] == "{") wantkey = 1; else { idx[depth]++; key[depth] = idx[depth] }
                i++; continue
            }
            if (index(": \t\r\n", c) > 0) { i++; continue }
            if (c == "\"") {
                j = i + 1; s = ""
                while (j <= n) {
                    d = substr(text, j, 1)
                    if (d == "\\") { s = s substr(text, j, 2); j += 2; continue }
                    if (d == "\"") break
                    s = s d; j++
                }
                i = j + 1
                if (kind[depth] == "{" && wantkey) { key[depth] = s; wantkey = 0 } else found(s)
                continue
            }
            j = i
            while (j <= n && index(",}] \t\r\n", substr(text, j, 1)) == 0) j++
            found(substr(text, i, j - i)); i = j
        }
        out = ""
        for (k = 1; k <= np; k++) {
            v = (want[k] in value && value[want[k]] != "") ? value[want[k]] : "-"
            out = out (k > 1 ? " " : "") v
        }
        print out
    }'
}

# ---------------------------------------------------------------------------------------------
# Processes: every one the script starts is remembered by PID and stopped by PID
# ---------------------------------------------------------------------------------------------

declare -A STARTED=()   # PID -> name, for the processes started and not yet reaped
SPAWNED_PID=
WORK=

# spawn NAME LOG COMMAND...: starts COMMAND in the background (stdin from /dev/null, output to
# LOG) and sets SPAWNED_PID. `taskset -c CPUS PROGRAM` execs PROGRAM, so the PID is PROGRAM's.
spawn() {
    local name=$1 log=$2
    shift 2
    "$@" >"$log" 2>&1 </dev/null &
    SPAWNED_PID=$!
    STARTED[$SPAWNED_PID]=$name
}

# is_running PID: true while PID runs. An exited child stays a zombie until reaped, and kill -0
# succeeds on a zombie, so the state is read from /proc.
is_running() {
    local stat
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# reap PID [GRACE_S]: SIGTERM, up to GRACE_S seconds to exit, then SIGKILL; collects its status.
# Only PIDs this script started (and has not reaped: no PID reuse) are touched.
reap() {
    local pid=$1 grace=${2:-5} i
    [[ -n ${STARTED[$pid]+x} ]] || return 0
    if is_running "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < grace * 20; i++)); do
            is_running "$pid" || break
            sleep 0.05
        done
        if is_running "$pid"; then
            warn "${STARTED[$pid]} (pid $pid) ignored SIGTERM for ${grace}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    unset "STARTED[$pid]"
}

# wait_exit PID TIMEOUT_S: waits (bounded) for PID to end by itself; EXIT_STATUS is its status.
# Fails (after stopping it) when it is still running at the timeout.
EXIT_STATUS=0
wait_exit() {
    local pid=$1 timeout_s=$2 i
    for ((i = 0; i < timeout_s * 20; i++)); do
        is_running "$pid" || break
        sleep 0.05
    done
    if is_running "$pid"; then
        warn "${STARTED[$pid]:-pid $pid} still running after ${timeout_s}s: stopping it"
        reap "$pid" 5
        return 1
    fi
    EXIT_STATUS=0
    wait "$pid" 2>/dev/null || EXIT_STATUS=$?
    unset "STARTED[$pid]"
}

cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    close_fd RFD
    close_fd MFD
    close_fd CFD
    for pid in "${!STARTED[@]}"; do reap "$pid" 3; done
    if [[ -n $WORK && -d $WORK ]]; then
        if ((KEEP_LOGS)) || ((rc != 0 && rc != SKIP)); then
            say "logs kept in $WORK" >&2
        else
            rm -rf -- "$WORK"
        fi
    fi
    exit "$rc"
}

# ---------------------------------------------------------------------------------------------
# Clocks and /proc
# ---------------------------------------------------------------------------------------------

NOW=0 T0=0
now_us() { NOW=${EPOCHREALTIME/./}; }   # microseconds, without forking

# cpu_ticks PID: user + system time of the whole process (all threads), in clock ticks.
CPU_TICKS=0
cpu_ticks() {
    local stat
    read -r stat <"/proc/$1/stat" || die "cannot read /proc/$1/stat"
    # Fields after "(comm) ": state is field 3, so utime (14) and stime (15) are the 12th and 13th.
    local -a f
    read -r -a f <<<"${stat##*) }"
    CPU_TICKS=$((f[11] + f[12]))
}

# rss_kib PID: the resident set size (VmRSS), KiB.
RSS=0
rss_kib() {
    local line
    RSS=
    while read -r line; do
        if [[ $line == VmRSS:* ]]; then
            line=${line#VmRSS:}
            RSS=${line//[!0-9]/}
            break
        fi
    done <"/proc/$1/status"
    [[ -n $RSS ]] || die "no VmRSS for pid $1"
}

# close_fd VAR: closes the file descriptor whose number VAR holds (if any) and empties VAR.
close_fd() {
    local name=$1 fd
    if [[ -n ${!name:-} ]]; then
        fd=${!name}
        { exec {fd}>&-; } 2>/dev/null || true
        printf -v "$name" ''
    fi
}

# ---------------------------------------------------------------------------------------------
# The servers
# ---------------------------------------------------------------------------------------------

# A free TCP port on 127.0.0.1, below the ephemeral range so that no client socket holds it.
PORT=0
pick_port() {
    local low attempt fd
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range
    ((low > 11000)) || low=61000   # an unusual range: take ports above 10000 all the same
    for ((attempt = 0; attempt < 50; attempt++)); do
        PORT=$((10000 + RANDOM % (low - 10000)))
        if { exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
            exec {fd}>&-       # someone listens there
            continue
        fi
        return 0
    done
    die "no free port found"
}

RFD=           # the monitor connection to redis (INFO), kept open: no fork per poll
REDIS_PID=
REDIS_PORT=

# TLS=1 (the `tls` benchmark, bench/tls.sh): redis-server also listens on TLS_PORT, and the
# clients of the shared steps (throughput, memory) speak TLS to it; the figures' names start
# with "tls " (TLS_ROW). The monitor connection stays plain.
TLS=0 TLS_ROW=''

# start_redis MAXCLIENTS: a fresh redis-server pinned to SERVER_CPUS, and the monitor connection.
start_redis() {
    local maxclients=$1 attempt i
    local -a tls_args=()
    for ((attempt = 0; attempt < 10; attempt++)); do
        if ((TLS)); then tls_redis_args; tls_args=("${TLS_REDIS_ARGS[@]}"); fi
        pick_port
        [[ $PORT != "${TLS_PORT:-}" ]] || continue
        spawn redis-server "$WORK/redis-$PORT.log" taskset -c "$SERVER_CPUS" redis-server \
            --bind 127.0.0.1 --port "$PORT" --protected-mode no --save '' --appendonly no \
            --maxclients "$maxclients" --tcp-backlog 4096 --daemonize no "${tls_args[@]}"
        REDIS_PID=$SPAWNED_PID
        for ((i = 0; i < 100; i++)); do   # up to 5 s to listen
            is_running "$REDIS_PID" || break
            if { exec {RFD}<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
                REDIS_PORT=$PORT
                redis_cmd PING
                [[ $REPLY == PONG ]] || die "redis-server answered '$REPLY' to PING"
                return 0
            fi
            sleep 0.05
        done
        reap "$REDIS_PID" 2   # the port was taken meanwhile, or it failed: try another
    done
    die "redis-server did not start; see $WORK/redis-*.log"
}

stop_redis() {
    close_fd RFD
    [[ -z $REDIS_PID ]] || reap "$REDIS_PID" 10
    REDIS_PID=
}

# redis_cmd WORDS...: an inline command on the monitor connection; REPLY is the answer's text
# (a status line or a bulk string). Bounded: 30 s per read (a redis busy with a thousand TLS
# handshakes on a shared core has taken more than 5 s to answer).
redis_cmd() {
    local line
    printf '%s\r\n' "$*" >&"$RFD"
    IFS= read -r -t 30 line <&"$RFD" || die "redis-server did not answer '$*' in 30 s"
    line=${line%$'\r'}
    case $line in
        '$-1') REPLY= ;;
        '$'*)
            IFS= read -r -t 5 -N "${line#\$}" REPLY <&"$RFD" || die "short redis reply to '$*'"
            IFS= read -r -t 5 -N 2 line <&"$RFD" || true   # the CRLF after the bulk string
            ;;
        -*) die "redis-server: ${line#-}" ;;
        *) REPLY=${line#?} ;;
    esac
}

# info_field TEXT NAME: REPLY = NAME's value in an INFO text ("name:value\r\n" lines).
info_field() {
    local re="(^|"$'\n'")$2:([^"$'\r\n'"]*)"
    if [[ $1 =~ $re ]]; then REPLY=${BASH_REMATCH[2]}; else die "no $2 in INFO"; fi
}

# COUNT = the server's connected clients, not counting the monitor connection.
redis_clients() {
    redis_cmd INFO clients
    info_field "$REPLY" connected_clients
    COUNT=$((REPLY - 1))
}

# COUNT = the server's total_commands_processed.
redis_commands() {
    redis_cmd INFO stats
    info_field "$REPLY" total_commands_processed
    COUNT=$REPLY
}

MFD=           # the monitor connection to memcached (stats)
MC_PID=
MC_PORT=
MC_BASE=0      # curr_connections with only the monitor connected

start_memcached() {
    local cpus=$1 attempt i
    local -a user=()
    ((EUID != 0)) || user=(-u root)   # memcached refuses to run as root without -u
    for ((attempt = 0; attempt < 10; attempt++)); do
        pick_port
        spawn memcached "$WORK/memcached-$PORT.log" taskset -c "$cpus" memcached "${user[@]}" \
            -l 127.0.0.1 -p "$PORT" -U 0 -t 2 -m 64 -c $((THREADS_CONNECTIONS + 1024))
        MC_PID=$SPAWNED_PID
        for ((i = 0; i < 100; i++)); do
            is_running "$MC_PID" || break
            if { exec {MFD}<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
                MC_PORT=$PORT
                mc_stats
                MC_BASE=${MC_STAT[curr_connections]}
                return 0
            fi
            sleep 0.05
        done
        reap "$MC_PID" 2
    done
    die "memcached did not start; see $WORK/memcached-*.log"
}

stop_memcached() {
    close_fd MFD
    [[ -z $MC_PID ]] || reap "$MC_PID" 10
    MC_PID=
}

# mc_stats: MC_STAT[name] = value for every "STAT name value" line of memcached's `stats`.
declare -A MC_STAT=()
mc_stats() {
    local line i
    MC_STAT=()
    printf 'stats\r\n' >&"$MFD"
    for ((i = 0; i < 500; i++)); do
        IFS= read -r -t 5 line <&"$MFD" || die "memcached did not answer stats"
        line=${line%$'\r'}
        [[ $line != END ]] || return 0
        if [[ $line =~ ^STAT\ ([^ ]+)\ (.*)$ ]]; then MC_STAT[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}; fi
    done
    die "memcached stats: no END"
}

mc_clients() {
    mc_stats
    COUNT=$((MC_STAT[curr_connections] - MC_BASE))
}

# COUNT = the requests memcached has counted: every get and set (the workload has nothing else).
mc_requests() {
    mc_stats
    COUNT=$((MC_STAT[cmd_get] + MC_STAT[cmd_set]))
}

# wait_count COUNTER OP N TIMEOUT_S [PID]: polls COUNTER (a function setting COUNT) every POLL_S
# until COUNT OP N (OP: >= or <=); NOW is when it first held. Fails at the timeout, or as soon as
# PID (the client being measured) has exited.
wait_count() {
    local counter=$1 op=$2 n=$3 timeout_s=$4 pid=${5:-} deadline
    now_us
    deadline=$((NOW + ${timeout_s%.*} * 1000000))
    while :; do
        "$counter"
        now_us
        if [[ $op == '>=' ]]; then ((COUNT >= n)) && return 0; else ((COUNT <= n)) && return 0; fi
        ((NOW < deadline)) || return 1
        if [[ -n $pid ]] && ! is_running "$pid"; then return 1; fi
        sleep "$POLL_S"
    done
}

# wait_ports N: waits (at most 75 s: TIME_WAIT lasts 60 s) until N more connections can get a
# local port: the loopback connections closed by earlier runs hold theirs in TIME_WAIT for a
# minute, and three runs of 10,000 in a row exhaust the ~28,000 ephemeral ports ("Cannot assign
# requested address"), failing the next client for a reason that is not its own.
wait_ports() {
    local n=$1 low high waiting deadline
    read -r low high </proc/sys/net/ipv4/ip_local_port_range
    now_us
    deadline=$((NOW + 75000000))
    while :; do
        waiting=$(awk '$4 == "06" { n++ } END { print n + 0 }' /proc/net/tcp)
        ((waiting + n + 1000 <= high - low + 1)) && return 0
        now_us
        if ((NOW >= deadline)); then
            warn "$waiting local ports still in TIME_WAIT after 75 s"
            return 0
        fi
        sleep 1
    done
}

# drain: waits until the previous client's connections are gone, so runs never overlap.
drain_redis() {
    wait_count redis_clients '<=' 0 60 || die "redis still has $COUNT clients 60 s after the client stopped"
}
drain_memcached() {
    wait_count mc_clients '<=' 0 60 || die "memcached still has $COUNT clients 60 s after the client stopped"
}

# ---------------------------------------------------------------------------------------------
# The clients
# ---------------------------------------------------------------------------------------------

RUN=0   # numbers the log files
next_log() {
    RUN=$((RUN + 1))
    LOG="$WORK/$RUN-$1.log"
}

# start_swarm CPUS ARGS...: swarm pinned to CPUS, headless, console on a free port, no periodic
# status output. Sets SWARM_PID and LOG.
SWARM_PID=
start_swarm() {
    local cpus=$1
    shift
    next_log swarm
    spawn swarm "$LOG" taskset -c "$cpus" "$SWARM" --headless --status-interval 0 \
        --listen 127.0.0.1:0 --io "$IO" "$@"
    SWARM_PID=$SPAWNED_PID
}

# The address of our redis for swarm: REDIS_ARGS (-r, and with TLS=1 its TLS port and CA).
# Thousands of TLS handshakes at once take longer than the default --connect-timeout (3 s) on a
# busy core: each timeout would cost one more handshake, and the run would measure that churn.
REDIS_ARGS=()
redis_args() {
    REDIS_ARGS=(-r "127.0.0.1:$REDIS_PORT")
    ((TLS == 0)) || REDIS_ARGS=(-r "127.0.0.1:$TLS_PORT" --tls --tls-ca "$TLS_DIR/ca.pem"
        --connect-timeout 60s)
}

# start_redis_benchmark ARGS...: redis-benchmark pinned to CLIENT_CPUS against our redis (its
# TLS port with TLS=1).
RB_PID=
start_redis_benchmark() {
    local -a rb_to=(-p "$REDIS_PORT")
    ((TLS == 0)) || rb_to=(-p "$TLS_PORT" --tls --cacert "$TLS_DIR/ca.pem")
    next_log redis-benchmark
    spawn redis-benchmark "$LOG" taskset -c "$CLIENT_CPUS" redis-benchmark -h 127.0.0.1 \
        "${rb_to[@]}" "$@"
    RB_PID=$SPAWNED_PID
}

# stop_client PID: stops a client and waits until the server has seen all its connections close.
stop_client() {
    reap "$1" 15
    if [[ -n $REDIS_PID ]]; then drain_redis; fi
}

# console_port PID LOG: CONSOLE_PORT = the console port a running swarm printed in its log
# (--listen 127.0.0.1:0 takes any free one); up to 10 s for it to start.
CONSOLE_PORT=
console_port() {
    local pid=$1 log=$2 i
    CONSOLE_PORT=
    for ((i = 0; i < 200; i++)); do
        CONSOLE_PORT=$(sed -n 's/^Console: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log")
        [[ -z $CONSOLE_PORT ]] || return 0
        is_running "$pid" || die "swarm exited at start: $(tail -5 "$log")"
        sleep 0.05
    done
    die "swarm printed no console address in 10 s ($log)"
}

# The console of a running swarm.
CFD=
console_open() {
    console_port "$1" "$2"
    exec {CFD}<>"/dev/tcp/127.0.0.1/$CONSOLE_PORT"
}

# console_cmd COMMAND PREFIX: sends COMMAND, skips the banner and other lines until one starting
# with PREFIX (or ERROR); REPLY is that line.
console_cmd() {
    local line i
    printf '%s\r\n' "$1" >&"$CFD"
    for ((i = 0; i < 200; i++)); do
        IFS= read -r -t 5 line <&"$CFD" || die "swarm's console did not answer '$1'"
        line=${line%$'\r'}
        [[ $line != ERROR* ]] || die "swarm's console: '$1': $line"
        if [[ $line == "$2"* ]]; then
            REPLY=$line
            return 0
        fi
    done
    die "swarm's console: no answer to '$1'"
}

# ---------------------------------------------------------------------------------------------
# throughput
# ---------------------------------------------------------------------------------------------

# measure_window PID COUNTER WARMUP SECONDS SERVER_PID: once the client's connections are up,
# waits WARMUP, then reads the server's request counter and the client's and the server's CPU
# time, waits SECONDS, reads them again. RATE = requests per second, PER_CPU = requests per client
# CPU-second, SERVER_CPU = the server's CPU use in % of one core (near 100 % for a one-threaded
# redis: the server is the bottleneck, and the rate measures it rather than the client).
RATE=- PER_CPU=- SERVER_CPU=-
measure_window() {
    local pid=$1 counter=$2 server=$5 c0 c1 t0 t1 cpu0 cpu1 srv0 srv1 own=0
    sleep "$3"
    "$counter"; c0=$COUNT; now_us; t0=$NOW; cpu_ticks "$pid"; cpu0=$CPU_TICKS
    cpu_ticks "$server"; srv0=$CPU_TICKS
    sleep "$4"
    "$counter"; c1=$COUNT; now_us; t1=$NOW; cpu_ticks "$pid"; cpu1=$CPU_TICKS
    cpu_ticks "$server"; srv1=$CPU_TICKS
    is_running "$pid" || die "the client exited during the measurement (log: $LOG)"
    SERVER_CPU=$(calc '(v1 - v0) * 1e8 / hz / (t1 - t0)' v0="$srv0" v1="$srv1" hz="$CLK_TCK" t0="$t0" t1="$t1")
    # redis counts the monitor's own INFO as a command: one of the two reads falls in the window.
    [[ $counter != redis_commands ]] || own=1
    RATE=$(calc '(c1 - c0 - own) * 1000000 / (t1 - t0)' c0="$c0" c1="$c1" own="$own" t0="$t0" t1="$t1")
    if ((cpu1 > cpu0)); then
        PER_CPU=$(calc '(c1 - c0 - own) * hz / (u1 - u0)' c0="$c0" c1="$c1" own="$own" hz="$CLK_TCK" \
            u0="$cpu0" u1="$cpu1")
    else
        PER_CPU=-
    fi
}

# A very large request count: redis-benchmark runs until stopped (the window is timed here).
readonly RB_FOREVER=2000000000

# throughput_swarm C [SCENARIO]: swarm's figures; SCENARIO is scripts/ping.yml unless given.
throughput_swarm() {
    local c=$1 scenario=${2:-$ROOT/scripts/ping.yml}
    redis_args
    start_swarm "$CLIENT_CPUS" "${REDIS_ARGS[@]}" -s "$scenario" \
        -p "$ROOT/protocols" --threads 1 --connections "$c" --connect-spread 0 \
        --duration "$((${TP_SECONDS%.*} + ${TP_WARMUP%.*} + 120))s"
    wait_count redis_clients '>=' "$c" 60 "$SWARM_PID" || die "swarm did not open $c connections (log: $LOG)"
    measure_window "$SWARM_PID" redis_commands "$TP_WARMUP" "$TP_SECONDS" "$REDIS_PID"
    stop_client "$SWARM_PID"
}

throughput_redis_benchmark() {
    local c=$1
    start_redis_benchmark -c "$c" -n "$RB_FOREVER" -t ping_inline
    wait_count redis_clients '>=' "$c" 60 "$RB_PID" || die "redis-benchmark did not open $c connections (log: $LOG)"
    measure_window "$RB_PID" redis_commands "$TP_WARMUP" "$TP_SECONDS" "$REDIS_PID"
    stop_client "$RB_PID"
}

bench_throughput() {
    say ""
    say "== ${TLS_ROW}throughput: each connection loops PING / +PONG, no pipelining, no sleeps =="
    say "   req/s = redis' total_commands_processed over ${TP_SECONDS}s, counted from ${TP_WARMUP}s after"
    say "   all C connections are up; req/CPU-s = the same requests / the client's user+sys CPU time;"
    say "   srv = redis-server's CPU over the window, % of its core (>= ${SERVER_BOUND}: server-bound, the"
    say "   req/s ratio then measures redis, and req/CPU-s is the client's figure)"
    throughput_rows throughput "$ROOT/scripts/ping.yml"
}

# generator: the same loop, each PING sent by a generator that reads and checks its reply and
# counts in client.vars (bench/ping-checked.yml): what a real module costs against plain `ping`.
bench_generator() {
    say ""
    say "== generator: as throughput, but each PING is sent by a generator that reads the reply, checks"
    say "   it is +PONG and counts it in client.vars (bench/ping-checked.yml, redis.js ping_checked) =="
    throughput_rows generator "$BENCH_DIR/ping-checked.yml"
}

# throughput_rows NAME SCENARIO: swarm running SCENARIO and redis-benchmark's PING_INLINE, in
# alternating order, at each of TP_CONNECTIONS; the figures are named "NAME C=...".
throughput_rows() {
    local name=$1 scenario=$2
    say "   swarm --threads 1 and redis-benchmark pinned to cpu $CLIENT_CPUS, redis-server to cpu $SERVER_CPUS;"
    say "   the order alternates: odd repetitions run swarm first, even ones redis-benchmark"
    start_redis 20000
    local c rep
    for c in $TP_CONNECTIONS; do
        local -a s_rate=() s_cpu=() s_srv=() r_rate=() r_cpu=() r_srv=()
        for ((rep = 1; rep <= REPS; rep++)); do
            if swarm_first "$rep"; then
                throughput_swarm "$c" "$scenario"; s_rate+=("$RATE") s_cpu+=("$PER_CPU") s_srv+=("$SERVER_CPU")
                throughput_redis_benchmark "$c"; r_rate+=("$RATE") r_cpu+=("$PER_CPU") r_srv+=("$SERVER_CPU")
            else
                throughput_redis_benchmark "$c"; r_rate+=("$RATE") r_cpu+=("$PER_CPU") r_srv+=("$SERVER_CPU")
                throughput_swarm "$c" "$scenario"; s_rate+=("$RATE") s_cpu+=("$PER_CPU") s_srv+=("$SERVER_CPU")
            fi
            printf '  C=%-5s rep %d (%s first): swarm %7s req/s %7s req/CPU-s srv %3s %% | redis-benchmark %7s req/s %7s req/CPU-s srv %3s %% | ratio %s\n' \
                "$c" "$rep" "$(swarm_first "$rep" && echo swarm || echo redis-benchmark)" \
                "$(fmt 0 "${s_rate[-1]}")" "$(fmt 0 "${s_cpu[-1]}")" "$(fmt 0 "${s_srv[-1]}")" \
                "$(fmt 0 "${r_rate[-1]}")" "$(fmt 0 "${r_cpu[-1]}")" "$(fmt 0 "${r_srv[-1]}")" \
                "$(fmt 2 "$(calc 's / r' s="${s_rate[-1]}" r="${r_rate[-1]}")")"
        done
        local s_bound r_bound
        s_bound=$(median "${s_srv[@]}") r_bound=$(median "${r_srv[@]}")
        # issue 17: a generator that reads its replies keeps >= 1.3 x redis-benchmark per CPU-second
        local cpu_target=-
        [[ $name != generator ]] || cpu_target='ratio>=1.3'
        record "$name C=$c (req/s)" "$(median "${s_rate[@]}")" "$(median "${r_rate[@]}")" \
            "$( ((TLS)) && echo 'ratio>=1.0' || echo -)" "$(ratios s_rate r_rate)"
        record "$name C=$c (req per client CPU-s)" "$(median "${s_cpu[@]}")" "$(median "${r_cpu[@]}")" \
            "$cpu_target" "$(ratios s_cpu r_cpu)"
        record "$name C=$c (server CPU %)" "$s_bound" "$r_bound" -
        if [[ $(calc 'x >= b' x="$s_bound" b="$SERVER_BOUND") == 1 || $(calc 'x >= b' x="$r_bound" b="$SERVER_BOUND") == 1 ]]; then
            say "   C=$c is SERVER-BOUND (redis-server at $(fmt 0 "$s_bound") % / $(fmt 0 "$r_bound") % of its core):" \
                "compare the req per client CPU-s, not the req/s"
        fi
    done
    stop_redis
}

# ---------------------------------------------------------------------------------------------
# latency
# ---------------------------------------------------------------------------------------------

# redis-benchmark --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",...
# RB_RPS, RB_P50_US, RB_MEAN_US from the CSV in LOG.
rb_csv() {
    local row
    row=$(awk -F, '$1 == "\"PING_INLINE\"" { gsub(/"/, ""); print $2, $5 * 1000, $3 * 1000 }' "$LOG" | tail -1)
    [[ -n $row ]] || die "no CSV row from redis-benchmark ($LOG)"
    read -r RB_RPS RB_P50_US RB_MEAN_US <<<"$row"
}

# latency_swarm REP: one swarm run at C=1; appends to s_p50 and s_mean (bench_latency's).
latency_swarm() {
    local report="$WORK/latency-$1.json" p50 mean
    start_swarm "$CLIENT_CPUS" -r "127.0.0.1:$REDIS_PORT" -s "$ROOT/scripts/ping.yml" \
        -p "$ROOT/protocols" --threads 1 --connections 1 --connect-spread 0 \
        --duration "${LAT_SECONDS}s" --report "$report"
    wait_exit "$SWARM_PID" $((${LAT_SECONDS%.*} + 60)) || die "swarm did not stop after ${LAT_SECONDS}s"
    ((EXIT_STATUS == 0)) || die "swarm exited with $EXIT_STATUS (log: $LOG)"
    drain_redis
    read -r p50 mean < <(json_get totals.latency_us.p50 totals.latency_us.mean <"$report")
    s_p50+=("$p50") s_mean+=("$mean")
}

# latency_redis_benchmark N: one redis-benchmark run of N requests at C=1; appends to r_p50, r_mean.
latency_redis_benchmark() {
    start_redis_benchmark -c 1 -n "$1" -t ping_inline --csv
    wait_exit "$RB_PID" $((${LAT_SECONDS%.*} * 5 + 60)) || die "redis-benchmark did not end"
    drain_redis
    rb_csv
    r_p50+=("$RB_P50_US") r_mean+=("$RB_MEAN_US")
}

bench_latency() {
    say ""
    say "== latency: one connection (C=1), PING / +PONG, ${LAT_SECONDS}s =="
    say "   swarm: p50 and mean of its --report (totals.latency_us); redis-benchmark: its --csv p50 and"
    say "   mean. Both clocks start just before the request's write() and stop when the reply has been"
    say "   read and parsed. redis-benchmark's percentiles come from a histogram about 8 us coarse near"
    say "   40 us: its p50 is an upper bound of the bucket, so the p50 ratio is +-20 % at such latencies"
    start_redis 20000
    # redis-benchmark runs a number of requests, not a time: size it to ~LAT_SECONDS by a short run.
    local n rep
    start_redis_benchmark -c 1 -n "$LAT_CALIBRATION" -t ping_inline --csv
    wait_exit "$RB_PID" 120 || die "redis-benchmark's calibration run did not end"
    drain_redis
    rb_csv
    n=$(awk -v r="$RB_RPS" -v s="$LAT_SECONDS" 'BEGIN { n = int(r * s); if (n < 1000) n = 1000; print n }')
    local -a s_p50=() s_mean=() r_p50=() r_mean=()
    for ((rep = 1; rep <= REPS; rep++)); do
        if swarm_first "$rep"; then
            latency_swarm "$rep"; latency_redis_benchmark "$n"
        else
            latency_redis_benchmark "$n"; latency_swarm "$rep"
        fi
        printf '  rep %d (%s first): swarm p50 %s us, mean %s us | redis-benchmark p50 %s us, mean %s us (%s requests) | p50 ratio %s\n' \
            "$rep" "$(swarm_first "$rep" && echo swarm || echo redis-benchmark)" "${s_p50[-1]}" \
            "$(fmt 1 "${s_mean[-1]}")" "${r_p50[-1]}" "$(fmt 1 "${r_mean[-1]}")" "$n" \
            "$(fmt 2 "$(calc 's / r' s="${s_p50[-1]}" r="${r_p50[-1]}")")"
    done
    record "latency C=1 p50 (us)" "$(median "${s_p50[@]}")" "$(median "${r_p50[@]}")" 'ratio<=1.3' \
        "$(ratios s_p50 r_p50)"
    record "latency C=1 mean (us)" "$(median "${s_mean[@]}")" "$(median "${r_mean[@]}")" - \
        "$(ratios s_mean r_mean)"
    stop_redis
}

# ---------------------------------------------------------------------------------------------
# memory
# ---------------------------------------------------------------------------------------------

# rss_settled PID SECONDS: RSS = the highest RSS sampled every 0.5 s over SECONDS (idle
# connections still send a heartbeat now and then: the peak is the conservative figure).
rss_settled() {
    local pid=$1 peak=0 i samples
    samples=$(awk -v s="$2" 'BEGIN { n = int(s * 2 + 0.5); if (n < 1) n = 1; print n }')
    for ((i = 0; i < samples; i++)); do
        sleep 0.5
        rss_kib "$pid"
        ((RSS <= peak)) || peak=$RSS
    done
    RSS=$peak
}

# kernel_kib: KSLAB = the kernel's slab memory (/proc/meminfo Slab: socket structures, files,
# epoll entries...), KSOCK = the memory of TCP socket buffers (/proc/net/sockstat "TCP: ... mem",
# pages), both in KiB and for the whole machine: a delta means something on a quiet machine only.
KSLAB=0 KSOCK=0
kernel_kib() {
    local line
    KSLAB= KSOCK=
    while read -r line; do
        if [[ $line == Slab:* ]]; then line=${line#Slab:}; KSLAB=${line//[!0-9]/}; break; fi
    done </proc/meminfo
    while read -r line; do
        if [[ $line == TCP:* && $line =~ mem\ ([0-9]+) ]]; then KSOCK=$((BASH_REMATCH[1] * PAGE_KIB)); fi
    done </proc/net/sockstat
    [[ -n $KSLAB && -n $KSOCK ]] || die "no Slab in /proc/meminfo or TCP mem in /proc/net/sockstat"
}

# memory_sample PID: RSS (peak over MEM_SETTLE, see rss_settled), then KSLAB and KSOCK.
memory_sample() {
    rss_settled "$1" "$MEM_SETTLE"
    kernel_kib
}

# memory_growth PREFIX LABEL FROM TO: the growth from the caller's rss0, slab0, sock0 (at FROM
# connections) to RSS, KSLAB, KSOCK (at TO), per connection, appended to PREFIX_per, PREFIX_slab
# and PREFIX_sock (bench_memory's arrays), and printed.
memory_growth() {
    local -n g_per=$1_per g_slab=$1_slab g_sock=$1_sock
    local label=$2 from=$3 to=$4
    g_per+=("$(calc '(b - a) / (t - f)' a="$rss0" b="$RSS" f="$from" t="$to")")
    g_slab+=("$(calc '(b - a) / (t - f)' a="$slab0" b="$KSLAB" f="$from" t="$to")")
    g_sock+=("$(calc '(b - a) / (t - f)' a="$sock0" b="$KSOCK" f="$from" t="$to")")
    printf '    %s: RSS %s -> %s KiB, slab %s -> %s KiB, socket buffers %s -> %s KiB (%s -> %s connections)\n' \
        "$label" "$rss0" "$RSS" "$slab0" "$KSLAB" "$sock0" "$KSOCK" "$from" "$to"
}

# memory_swarm N: one swarm with 0, then N idle connections (opened by the console); appends the
# per-connection RSS, slab and socket-buffer growth to s_per, s_slab, s_sock (bench_memory's).
memory_swarm() {
    local n=$1 rss0 slab0 sock0
    wait_ports "$n"
    redis_args
    start_swarm "$CLIENT_CPUS" "${REDIS_ARGS[@]}" -s "$ROOT/scripts/redis-idle.yml" \
        -p "$ROOT/protocols" --threads 1 --connect-spread 0 --duration 1h
    console_open "$SWARM_PID" "$LOG"
    memory_sample "$SWARM_PID"
    rss0=$RSS slab0=$KSLAB sock0=$KSOCK
    console_cmd "incr $n" OK
    # With TLS the handshakes compete with the connects: 5,120 of 10,000 in 120 s on qt on a busy VM.
    wait_count redis_clients '>=' "$n" $((TLS ? 300 : 120)) "$SWARM_PID" || die "swarm opened $COUNT of $n connections (log: $LOG)"
    # redis counts a connection once accepted: with TLS, idle means handshake done.
    if ((TLS)); then
        wait_count tls_handshakes '>=' "$n" 300 "$SWARM_PID" || die "swarm: $COUNT of $n TLS handshakes (log: $LOG)"
    fi
    memory_sample "$SWARM_PID"
    close_fd CFD
    stop_client "$SWARM_PID"
    memory_growth s swarm 0 "$n"
}

# memory_redis_benchmark N: redis-benchmark -I with 1, then (another process) N connections: it
# cannot run with 0. Appends to r_per, r_slab, r_sock.
memory_redis_benchmark() {
    local n=$1 rss0 slab0 sock0
    start_redis_benchmark -I -c 1
    wait_count redis_clients '>=' 1 60 "$RB_PID" || die "redis-benchmark -I -c 1 did not connect"
    memory_sample "$RB_PID"
    rss0=$RSS slab0=$KSLAB sock0=$KSOCK
    stop_client "$RB_PID"
    wait_ports "$n"
    start_redis_benchmark -I -c "$n"
    wait_count redis_clients '>=' "$n" 120 "$RB_PID" || die "redis-benchmark opened $COUNT of $n connections (log: $LOG)"
    memory_sample "$RB_PID"
    stop_client "$RB_PID"
    memory_growth r redis-benchmark 1 "$n"
}

bench_memory() {
    local n=$MEM_CONNECTIONS rep
    say ""
    say "== ${TLS_ROW}memory: per idle connection, $n idle connections (a PING every 5-10 s) =="
    say "   swarm: (at $n - at 0 connections) / $n, one process: the console opens them"
    say "   redis-benchmark -I: (-c $n - -c 1) / $((n - 1)), two processes"
    say "   RSS = the peak of /proc/PID/status VmRSS over ${MEM_SETTLE}s once all are connected (user space)"
    say "   kernel = /proc/meminfo Slab (socket, file and epoll structures) and /proc/net/sockstat TCP mem"
    say "   (socket buffers), machine-wide: both ends of each loopback connection, the server's too"
    start_redis 20000
    local -a s_per=() r_per=() s_slab=() r_slab=() s_sock=() r_sock=()
    for ((rep = 1; rep <= REPS; rep++)); do
        say "  rep $rep ($(swarm_first "$rep" && echo swarm || echo redis-benchmark) first):"
        if swarm_first "$rep"; then
            memory_swarm "$n"; memory_redis_benchmark "$n"
        else
            memory_redis_benchmark "$n"; memory_swarm "$n"
        fi
        printf '    per connection: swarm RSS %s KiB, kernel %s + %s KiB | redis-benchmark RSS %s KiB, kernel %s + %s KiB\n' \
            "$(fmt 2 "${s_per[-1]}")" "$(fmt 2 "${s_slab[-1]}")" "$(fmt 2 "${s_sock[-1]}")" \
            "$(fmt 2 "${r_per[-1]}")" "$(fmt 2 "${r_slab[-1]}")" "$(fmt 2 "${r_sock[-1]}")"
    done
    record "memory per idle connection at $n (KiB)" "$(median "${s_per[@]}")" "$(median "${r_per[@]}")" \
        "swarm<=$( ((TLS)) && echo 8 || echo 5)" "$(ratios s_per r_per)"
    record "kernel slab per connection (KiB)" "$(median "${s_slab[@]}")" \
        "$(median "${r_slab[@]}")" - "$(ratios s_slab r_slab)"
    record "kernel socket buffers per conn. (KiB)" "$(median "${s_sock[@]}")" \
        "$(median "${r_sock[@]}")" -
    stop_redis
}

# ---------------------------------------------------------------------------------------------
# connect
# ---------------------------------------------------------------------------------------------

# time_connect PID N LABEL: T0 is when the client was started. Waits for the first connection,
# then for all N. CONNECT_S = start to all N, FIRST_S = start to the first one (the client's own
# start-up, apart from the connect rate).
CONNECT_S=- FIRST_S=-
time_connect() {
    local pid=$1 n=$2 label=$3
    wait_count redis_clients '>=' 1 60 "$pid" || die "$label opened no connection (log: $LOG)"
    FIRST_S=$(calc '(t1 - t0) / 1e6' t0="$T0" t1="$NOW")
    wait_count redis_clients '>=' "$n" 120 "$pid" || die "$label opened $COUNT of $n connections (log: $LOG)"
    CONNECT_S=$(calc '(t1 - t0) / 1e6' t0="$T0" t1="$NOW")
}

bench_connect() {
    local n=$CONNECT_CONNECTIONS rep s_first
    say ""
    say "== connect: time to open $n connections at once (swarm alone) =="
    say "   from the client's start (fork) until redis' connected_clients reaches $n (INFO every ${POLL_S}s)"
    say "   swarm --connect-spread 0 --connections $n. No reference: redis-benchmark sleeps 50 ms every"
    say "   64 connections by design (with and without -I), so its time would measure its sleeps"
    start_redis 20000
    local -a s_time=()
    for ((rep = 1; rep <= REPS; rep++)); do
        wait_ports "$n"
        now_us; T0=$NOW
        start_swarm "$CLIENT_CPUS" -r "127.0.0.1:$REDIS_PORT" -s "$ROOT/scripts/redis-idle.yml" \
            -p "$ROOT/protocols" --threads 1 --connect-spread 0 --connections "$n" --duration 1h
        time_connect "$SWARM_PID" "$n" swarm
        s_time+=("$CONNECT_S") s_first=$FIRST_S
        stop_client "$SWARM_PID"
        printf '  rep %d: swarm %ss (%s conn/s; first after %ss)\n' \
            "$rep" "$(fmt 3 "${s_time[-1]}")" "$(fmt 0 "$(calc 'n / s' n="$n" s="${s_time[-1]}")")" \
            "$(fmt 3 "$s_first")"
    done
    local sm
    sm=$(median "${s_time[@]}")
    record "connect $n at once (s, lower is better)" "$sm" - 'swarm<=2'
    record "connect $n at once (conn/s)" "$(calc 'n / s' n="$n" s="$sm")" - -

    # --ramp: the rate between 10 % and 90 % of the connections (start-up and the tail excluded).
    local r=$RAMP_RATE rn=$RAMP_CONNECTIONS lo hi t10 t90 rate timeout_s
    lo=$((rn / 10)) hi=$((rn * 9 / 10))
    timeout_s=$((rn * 3 / r + 60))
    say "   --ramp $r --connections $rn: rate = connections from 10 % to 90 % of $rn / the time it took"
    local -a s_rate=()
    for ((rep = 1; rep <= REPS; rep++)); do
        wait_ports "$rn"
        start_swarm "$CLIENT_CPUS" -r "127.0.0.1:$REDIS_PORT" -s "$ROOT/scripts/redis-idle.yml" \
            -p "$ROOT/protocols" --threads 1 --connect-spread 0 --ramp "$r" --connections "$rn" \
            --duration 1h
        wait_count redis_clients '>=' "$lo" "$timeout_s" "$SWARM_PID" || die "swarm --ramp: $COUNT of $lo connections"
        t10=$NOW
        wait_count redis_clients '>=' "$hi" "$timeout_s" "$SWARM_PID" || die "swarm --ramp: $COUNT of $hi connections"
        t90=$NOW
        stop_client "$SWARM_PID"
        rate=$(calc '(h - l) * 1e6 / (t9 - t1)' h="$hi" l="$lo" t1="$t10" t9="$t90")
        s_rate+=("$rate")
        printf '  rep %d: swarm --ramp %s: %s conn/s (%+.1f %%)\n' "$rep" "$r" "$(fmt 0 "$rate")" \
            "$(calc '(x / r - 1) * 100' x="$rate" r="$r")"
    done
    rate=$(median "${s_rate[@]}")
    record "ramp $r/s: measured rate (conn/s)" "$rate" "$r" -
    record "ramp $r/s: error (%)" "$(calc '(x / r - 1) * 100' x="$rate" r="$r")" - '|swarm|<=5'
    stop_redis
}

# ---------------------------------------------------------------------------------------------
# threads
# ---------------------------------------------------------------------------------------------

bench_threads() {
    if ! command -v memcached >/dev/null; then
        # Not silent: the figures are printed as not measured, and the smoke test (CI) fails.
        ((SMOKE == 0)) || die "memcached is not installed (apt-get install memcached): the threads row cannot run"
        say ""
        say "== threads: NOT MEASURED, memcached is not installed (apt-get install memcached) =="
        warn "threads: memcached is not installed; its figures are not measured"
        record "memcached --threads 2 vs 1 (req/s)" - - -
        record "memcached --threads 2 vs 1 (req per CPU-s)" - - -
        return 0
    fi
    local n=$THREADS_CONNECTIONS rep t
    say ""
    say "== threads: swarm --threads 1 vs --threads 2, $n connections, against memcached -t 2 =="
    say "   scenario $THREADS_SCENARIO: a set, then 99 gets, no sleeps; req/s = memcached's"
    say "   cmd_get + cmd_set (its stats) over ${THREADS_SECONDS}s from ${THREADS_WARMUP}s after all are up"
    say "   swarm on cpus $THREADS_CLIENT_CPUS, memcached on cpus $THREADS_SERVER_CPUS"
    if [[ $THREADS_CLIENT_CPUS == "$THREADS_SERVER_CPUS" ]]; then
        say "   NOTE: only $NCPU cores here: client and server share them, so the second swarm thread"
        say "   competes with memcached's threads; the ratio understates what 2 free cores would give"
    fi
    start_memcached "$THREADS_SERVER_CPUS"
    local -a rate1=() rate2=() cpu1=() cpu2=() srv1=() srv2=()
    local order
    for ((rep = 1; rep <= REPS; rep++)); do
        order="1 2"
        swarm_first "$rep" || order="2 1"   # alternate which one meets the server first
        for t in $order; do
            start_swarm "$THREADS_CLIENT_CPUS" -r "127.0.0.1:$MC_PORT" -s "$THREADS_SCENARIO" \
                -p "$BENCH_DIR" --threads "$t" --connections "$n" --connect-spread 0 \
                --duration "$((${THREADS_SECONDS%.*} + ${THREADS_WARMUP%.*} + 120))s"
            wait_count mc_clients '>=' "$n" 60 "$SWARM_PID" || die "swarm opened $COUNT of $n connections to memcached (log: $LOG)"
            measure_window "$SWARM_PID" mc_requests "$THREADS_WARMUP" "$THREADS_SECONDS" "$MC_PID"
            reap "$SWARM_PID" 15
            drain_memcached
            if ((t == 1)); then
                rate1+=("$RATE") cpu1+=("$PER_CPU") srv1+=("$SERVER_CPU")
            else
                rate2+=("$RATE") cpu2+=("$PER_CPU") srv2+=("$SERVER_CPU")
            fi
        done
        printf '  rep %d (--threads %s first): --threads 1 %8s req/s %8s req/CPU-s srv %3s %% | --threads 2 %8s req/s %8s req/CPU-s srv %3s %% | speed-up %s\n' \
            "$rep" "${order%% *}" "$(fmt 0 "${rate1[-1]}")" "$(fmt 0 "${cpu1[-1]}")" "$(fmt 0 "${srv1[-1]}")" \
            "$(fmt 0 "${rate2[-1]}")" "$(fmt 0 "${cpu2[-1]}")" "$(fmt 0 "${srv2[-1]}")" \
            "$(fmt 2 "$(calc 'a / b' a="${rate2[-1]}" b="${rate1[-1]}")")"
    done
    # Here the "reference" is swarm itself with one thread: the ratio is the speed-up of two.
    # memcached -t 2 can use two cores: its CPU is in % of one core.
    record "memcached --threads 2 vs 1 (req/s)" "$(median "${rate2[@]}")" "$(median "${rate1[@]}")" - \
        "$(ratios rate2 rate1)"
    record "memcached --threads 2 vs 1 (req per CPU-s)" "$(median "${cpu2[@]}")" "$(median "${cpu1[@]}")" - \
        "$(ratios cpu2 cpu1)"
    record "memcached --threads 2 vs 1 (server CPU %)" "$(median "${srv2[@]}")" "$(median "${srv1[@]}")" -
    stop_memcached
}

# ---------------------------------------------------------------------------------------------
# durian, parser: real scripts (generators that read their replies, a custom JavaScript parser)
# ---------------------------------------------------------------------------------------------

# start_demo: the embedded demo server (durian), in a swarm of its own without connections pinned
# to SERVER_CPUS, so that the client's CPU is the client's alone. Sets DEMO_PID and DEMO_PORT.
DEMO_PID= DEMO_PORT=
start_demo() {
    local i
    next_log demo-server
    spawn demo-server "$LOG" taskset -c "$SERVER_CPUS" "$SWARM" --headless --status-interval 0 \
        --listen 127.0.0.1:0 --connections 0 -s "$BENCH_DIR/durian.yml" -p "$ROOT/protocols"
    DEMO_PID=$SPAWNED_PID
    for ((i = 0; i < 200; i++)); do   # up to 10 s to listen
        DEMO_PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) (no --server given.*/\1/p' "$LOG" | head -1)
        [[ -z $DEMO_PORT ]] || return 0
        is_running "$DEMO_PID" || die "the demo server's swarm exited at start: $(tail -5 "$LOG")"
        sleep 0.05
    done
    die "the demo server's swarm printed no address in 10 s ($LOG)"
}

# COUNT = the requests the client swarm has completed (its console's stats json).
swarm_requests() {
    console_cmd "stats json" "{"
    COUNT=$(json_get totals.requests <<<"$REPLY")
    [[ $COUNT =~ ^[0-9]+$ ]] || die "no totals.requests in swarm's stats json: $REPLY"
}

bench_durian() {
    say ""
    say "== durian: the demo protocol's login, then says with no sleeps (bench/durian.yml): generators"
    say "   that read and check every answer and keep the token in client.vars. The embedded demo"
    say "   server runs in a swarm of its own on cpu $SERVER_CPUS (srv: its CPU); req = the client's own"
    say "   count (stats json) over ${TP_SECONDS}s from ${TP_WARMUP}s after its first C replies; no reference client =="
    start_demo
    local c rep
    for c in $TP_CONNECTIONS; do
        local -a rate=() cpu=() srv=()
        for ((rep = 1; rep <= REPS; rep++)); do
            start_swarm "$CLIENT_CPUS" -r "127.0.0.1:$DEMO_PORT" -s "$BENCH_DIR/durian.yml" \
                -p "$ROOT/protocols" --threads 1 --connections "$c" --connect-spread 0 \
                --duration "$((${TP_SECONDS%.*} + ${TP_WARMUP%.*} + 120))s"
            console_open "$SWARM_PID" "$LOG"
            wait_count swarm_requests '>=' "$c" 60 "$SWARM_PID" || die "swarm completed $COUNT requests in 60 s (log: $LOG)"
            measure_window "$SWARM_PID" swarm_requests "$TP_WARMUP" "$TP_SECONDS" "$DEMO_PID"
            close_fd CFD
            reap "$SWARM_PID" 15
            rate+=("$RATE") cpu+=("$PER_CPU") srv+=("$SERVER_CPU")
            printf '  C=%-5s rep %d: %7s req/s %7s req/CPU-s demo server %3s %%\n' "$c" "$rep" \
                "$(fmt 0 "$RATE")" "$(fmt 0 "$PER_CPU")" "$(fmt 0 "$SERVER_CPU")"
        done
        record "durian C=$c (req/s)" "$(median "${rate[@]}")" - -
        record "durian C=$c (req per client CPU-s)" "$(median "${cpu[@]}")" - -
        record "durian C=$c (server CPU %)" "$(median "${srv[@]}")" - -
    done
    reap "$DEMO_PID" 10
}

# parser: memcached gets read by the native parser and by a custom JavaScript one, alternated.
bench_parser() {
    if ! command -v memcached >/dev/null; then
        ((SMOKE == 0)) || die "memcached is not installed (apt-get install memcached): the parser row cannot run"
        warn "parser: memcached is not installed; its figures are not measured"
        record "custom parser vs native (req per client CPU-s)" - - -
        record "custom parser vs native (req/s)" - - -
        return 0
    fi
    local n=$THREADS_CONNECTIONS rep kind
    say ""
    say "== parser: a set then 99 gets, no sleeps, $n connections against memcached, swarm --threads 1;"
    say "   each get read by the native swarm.line('END\\r\\n') (bench/memcached.yml) or by the custom"
    say "   JavaScript parser of bench/memcached.js (bench/memcached-parser.yml, five calls a reply),"
    say "   in alternating order; req = memcached's cmd_get + cmd_set; the reference is the native parser =="
    start_memcached "$SERVER_CPUS"
    local -a n_rate=() n_cpu=() c_rate=() c_cpu=()
    for ((rep = 1; rep <= REPS; rep++)); do
        local order="custom native"
        swarm_first "$rep" || order="native custom"
        for kind in $order; do
            local yml=memcached.yml
            [[ $kind == native ]] || yml=memcached-parser.yml
            start_swarm "$CLIENT_CPUS" -r "127.0.0.1:$MC_PORT" -s "$BENCH_DIR/$yml" -p "$BENCH_DIR" \
                --threads 1 --connections "$n" --connect-spread 0 \
                --duration "$((${THREADS_SECONDS%.*} + ${THREADS_WARMUP%.*} + 120))s"
            wait_count mc_clients '>=' "$n" 60 "$SWARM_PID" || die "swarm opened $COUNT of $n connections to memcached (log: $LOG)"
            measure_window "$SWARM_PID" mc_requests "$THREADS_WARMUP" "$THREADS_SECONDS" "$MC_PID"
            reap "$SWARM_PID" 15
            drain_memcached
            if [[ $kind == native ]]; then n_rate+=("$RATE") n_cpu+=("$PER_CPU"); else c_rate+=("$RATE") c_cpu+=("$PER_CPU"); fi
        done
        printf '  rep %d (%s first): native %8s req/s %8s req/CPU-s | custom %8s req/s %8s req/CPU-s | ratio %s\n' \
            "$rep" "${order%% *}" "$(fmt 0 "${n_rate[-1]}")" "$(fmt 0 "${n_cpu[-1]}")" \
            "$(fmt 0 "${c_rate[-1]}")" "$(fmt 0 "${c_cpu[-1]}")" \
            "$(fmt 2 "$(calc 'a / b' a="${c_cpu[-1]}" b="${n_cpu[-1]}")")"
    done
    # issue 17: the custom parser keeps at least half the native parser's requests per CPU-second.
    record "custom parser vs native (req per client CPU-s)" "$(median "${c_cpu[@]}")" \
        "$(median "${n_cpu[@]}")" 'ratio>=0.5' "$(ratios c_cpu n_cpu)"
    record "custom parser vs native (req/s)" "$(median "${c_rate[@]}")" "$(median "${n_rate[@]}")" - \
        "$(ratios c_rate n_rate)"
    stop_memcached
}

# ---------------------------------------------------------------------------------------------
# soak
# ---------------------------------------------------------------------------------------------

bench_soak() {
    local n=$SOAK_CONNECTIONS samples i elapsed t0 c0 c1 current errors setup_errors
    local min_clients max_new_errors=0 rss_first='' rss_last='' rss_max=0 ok=1 growth
    local -a ramp=()
    samples=$(awk -v s="$SOAK_SECONDS" -v i="$SOAK_INTERVAL" 'BEGIN { n = (i > 0) ? int(s / i + 0.5) : 1; print (n < 1) ? 1 : n }')
    ((SOAK_RAMP == 0)) || ramp=(--ramp "$SOAK_RAMP")
    say ""
    say "== soak: $n heartbeating connections (a PING every 5-10 s) for ${SOAK_SECONDS}s =="
    say "   opened at ${SOAK_RAMP} per second (0: all at once) from --source-ip $SOAK_SOURCE_IPS (loopback:"
    say "   beyond about half the ephemeral port range per source address, each connect() makes the"
    say "   kernel scan its port table, milliseconds on swarm's worker thread)"
    say "   then every ${SOAK_INTERVAL}s: redis' connected_clients, swarm's connections and errors (console"
    say "   stats json), swarm's RSS. Pass: none lost, no new error, RSS within ${SOAK_RSS_TOLERANCE} % of the first sample"
    start_redis 19900
    start_swarm "$CLIENT_CPUS" -r "127.0.0.1:$REDIS_PORT" -s "$ROOT/scripts/redis-idle.yml" \
        -p "$ROOT/protocols" --threads 1 --connect-spread 0 --connections "$n" "${ramp[@]}" \
        --source-ip "$SOAK_SOURCE_IPS" --duration "$((${SOAK_SECONDS%.*} + 900))s"
    wait_count redis_clients '>=' "$n" $((SOAK_RAMP > 0 ? n * 2 / SOAK_RAMP + 120 : 300)) "$SWARM_PID" \
        || die "swarm opened $COUNT of $n connections (log: $LOG)"
    console_open "$SWARM_PID" "$LOG"
    sleep 1.5   # stats json holds the figures of the last one-second interval
    console_cmd "stats json" '{'
    read -r setup_errors < <(json_get totals.errors <<<"$REPLY")
    is_number "$setup_errors" || die "no totals.errors in swarm's stats json"
    say "   all $n connected; swarm's errors while connecting: $setup_errors"
    min_clients=$n
    redis_commands; c0=$COUNT; now_us; t0=$NOW
    printf '  %8s %10s %10s %10s %10s\n' elapsed_s server swarm new_errors rss_kib
    for ((i = 1; i <= samples; i++)); do
        sleep "$SOAK_INTERVAL"
        is_running "$SWARM_PID" || die "swarm exited during the soak (log: $LOG)"
        redis_clients
        console_cmd "stats json" '{'
        read -r current errors < <(json_get connections.current totals.errors <<<"$REPLY")
        is_number "$errors" || die "no totals.errors in swarm's stats json"
        errors=$((errors - setup_errors))
        rss_kib "$SWARM_PID"
        now_us
        elapsed=$(calc '(t - t0) / 1e6' t="$NOW" t0="$t0")
        printf '  %8s %10s %10s %10s %10s\n' "$(fmt 0 "$elapsed")" "$COUNT" "$current" "$errors" "$RSS"
        ((COUNT >= min_clients)) || min_clients=$COUNT
        ((COUNT == n)) || ok=0
        [[ $current == "$n" ]] || ok=0
        ((errors == 0)) || ok=0
        ((errors <= max_new_errors)) || max_new_errors=$errors
        [[ -n $rss_first ]] || rss_first=$RSS
        rss_last=$RSS
        ((RSS <= rss_max)) || rss_max=$RSS
    done
    redis_commands; c1=$COUNT; now_us
    close_fd CFD
    stop_client "$SWARM_PID"
    growth=$(calc '(m - f) * 100 / f' m="$rss_max" f="$rss_first")
    say "   heartbeats counted by redis: $(fmt 0 "$(calc '(c1 - c0) * 1e6 / (t - t0)' c1="$c1" c0="$c0" t="$NOW" t0="$t0")") PING/s" \
        "(one per connection every 7.5 s on average: ~$((n * 2 / 15)))"
    say "   lowest connected_clients: $min_clients of $n; most new errors: $max_new_errors; RSS first $rss_first KiB," \
        "last $rss_last KiB, peak $rss_max KiB (+$(fmt 1 "$growth") %)"
    record "soak $n: lowest connected / target" "$min_clients" "$n" 'ratio>=1'
    record "soak $n: errors while connecting" "$setup_errors" - 'swarm<=0'
    record "soak $n: errors during the soak" "$max_new_errors" - 'swarm<=0'
    record "soak $n: RSS growth (%)" "$growth" - "swarm<=$SOAK_RSS_TOLERANCE"
    stop_redis
    if ((ok)) && [[ $(calc 'g <= t' g="$growth" t="$SOAK_RSS_TOLERANCE") == 1 ]]; then
        say "   soak: PASS"
    else
        say "   soak: FAIL"
        SOAK_FAILED=1
    fi
}

# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------

SWARM=${SWARM:-}
KEEP_LOGS=0 STRICT=0 QUICK=0 SOAK_FAILED=0
benchmarks=()
while (($# > 0)); do
    case $1 in
        --swarm) (($# >= 2)) || { usage >&2; exit 2; }; SWARM=$2; shift 2 ;;
        --swarm=*) SWARM=${1#*=}; shift ;;
        --reps) (($# >= 2)) || { usage >&2; exit 2; }; REPS=$2; shift 2 ;;
        --io) (($# >= 2)) || { usage >&2; exit 2; }; IOS=$2; shift 2 ;;
        --reps=*) REPS=${1#*=}; shift ;;
        --quick) QUICK=1; shift ;;
        --strict) STRICT=1; shift ;;
        --keep-logs) KEEP_LOGS=1; shift ;;
        -h | --help) usage; exit 0 ;;
        throughput | generator | durian | parser | latency | memory | connect | threads | soak | tls | metrics | fleet | scale | all | smoke)
            benchmarks+=("$1"); shift ;;
        *) printf 'unknown argument: %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done
((${#benchmarks[@]} > 0)) || benchmarks=(all)

SMOKE=0
for b in "${benchmarks[@]}"; do [[ $b != smoke ]] || SMOKE=1; done
((SMOKE == 0)) || QUICK=1

NCPU=$(getconf _NPROCESSORS_ONLN)
PAGE_KIB=$(($(getconf PAGESIZE) / 1024))
CLK_TCK=$(getconf CLK_TCK)
POLL_S=${POLL_S:-0.02}

# Defaults: the full suite, or (--quick, smoke) a run of seconds with small counts. The
# environment wins over both.
if ((QUICK)); then
    : "${REPS:=1}" "${TP_CONNECTIONS:=5 50}" "${TP_SECONDS:=1}" "${TP_WARMUP:=0.3}"
    : "${LAT_SECONDS:=1}" "${LAT_CALIBRATION:=2000}"
    : "${MEM_CONNECTIONS:=200}" "${MEM_SETTLE:=0.5}"
    : "${CONNECT_CONNECTIONS:=300}" "${RAMP_RATE:=1000}" "${RAMP_CONNECTIONS:=500}"
    : "${THREADS_CONNECTIONS:=10}" "${THREADS_SECONDS:=1}" "${THREADS_WARMUP:=0.3}"
    : "${SOAK_CONNECTIONS:=300}" "${SOAK_SECONDS:=3}" "${SOAK_INTERVAL:=1}"
    : "${MET_CONNECTIONS:=200}" "${MET_SECONDS:=2}" "${MET_WARMUP:=0.5}"
    : "${FLEET_AGENTS:=4}" "${FLEET_CONNECTIONS:=400}" "${FLEET_SECONDS:=3}" "${FLEET_UP_TIMEOUT:=60}"
    : "${SCALE_CONNECTIONS:=200}" "${SCALE_SECONDS:=2}" "${SCALE_WARMUP:=0.5}"
    : "${SCALE_GEN_CONNECTIONS:=20}" "${SCALE_GEN_SECONDS:=1}"
else
    : "${REPS:=3}" "${TP_CONNECTIONS:=50 1000}" "${TP_SECONDS:=10}" "${TP_WARMUP:=2}"
    : "${LAT_SECONDS:=10}" "${LAT_CALIBRATION:=20000}"
    : "${MEM_CONNECTIONS:=10000}" "${MEM_SETTLE:=5}"
    : "${CONNECT_CONNECTIONS:=10000}" "${RAMP_RATE:=2000}" "${RAMP_CONNECTIONS:=10000}"
    : "${THREADS_CONNECTIONS:=100}" "${THREADS_SECONDS:=10}" "${THREADS_WARMUP:=2}"
    : "${SOAK_SECONDS:=600}" "${SOAK_INTERVAL:=30}"
    : "${MET_CONNECTIONS:=10000}" "${MET_SECONDS:=10}" "${MET_WARMUP:=2}"
    : "${FLEET_AGENTS:=4}" "${FLEET_CONNECTIONS:=60000}" "${FLEET_SECONDS:=30}" "${FLEET_UP_TIMEOUT:=300}"
    : "${SCALE_CONNECTIONS:=10000}" "${SCALE_SECONDS:=20}" "${SCALE_WARMUP:=3}"
    : "${SCALE_GEN_CONNECTIONS:=1000}" "${SCALE_GEN_SECONDS:=10}"
fi
: "${SCALE_THREADS:=2}" "${SCALE_QPA:=xvfb}"
: "${SOAK_SOURCE_IPS:=127.0.0.1-127.0.0.2}" "${SOAK_RAMP:=2000}"
: "${SOAK_RSS_TOLERANCE:=5}" "${THREADS_SCENARIO:=$BENCH_DIR/memcached.yml}"
: "${CLIENT_CPUS:=0}" "${SERVER_CPUS:=$((NCPU > 1 ? 1 : 0))}" "${SERVER_BOUND:=90}"
# threads: with 4 cores or more, two for swarm and two for memcached; otherwise both share all.
if ((NCPU >= 4)); then
    : "${THREADS_CLIENT_CPUS:=0,1}" "${THREADS_SERVER_CPUS:=2,3}"
else
    : "${THREADS_CLIENT_CPUS:=0-$((NCPU - 1))}" "${THREADS_SERVER_CPUS:=0-$((NCPU - 1))}"
fi
: "${SCALE_GEN_CLIENT_CPUS:=$THREADS_CLIENT_CPUS}" "${SCALE_GEN_SERVER_CPUS:=$THREADS_SERVER_CPUS}"
[[ $SCALE_QPA == xvfb || $SCALE_QPA == offscreen ]] || { echo "SCALE_QPA must be xvfb or offscreen" >&2; exit 2; }

# Checks of the settings: whole numbers where bash computes with them.
for v in REPS MEM_CONNECTIONS CONNECT_CONNECTIONS RAMP_RATE RAMP_CONNECTIONS THREADS_CONNECTIONS MET_CONNECTIONS FLEET_AGENTS FLEET_CONNECTIONS FLEET_UP_TIMEOUT SCALE_CONNECTIONS SCALE_THREADS SCALE_GEN_CONNECTIONS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { printf '%s must be a whole number >= 1, not "%s"\n' "$v" "${!v}" >&2; exit 2; }
done
for v in TP_SECONDS TP_WARMUP LAT_SECONDS MEM_SETTLE THREADS_SECONDS THREADS_WARMUP SOAK_SECONDS SOAK_INTERVAL MET_SECONDS MET_WARMUP FLEET_SECONDS SCALE_SECONDS SCALE_WARMUP SCALE_GEN_SECONDS; do
    [[ ${!v} =~ ^[0-9]+([.][0-9]+)?$ ]] || { printf '%s must be a number of seconds, not "%s"\n' "$v" "${!v}" >&2; exit 2; }
done
((MEM_CONNECTIONS >= 2)) || { echo "MEM_CONNECTIONS must be at least 2" >&2; exit 2; }

# The programs needed. A missing one ends the run with 77 ("cannot run here"), or, for the smoke
# test (the ctest bench_smoke, in CI), with 1: there a missing tool is a failure, never a skip.
missing() {
    ((SMOKE == 0)) || die "$*"
    skip "$*"
}
for p in redis-server redis-benchmark taskset awk getconf; do
    command -v "$p" >/dev/null || missing "$p is not installed (Debian: apt-get install redis-server util-linux gawk)"
done
((SMOKE == 0)) || command -v memcached >/dev/null || missing "memcached is not installed (Debian: apt-get install memcached)"
((BASH_VERSINFO[0] >= 5)) || missing "bash 5 or newer is needed (EPOCHREALTIME)"

# The swarm binary: the default one is built when missing.
if [[ -z $SWARM ]]; then
    SWARM=$ROOT/build-bench/app/swarm
    if [[ ! -x $SWARM ]]; then
        say "building $SWARM (Release, no GUI, no tests)"
        cmake -S "$ROOT" -B "$ROOT/build-bench" -G Ninja -DSWARM_BUILD_GUI=OFF -DSWARM_BUILD_TESTS=OFF \
            -DCMAKE_BUILD_TYPE=Release >/dev/null
        cmake --build "$ROOT/build-bench" -j"$NCPU" --target swarm >/dev/null
    fi
fi
[[ -x $SWARM ]] || { printf 'no swarm binary at %s\n' "$SWARM" >&2; exit 2; }

# Open files: clients and server each need one per connection. Raise our soft limit to the hard
# one (children inherit it; redis-benchmark does not raise its own).
hard=$(ulimit -Hn)
[[ $hard != unlimited ]] || hard=$(cat /proc/sys/fs/nr_open)
ulimit -Sn "$hard" 2>/dev/null || warn "could not raise the open-files limit to $hard"
: "${SOAK_CONNECTIONS:=$((hard - 200 < 19800 ? hard - 200 : 19800))}"
[[ $SOAK_CONNECTIONS =~ ^[1-9][0-9]*$ ]] || { echo "SOAK_CONNECTIONS must be a whole number >= 1" >&2; exit 2; }
[[ $SOAK_RAMP =~ ^[0-9]+$ ]] || { echo "SOAK_RAMP must be a whole number (0: all at once)" >&2; exit 2; }
need=0
for b in "${benchmarks[@]}"; do
    case $b in
        memory) ((MEM_CONNECTIONS <= need)) || need=$MEM_CONNECTIONS ;;
        tls) for x in "$MEM_CONNECTIONS" "$CONNECT_CONNECTIONS"; do ((x <= need)) || need=$x; done ;;
        metrics) ((MET_CONNECTIONS <= need)) || need=$MET_CONNECTIONS ;;
        scale) ((SCALE_CONNECTIONS <= need)) || need=$SCALE_CONNECTIONS ;;
        fleet) share=$((FLEET_CONNECTIONS / FLEET_AGENTS))   # each process holds only its share
               ((share <= need)) || need=$share ;;
        connect) ((CONNECT_CONNECTIONS <= need)) || need=$CONNECT_CONNECTIONS
                 ((RAMP_CONNECTIONS <= need)) || need=$RAMP_CONNECTIONS ;;
        all) for x in "$MEM_CONNECTIONS" "$CONNECT_CONNECTIONS" "$RAMP_CONNECTIONS"; do ((x <= need)) || need=$x; done ;;
        soak | smoke) ((SOAK_CONNECTIONS <= need)) || need=$SOAK_CONNECTIONS ;;
    esac
done
if ((need + 100 > $(ulimit -Sn))); then
    printf 'the open-files limit (%s) is too low for %s connections: raise the hard limit (ulimit -Hn)\n' \
        "$(ulimit -Sn)" "$need" >&2
    exit 2
fi
((SOAK_CONNECTIONS <= 19890)) || { echo "SOAK_CONNECTIONS: at most 19890 (redis --maxclients 19900)" >&2; exit 2; }
# Linux picks a connect()'s port among the even ones of the ephemeral range first: beyond about half
# of it per source address and server address, every connect() scans the port table (milliseconds),
# which would measure the kernel, not the client. The single-source benchmarks stay below that.
read -r port_low port_high </proc/sys/net/ipv4/ip_local_port_range
half_range=$(((port_high - port_low + 1) / 2))
for v in MEM_CONNECTIONS CONNECT_CONNECTIONS RAMP_CONNECTIONS MET_CONNECTIONS SCALE_CONNECTIONS; do
    ((${!v} <= half_range)) || warn "$v=${!v} is above half the ephemeral port range ($half_range): connect() slows down in the kernel"
done

# shellcheck source=bench/tls.sh
source "$BENCH_DIR/tls.sh"
# shellcheck source=bench/metrics.sh
source "$BENCH_DIR/metrics.sh"
# shellcheck source=bench/fleet.sh
source "$BENCH_DIR/fleet.sh"
# shellcheck source=bench/scale.sh
source "$BENCH_DIR/scale.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/swarm-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The script's own polling (a bash reading INFO, `sleep`) runs on the server's cpu: the client's
# cpu is the client's alone.
taskset -p -c "$SERVER_CPUS" $$ >/dev/null 2>&1 || true

read -r load _ </proc/loadavg
say "swarm bench: $("$SWARM" --version 2>/dev/null | head -1 || echo "$SWARM"); $(redis-server --version | cut -d' ' -f1-3)"
say "machine: $NCPU cpus, $(uname -sr), load average $load; client cpu $CLIENT_CPUS, server cpu $SERVER_CPUS;" \
    "medians of $REPS; open files $(ulimit -Sn)"
((NCPU >= 2)) || warn "one cpu: client and server share it; figures are not comparable with the references"
if [[ $(calc 'l > 0.5' l="$load") == 1 ]]; then
    warn "load average $load: the machine is busy, the figures are unreliable"
fi

run() {
    case $1 in
        throughput) bench_throughput ;;
        generator) bench_generator ;;
        durian) bench_durian ;;
        parser) bench_parser ;;
        latency) bench_latency ;;
        memory) bench_memory ;;
        connect) bench_connect ;;
        threads) bench_threads ;;
        soak) bench_soak ;;
        tls) bench_tls ;;
        metrics) bench_metrics ;;
        fleet) bench_fleet ;;
        scale) bench_scale ;;
        all) bench_throughput; bench_generator; bench_durian; bench_parser; bench_latency; bench_memory
             bench_connect; bench_threads ;;
        smoke) bench_throughput; bench_generator; bench_durian; bench_parser; bench_latency; bench_memory
               bench_connect; bench_threads; bench_soak; bench_scale ;;
    esac
}
started=$SECONDS
# Each benchmark on each transport in turn (the reference runs again in each: it is measured in
# the same conditions as the swarm figure it is compared with).
for b in "${benchmarks[@]}"; do
    for IO in ${IOS:-epoll qt}; do
        say "== transport: --io $IO"
        run "$b"
    done
done
print_summary
say "done in $((SECONDS - started))s"

status=0
if ((SMOKE)); then
    # The smoke test checks the script, not swarm: every figure must be a number.
    bad=0
    for line in "${RESULTS[@]}"; do
        IFS=$'\t' read -r name swarm ref _ <<<"$line"
        if ! is_number "$swarm" || { [[ $ref != - ]] && ! is_number "$ref"; }; then
            printf 'smoke: figure "%s" is not a number (swarm "%s", reference "%s")\n' "$name" "$swarm" "$ref" >&2
            bad=1
        fi
    done
    # per transport: throughput 6, generator 6, durian 6, parser 2, latency 2, memory 3, connect 4,
    # threads 3, soak 4, scale 8 (throughput, generator and durian: 3 for each of the two C in
    # smoke mode)
    expected=$((44 * $(wc -w <<<"${IOS:-epoll qt}")))
    ((${#RESULTS[@]} >= expected)) || { printf 'smoke: %d figures, expected %d at least\n' "${#RESULTS[@]}" "$expected" >&2; bad=1; }
    ((bad == 0)) || status=1
    ((bad == 1)) || say "smoke: OK, ${#RESULTS[@]} figures"
else
    ((SOAK_FAILED == 0)) || status=1
    ((STRICT == 0 || MISSED == 0)) || status=1
fi
exit "$status"

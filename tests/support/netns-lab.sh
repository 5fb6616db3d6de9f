#!/usr/bin/env bash
# A lab of N "hosts" on one machine for multi-host tests: each host a network namespace with its
# own address in 198.18.0.0/15 (set aside for network benchmark tests, RFC 2544), all joined by a
# bridge in a namespace of its own (PREFIX-sw). The machine's own network is never touched: no
# interface, address or route is added outside the lab's namespaces.
#
#   netns-lab.sh up PREFIX N          PREFIX-sw (the switch) and PREFIX-1 … PREFIX-N; host i has
#                                     198.18.0.i/24 on its veth PREFIXhI (N at most 250)
#   netns-lab.sh down PREFIX          ends the processes still inside the lab's namespaces (by
#                                     PID: only the lab's users start processes there), then
#                                     removes every namespace PREFIX-* (their veths go with them)
#                                     and the hosts' own /etc files (/etc/netns/PREFIX-*, which
#                                     `ip netns exec` mounts over /etc: NetnsLab::setHostsFile)
#   netns-lab.sh exec PREFIX I CMD…   runs CMD on host I (ip netns exec PREFIX-I CMD…)
#
# Root only (CI runs as root). PREFIX: letters and digits, at most 10 characters (interface names
# are limited to 15) and unique per test run. tests/support/NetnsLab.* drives this script.
set -euo pipefail
usage() {
    echo "usage: netns-lab.sh up PREFIX N | down PREFIX | exec PREFIX I CMD..." >&2
    exit 2
}
cmd=${1:-}
prefix=${2:-}
if [ -z "$cmd" ] || [ -z "$prefix" ]; then usage; fi
[[ "$prefix" =~ ^[A-Za-z0-9]{1,10}$ ]] || { echo "netns-lab.sh: bad PREFIX '$prefix'" >&2; exit 2; }

lab_namespaces() {
    ip netns list | awk '{ print $1 }' | grep -E "^${prefix}-(sw|[0-9]+)\$" || true
}

up() {
    local n=$1 sw=$prefix-sw i host
    if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 250 ]; then usage; fi
    ip netns add "$sw"
    ip -n "$sw" link add br0 type bridge
    ip -n "$sw" link set br0 up
    ip -n "$sw" link set lo up
    for i in $(seq 1 "$n"); do
        host=$prefix-$i
        ip netns add "$host"
        # Both ends are made in the switch's namespace, then one moves to the host's: nothing
        # appears in the machine's own namespace, even for a moment.
        ip -n "$sw" link add "${prefix}h$i" type veth peer name "${prefix}s$i"
        ip -n "$sw" link set "${prefix}h$i" netns "$host"
        ip -n "$sw" link set "${prefix}s$i" master br0
        ip -n "$sw" link set "${prefix}s$i" up
        ip -n "$host" link set lo up
        ip -n "$host" addr add "198.18.0.$i/24" dev "${prefix}h$i"
        ip -n "$host" link set "${prefix}h$i" up
    done
}

down() {
    local ns pid
    for ns in $(lab_namespaces); do
        for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
    done
    for ns in $(lab_namespaces); do ip netns del "$ns"; done
    for ns in /etc/netns/"$prefix"-*; do
        if [ -d "$ns" ]; then rm -rf -- "$ns"; fi
    done
}

case "$cmd" in
    up) up "${3:-}" ;;
    down) down ;;
    exec)
        host=${3:-}
        if ! [[ "$host" =~ ^[0-9]+$ ]] || [ $# -lt 4 ]; then usage; fi
        shift 3
        exec ip netns exec "$prefix-$host" "$@" ;;
    *) usage ;;
esac

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Filter table benchmark (issue 3), run inside one VM by
# `make bench-mtf-filters`:
#
#   client (10.0.1.1) --veth-- (10.0.1.254) router (10.0.2.254) --veth-- (10.0.2.1) server
#
# 1. Bulk install rate and memory: N two-slot filters with
#    build/bench/mtf_filters_install (kernel side only, no CLI parsing),
#    memory from MemAvailable before/after.
# 2. Forwarding of 64-byte UDP (iperf3 -u -b 0 -l 64) through the router:
#      plain    no module
#      nft N    no module, an nftables hash set of N addresses looked up
#               in the forward hook for every packet (no match)
#      mtf N    mtf.ko marking at the router (border-ingress on eth0,
#               strip-egress on eth1) and N filters of the same
#               (suffix length, prefix length) class as the traffic, so
#               every packet probes the table (no match)
#    nft runs alternate with plain runs; mtf runs go 0, 1k, 100k, 1M
#    filters (installed cumulatively, flushed between rounds, since a
#    million filters cannot come and go for every run).  All is repeated
#    ROUNDS times; ratios are against the mean plain rate, with min..max
#    over the rounds.  The filters (slot addresses in 10.200/16) never
#    match the traffic, whose one slot is the router's.
#
# Environment: ROUNDS (3), SECS (5), SIZES ("1000 100000 1000000").

. "$(dirname "$0")/../selftests/lib.sh"

ROUNDS=${ROUNDS:-3}
SECS=${SECS:-5}
SIZES=${SIZES:-"1000 100000 1000000"}
INSTALL=$TOP/build/bench/mtf_filters_install

require_root
require_modules mtf
require_cmd ip iperf3 jq nft

cleanup() {
	[ -n "${server:-}" ] && ip netns pids "$server" 2>/dev/null | xargs -r kill 2>/dev/null
	cleanup_all_ns
	mod_unload mtf
}
trap cleanup EXIT

declare -A rates

# One measurement: received packets per second at the server.
measure() {	# label
	local j pps
	j=$(ip netns exec "$client" iperf3 -c 10.0.2.1 -u -b 0 -l 64 -t "$SECS" -J 2>/dev/null)
	pps=$(jq -r '.end.sum | ((.packets - .lost_packets) / .seconds) | floor' <<<"$j")
	rates[$1]="${rates[$1]:-} $pps"
	echo "# $1: $pps pps"
}

summary() {	# label baseline-label
	awk -v l="$1" -v a="${rates[$1]}" -v b="${rates[$2]}" 'BEGIN {
		nb = split(b, B, " "); for (i = 1; i <= nb; i++) sb += B[i]; mb = sb / nb
		n = split(a, A, " "); mn = 1e18; mx = 0
		for (i = 1; i <= n; i++) { r = A[i] / mb; s += r; if (r < mn) mn = r; if (r > mx) mx = r }
		printf "%-12s %8.0f pps  ratio %.3f (%.3f..%.3f, %d runs)\n", l, s * mb / n, s / n, mn, mx, n }'
}

start_server() {
	ip netns exec "$server" iperf3 -s -D -B 10.0.2.1 >/dev/null
	busywait 5000 ip netns exec "$server" sh -c 'ss -ltn | grep -q ":5201"'
}

nft_set() {	# size
	local n=$1
	ip netns exec "$router" nft flush ruleset
	[ "$n" -gt 0 ] || return 0
	{
		echo "table ip b {"
		echo "	set s { type ipv4_addr; size $((n + 1)); }"
		echo "	chain f { type filter hook forward priority 0; ip saddr @s drop; }"
		echo "}"
		awk -v n="$n" 'BEGIN { for (i = 0; i < n; i += 1000) {
			printf "add element ip b s { "
			for (j = i; j < i + 1000 && j < n; j++)
				printf "%s172.%d.%d.%d", (j > i ? ", " : ""), 16 + int(j / 65536) % 16, int(j / 256) % 256, j % 256
			print " }" } }'
	} | ip netns exec "$router" nft -f - 2>&1 | head -c 300
}

echo "# kernel $(uname -r), $(nproc) vCPUs, ${SECS}s runs, $ROUNDS rounds"
setup_line3 || exit 1
start_server

# --- phase 1: no module ---------------------------------------------------
for r in $(seq "$ROUNDS"); do
	measure plain
	for n in $SIZES; do
		nft_set "$n"
		measure "nft-$n"
		nft_set 0
		measure plain
	done
done

# --- phase 2: mtf.ko --------------------------------------------------------
mod_load mtf || exit 1
M() { ip netns exec "$router" "$MTFCTL" "$@"; }
M dev eth0 set border-ingress on >/dev/null
M dev eth1 set strip-egress on >/dev/null
M config set filter-max 2000000 >/dev/null

echo "# install (kernel side, 1-slot filters, 256 KiB messages):"
for n in $SIZES; do
	avail0=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
	ip netns exec "$router" "$INSTALL" "$n" 1 10.0.2.1 | sed 's/^/#   /'
	avail1=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
	echo "#   memory: $(( (avail0 - avail1) * 1024 / n )) bytes per filter (MemAvailable)"
	M filter flush
done

for r in $(seq "$ROUNDS"); do
	M filter flush >/dev/null
	measure mtf-0
	have=0
	for n in $SIZES; do
		ip netns exec "$router" "$INSTALL" $((n - have)) 1 10.0.2.1 256 0 "$have" >/dev/null || exit 1
		have=$n
		measure "mtf-$n"
	done
done
M -j status | jq -c '.stats | {hdr_inserted, filter_matched}' | sed 's/^/# router: /'
# Unmarked packets never reach the filter table: say so rather than
# report lookup costs that were not measured.
[ "$(M -j status | jq .stats.hdr_inserted)" -gt 0 ] ||
	echo "# WARNING: the router inserted no path header; the mtf rows measure the module's hooks without marking or filter lookups"

echo "# results (ratio to plain forwarding without the module):"
summary plain plain
for n in $SIZES; do summary "nft-$n" plain; done
summary mtf-0 plain
for n in $SIZES; do summary "mtf-$n" plain; done

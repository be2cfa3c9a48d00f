#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Filter table benchmark (issue 3), run inside one VM by
# `make bench-mtf-filters` (or selftests/vm/run ... -- bench/mtf_filters.sh):
#
#   client --- R1 ------------------- R2 -------------------------- server
#   10.0.1.1   10.0.1.254  10.0.3.1   10.0.3.254  10.0.2.254       10.0.2.1
#              eth0        eth1       eth0        eth1             eth0
#              border-ingress         border-ingress, strip-egress (eth1)
#              (inserts the header)   (writes slot 1, filters a 2-slot
#                                      suffix, strips towards the server)
#
# Traffic: pktgen in R1 ("xmit_mode netif_receive" on R1's eth0, as if
# the client had sent it), one 64-byte-frame UDP flow 10.0.1.1 ->
# 10.0.2.2.  10.0.2.2 is a static neighbour on R2 pointing at the server's
# MAC; the server (not forwarding) drops it in routing, cheaply.  The
# pktgen thread runs the whole path (R1 synchronously, R2 and the server
# from the softirq at its local_bh_enable) on CPU 0: a closed loop, no
# queue overflows; everything else here is pinned to CPU 1.  The rate is
# the server's eth0 rx_packets over SECS seconds.
#
# Configurations (same topology):
#   plain     no module loaded, no nftables base chain
#   nft-N     no module; in R2 a forward-hook chain "ip saddr . ip daddr
#             @s drop" with a hash set of N saddr . daddr elements (none
#             match the traffic); the sets are loaded once at the start,
#             only the chain is added / deleted
#   mtf-N     mtf.ko: R1 inserts the header (hdr_inserted), R2 writes its
#             slot and looks the 2-slot suffix up among N filters of the
#             same class (k 2, src *, dst 10.0.2.2; slots 10.200/16, so
#             none matches), then strips it
# Each round: plain, nft-1k, plain, nft-100k, plain, nft-1M, plain,
# insmod, mtf-0, (install) mtf-1k, mtf-100k, mtf-1M, mtf-1M with random
# sources, rmmod, plain, plain with random sources.
# Ratios are per round against the mean of that round's plain runs;
# reported: median and min..max over the rounds.
#
# Before the rounds: a sanity check that one filter matching the
# traffic's real path (marks from "mtfctl mark get") drops all of it.
#
# Environment: ROUNDS (5), SECS (4), SIZES ("1000 100000 1000000"),
# PKT_SIZE (64, Ethernet frame without FCS).  Results are also written as
# a table to $VM_OUT/mtf_filters.txt when VM_OUT is set.

. "$(dirname "$0")/../selftests/lib.sh"
. "$(dirname "$0")/fwd_topo.lib"

ROUNDS=${ROUNDS:-5}
SECS=${SECS:-4}
SIZES=${SIZES:-"1000 100000 1000000"}
INSTALL=$TOP/build/bench/mtf_filters_install

require_root
require_modules mtf
require_cmd ip nft jq taskset modprobe
[ -x "$INSTALL" ] || skip_all "$INSTALL not built (make tools)"

# Control work stays off CPU 0, where pktgen and the forwarding run.
[ "$(nproc --all)" -ge 2 ] && taskset -p -c 1-$(($(nproc --all) - 1)) $$ >/dev/null

trap fwd_cleanup EXIT

log() { echo "# $*"; }

fwd_topo_setup || exit 1

# Backlog overflows (all CPUs): 6.1 defers softirqs to ksoftirqd once it
# runs, and pktgen can then outrun the forwarding; 6.12 does not.
backlog_drops() {
	local a d s=0
	while read -r a d _; do s=$((s + 16#$d)); done < /proc/net/softnet_stat
	echo $s
}

declare -A rates ROUND
PLAIN_ROUND=()

# Run pktgen for SECS seconds (after 0.5 s of warm-up) and record the
# server's receive rate under $1.
measure() {	# label
	local r0 r1 t0 t1 d0 d1 pps pid
	fwd_pktgen_start &
	pid=$!
	sleep 0.5
	r0=$(rx); t0=$(date +%s%N); d0=$(backlog_drops)
	sleep "$SECS"
	r1=$(rx); t1=$(date +%s%N); d1=$(backlog_drops)
	fwd_pktgen_stop
	wait $pid 2>/dev/null
	pps=$(( (r1 - r0) * 1000000000 / (t1 - t0) ))
	rates[$1]="${rates[$1]:-} $pps"
	ROUND[$1]="${ROUND[$1]:-} $round:$pps"
	[ "$1" = plain ] && PLAIN_ROUND[$round]="${PLAIN_ROUND[$round]:-} $pps"
	log "round $round $1: $pps pps${d1:+ (backlog drops $((d1 - d0)))}"
}

# ------------------------------------------------------- nftables sets ---
fmt() {	# 1000 -> 1k, 1000000 -> 1M
	if (($1 >= 1000000 && $1 % 1000000 == 0)); then echo "$(($1 / 1000000))M"
	elif (($1 >= 1000 && $1 % 1000 == 0)); then echo "$(($1 / 1000))k"
	else echo "$1"; fi
}

nft_load() {	# size
	local n=$1 t=b$1 i c=200000 t0=$SECONDS
	ip netns exec "$R2" nft "add table ip $t; add set ip $t s { type ipv4_addr . ipv4_addr; size $((n + 1)); }" || return 1
	# In chunks: one transaction of a million elements takes nft a lot
	# of memory.
	for ((i = 0; i < n; i += c)); do
		awk -v t="$t" -v a="$i" -v b="$((i + c < n ? i + c : n))" -v d="$DST" 'BEGIN {
			for (i = a; i < b; i += 1000) {
				printf "add element ip %s s { ", t
				for (j = i; j < i + 1000 && j < b; j++)
					printf "%s172.%d.%d.%d . %s", (j > i ? ", " : ""), 16 + int(j / 65536) % 16, int(j / 256) % 256, j % 256, d
				print " }" } }' | ip netns exec "$R2" nft -f - || return 1
	done
	log "nft: loaded $(fmt "$n") elements in $((SECONDS - t0)) s"
}
nft_on() { ip netns exec "$R2" nft "add chain ip b$1 f { type filter hook forward priority 0; }; add rule ip b$1 f ip saddr . ip daddr @s drop"; }
nft_off() { ip netns exec "$R2" nft "delete chain ip b$1 f"; }

# ----------------------------------------------------------------- mtf ---
M1() { ip netns exec "$R1" "$MTFCTL" "$@"; }
M2() { ip netns exec "$R2" "$MTFCTL" "$@"; }

mtf_up() {
	mod_load mtf || return 1
	M1 dev eth0 set border-ingress on >/dev/null &&
	M2 dev eth0 set border-ingress on >/dev/null &&
	M2 dev eth1 set strip-egress on >/dev/null &&
	M2 config set filter-max 2000000 >/dev/null
}

# Random sources (one of 254 per packet), as in a spoofed flood.  The
# filters here are "src *", so the source is not part of the key of
# mtf's per-CPU memo of the last lookup (filter_int.h).
rnd_src() {	# on|off
	if [ "$1" = on ]; then
		fwd_pg eth0 "src_max 10.0.1.254" && fwd_pg eth0 "flag IPSRC_RND"
	else
		fwd_pg eth0 "src_max 10.0.1.1" && fwd_pg eth0 "flag !IPSRC_RND"
	fi
}

mtf_stats() {	# tag
	log "$1: R1 $(M1 -j status | jq -c '.stats | {hdr_inserted, headroom_expand, filter_matched}')"
	log "$1: R2 $(M2 -j status | jq -c '.stats | {slot_written, stripped_egress, filter_matched, filter_dropped, drop_full}')"
}

# --------------------------------------------------------------- start ---
log "kernel $(uname -r), $(nproc --all) vCPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB," \
    "${SECS}s runs, $ROUNDS rounds, pktgen netif_receive $PKT_SIZE-byte frames"
round=0

# Sanity: the path really is marked, and one matching filter drops it.
mtf_up || exit 1
m1=$(M1 -j mark get $DST | jq -r .mark)
m2=$(M2 -j mark get $DST | jq -r .mark)
measure sanity-pass
M2 filter add "10.0.1.254/$m1,10.0.3.254/$m2" dst $DST drop permanent >/dev/null || exit 1
measure sanity-drop
mtf_stats sanity
log "sanity filter: $(M2 filter show)"
read -r pass <<<"${rates[sanity-pass]}"; read -r dropped <<<"${rates[sanity-drop]}"
if [ "$(M1 -j status | jq .stats.hdr_inserted)" -gt 0 ] && [ "$pass" -gt 0 ] &&
   [ "$dropped" -eq 0 ] && [ "$(M2 -j status | jq .stats.filter_dropped)" -gt 0 ]; then
	log "sanity: OK (marked by R1, $pass pps without the filter, $dropped pps with the matching 2-slot filter)"
else
	log "sanity: FAILED"; exit 1
fi
mod_unload mtf

for n in $SIZES; do nft_load "$n" || exit 1; done

ALL_LABELS="plain"
for n in $SIZES; do ALL_LABELS+=" nft-$n"; done
ALL_LABELS+=" mtf-0"
for n in $SIZES; do ALL_LABELS+=" mtf-$n"; done

for round in $(seq "$ROUNDS"); do
	measure plain
	for n in $SIZES; do
		nft_on "$n"; measure "nft-$n"; nft_off "$n"
		measure plain
	done
	mtf_up || exit 1
	measure mtf-0
	have=0
	for n in $SIZES; do
		out=$(ip netns exec "$R2" "$INSTALL" $((n - have)) 2 $DST 256 0 "$have") || exit 1
		[ "$round" = 1 ] && log "install $((n - have)) (to $(fmt "$n")): $out"
		have=$n
		measure "mtf-$n"
	done
	rnd_src on || exit 1
	measure "mtf-$have-rndsrc"
	rnd_src off || exit 1
	mtf_stats "round $round"
	[ "$(M1 -j status | jq .stats.hdr_inserted)" -gt 0 ] || { log "ERROR: R1 inserted no header"; exit 1; }
	avail0=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
	t0=$SECONDS
	mod_unload mtf
	[ "$round" = 1 ] && log "rmmod with $(fmt "$have") filters: $((SECONDS - t0)) s, freed $(( ($(awk '/MemAvailable/ { print $2 }' /proc/meminfo) - avail0) / 1024 )) MiB"
	measure plain
	rnd_src on || exit 1
	measure plain-rndsrc
	rnd_src off || exit 1
done

# -------------------------------------------------------------- report ---
# ratio_line LABEL RUNS BASES: median (min..max) of run / base of the same
# round; RUNS and BASES are "round:pps" lists.
ratio_line() {
	awk -v l="$1" -v a="$2" -v b="$3" '
	BEGIN {
		m = split(b, B, " "); for (i = 1; i <= m; i++) { split(B[i], x, ":"); base[x[1]] = x[2] }
		n = split(a, A, " "); k = 0
		for (i = 1; i <= n; i++) { split(A[i], x, ":"); if (base[x[1]] > 0) r[++k] = x[2] / base[x[1]] }
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
		med = k % 2 ? r[(k + 1) / 2] : (r[k / 2] + r[k / 2 + 1]) / 2
		printf "%-20s %.3f (%.3f..%.3f)\n", l, med, r[1], r[k] }'
}

{
echo "kernel $(uname -r), $(nproc --all) vCPUs (qemu TCG), pktgen netif_receive in R1, $PKT_SIZE-byte UDP frames, R1 -> R2 -> server"
echo "$ROUNDS rounds of ${SECS}s; ratio = run / mean of the same round's plain runs; median (min..max) over rounds"
printf '%-12s %10s %10s   %-22s %s\n' config "median pps" "min..max" "ratio vs plain" "per-round pps"
for l in $ALL_LABELS; do
	awk -v l="$l" -v a="${ROUND[$l]}" -v pr="$(for r in $(seq "$ROUNDS"); do echo -n "$r:${PLAIN_ROUND[$r]} |"; done)" '
	function med(arr, n,   i, j, t) {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
		return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
	BEGIN {
		np = split(pr, P, "|")
		for (i = 1; i <= np; i++) { if (split(P[i], x, ":") < 2) continue
			m = split(x[2], v, " "); s = 0; for (j = 1; j <= m; j++) s += v[j]; if (m) base[x[1] + 0] = s / m }
		n = split(a, A, " "); k = 0; list = ""
		for (i = 1; i <= n; i++) { split(A[i], x, ":"); r = x[1] + 0; p = x[2] + 0
			k++; pps[k] = p; rat[k] = p / base[r]; list = list " " p }
		mn = 1e18; mx = 0; rmn = 1e18; rmx = 0
		for (i = 1; i <= k; i++) { if (pps[i] < mn) mn = pps[i]; if (pps[i] > mx) mx = pps[i]
			if (rat[i] < rmn) rmn = rat[i]; if (rat[i] > rmx) rmx = rat[i] }
		printf "%-12s %10d %10s   %.3f (%.3f..%.3f)   %s\n", l, med(pps, k), mn ".." mx, med(rat, k), rmn, rmx, list }'
done
echo
echo "filter cost alone (like nft-N vs plain above): mtf-N / mtf-0 of the same round; median (min..max)"
for n in $SIZES; do
	ratio_line "mtf-$n / mtf-0" "${ROUND[mtf-$n]}" "${ROUND[mtf-0]}"
done
echo
echo "random sources (spoofed flood; the src * filters ignore them): run / plain-rndsrc of the same round; median (min..max)"
ratio_line "mtf-$have-rndsrc" "${ROUND[mtf-$have-rndsrc]}" "${ROUND[plain-rndsrc]}"
} | tee ${VM_OUT:+"$VM_OUT/mtf_filters.txt"}

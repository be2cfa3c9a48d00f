#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154  # namespace names come from setup_ns
#
# Demo scenario mtf-fp: the MTF paper's false-positive ratio (seed 004,
# 5.2, Figure 9) on the real modules and daemons.  The paper fixes 5000
# clients, picks 1 to 4101 of them at random as attackers and counts the
# legitimate clients MTF takes for attackers: its victim blocks whole
# attack paths, so every innocent client behind a gateway that also
# carries an attacker is blocked with it.
#
# Here: DEMO_FP_CLIENTS clients (default 1000) spread evenly over
# DEMO_FP_GATEWAYS border gateways e1..eK on R3 (selftests/mtfd_topo.lib,
# mtfd_topo_edges), each a source address of its gateway's prefix, sent
# from one namespace with spoofed sources.  Per point (a number of
# attackers, drawn at random with DEMO_SEED):
#
#   reset       R3's and the gateways' mtfd restarted, their filters and
#               V's path table flushed
#   attack      the attackers flood V (DEMO_FP_ATTACK_PPS in all, round
#               robin over them: an attacker's gateway carries its share)
#   policy      V's mtfd on (threshold DEMO_FP_POLICY_PPS per path
#               suffix): R3 filters the suffixes above it at once and
#               asks their gateways, which filter after the handshake;
#               waited for (DEMO_FP_SETTLE s at least) until R3's
#               handshakes hold still with none pending
#   FN window   DEMO_FP_WINDOW s, attack on: attack packets and sources
#               seen before the gateways (dist) and at V
#   probe       attack off, V's policy off (the filters stay: Tlong), so
#               the probe cannot add any: every legitimate client sends
#               one packet (DEMO_FP_PROBE_PPS); seen before the gateways
#               and at V, and the filters' drop counters meanwhile
#
# Counted with nftables in dist and V (prerouting, before anything else:
# per-source sets and packet counters, legitimate and attack apart) and
# mtf.ko's filter counters (drops).  A legitimate client is a false
# positive when none of its packets reached V; with the attack off the
# only thing between dist and V that drops is a filter, which the drop
# counters confirm (filter_drops == legitimate packets lost).
#
# Results: DEMO_OUT/mtf-fp.jsonl, one "case" line per point.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/mtfd_topo.lib"
. "$TOP/demo/common.sh"

N=${DEMO_FP_CLIENTS:-1000}
K=${DEMO_FP_GATEWAYS:-8}
POINTS=${DEMO_FP_ATTACKERS:-1 2 5 10 20 50 100 250 500 820}
ATTACK_PPS=${DEMO_FP_ATTACK_PPS:-1000}
MTFD_POLICY_PPS=${DEMO_FP_POLICY_PPS:-50}
PROBE_PPS=${DEMO_FP_PROBE_PPS:-1000}
SETTLE=${DEMO_FP_SETTLE:-3}
# The policy goes on this long after the attack starts.
T_POLICY=${DEMO_FP_T_POLICY:-1}
WINDOW=${DEMO_FP_WINDOW:-2}
SEED=${DEMO_SEED:-42}

[ "$K" -ge 1 ] && [ "$K" -le 60 ] || { echo "DEMO_FP_GATEWAYS: 1..60" >&2; exit 2; }
[ "$N" -ge "$K" ] && [ "$N" -le $((K * 60000)) ] ||
	{ echo "DEMO_FP_CLIENTS: $K..$((K * 60000))" >&2; exit 2; }
for n in $POINTS; do
	[ "$n" -ge 0 ] && [ "$n" -lt "$N" ] || { echo "DEMO_FP_ATTACKERS: 0..$((N - 1))" >&2; exit 2; }
done

TMP=$(mktemp -d)
trap mtfd_topo_cleanup EXIT
demo_begin mtf-fp

say "testbed: R3 and V of Figure 5 (selftests/mtfd_topo.lib) and $K border gateways on R3 with $N clients"
{ mtfd_topo_setup core && mtfd_topo_edges "$K"; } 2>"$TMP/setup.err" || { cat "$TMP/setup.err"; exit 1; }
say "testbed up in $SECONDS s"

# The clients: client i behind gateway i % K + 1 ("ADDR GATEWAY").
awk -v n="$N" -v k="$K" 'BEGIN { for (i = 0; i < n; i++) { g = i % k + 1; j = int(i / k)
	printf "10.%d.%d.%d %d\n", 64 + g, int(j / 250), j % 250 + 1, g } }' >"$TMP/clients"

# nftables in dist (before the gateways) and in V (before mtf.ko): the
# clients' packets, attack (@att) and legitimate apart.
for ns in "$dist" "$v"; do
	ip netns exec "$ns" nft -f - <<'EON' || exit 1
table ip fp {
	counter att { }
	counter leg { }
	set att { type ipv4_addr; size 65536; }
	set seen_att { type ipv4_addr; size 65536; flags dynamic; }
	set seen_leg { type ipv4_addr; size 65536; flags dynamic; }
	chain pre {
		type filter hook prerouting priority -300;
		ip saddr != 10.64.0.0/10 return
		ip saddr @att add @seen_att { ip saddr } counter name "att"
		ip saddr != @att add @seen_leg { ip saddr } counter name "leg"
	}
}
EON
done

# snap NS: nftables' table there as JSON (parsed by nftsum at the end:
# fewer processes per point, each slow under emulation).
snap() { ip netns exec "$1" nft -j list table ip fp; }
# unseen NS: forget the sources seen and the packets counted so far.
unseen() {
	printf 'flush set ip fp seen_att\nflush set ip fp seen_leg\nreset counters table ip fp\n' |
		ip netns exec "$1" nft -f - >/dev/null
}

# fstate: filters for V now, at the gateways and at R3: which gateways'
# paths are filtered (edge: at the gateway; r3: at R3), how many
# filters, their drops.
fstate() {
	local i
	{
		for i in $(seq "$K"); do
			echo "{\"k\": $i, \"f\": "
			q "${EDGES[i - 1]}" -j filter show
			echo "}"
		done
		echo '{"k": 0, "f": '
		q "$r3" -j filter show
		echo "}"
	}
}
# The jq definitions that read what snap and fstate wrote: nftsum gives
# {att, leg (packets so far), seen_att, seen_leg (sources since the last
# unseen)}, fsum {edge, r3 (the gateways whose path is filtered there),
# filters, drops} of the filters for V.
JQDEFS='
def nftsum: [.nftables[]] as $o |
	def pk($c): [$o[].counter? | select(. and .name == $c) | .packets] | add // 0;
	def el($s): [$o[].set? | select(. and .name == $s) | .elem[]? | if type == "object" then .elem.val else . end];
	{att: pk("att"), leg: pk("leg"), seen_att: el("seen_att"), seen_leg: el("seen_leg")};
def fsum($v): map(.k as $k | .f[] | select(.dst == $v) |
		{k: (if $k > 0 then $k else (.slots[0].addr | split(".")[2] | tonumber) end),
		 at: (if $k > 0 then "edge" else "r3" end), drops: (.drops // 0)}) |
	{edge: ([.[] | select(.at == "edge") | .k] | unique),
	 r3: ([.[] | select(.at == "r3") | .k] | unique),
	 filters: length, drops: (map(.drops) | add // 0)};'

# reset: R3's and the gateways' mtfd fresh, no filter, V's paths flushed.
DAEMONS=(r3 "${EDGE_NAMES[@]}")
reset() {
	local n
	[ -n "${PID[v]:-}" ] && stop_mtfd v
	for n in "${DAEMONS[@]}"; do
		[ -n "${PID[$n]:-}" ] && stop_mtfd "$n"
		q "${!n}" filter flush || return 1
	done
	# Each point from an empty path table: V's mtfd asks, when it
	# starts, about every path already above its threshold, and the last
	# point's probe left some there.
	q "$v" path flush || return 1
	# All at once, then wait for each: a start takes a while emulated.
	for n in "${DAEMONS[@]}"; do
		ip netns exec "${!n}" "$MTFD" -c "$TMP/$n.conf" >>"$TMP/$n.log" 2>&1 &
		PID[$n]=$!
	done
	for n in "${DAEMONS[@]}"; do
		busywait 20000 ctl "$n" request stats >/dev/null 2>&1 ||
			{ tail -5 "$TMP/$n.log"; fail "mtfd on $n did not start"; return 1; }
	done
}

# settle: after the policy, at least SETTLE s and until R3's handshakes
# (one per filtered path: its gateway, its state) held still for a poll
# with none pending (20 s at most).
settle() {
	local t0=$SECONDS last="" cur
	while [ $((SECONDS - t0)) -lt 20 ]; do
		cur=$(ctl r3 -j request show | jq -c '[.handshakes[]? | [.peer, .state]] | sort')
		[ "$cur" = "$last" ] && [ $((SECONDS - t0)) -ge "$SETTLE" ] &&
			! grep -q '"pending"' <<<"$cur" && break
		last=$cur
		sleep 0.5
	done
}

point() {
	local n=$1 spray t_pol t_set nleg
	local t0=$SECONDS t1 t2
	say "-- $n attacker(s) among $N clients"
	reset || return 1
	t1=$SECONDS
	# Attackers: n of the N clients at random (the seed and n pick them).
	awk -v m="$n" -v seed=$((SEED * 10007 + n)) 'BEGIN { srand(seed) } { a[NR] = $0 }
		END { for (i = NR; i > 1; i--) { j = int(rand() * i) + 1; t = a[i]; a[i] = a[j]; a[j] = t }
		      for (i = 1; i <= NR; i++) print a[i], (i <= m) }' "$TMP/clients" >"$TMP/roles"
	awk '$3 == 1 { print $1 }' "$TMP/roles" >"$TMP/att"
	awk '$3 == 0 { print $1 }' "$TMP/roles" >"$TMP/leg"
	nleg=$(grep -c . "$TMP/leg")
	for ns in "$dist" "$v"; do
		{
			echo "flush set ip fp att"
			[ "$n" = 0 ] || echo "add element ip fp att { $(paste -sd, "$TMP/att") }"
		} | ip netns exec "$ns" nft -f - || return 1
	done

	spray=
	demo_clock_reset
	if [ "$n" -gt 0 ]; then
		ip netns exec "$cl" "$SPRAY" -d $V -f "$TMP/att" -c 0 -r "$ATTACK_PPS" >/dev/null 2>&1 &
		spray=$!
		sleep "$T_POLICY"
	fi
	t_pol=$(demo_t)
	mtfd_topo_policy_on || return 1
	settle
	t_set=$(demo_t)
	t2=$SECONDS

	# False negatives: the attack that still reaches V (counted from 0).
	unseen "$dist" && unseen "$v" || return 1
	echo '{"nftables": []}' | tee "$TMP/d0" >"$TMP/v0"
	sleep "$WINDOW"
	snap "$dist" >"$TMP/d1" && snap "$v" >"$TMP/v1" || return 1
	[ -z "$spray" ] || { kill "$spray"; wait "$spray" 2>/dev/null; }
	stop_mtfd v
	sleep 0.3

	# False positives: one packet from every legitimate client (no
	# legitimate packet was sent before: the window's end is the start).
	cp "$TMP/d1" "$TMP/p0" && cp "$TMP/v1" "$TMP/q0" && fstate >"$TMP/f0" || return 1
	ip netns exec "$cl" "$SPRAY" -d $V -f "$TMP/leg" -c "$nleg" -r "$PROBE_PPS" >/dev/null || return 1
	sleep 0.3
	snap "$dist" >"$TMP/p1" && snap "$v" >"$TMP/q1" && fstate >"$TMP/f1" || return 1

	jq -nc --arg s "$DEMO_NAME" --argjson n "$n" --argjson N "$N" --argjson K "$K" \
		--argjson L "$nleg" --rawfile roles "$TMP/roles" \
		--slurpfile d0 "$TMP/d0" --slurpfile d1 "$TMP/d1" --slurpfile v0 "$TMP/v0" \
		--slurpfile v1 "$TMP/v1" --slurpfile p0 "$TMP/p0" --slurpfile p1 "$TMP/p1" \
		--slurpfile q0 "$TMP/q0" --slurpfile q1 "$TMP/q1" --slurpfile f0 "$TMP/f0" \
		--slurpfile f1 "$TMP/f1" --argjson tp "$t_pol" --argjson ts "$t_set" \
		--argjson pps "$ATTACK_PPS" --argjson thr "$MTFD_POLICY_PPS" --arg V $V "$JQDEFS"'
		($d0[0] | nftsum) as $d0 | ($d1[0] | nftsum) as $d1 | ($v0[0] | nftsum) as $v0 |
		($v1[0] | nftsum) as $v1 | ($p0[0] | nftsum) as $p0 | ($p1[0] | nftsum) as $p1 |
		($q0[0] | nftsum) as $q0 | ($q1[0] | nftsum) as $q1 |
		($f0 | fsum($V)) as $f0 | ($f1 | fsum($V)) as $f1 |
		def ratio($a; $b): if $b > 0 then ($a / $b * 10000 | round / 10000) else null end;
		($roles | split("\n") | map(select(length > 0) | split(" ")) |
		 map({a: .[0], g: (.[1] | tonumber), att: (.[2] == "1")})) as $r |
		([$r[] | select(.att) | .g] | unique) as $ga |
		($f0.edge + $f0.r3 | unique) as $gf |
		([$r[] | select(.att | not)]) as $leg |
		($q1.seen_leg | map({key: ., value: true}) | from_entries) as $got |
		([$leg[] | select($got[.a] | not)]) as $blocked |
		([$leg[] | select([.g] | inside($gf))] | length) as $behind_f |
		([$leg[] | select([.g] | inside($ga))] | length) as $behind_a |
		([$leg[] | select([.g] | inside($gf) | not)]) as $clean |
		{scenario: $s, type: "case", attackers: $n, clients: $N, gateways: $K, legit: $L,
		 attack_pps: $pps, threshold_pps: $thr, t_policy: $tp, t_settled: $ts,
		 gw_attacked: $ga, gw_filtered: $gf, gw_filtered_at_gateway: $f0.edge,
		 filters: $f0.filters,
		 legit_sent: ($p1.leg - $p0.leg), legit_sources_sent: ($p1.seen_leg | length),
		 legit_delivered: ($q1.leg - $q0.leg), legit_sources_delivered: ($q1.seen_leg | length),
		 fp_sources: ($blocked | length), fp_ratio: ratio($blocked | length; $L),
		 fp_pkt_ratio: ratio(($p1.leg - $p0.leg) - ($q1.leg - $q0.leg); $p1.leg - $p0.leg),
		 filter_drops_probe: ($f1.drops - $f0.drops),
		 legit_behind_filtered: $behind_f, legit_behind_attacked: $behind_a,
		 shared_gateway_ratio: ratio($behind_a; $L),
		 clean_blocked: ([$clean[] | select($got[.a] | not)] | length),
		 clean: ($clean | length),
		 fn_att_pkts_sent: ($d1.att - $d0.att), fn_att_pkts_at_v: ($v1.att - $v0.att),
		 fn_pkt_ratio: ratio($v1.att - $v0.att; $d1.att - $d0.att),
		 fn_att_sources_sent: ($d1.seen_att | length), fn_att_sources_at_v: ($v1.seen_att | length),
		 fn_ratio: ratio($v1.seen_att | length; $d1.seen_att | length)}' >>"$DEMO_FILE" || return 1
	tail -1 "$DEMO_FILE" | jq -r '
		"  attacked gateways \(.gw_attacked | length)/\(.gateways), filtered \(.gw_filtered | length) (\(.filters) filters);" +
		" false positives \(.fp_sources)/\(.legit) = \(.fp_ratio) (shared-gateway bound \(.shared_gateway_ratio));" +
		" filter drops in the probe \(.filter_drops_probe), legitimate packets lost \(.legit_sent - .legit_delivered);" +
		" attack reaching V \(.fn_att_pkts_at_v)/\(.fn_att_pkts_sent) packets, \(.fn_att_sources_at_v)/\(.fn_att_sources_sent) sources"'
	say "   (reset $((t1 - t0)) s, attack and policy until settled $((t2 - t1)) s, windows $((SECONDS - t2)) s)"
}

for n in $POINTS; do
	point "$n" || exit 1
done
summary=$(jq -s -c --arg s mtf-fp '[.[] | select(.type == "case")] |
	{scenario: $s, type: "summary", clients: .[0].clients, gateways: .[0].gateways,
	 points: length, fp_max: (map(.fp_ratio) | max), fp_min: (map(.fp_ratio) | min),
	 fn_pkt_max: (map(.fn_pkt_ratio // 0) | max),
	 clean_blocked: (map(.clean_blocked) | add)}' "$DEMO_FILE")
echo "$summary" >>"$DEMO_FILE"

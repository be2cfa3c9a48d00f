#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154  # namespace names come from setup_ns
#
# Demo scenario mtf-s2: the MTF paper's Scenario 2 (seed 004, 5.1.2,
# Figure 7): the attack moves to a second path once the first is blocked.
#
#   t = 0       c2 -> V TCP transfer (iperf3) across V's 2 Mb/s link
#   t = 2 s     A floods V from 1000 sources over [R1, R3]
#   t = 3 s     V's mtfd policy on: R3 filters, asks R1 and warns R4 (the
#               other shortest path from A's network, R3's topology)
#   R1 filters  A moves its flood to its second uplink, [R4, R3]: R4's
#               warned filter drops it there
#   t = 16 s    end
#
# Testbed: selftests/mtfd_topo.lib.  Results: DEMO_OUT/mtf-s2.jsonl.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/mtfd_topo.lib"
. "$TOP/demo/common.sh"
. "$TOP/demo/mtf_goodput.lib"

T_ATTACK=${DEMO_T_ATTACK:-2}
T_POLICY=${DEMO_T_POLICY2:-3}
# The move waits for R1's filter and R4's warned one (up to 13 s on a
# loaded host): 20 s leave samples after it.
MTF_SECONDS=${DEMO_MTF_SECONDS:-20}

TMP=$(mktemp -d)
trap mtfd_topo_cleanup EXIT
demo_begin mtf-s2

r4_attack_filters() {
	q "$r4" -j filter show | jq '[.[] | select(.src == "10.7.0.0/22")] | length'
}

say "testbed: Figure 5 (selftests/mtfd_topo.lib), mtfd on R1, R4, R3"
mtfd_topo_setup 2>"$TMP/setup.err" || { cat "$TMP/setup.err"; exit 1; }
for n in r1:$r1 r4:$r4 r3:$r3; do
	start_mtfd "${n%%:*}" "${n#*:}" || exit 1
done
mtfd_topo_bottleneck || exit 1

say "goodput c2 -> V ($FLOWS TCP connections, MSS $MSS) for ${MTF_SECONDS} s, samples every 0.5 s"
# The meter and the watch first: started after the clock, they delayed
# the attack by 2-3 s on a loaded host.
attack_meter_start || exit 1
filter_watch_start r3 r1 r4
goodput_start
at "$T_ATTACK"
t_att=$(demo_t)
ip netns exec "$a" "$SPRAY" -d $V -s 10.7.0.10 -n "$SOURCES" -c 0 -r "$ATTACK_PPS" -l $((ATTACK_BYTES - 28)) >/dev/null 2>&1 &
SPRAY_A=$!
event "attack: $SOURCES sources over R1, $ATTACK_PPS pps of ${ATTACK_BYTES} B" "$t_att"
at "$T_POLICY"
t_pol=$(demo_t)
event "V's mtfd policy on (threshold ${MTFD_POLICY_PPS} pps)" "$t_pol"
mtfd_topo_policy_on || exit 1
# The attacker moves once R1 blocks it (R3 has R1's confirmation) and R4
# holds the warned filter, or after 8 s and 5 s of waiting for them.
busywait 8000 sh -c "[ \$(MTFD_SOCKET=$TMP/r3.sock $MTFCTL -j request stats | jq .gw_confirmed) -ge 1 ]"
busywait 5000 sh -c "[ \$(MTFD_SOCKET=$TMP/r4.sock $MTFCTL -j request stats | jq .ag_filters) -ge 1 ]"
mtfd_topo_attack_via r4 2>/dev/null
t_move=$(demo_t); event "attack moves to [R4, R3]" "$t_move"
d0=$(fhits "$r4" '.src == "10.7.0.0/22"')
v0=$(attack_pkts)
goodput_finish || exit 1
v1=$(attack_pkts)
attack_meter_finish
filter_watch_finish r3 r1 r4
t_r1=$T_FILTER_R1 t_warn=$T_FILTER_R4
d1=$(fhits "$r4" '.src == "10.7.0.0/22"')
kill "$SPRAY_A"; wait "$SPRAY_A" 2>/dev/null
q "$r4" filter show | sed 's/^/  R4: /'

n4=$(r4_attack_filters)
all4=$(q "$r4" -j filter show | jq length)
before=$(mean_kbps 0.5 "$t_att")
after=$(mean_kbps "$(awk -v t="$t_move" 'BEGIN { print t + 0.5 }')" "$MTF_SECONDS")
att=$(jq -s --argjson m "$t_move" '[.[] | select(.type == "attack" and .t > $m + 1) | .attack_kbps] |
	if length == 0 then null else (add / length | round) end' "$DEMO_FILE")
first=$(jq -s --argjson m "$t_move" '[.[] | select(.type == "sample" and .t > $m)][0].goodput_kbps // null' "$DEMO_FILE")
emit summary --argjson b "$before" --argjson a "$after" --argjson f "$first" \
	--argjson tm "$t_move" --argjson t1 "$t_r1" --argjson tw "$t_warn" \
	--argjson n4 "$n4" --argjson all4 "$all4" --argjson ns "$SOURCES" --argjson d $((d1 - d0)) --argjson att "$att" --argjson vp $((v1 - v0)) \
	'{before_kbps: $b, after_move_kbps: $a, first_after_move_kbps: $f,
	  after_move_pct: (if $b > 0 and $a != null then ($a * 100 / $b | round) else null end),
	  t_r1_filter: $t1, t_r4_warned: $tw, t_move: $tm,
	  r4_filters_for_1000_flows: $n4, r4_filters_total: $all4,
	  r4_drops_after_move: $d, attack_kbps_at_v_after_move: $att,
	  attack_pkts_at_v_after_move: $vp, sources: $ns}'
say "goodput before $before kbit/s, after the move $after kbit/s;" \
	"R4: $n4 filter(s) for the 1000 flows dropped $((d1 - d0)) packets;" \
	"attack reaching V from 1 s after the move: ${att} kbit/s ($((v1 - v0)) packets after the move)"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154  # namespace names come from setup_ns
#
# Demo scenario mtf-s1: the MTF paper's Scenario 1 (seed 004, 5.1.1,
# Figure 6) on the real modules and daemons: goodput at the victim V over
# time while 1000 spoofed sources flood it over one path [R1, R3].
#
#   t = 0       c2 -> V TCP transfer (iperf3) across V's 2 Mb/s link
#   t = 2 s     A floods V from 1000 sources in 10.7.0.0/22 over R1
#               (3000 pps of 200-byte packets: more than twice the link)
#   t = 6 s     V's mtfd policy on: it asks R3, R3 filters at once and
#               asks R1 (handshake), R1 filters near the source
#   t = 16 s    end
#
# Testbed: selftests/mtfd_topo.lib.  Results: DEMO_OUT/mtf-s1.jsonl.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/mtfd_topo.lib"
. "$TOP/demo/common.sh"
. "$TOP/demo/mtf_goodput.lib"

T_ATTACK=${DEMO_T_ATTACK:-2}
T_POLICY=${DEMO_T_POLICY:-6}

TMP=$(mktemp -d)
trap mtfd_topo_cleanup EXIT
demo_begin mtf-s1

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
filter_watch_start r3 r1
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
goodput_finish || exit 1
attack_meter_finish
filter_watch_finish r3 r1
kill "$SPRAY_A"; wait "$SPRAY_A" 2>/dev/null
t_r3=$T_FILTER_R3 t_r1=$T_FILTER_R1
seen() { [ "$1" = null ] || [ -z "$1" ] && echo "not seen" || echo "t=${1}s"; }
say "first filter for V seen at R3 $(seen "$t_r3"), at R1 $(seen "$t_r1") (polled; R3 holds its filter only until R1 takes over)"

r1_filters=$(q "$r1" -j filter show | jq "[.[] | select(.dst == \"$V\")] | length")
before=$(mean_kbps 0.5 "$t_att")
# The fall: the last 2 s before the policy (the flood takes a second or
# two to build up under emulation, and TCP to back off).
t_est=$(awk -v t="$t_pol" 'BEGIN { print t - 2 }')
during=$(mean_kbps "$t_est" "$t_pol")
after=$(mean_kbps $((MTF_SECONDS - 2)) "$MTF_SECONDS")
att_during=$(mean_attack "$t_est" "$t_pol")
att_after=$(mean_attack $((MTF_SECONDS - 2)) "$MTF_SECONDS")
restored=$(restored_at "$t_pol" $((before * 70 / 100)))
emit summary --argjson b "$before" --argjson d "$during" --argjson a "$after" \
	--argjson r "$restored" --argjson p "$t_pol" --argjson ta "$t_att" \
	--argjson t3 "$t_r3" --argjson t1 "$t_r1" --argjson f "$r1_filters" --argjson ns "$SOURCES" \
	--argjson ad "$att_during" --argjson aa "$att_after" \
	'{before_kbps: $b, during_kbps: $d, after_kbps: $a,
	  during_pct: (if $b > 0 and $d != null then ($d * 100 / $b | round) else null end),
	  after_pct: (if $b > 0 and $a != null then ($a * 100 / $b | round) else null end),
	  t_attack: $ta, t_policy: $p, t_r3_filter: $t3, t_r1_filter: $t1,
	  t_restored_70pct: $r, r1_filters_for_1000_sources: $f,
	  attack_kbps_during: $ad, attack_kbps_after: $aa, sources: $ns}'
say "goodput before $before kbit/s, under attack $during kbit/s, last 2 s $after kbit/s;" \
	"70 % of before again at t=${restored}s; R1 holds $r1_filters filter(s) for the 1000 sources"

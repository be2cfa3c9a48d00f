#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600
# once
#
# The direction of every result the papers claim, at a tiny scale, from
# the demo's own scenario scripts (demo/mtf_s1.sh, demo/mtf_s2.sh,
# demo/roam_rt.sh: the same code `make demo` runs, on the same testbeds),
# so a regression in either defense fails `make check`, not only the
# report.  Each scenario writes its JSON lines into a private directory;
# the checks read the summaries.
#
#   MTF Scenario 1 (24 s, policy at 6 s): the flood takes at least 40 %
#     of the goodput; after V's requests goodput is back above K_RESTORE
#     times what it was under attack and above 60 % of what it was
#     before; R1 blocks the 1000 sources with at most the paper's 100
#     filters.  (6.12 forwards less of the flood under emulation: it
#     kept 26-45 % of the goodput where 6.1 kept 10-18 %.)  V's link is
#     1 Mb/s and the flood 3000
#     pps of 400 bytes (~10x): on a loaded host the emulated routers
#     forward fewer packets a second, and with the demo's 2 Mb/s the
#     fall was only 22-43 % in runs beside other VMs.  V's threshold is
#     150 pps: V counts behind its link, which passes at most ~310 of
#     these packets a second (with 1000-byte packets at 2 Mb/s, 250 pps,
#     under the demo's 300: V never asked, nothing was filtered).  "After"
#     is the last 2 s, 16 s after the policy: on a loaded host the policy
#     went on 2-3 s late and TCP came back only when its backed-off
#     retransmission timer fired, past the end of a 15 s run; once
#     R1 filtered only 11 s after the policy.
#   MTF Scenario 2 (14 s): once the attack moves to [R4, R3], R4 holds a
#     filter for it and drops it, and no attack packet reaches V.
#   roaming (one client fetching 5 files back to back in each case, 2 s
#     epochs, links without a token-bucket burst, as NS-2's): the roaming
#     paper claims roaming costs response time without attack and saves
#     it under attack.
#     - Cost: every 4 Mbit transfer (4.3 s, longer than two epochs)
#       migrates, and the median roaming transfer is slower than the
#       median static one: each migration drops what the old link had in
#       flight and reconnects (measured +120-150 ms for 2 migrations, the
#       transfers themselves within +-15 ms but for the first of a case,
#       100-150 ms slower: roam_rt.sh runs one uncounted transfer first,
#       and the check compares medians).  Earlier versions of this test saw
#       no cost, or a gain: with Poisson arrivals transfers shared links
#       (roaming spreads them over three), and a 10 KB tbf burst gave a
#       connection that migrated to an idle link 80 ms of data at once.
#     - Gain: under a 3x UDP flood (1000-byte packets: 375 pps that the
#       emulated routers forward in full) at the server active when it
#       starts, the median roaming transfer is faster than the median
#       static one (measured 1.1-1.2 s against 2.6-3.4 s: the flood takes
#       two thirds of the requests, SYNs and ACKs to the flooded server;
#       roaming clients meet it one epoch in three), and roaming clients
#       were served by servers the attacker did not flood.

. "$(dirname "$0")/lib.sh"

require_root
require_modules mtf roam
require_cmd ip tc jq nft iperf3

# Goodput after the filters over goodput under attack, at least.
K_RESTORE=1.5

OUT=$(mktemp -d /tmp/demo_direction.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

# scenario SCRIPT KNOBS...: one demo scenario, its results in $OUT.
scenario() {
	local s=$1; shift
	env DEMO_OUT="$OUT" "$@" "$TOP/demo/$s"
}
# sum NAME FIELD: a field of the scenario's summary line.
sum() {
	jq -s --arg f "$2" '[.[] | select(.type == "summary")][0][$f]' "$OUT/$1.jsonl"
}
# mean ROAMING ATTACK FIELD: a field of roam-rt's mean line of that case.
mean() {
	jq -s --argjson r "$1" --argjson a "$2" --arg f "$3" \
		'[.[] | select(.type == "mean" and .roaming == $r and .attack == $a)][0][$f]' \
		"$OUT/roam-rt.jsonl"
}
check() {	# what condition(awk) values...
	local what=$1 cond=$2; shift 2
	echo "$what: $*"
	awk -v a="${1:-}" -v b="${2:-}" -v c="${3:-}" "BEGIN { exit !($cond) }" ||
		{ echo "FAIL: $what ($cond)"; return 1; }
}

t_s1() {
	scenario mtf_s1.sh DEMO_MTF_FLOWS=1 DEMO_MTF_SECONDS=24 DEMO_T_ATTACK=1 DEMO_T_POLICY=6 \
		DEMO_ATTACK_BYTES=400 DEMO_MTF_BOTTLENECK=1mbit DEMO_MTF_POLICY_PPS=150
}
t_s1_fall() {
	check "goodput before / under attack (kbit/s)" 'a > 0 && b < 0.6 * a' \
		"$(sum mtf-s1 before_kbps)" "$(sum mtf-s1 during_kbps)"
}
t_s1_restore() {
	check "goodput under attack / last 2 s after the policy / before (kbit/s)" \
		"b > $K_RESTORE * a && b > 0.6 * c" \
		"$(sum mtf-s1 during_kbps)" "$(sum mtf-s1 after_kbps)" "$(sum mtf-s1 before_kbps)"
}
t_s1_filters() {
	check "R1's filters for 1000 sources (paper: 100)" 'a >= 1 && a <= 100' \
		"$(sum mtf-s1 r1_filters_for_1000_sources)"
}

t_s2() {
	scenario mtf_s2.sh DEMO_MTF_FLOWS=1 DEMO_MTF_SECONDS=14 DEMO_T_ATTACK=1 DEMO_T_POLICY2=2
}
t_s2_r4() {
	check "R4's filters for the moved attack, its drops after the move" 'a >= 1 && a <= 100 && b > 0' \
		"$(sum mtf-s2 r4_filters_for_1000_flows)" "$(sum mtf-s2 r4_drops_after_move)"
}
t_s2_v() {
	check "attack packets reaching V after the move" 'a == 0' \
		"$(sum mtf-s2 attack_pkts_at_v_after_move)"
}

ROAM_KNOBS=(DEMO_ROAM_SEQ=1 DEMO_ROAM_N=5 DEMO_ROAM_LOADS=0.9 DEMO_ROAM_INTERVAL=2
	DEMO_ROAM_FILE=f4 DEMO_ROAM_FILE_ATTACK=f1 DEMO_ROAM_ATTACK=3
	DEMO_ROAM_ATTACK_BYTES=1000 DEMO_ROAM_BURST=2kb DEMO_ROAM_TIMEOUT=20000)
t_roam() {
	scenario roam_rt.sh "${ROAM_KNOBS[@]}" || return 1
	jq -c 'select(.type == "drops") | del(.scenario, .type)' "$OUT/roam-rt.jsonl"
	jq -c 'select(.type == "case") | [.roaming, .attack, .ms, .migrations]' "$OUT/roam-rt.jsonl" |
		paste -sd' ' | fold -w 100
}
t_roam_cost() {
	check "no attack: transfers ok static/roaming, fewest migrations of a roaming transfer" \
		'a == 5 && b == 5 && c >= 1' \
		"$(mean false false ok)" "$(mean true false ok)" "$(mean true false min_migrations)" || return 1
	echo "no attack: mean response time static / roaming (ms):" \
		"$(mean false false mean_all_ms) / $(mean true false mean_all_ms)"
	check "no attack: median response time static / roaming (ms)" 'a > 0 && b > a' \
		"$(mean false false median_all_ms)" "$(mean true false median_all_ms)"
}
t_roam_gain() {
	local away
	echo "flood 3x: mean response time static / roaming (ms, timeouts as 20 s):" \
		"$(mean false true mean_all_ms) / $(mean true true mean_all_ms)"
	check "flood 3x: median response time static / roaming (ms, timeouts as 20 s)" \
		'b > 0 && b < a' \
		"$(mean false true median_all_ms)" "$(mean true true median_all_ms)" || return 1
	away=$(jq -s '[.[] | select(.type == "case" and .roaming and .attack) |
		(.attacked) as $a | .servers[] | split(":")[0] | select(. != $a)] | length' "$OUT/roam-rt.jsonl")
	check "flood 3x, roaming: transfers ok, connections to servers not flooded" 'a == 5 && b >= 1' \
		"$(mean true true ok)" "$away"
}


# Beyond both papers (demo/combo.sh, selftests/combo_topo.lib): the pool
# behind MTF gateways, both defenses on, the UDP flood (1.5x, over R1) at
# the server active when it starts; 3 transfers of 1 Mbit at load 0.6,
# the victims' policy at 150 pps (the flood reaches the attacked server
# at up to ~1000 pps while it is active, a client's ACKs at ~45 over
# another path).  Asserted: the attacked server's mtfd asked exactly once
# and R1, the attacker's border router, holds exactly one filter for the
# attacked address and drops the flood there, upstream of the pool; R4,
# the clients' border router, holds none; every transfer finishes; and
# the service roamed during the series (the attack begins just after an
# epoch change; the third arrival is 2.9 s later, its transfer takes ~1 s
# and the counters are read after it, while epochs last at most 4 s: 4
# epochs began in runs on both kernels).  What it cannot assert at this
# scale: which defense is faster (demo/combo.sh's means differ by less
# than their noise with 4 transfers a case).  37-51 s under TCG.
t_combo() {
	scenario combo.sh DEMO_COMBO_N=3 DEMO_COMBO_QUIET=0 DEMO_COMBO_DEFENSES=both \
		DEMO_COMBO_ATTACKS=udp DEMO_COMBO_POLICY_PPS=150 DEMO_COMBO_TIMEOUT=15000 || return 1
	jq -c 'select(.type == "defense") | del(.scenario, .type)' "$OUT/combo.jsonl"
}
# combo_def FIELD: a field of combo's "defense" line.
combo_def() {
	jq -s --arg f "$1" '[.[] | select(.type == "defense")][0][$f]' "$OUT/combo.jsonl"
}
t_combo_mtf() {
	check "both, UDP flood: victims' requests, R1's filters for the attacked server, their drops" \
		'a == 1 && b == 1 && c > 0' \
		"$(combo_def victim_requests)" "$(combo_def r1_filters)" "$(combo_def r1_drops)" || return 1
	check "both, UDP flood: filters at R4 (the clients' border router)" 'a == 0' "$(combo_def r4_filters)"
}
t_combo_roam() {
	check "both, UDP flood: transfers ok, epochs begun during the series" 'a == 3 && b >= 1' \
		"$(jq -s '[.[] | select(.type == "mean")][0].ok' "$OUT/combo.jsonl")" "$(combo_def epochs)"
}

# MTF false positives (the paper's 5.2, Figure 9; ~35 s): 60 clients
# behind 2 gateways, 1 then 12 attackers among them.  The paper: as soon
# as the victim detects an attack it blocks the whole attack path, so the
# legitimate clients behind the attackers' gateway are blocked with them
# (the false positives), and good traffic from other gateways gets
# through.  Asserted: with one attacker, exactly the legitimate clients
# behind its gateway are blocked (none elsewhere), and the filters'
# drop counters account for every legitimate packet lost; with 12 (every
# gateway carries some) the ratio rises to at least 0.9, never above the
# share of legitimate clients behind attacked gateways, and at most 1 %
# of the attack still reaches V.  (The paper's later fall of the ratio,
# once gateways throttle the attackers one by one, is not there: a
# spoofed flow stays filtered for Tlong; Documentation/demo.md.)
t_fp() {
	scenario mtf_fp.sh DEMO_FP_CLIENTS=60 DEMO_FP_GATEWAYS=2 DEMO_FP_ATTACKERS="1 12" \
		DEMO_FP_WINDOW=1 DEMO_FP_SETTLE=1 DEMO_FP_T_POLICY=0.5
}
# fpc ATTACKERS FIELD: a field of mtf-fp's case line for that point.
fpc() {
	jq -s --argjson n "$1" --arg f "$2" \
		'[.[] | select(.type == "case" and .attackers == $n)][0][$f]' "$OUT/mtf-fp.jsonl"
}
t_fp_path() {
	check "1 attacker: legitimate clients blocked / behind its gateway / blocked elsewhere" \
		'a > 0 && a == b && c == 0' \
		"$(fpc 1 fp_sources)" "$(fpc 1 legit_behind_attacked)" "$(fpc 1 clean_blocked)" || return 1
	check "1 attacker: filter drops in the probe / legitimate packets lost" 'a > 0 && a == b' \
		"$(fpc 1 filter_drops_probe)" \
		"$(jq -s '[.[] | select(.type == "case" and .attackers == 1)][0] | .legit_sent - .legit_delivered' "$OUT/mtf-fp.jsonl")"
}
t_fp_grow() {
	check "false-positive ratio at 1 / 12 attackers, bound at 12" 'b > a && b >= 0.9 && b <= c' \
		"$(fpc 1 fp_ratio)" "$(fpc 12 fp_ratio)" "$(fpc 12 shared_gateway_ratio)" || return 1
	check "12 attackers: attack packets reaching V / sent in the window" 'b > 100 && a <= 0.01 * b' \
		"$(fpc 12 fn_att_pkts_at_v)" "$(fpc 12 fn_att_pkts_sent)"
}

ktap_header 16
run_test "mtf-s1 runs (24 s, policy at 6 s)" t_s1
run_test "mtf-s1: the flood takes at least 40 % of the goodput" t_s1_fall
run_test "mtf-s1: goodput restored after the requests (> $K_RESTORE x under attack)" t_s1_restore
run_test "mtf-s1: R1 blocks 1000 sources with 1..100 filters" t_s1_filters
run_test "mtf-s2 runs (14 s, the attack moves to [R4, R3])" t_s2
run_test "mtf-s2: the second path is blocked at R4" t_s2_r4
run_test "mtf-s2: no attack packet reaches V over the second path" t_s2_v
run_test "roam-rt runs (4 cases x 5 transfers back to back)" t_roam
run_test "roam-rt: without attack every 4 Mbit transfer migrates, and roaming is slower" t_roam_cost
run_test "roam-rt: under a 3x flood roaming is faster, served away from the flood" t_roam_gain
run_test "combo runs (pool behind MTF gateways, both defenses, UDP flood)" t_combo
run_test "combo: the flood is filtered at R1, upstream of the pool, not the clients' path" t_combo_mtf
run_test "combo: every transfer finishes and the service roams" t_combo_roam
run_test "mtf-fp runs (60 clients, 2 gateways, 1 and 12 attackers)" t_fp
run_test "mtf-fp: one attacker blocks exactly the clients behind its gateway" t_fp_path
run_test "mtf-fp: more attackers, more false positives, up to the shared-gateway share" t_fp_grow
ktap_finish

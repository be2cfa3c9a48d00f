#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154  # namespace names come from setup_ns
#
# Demo scenario mtf-id: packets V needs to identify an attack path (the
# MTF paper's 5.2, Figure 8: one for MTF, where probabilistic packet
# marking needs many).  Each trial forgets V's path table, then sends
# single packets from one fresh spoofed source in A's network over [R1,
# R3] or [R4, R3] (alternately) until V's table holds that path with
# every router's address and mark, and records how many it took.
#
# DEMO_ID_TRIALS trials (default 20).  Testbed: selftests/mtfd_topo.lib
# (no daemon: only mtf.ko's marking and V's accounting).  Results:
# DEMO_OUT/mtf-id.jsonl.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/mtfd_topo.lib"
. "$TOP/demo/common.sh"

TRIALS=${DEMO_ID_TRIALS:-20}
MAX=10

TMP=$(mktemp -d)
trap mtfd_topo_cleanup EXIT
demo_begin mtf-id

say "testbed: Figure 5 (selftests/mtfd_topo.lib), $TRIALS trials, paths [R1, R3] and [R4, R3]"
mtfd_topo_setup 2>"$TMP/setup.err" || { cat "$TMP/setup.err"; exit 1; }

# known PATH: V's table holds PATH (addr/mark,...) in full.
known() {
	q "$v" -j path show full |
		jq -e --arg p "$1" '[.[] | select(([.slots[] | "\(.addr)/\(.mark)"] | join(",")) == $p)] | length == 1' \
		>/dev/null
}

for i in $(seq "$TRIALS"); do
	if [ $((i % 2)) = 1 ]; then via=r1 want=$P1; else via=r4 want=$P4; fi
	mtfd_topo_attack_via $via >/dev/null 2>&1
	q "$v" path flush || exit 1
	src=10.7.$((i / 250)).$((i % 250 + 2))
	n=0 ok=false
	while [ $n -lt $MAX ]; do
		ip netns exec "$a" "$SPRAY" -d $V -s "$src" -c 1 >/dev/null || exit 1
		n=$((n + 1))
		# The packet crosses three namespaces: give it a moment.
		if busywait 1000 known "$want"; then ok=true; break; fi
	done
	emit case --arg via "$via" --arg src "$src" --argjson n $n --argjson ok $ok --arg p "$want" \
		'{via: $via, src: $src, path: $p, packets: $n, identified: $ok}'
done
summary=$(jq -s -c --arg s mtf-id '[.[] | select(.type == "case")] |
	{scenario: $s, type: "summary", trials: length,
	 identified: (map(select(.identified)) | length),
	 packets_max: (map(.packets) | max), packets_mean: (map(.packets) | add / length),
	 path_len: 2}' "$DEMO_FILE")
echo "$summary" >>"$DEMO_FILE"
jq -r 'select(.type == "summary") |
	"  \(.identified)/\(.trials) paths identified; packets needed: mean \(.packets_mean), max \(.packets_max)"' \
	"$DEMO_FILE"

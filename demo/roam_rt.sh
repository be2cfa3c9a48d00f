#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154  # namespace names come from setup_ns
#
# Demo scenario roam-rt: the roaming paper's four cases (seed 000, Table
# 1; Figures 3 and 9) on the real modules and daemons: response time of
# 1 Mbit file transfers with and without roaming, without attack and
# under a UDP flood, at one or two client loads.
#
#   no roaming   roam-fileserver on srv1 alone, gates off; clients fetch
#                from its fixed address (roam-fetch --static)
#   roaming      authd + a roamd on each server (2-4 s epochs); clients
#                subscribe and follow the service (roam-fetch)
#   attack       1.5 Mb/s of UDP (1500 pps x 125 B, the paper's 1000-bit
#                CBR packets at load 1.5) at the server that is active
#                when the attack starts, for the whole series: the
#                attacker does not know the other pool servers
#
# Clients arrive as a Poisson process of rate load / At_ftp (At_ftp
# 1.1 s, the paper's unloaded transfer time), DEMO_ROAM_N transfers per
# case (default 10), loads DEMO_ROAM_LOADS (default "0.3 0.6").
#
# Testbed: selftests/roam_topo.lib.  Results: DEMO_OUT/roam-rt.jsonl.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/roam_topo.lib"
. "$TOP/demo/common.sh"

LOADS=${DEMO_ROAM_LOADS:-0.3 0.6}
N=${DEMO_ROAM_N:-10}
AT_FTP=1.1
ATTACK_PPS=1500 ATTACK_BYTES=125

T=$(mktemp -d /tmp/roam_rt.XXXXXX)
chmod 700 "$T"
trap roam_topo_cleanup EXIT
demo_begin roam-rt
AUTHD_ARGS=(--max-client-sessions 64)
SEED=${DEMO_SEED:-42}

# arrivals LOAD: N inter-arrival gaps in ms, exponential with mean
# AT_FTP / LOAD, from a fixed seed: the four cases of a load see the same
# arrivals (common random numbers), and every run the same ones.
arrivals() {
	awk -v seed="$SEED" -v n="$N" -v m="$(awk -v a=$AT_FTP -v l="$1" 'BEGIN { print a / l * 1000 }')" \
		'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d\n", -m * log(1 - rand()) }'
}

# series ROAMING ATTACK LOAD: N transfers of f1 at the given load; one
# "case" line per transfer.
series() {
	local roaming=$1 attack=$2 load=$3 gap i pids=() f ms ok mig
	local dir=$T/series.$roaming.$attack.$load
	mkdir -p "$dir"
	i=0
	for gap in $(arrivals "$load"); do
		sleep "$(awk -v g="$gap" 'BEGIN { printf "%.3f", g / 1000 }')"
		if [ "$roaming" = yes ]; then
			fetch "$cl" alice -f f1 -t 30000 >"$dir/$i.json" 2>"$dir/$i.err" &
		else
			fetch_static 1 -f f1 -t 30000 >"$dir/$i.json" 2>"$dir/$i.err" &
		fi
		pids+=($!)
		i=$((i + 1))
	done
	wait "${pids[@]}" 2>/dev/null
	for f in "$dir"/*.json; do
		ms=$(grep '"event":"transfer"' "$f" | jfield ms)
		ok=$(grep '"event":"transfer"' "$f" | jfield ok)
		mig=$(grep '"event":"transfer"' "$f" | jfield migrations)
		emit case --arg r "$roaming" --arg a "$attack" --argjson l "$load" \
			--argjson ms "${ms:-null}" --argjson ok "${ok:-false}" --argjson m "${mig:-0}" \
			'{roaming: ($r == "yes"), attack: ($a == "yes"), load: $l,
			  ms: $ms, ok: $ok, migrations: $m}'
	done
	jq -rs --arg r "$roaming" --arg a "$attack" --argjson l "$load" \
		'[.[] | select(.type == "case" and .roaming == ($r == "yes") and
		  .attack == ($a == "yes") and .load == $l)] |
		 "  roaming \($r), attack \($a), load \($l): \(map(select(.ok)) | length)/\(length) ok, mean \(
		   [.[] | select(.ok) | .ms] | if length > 0 then add / length | round else "-" end) ms, migrations \(
		   [.[].migrations] | add)"' "$DEMO_FILE"
}

# flood ADDR SECONDS: the attacker's UDP flood, in the background.
flood_start() {
	ip netns exec "$atk" "$FLOOD" "$1" $PORT $ATTACK_PPS $ATTACK_BYTES "$2" >/dev/null 2>&1 &
	FLOOD_PID=$!
}
flood_stop() {
	kill "$FLOOD_PID" 2>/dev/null; wait "$FLOOD_PID" 2>/dev/null
}

say "testbed: Figure 2 (selftests/roam_topo.lib); loads $LOADS, $N transfers of 1 Mbit each"
roam_topo_setup || exit 1

say "no roaming: the service on srv1 (${SRV[1]}) only"
roam_topo_static 1 || exit 1
for load in $LOADS; do
	series no no "$load"
	flood_start "${SRV[1]}" 600
	series no yes "$load"
	flood_stop
done
ip netns pids "$srv1" | xargs -r kill 2>/dev/null

say "roaming: authd and a roamd on each server"
roam_topo_start || exit 1
busywait 20000 sh -c "[ \$($ROAMCTL -j auth status socket $SOCK | jq .epoch) -gt 0 ]" || exit 1
wait_roam >/dev/null
for load in $LOADS; do
	series yes no "$load"
	a=$(status .server_addr); a=${a%:*}
	say "attack at the active server $a ($(srv_of "$a"))"
	flood_start "$a" 600
	series yes yes "$load"
	flood_stop
	# The flood raised the threat; quiet again before the next load.
	busywait 15000 bash -c "[ \"\$($ROAMCTL -j auth status socket $SOCK | jq -r .threat)\" = low ]"
done
roam_topo_stop

jq -s '[.[] | select(.type == "case")] | group_by([.roaming, .attack, .load])[] |
	{roaming: .[0].roaming, attack: .[0].attack, load: .[0].load, n: length,
	 ok: (map(select(.ok)) | length),
	 mean_ms: ([.[] | select(.ok) | .ms] | if length > 0 then add / length | round else null end),
	 max_ms: ([.[] | select(.ok) | .ms] | max),
	 migrations: ([.[].migrations] | add)}' -c "$DEMO_FILE" |
	jq -c --arg s roam-rt '{scenario: $s, type: "mean"} + .' >>"$DEMO_FILE"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154  # namespace names come from setup_ns
#
# Demo scenario combo (beyond both papers, issue 10): the roaming pool
# behind MTF gateways, response time of 1 Mbit transfers with no defense,
# roaming only, MTF only and both, under the roaming paper's two attacks:
#
#   udp   one attacker's CBR flood of 1000-bit packets at DEMO_COMBO_UDP
#         (1.5) of the 1 Mb/s bottleneck, at the server active when it
#         starts, over [R1, R3]: a path the clients do not use, so MTF can
#         filter it at R1 (the servers' mtfd asks once the suffix brings
#         more than DEMO_COMBO_POLICY_PPS, 300 pps)
#   tcp   file-transfer clients from the attacker's namespace, Poisson
#         arrivals at DEMO_COMBO_TCP (1.0) of the bottleneck, fetching
#         from that address: real TCP, throttled by the bottleneck like
#         everyone's, its ACKs and requests far under any rate threshold
#         that spares the clients: MTF's policy has nothing to ask about;
#         roaming leaves the address (the attacker holds no credential,
#         so the gates drop it once the service has moved)
#
#   none  roam-fileserver on srv1 alone, gates off (roam-fetch --static)
#   roam  authd + a roamd on each server (2-4 s epochs, roam_topo's)
#   mtf   as none, and mtfd on R1, R4, R3 and a victim on each server
#   both  as roam, and the MTF daemons
#
# mtf.ko marks in every case (the path header costs the same); only the
# daemons make a defense.  DEMO_COMBO_N transfers a case (default 4) at
# client load DEMO_COMBO_LOAD (0.6), the same arrivals in every case; a
# quiet reference series (no defense, no attack) first unless
# DEMO_COMBO_QUIET=0.  DEMO_COMBO_DEFENSES, DEMO_COMBO_ATTACKS pick cases.
#
# Testbed: selftests/combo_topo.lib.  Results: DEMO_OUT/combo.jsonl.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/combo_topo.lib"
. "$TOP/demo/common.sh"

N=${DEMO_COMBO_N:-4}
LOAD=${DEMO_COMBO_LOAD:-0.6}
DEFENSES=${DEMO_COMBO_DEFENSES:-none mtf roam both}
ATTACKS=${DEMO_COMBO_ATTACKS:-udp tcp}
QUIET=${DEMO_COMBO_QUIET:-1}
UDP_LOAD=${DEMO_COMBO_UDP:-1.5}
TCP_LOAD=${DEMO_COMBO_TCP:-1.0}
COMBO_POLICY_PPS=${DEMO_COMBO_POLICY_PPS:-$COMBO_POLICY_PPS}
XFER_TIMEOUT=${DEMO_COMBO_TIMEOUT:-20000}
ROAM_QUEUE_PKTS=${DEMO_ROAM_QUEUE-10}
SEED=${DEMO_SEED:-42}
FILE=f1
AUTHD_ARGS=(--max-client-sessions 64)
ATTACKED='' ATTACK_PID='' EPOCH0=0 GATE0=0

T=$(mktemp -d /tmp/combo.XXXXXX)
chmod 700 "$T"
cleanup() {
	[ -z "$ATTACK_PID" ] || kill "$ATTACK_PID" 2>/dev/null
	combo_topo_cleanup
}
trap cleanup EXIT
demo_begin combo

has() { [[ " $2 " == *" $1 "* ]]; }

# arrivals: N inter-arrival gaps in ms, exponential with mean At_ftp /
# LOAD (1.1 s per Mbit), the same for every case (common random numbers).
arrivals() {
	awk -v seed="$SEED" -v n="$N" -v m="$(awk -v l="$LOAD" 'BEGIN { print 1.1 / l * 1000 }')" \
		'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d\n", -m * log(1 - rand()) }'
}

# attack_start KIND ADDR: the attack, in the background, until attack_stop.
attack_start() {
	ATTACKED=$2
	if [ "$1" = udp ]; then
		ip netns exec "$atk" "$FLOOD" "$2" $PORT \
			"$(awk -v l="$UDP_LOAD" 'BEGIN { printf "%d", l * 1000 }')" 125 600 >/dev/null 2>&1 &
	else
		# No pipeline in the background: killing the loop's shell ends it.
		(
			for gap in $(awk -v seed="$SEED" -v m="$(awk -v l="$TCP_LOAD" 'BEGIN { print 1.1 / l }')" \
				'BEGIN { srand(seed + 1); for (i = 0; i < 5000; i++) printf "%.3f\n", -m * log(1 - rand()) }'); do
				sleep "$gap"
				ip netns exec "$atk" "$FETCH" --static "$2:$PORT" -f f1 -t 10000 &
			done
		) >/dev/null 2>&1 &
	fi
	ATTACK_PID=$!
}
attack_stop() {
	kill "$ATTACK_PID" 2>/dev/null; wait "$ATTACK_PID" 2>/dev/null
	ATTACK_PID=
	ip netns pids "$atk" | xargs -r kill 2>/dev/null
	return 0
}

# defense_numbers DEFENSE KIND: what each defense did in the series
# (before the MTF daemons stop and the filters are flushed): one
# "defense" line.  MTF: the victims' requests, the filters for the
# attacked address at R1 (the attacker's border), R4 (the clients') and
# R3 (the pool's gateway), and their drops.  Roaming: the epochs that
# began during the series (each moves the service to another server) and
# what the gates dropped as addressed to an inactive server.
victim_requests() {	# the requests the three servers' mtfd made so far
	local i n=0
	for i in 1 2 3; do n=$((n + $(dstat "v$i" victim_requests))); done
	echo "$n"
}

r1_filters_for() {	# ADDR: R1 holds a filter for it
	local f d
	read -r f d < <(combo_filters "$r1" "$1")
	[ "${f:-0}" -gt 0 ]
}

defense_numbers() {
	local def=$1 kind=$2 f1=0 d1=0 f4=0 d4=0 f3=0 d3=0 req=0 ep=0 gd=0 i s
	local mtf=false roaming=false
	case $def in mtf|both) mtf=true ;; esac
	case $def in roam|both) roaming=true ;; esac
	if $mtf; then
		# A request the victims made late in the series may still be in
		# R3's handshake with R1 (its messages cross the flooded link:
		# ~10 s on a loaded emulator); the attack still runs meanwhile.
		[ "$(victim_requests)" = 0 ] ||
			busywait "${DEMO_COMBO_FILTER_WAIT_MS:-20000}" r1_filters_for "$ATTACKED" ||
			say "no filter at R1 yet, $(demo_t) s"
		read -r f1 d1 < <(combo_filters "$r1" "$ATTACKED")
		read -r f4 d4 < <(combo_filters "$r4" "$ATTACKED")
		read -r f3 d3 < <(combo_filters "$r3" "$ATTACKED")
		req=$(victim_requests)
		say "MTF: $req request(s) from the victims; filters for $ATTACKED (dropped):" \
			"R1 $f1 ($d1), R4 $f4 ($d4), R3 $f3 ($d3)"
	fi
	if $roaming; then
		ep=$(( $(status .epoch) - EPOCH0 ))
		gd=$(( $(sum_stat drop_inactive) - GATE0 ))
		say "roaming: $ep epoch(s) began during the series; the gates dropped $gd packets to inactive servers"
	fi
	if [ -n "${DEMO_COMBO_DEBUG:-}" ]; then
		for i in 1 2 3; do
			s=srv$i
			echo "srv$i paths: $(q "${!s}" -j path show | jq -c '[.[] | {slots: [.slots[].addr], packets}]')"
			! $mtf || tail -3 "$TMP/v$i.log"
		done
	fi
	emit defense --arg d "$def" --arg k "$kind" --arg at "$ATTACKED" \
		--argjson m "$mtf" --argjson r "$roaming" --argjson rq "$req" \
		--argjson f1 "$f1" --argjson d1 "$d1" --argjson f4 "$f4" --argjson d4 "$d4" \
		--argjson f3 "$f3" --argjson d3 "$d3" --argjson ep "$ep" --argjson gd "$gd" \
		'{defense: $d, attack_kind: $k, attacked: $at, mtf: $m, roaming: $r}
		 + (if $m then {victim_requests: $rq, r1_filters: $f1, r1_drops: $d1,
		   r4_filters: $f4, r4_drops: $d4, r3_filters: $f3, r3_drops: $d3} else {} end)
		 + (if $r then {epochs: $ep, gate_drop_inactive: $gd} else {} end)'
}

# series DEFENSE KIND: N transfers; one "case" line each.
series() {
	local def=$1 kind=$2 gap i=0 pids=() f line dir=$T/series.$1.${2:-quiet} al=0
	local roaming=false mtf=false
	case $def in roam|both) roaming=true ;; esac
	case $def in mtf|both) mtf=true ;; esac
	case $kind in udp) al=$UDP_LOAD ;; tcp) al=$TCP_LOAD ;; esac
	mkdir -p "$dir"
	for gap in $(arrivals); do
		sleep "$(awk -v g="$gap" 'BEGIN { printf "%.3f", g / 1000 }')"
		if $roaming; then
			fetch "$cl" alice -f $FILE -t "$XFER_TIMEOUT" >"$dir/$i.json" 2>"$dir/$i.err" &
		else
			fetch_static 1 -f $FILE -t "$XFER_TIMEOUT" >"$dir/$i.json" 2>"$dir/$i.err" &
		fi
		pids+=($!)
		i=$((i + 1))
	done
	wait "${pids[@]}" 2>/dev/null
	for f in "$dir"/*.json; do
		line=$(grep '"event":"transfer"' "$f" | head -1)
		[ -n "$line" ] || line='{}'
		emit case --arg d "$def" --arg k "$kind" --argjson al "$al" --argjson l "$LOAD" \
			--arg at "${ATTACKED:-}" --argjson r "$roaming" --argjson m "$mtf" --argjson x "$line" \
			'{defense: $d, roaming: $r, mtf: $m, attack: ($k != ""), attack_kind: $k,
			  attack_load: $al, load: $l, file: "f1", ms: $x.ms, ok: ($x.ok // false),
			  migrations: ($x.migrations // 0), servers: [$x.servers // [] | .[] | tostring],
			  attacked: $at}'
	done
	jq -rs --arg d "$def" --arg k "$kind" \
		'[.[] | select(.type == "case" and .defense == $d and .attack_kind == $k)] |
		 "  \($d), attack \(if $k == "" then "none" else $k end): \(map(select(.ok)) | length)/\(length) ok, mean \(
		   [.[] | select(.ok) | .ms] | if length > 0 then add / length | round else "-" end) ms, migrations \(
		   [.[].migrations] | add)"' "$DEMO_FILE"
}

# run_case DEFENSE KIND: the defense's MTF part, the attack at the server
# active when it starts (right after an epoch change when roaming), the
# series.
run_case() {
	local def=$1 kind=$2 a=${SRV[1]}
	case $def in mtf|both) combo_mtf_start || return 1; say "MTF daemons up at t=$(demo_t)s" ;; esac
	# The gates' counter before waiting: the attack starts as soon after
	# the epoch change as it can (its server's whole epoch for MTF to see it).
	case $def in
	roam|both) GATE0=$(sum_stat drop_inactive); wait_roam >/dev/null
		a=$(status .server_addr); a=${a%:*}; EPOCH0=$(status .epoch) ;;
	esac
	attack_start "$kind" "$a"
	event "$def: $kind attack at $a ($(srv_of "$a"))"
	series "$def" "$kind"
	say "series done at t=$(demo_t)s"
	defense_numbers "$def" "$kind"
	attack_stop
	case $def in mtf|both) combo_mtf_stop || return 1 ;; esac
}

say "testbed: the pool behind MTF gateways (selftests/combo_topo.lib); $N transfers of 1 Mbit" \
	"a case at load $LOAD; defenses: $DEFENSES; attacks: $ATTACKS (udp $UDP_LOAD, tcp $TCP_LOAD);" \
	"MTF policy $COMBO_POLICY_PPS pps"
combo_topo_setup 2>"$T/setup.err" || { cat "$T/setup.err"; exit 1; }
say "testbed up at t=$(demo_t)s"

if has none "$DEFENSES" || has mtf "$DEFENSES" || [ "$QUIET" = 1 ]; then
	say "no roaming: the service on srv1 (${SRV[1]}) only"
	roam_topo_static 1 || exit 1
	[ "$QUIET" != 1 ] || series none ""
	for kind in $ATTACKS; do
		for def in none mtf; do
			has $def "$DEFENSES" || continue
			run_case $def "$kind" || exit 1
		done
	done
	ip netns pids "$srv1" | xargs -r kill 2>/dev/null
	sleep 0.5
fi

if has roam "$DEFENSES" || has both "$DEFENSES"; then
	say "roaming: authd and a roamd on each server"
	roam_topo_start || exit 1
	busywait 20000 sh -c "[ \$($ROAMCTL -j auth status socket $SOCK | jq .epoch) -gt 0 ]" || exit 1
	say "roaming up at t=$(demo_t)s"
	for kind in $ATTACKS; do
		for def in roam both; do
			has $def "$DEFENSES" || continue
			run_case $def "$kind" || exit 1
			# The attack raised the threat; quiet again before the next case.
			busywait 15000 bash -c "[ \"\$($ROAMCTL -j auth status socket $SOCK | jq -r .threat)\" = low ]"
		done
	done
	roam_topo_stop
fi

jq -s --argjson to "$XFER_TIMEOUT" \
	'[.[] | select(.type == "case")] | group_by([.defense, .attack_kind])[] |
	{defense: .[0].defense, roaming: .[0].roaming, mtf: .[0].mtf, attack_kind: .[0].attack_kind,
	 attack_load: .[0].attack_load, load: .[0].load, n: length, ok: (map(select(.ok)) | length),
	 mean_ms: ([.[] | select(.ok) | .ms] | if length > 0 then add / length | round else null end),
	 max_ms: ([.[] | select(.ok) | .ms] | max),
	 mean_all_ms: ([.[] | if .ok then .ms else $to end] | add / length | round),
	 migrations: ([.[].migrations] | add)}' -c "$DEMO_FILE" |
	jq -c '{scenario: "combo", type: "mean"} + .' >>"$DEMO_FILE"
# The summary: per attack, each defense's mean (timeouts counted) and
# the best of them.
jq -s '[.[] | select(.type == "mean" and .attack_kind != "")] | group_by(.attack_kind)[] |
	{attack_kind: .[0].attack_kind, mean_all_ms: (map({(.defense): .mean_all_ms}) | add),
	 best: (min_by(.mean_all_ms) | .defense)}' -c "$DEMO_FILE" |
	jq -c '{scenario: "combo", type: "summary"} + .' >>"$DEMO_FILE"
jq -r 'select(.type == "summary") | "  \(.attack_kind): \(.mean_all_ms | to_entries |
	map("\(.key) \(.value) ms") | join(", ")); best: \(.best)"' "$DEMO_FILE"

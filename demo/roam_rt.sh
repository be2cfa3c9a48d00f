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
#                CBR packets at load 1.5), spread over the testbed's four
#                attackers (375 pps each), at the server that is active
#                when the attack starts, for the whole series: the
#                attackers do not know the other pool servers
#
# Clients arrive as a Poisson process of rate load / At_ftp (At_ftp
# 1.1 s, the paper's unloaded transfer time, per Mbit of the file),
# DEMO_ROAM_N transfers per case (default 10), loads DEMO_ROAM_LOADS
# (default "0.3 0.6"), file DEMO_ROAM_FILE (f1, 1 Mbit; f4 and f12 are
# 4 and 12 Mbit; DEMO_ROAM_FILE_ATTACK for the cases under attack, by
# default the same), attack DEMO_ROAM_ATTACK (1.5 of the 1 Mb/s bottleneck,
# 1000-bit packets; DEMO_ROAM_ATTACK_BYTES sets another packet size, the
# same bit rate), DEMO_ROAM_TIMEOUT ms per transfer (30000; a transfer
# that times out counts as that long in "mean_all_ms").  DEMO_ROAM_SEQ=1:
# one client fetching its files back to back instead of Poisson arrivals
# (no two transfers share a link, so a case's mean is the transfer's own
# cost; the load is then only a label), after one uncounted transfer in
# the cases without attack.
#
# Testbed: selftests/roam_topo.lib.  Results: DEMO_OUT/roam-rt.jsonl.

. "$(dirname "$0")/../selftests/lib.sh"
. "$TOP/selftests/roam_topo.lib"
. "$TOP/demo/common.sh"

LOADS=${DEMO_ROAM_LOADS:-0.3 0.6}
N=${DEMO_ROAM_N:-10}
CASES=${DEMO_ROAM_CASES:-static-quiet static-attack roam-quiet roam-attack}
# Roaming intervals in s, each fixed (authd's bounds all equal), or 2-4:
# 2 to 4 s at threat low, at most 3 s at threat high.
INTERVALS=${DEMO_ROAM_INTERVAL:-2-4}
INTERVAL='' ATTACKED='' ATTACK_PIDS=()
ATT_KIND=${DEMO_ROAM_ATTACK_KIND:-udp}
case $ATT_KIND in udp|tcp) ;; *) echo "DEMO_ROAM_ATTACK_KIND: udp or tcp" >&2; exit 2 ;; esac
# Packets the bottleneck queues hold (as NS-2's DropTail; empty: tbf's
# own byte limit, where a flood of 125-byte packets leaves room for ACKs).
QUEUE=${DEMO_ROAM_QUEUE-10}
# The links' token bucket (tbf burst, default the testbed's 10kb).  NS-2's
# links send nothing ahead of their rate; a 10 KB bucket lets a connection
# that migrates to an idle link start with 80 ms worth at once, which hides
# the migration's cost (4 Mbit transfers back to back: 44 ms faster with
# 1.5 migrations each; with 2kb, 65 ms slower).  selftests/demo_direction.sh
# uses 2kb.
BURST=${DEMO_ROAM_BURST:-10kb}
FILE=${DEMO_ROAM_FILE:-f1}
FILE_ATT=${DEMO_ROAM_FILE_ATTACK:-$FILE}
ATT_LOAD=${DEMO_ROAM_ATTACK:-1.5}
XFER_TIMEOUT=${DEMO_ROAM_TIMEOUT:-30000}
mbit() {
	case $1 in f1) echo 1 ;; f4) echo 4 ;; f12) echo 12 ;; *) echo "DEMO_ROAM_FILE: f1, f4 or f12" >&2; exit 2 ;; esac
}
MBIT=$(mbit "$FILE") && MBIT_ATT=$(mbit "$FILE_ATT") || exit 2
# The paper's R_att = Tot_att * BW / (1000 bits * N_att), per attacker:
# the same total as from one, spread over the testbed's four.
ATTACK_BYTES=${DEMO_ROAM_ATTACK_BYTES:-125} N_ATT=4
ATTACK_PPS=$(awk -v l="$ATT_LOAD" -v n=$N_ATT -v b="$ATTACK_BYTES" \
	'BEGIN { p = int(l * 1e6 / (8 * b) / n + 0.5); printf "%d", (p > 0 ? p : 1) }')
SEQ=${DEMO_ROAM_SEQ:-0}

T=$(mktemp -d /tmp/roam_rt.XXXXXX)
chmod 700 "$T"
trap roam_topo_cleanup EXIT
# The same script runs roam-mig (demo/run sets DEMO_SCENARIO).
demo_begin "${DEMO_SCENARIO:-roam-rt}"
AUTHD_ARGS=(--max-client-sessions 64)
SEED=${DEMO_SEED:-42}

# arrivals LOAD MBIT: N inter-arrival gaps in ms, exponential with mean
# At_ftp / LOAD (At_ftp = 1.1 s per Mbit), from a fixed seed: the four
# cases of a load see the same arrivals (common random numbers), and
# every run the same ones.
arrivals() {
	awk -v seed="$SEED" -v n="$N" -v m="$(awk -v l="$1" -v f="$2" 'BEGIN { print 1.1 * f / l * 1000 }')" \
		'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d\n", -m * log(1 - rand()) }'
}

# qstats: packets sent and dropped by the bottleneck qdiscs (tbf), summed
# over the three servers: "TO_SENT TO_DROPPED FROM_SENT FROM_DROPPED",
# TO = r2 towards the servers (requests, ACKs and the flood), FROM = the
# servers' own links (file data only: every drop there is legitimate).
qstats() {
	local i s to from
	to=$(for i in 1 2 3; do tc -n "$r2" -s -j qdisc show dev "s$i"; done |
		jq -s '[.[][] | select(.root)] | "\(map(.packets) | add) \(map(.drops) | add)"' -r)
	from=$(for i in 1 2 3; do s=srv$i; tc -n "${!s}" -s -j qdisc show dev eth0; done |
		jq -s '[.[][] | select(.root)] | "\(map(.packets) | add) \(map(.drops) | add)"' -r)
	echo "$to $from"
}

# series ROAMING ATTACK LOAD: N transfers of f1 at the given load; one
# "case" line per transfer.
series() {
	local roaming=$1 attack=$2 load=$3 gap i pids=() f ms ok mig srv q0 q1 q2 q3 p0 p1 p2 p3
	local dir=$T/series.$roaming.$attack.$load file=$FILE mb=$MBIT
	[ "$attack" = yes ] && file=$FILE_ATT mb=$MBIT_ATT
	mkdir -p "$dir"
	# Back to back without attack: one transfer first, not counted.  The
	# first of a series was 100-150 ms slower than the rest (a cold
	# route, tcp_metrics, the file server's first read), as much as two
	# migrations cost.
	if [ "$SEQ" = 1 ] && [ "$attack" = no ]; then
		if [ "$roaming" = yes ]; then
			fetch "$cl" alice -f "$file" -t "$XFER_TIMEOUT" >/dev/null 2>&1
		else
			fetch_static 1 -f "$file" -t "$XFER_TIMEOUT" >/dev/null 2>&1
		fi
	fi
	read -r q0 q1 q2 q3 < <(qstats)
	i=0
	for gap in $(arrivals "$load" "$mb"); do
		[ "$SEQ" = 1 ] || sleep "$(awk -v g="$gap" 'BEGIN { printf "%.3f", g / 1000 }')"
		if [ "$roaming" = yes ]; then
			fetch "$cl" alice -f "$file" -t "$XFER_TIMEOUT" >"$dir/$i.json" 2>"$dir/$i.err" &
		else
			fetch_static 1 -f "$file" -t "$XFER_TIMEOUT" >"$dir/$i.json" 2>"$dir/$i.err" &
		fi
		pids+=($!)
		[ "$SEQ" = 1 ] && wait $!
		i=$((i + 1))
	done
	wait "${pids[@]}" 2>/dev/null
	read -r p0 p1 p2 p3 < <(qstats)
	emit drops --arg r "$roaming" --arg a "$attack" --argjson l "$load" \
		--arg iv "$([ "$roaming" = yes ] && echo "$INTERVAL")" \
		--argjson ts $((p0 - q0)) --argjson td $((p1 - q1)) --argjson fs $((p2 - q2)) --argjson fd $((p3 - q3)) \
		'{roaming: ($r == "yes"), attack: ($a == "yes"), load: $l, interval: $iv,
		  to_srv_sent: $ts, to_srv_dropped: $td, from_srv_sent: $fs, from_srv_dropped: $fd}'
	for f in "$dir"/*.json; do
		ms=$(grep '"event":"transfer"' "$f" | jfield ms)
		ok=$(grep '"event":"transfer"' "$f" | jfield ok)
		mig=$(grep '"event":"transfer"' "$f" | jfield migrations)
		srv=$(grep '"event":"transfer"' "$f" | jq -sc '[.[0].servers // [] | .[] | tostring]')
		emit case --arg r "$roaming" --arg a "$attack" --argjson l "$load" --arg f "$file" \
			--arg iv "$([ "$roaming" = yes ] && echo "$INTERVAL")" --arg k "$([ "$attack" = yes ] && echo "$ATT_KIND")" \
			--argjson al "$([ "$attack" = yes ] && echo "$ATT_LOAD" || echo 0)" \
			--argjson srv "${srv:-[]}" --arg at "${ATTACKED:-}" \
			--argjson ms "${ms:-null}" --argjson ok "${ok:-false}" --argjson m "${mig:-0}" \
			'{roaming: ($r == "yes"), attack: ($a == "yes"), load: $l,
			  file: $f, ms: $ms, ok: $ok, migrations: $m, interval: $iv,
			  attack_kind: $k, attack_load: $al, servers: $srv, attacked: $at}'
	done
	jq -rs --arg r "$roaming" --arg a "$attack" --argjson l "$load" \
		--arg iv "$([ "$roaming" = yes ] && echo "$INTERVAL")" \
		'[.[] | select(.type == "case" and .roaming == ($r == "yes") and
		  .attack == ($a == "yes") and .load == $l and .interval == $iv)] |
		 "  roaming \($r)\(if $iv != "" then " (\($iv) s)" else "" end), attack \($a), load \($l): \(map(select(.ok)) | length)/\(length) ok, mean \(
		   [.[] | select(.ok) | .ms] | if length > 0 then add / length | round else "-" end) ms, migrations \(
		   [.[].migrations] | add)"' "$DEMO_FILE"
}

# attack_start ADDR LOAD: the attack on ADDR, in the background, for the
# whole series, from the four attackers (ATKS).  UDP: a CBR flood from
# each, ATT_LOAD x 1 Mb/s of 1000-bit packets in all.  TCP: the paper's
# attack of file-transfer clients: f1 fetches from the attackers'
# namespaces in turn (no credential: they know only that address),
# Poisson arrivals at ATT_LOAD of the bottleneck in all.
attack_start() {
	local a
	ATTACKED=$1 ATTACK_PIDS=()
	if [ "$ATT_KIND" = udp ]; then
		for a in "${ATKS[@]:0:N_ATT}"; do
			ip netns exec "$a" "$FLOOD" "$1" $PORT $ATTACK_PPS $ATTACK_BYTES 600 >/dev/null 2>&1 &
			ATTACK_PIDS+=($!)
		done
	else
		# No pipeline in the background: killing the loop's shell must end
		# it, and it must not hold the caller's stdout open.
		(
			i=0
			for gap in $(awk -v seed="$SEED" -v m="$(awk -v l="$ATT_LOAD" 'BEGIN { print 1.1 / l }')" \
				'BEGIN { srand(seed + 1); for (i = 0; i < 5000; i++) printf "%.3f\n", -m * log(1 - rand()) }'); do
				sleep "$gap"
				ip netns exec "${ATKS[i % N_ATT]}" "$FETCH" --static "$1:$PORT" -f f1 -t 10000 &
				i=$((i + 1))
			done
		) >/dev/null 2>&1 &
		ATTACK_PIDS+=($!)
	fi
}
attack_stop() {
	local a
	ATTACKED=
	kill "${ATTACK_PIDS[@]}" 2>/dev/null; wait "${ATTACK_PIDS[@]}" 2>/dev/null
	for a in "${ATKS[@]}"; do
		ip netns pids "$a" | xargs -r kill 2>/dev/null
	done
	return 0
}

has() { [[ " $CASES " == *" $1 "* ]]; }

say "testbed: Figure 2 (selftests/roam_topo.lib); loads $LOADS, $N transfers of $MBIT Mbit each" \
	"($MBIT_ATT Mbit under attack); $ATT_KIND attack $ATT_LOAD of the bottleneck from $N_ATT attackers;" \
	"cases: $CASES; intervals: $INTERVALS"
ROAM_QUEUE_PKTS=$QUEUE
ROAM_BURST=$BURST
roam_topo_setup || exit 1

if has static-quiet || has static-attack; then
	say "no roaming: the service on srv1 (${SRV[1]}) only"
	roam_topo_static 1 || exit 1
	for load in $LOADS; do
		! has static-quiet || series no no "$load"
		if has static-attack; then
			attack_start "${SRV[1]}" "$load"
			series no yes "$load"
			attack_stop
		fi
	done
	ip netns pids "$srv1" | xargs -r kill 2>/dev/null
	sleep 0.5
fi

if has roam-quiet || has roam-attack; then
	for iv in $INTERVALS; do
		if [ "$iv" = 2-4 ]; then
			ROAM_MIN_MS=2000 ROAM_MAX_LOW_MS=4000 ROAM_MAX_HIGH_MS=3000
		else
			ROAM_MIN_MS=$((iv * 1000)) ROAM_MAX_LOW_MS=$((iv * 1000)) ROAM_MAX_HIGH_MS=$((iv * 1000))
		fi
		INTERVAL=$iv
		say "roaming (interval $iv s): authd and a roamd on each server"
		roam_topo_start || exit 1
		busywait 20000 sh -c "[ \$($ROAMCTL -j auth status socket $SOCK | jq .epoch) -gt 0 ]" || exit 1
		wait_roam >/dev/null
		for load in $LOADS; do
			! has roam-quiet || series yes no "$load"
			has roam-attack || continue
			a=$(status .server_addr); a=${a%:*}
			say "attack at the active server $a ($(srv_of "$a"))"
			attack_start "$a" "$load"
			series yes yes "$load"
			attack_stop
			# The flood raised the threat; quiet again before the next load.
			busywait 15000 bash -c "[ \"\$($ROAMCTL -j auth status socket $SOCK | jq -r .threat)\" = low ]"
		done
		roam_topo_stop
		# The next interval is a new deployment: authd's chain (with its
		# interval bounds) and the credentials start over.
		rm -rf "$T/authd" "${T:?}"/creds/* "${T:?}"/run/*
	done
fi

jq -s --argjson to "$XFER_TIMEOUT" \
	'[.[] | select(.type == "case")] | group_by([.roaming, .attack, .load, .interval])[] |
	{roaming: .[0].roaming, attack: .[0].attack, load: .[0].load, interval: .[0].interval,
	 attack_kind: .[0].attack_kind, n: length,
	 ok: (map(select(.ok)) | length),
	 mean_ms: ([.[] | select(.ok) | .ms] | if length > 0 then add / length | round else null end),
	 max_ms: ([.[] | select(.ok) | .ms] | max),
	 mean_all_ms: ([.[] | if .ok then .ms else $to end] | add / length | round),
	 median_all_ms: ([.[] | if .ok then .ms else $to end] | sort |
		if length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 | round end),
	 min_migrations: ([.[].migrations] | min),
	 file: .[0].file, attack_load: .[0].attack_load,
	 migrations_per_transfer: ([.[].migrations] | add / length),
	 migrations: ([.[].migrations] | add)}' -c "$DEMO_FILE" |
	jq -c --arg s "$DEMO_NAME" '{scenario: $s, type: "mean"} + .' >>"$DEMO_FILE"

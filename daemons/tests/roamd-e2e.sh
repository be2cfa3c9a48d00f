#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of roamd, the demo file service and roamctl's authd
# commands, without the kernel module (roamd --no-gate), in a private
# network namespace whose loopback is shaped to 1 Mb/s:
#
#   roam-fetch (alice) --- lo, 1 Mb/s ---> 127.0.0.{1,2,3}:800{1,2,3}
#        |  TLS                              roam-fileserver, run by
#        v                                   roamd srv1/srv2/srv3 only
#   authd 127.0.0.1:PORT <--- TLS ---------- while active
#     ^ admin socket <- roamctl client|threat|auth
#
# Prints TAP; exit 0 all passed, 1 some failed, 4 skipped.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$HERE/../bin}

# A network namespace of our own: as root, or as a user namespace's root.
if [ -z "${ROAMD_E2E_INNER:-}" ]; then
	for u in "unshare -n" "unshare -rn"; do
		if $u true 2>/dev/null; then
			ROAMD_E2E_INNER=1 exec $u "$0" "$@"
		fi
	done
	echo "TAP version 13"; echo "1..0 # SKIP cannot create a network namespace"; exit 4
fi

for f in authd roamd roam-fileserver roam-fetch roamctl; do
	if [ ! -x "$BIN/$f" ]; then
		echo "TAP version 13"; echo "1..0 # SKIP $BIN/$f not built"; exit 4
	fi
done

T=$(mktemp -d /tmp/roamd-e2e.XXXXXX)
chmod 700 "$T"
mkdir -m 700 "$T/state" "$T/files" "$T/run"
cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

n=0 pass=0 fail=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
busywait() {
	local ms=$1; shift
	for _ in $(seq $((ms / 50))); do "$@" && return 0; sleep 0.05; done
	return 1
}

echo "TAP version 13"
echo "1..17"

ip link set lo up mtu 1500
tc qdisc add dev lo root tbf rate 1mbit burst 10kb latency 200ms 2>/dev/null ||
	echo "# tc not available: transfers are fast and may not cross a roam"
head -c 125000 /dev/urandom >"$T/files/f1"
head -c 600000 /dev/urandom >"$T/files/f4"

ctl() { "$BIN/roamctl" "$@" socket "$T/adm.sock"; }
NOTIFY=${NOTIFY_RECV:-$HERE/../selftests/notify_recv}
PORT=$((20000 + RANDOM % 20000))
"$BIN/authd" -d "$T/state" -l 127.0.0.1:$PORT -s "$T/adm.sock" --chain-len 10000 \
	-p 127.0.0.1:8001 -p 127.0.0.2:8002 -p 127.0.0.3:8003 \
	--min-ms 2000 --max-low-ms 4000 --max-high-ms 3000 >"$T/authd.log" 2>&1 &
busywait 10000 test -S "$T/adm.sock"
for c in alice srv1 srv2 srv3; do ctl client add $c dir "$T" >/dev/null; done
check "roamctl client add writes the credentials" \
	test -s "$T/alice.crt" -a "$(stat -c %a "$T/alice.key")" = 600
check "roamctl -j client list lists them" \
	test "$("$BIN/roamctl" -j client list socket "$T/adm.sock" | grep -o '"active"' | wc -l)" = 4

roamd() {	# i: roamd for server i, with the file server as its service
	exec "$BIN/roamd" --no-gate --ca "$T/ca.crt" --cert "$T/srv$1.crt" --key "$T/srv$1.key" \
		-P $PORT --self 127.0.0.$1:800$1 -s "$T/adm.sock" --state-dir "$T/run" \
		-- "$BIN/roam-fileserver" -l 127.0.0.$1:800$1 -d "$T/files"
}
for i in 1 2 3; do roamd $i >"$T/roamd$i.log" 2>&1 & eval "R$i=\$!"; done

fetch() {
	"$BIN/roam-fetch" --ca "$T/ca.crt" --cert "$T/alice.crt" --key "$T/alice.key" -P $PORT "$@"
}
fetch -f f1 -f f4 -f f1 -o "$T" >"$T/fetch.json" 2>"$T/fetch.err"
rc=$?
sed 's/^/# /' "$T/fetch.json"
check "three transfers finish byte-exact across roams" \
	test $rc = 0 -a "$(grep -c '"ok":true' "$T/fetch.json")" = 3
check "the assembled files equal the originals" cmp -s "$T/f4" "$T/files/f4"
f4_mig=$(sed -n 's/.*"file":"f4".*"migrations":\([0-9]*\).*/\1/p' "$T/fetch.json")
check "the 600 kB transfer migrated at least once (${f4_mig:-?})" test "${f4_mig:-0}" -ge 1
check "roamd stops the old server's service after the window" \
	grep -q "service stopped" "$T/roamd1.log" "$T/roamd2.log" "$T/roamd3.log"

ctl threat high >/dev/null
check "roamctl threat high; auth status shows it (JSON)" \
	test "$("$BIN/roamctl" -j auth status socket "$T/adm.sock" | grep -o '"threat":"[a-z]*"')" = '"threat":"high"'
"$BIN/roamctl" threat medium socket "$T/adm.sock" 2>/dev/null
rc1=$?
"$BIN/roamctl" auth status socket "$T/nonexistent.sock" 2>/dev/null
rc2=$?
check "roamctl exit codes: usage 2, unreachable authd 1" test $rc1 = 2 -a $rc2 = 1

"$BIN/roamd" --bogus >/dev/null 2>&1
rc1=$?
"$BIN/roamd" --no-gate --ca "$T/ca.crt" --cert "$T/srv1.crt" --key "$T/srv1.key" -P $PORT \
	--self 10.9.9.9:1 -s none --state-dir "$T/run" >/dev/null 2>"$T/self.err"
rc2=$?
check "roamd: bad usage exits 2; a --self outside the pool exits 1 with a reason" \
	test $rc1 = 2 -a $rc2 = 1 -a -n "$(grep 'not in the pool' "$T/self.err")"

t0=$(date +%s%3N)
ctl client revoke alice >/dev/null
fetch -f f1 -t 3000 >/dev/null 2>"$T/rev.err"
rc=$?
# Refused for being revoked, not for any other reason.
check "a revoked client gets no schedule" test $rc = 1 -a -n "$(grep -i revoked "$T/rev.err")"

# The direct path to the gates: every roamd watches revocations on the
# admin socket (with --no-gate it only counts and logs them).
heard() { grep -q "client alice revoked at authd" "$T/roamd1.log" "$T/roamd2.log" "$T/roamd3.log" &&
	[ "$(grep -l "client alice revoked at authd" "$T"/roamd[123].log | wc -l)" = 3 ]; }
busywait 3000 heard; t1=$(date +%s%3N)
echo "# the three roamds logged the revocation within $((t1 - t0)) ms of the revoke"
check "every roamd hears of the revocation (watch revocations)" heard

# A roamd that starts later catches up: the revoked list comes first.
"$NOTIFY" "$T/late.notify" >"$T/late.status" &
LN=$!
busywait 3000 test -S "$T/late.notify"
NOTIFY_SOCKET=$T/late.notify "$BIN/roamd" --no-gate --ca "$T/ca.crt" --cert "$T/srv1.crt" \
	--key "$T/srv1.key" -P $PORT -s "$T/adm.sock" --state-dir "$T/run" >"$T/late.log" 2>&1 &
RL=$!
caught_up() { grep -q "1 revoked clients before" "$T/late.log" &&
	grep -q "STATUS=.*revocations 1, gate blocks 0, errors 0" "$T/late.status"; }
check "a roamd started later catches up; STATUS counts it" busywait 5000 caught_up
grep -h "revoked clients before" "$T/late.log" | sed 's/^/# /'

# authd takes at most 32 watchers: 4 roamds, 28 more fill it, the next is refused.
watchers() { [ "$("$BIN/roamctl" -j auth status socket "$T/adm.sock" | sed -n 's/.*"watchers":\([0-9]*\).*/\1/p')" = "$1" ]; }
for i in $(seq 29); do
	# Stdin ends at once: a half-close, the watch stays (socat -t).
	socat -t 30 - UNIX-CONNECT:"$T/adm.sock" <<<"watch revocations" >"$T/w$i.out" 2>&1 &
	eval "W$i=\$!"
done
over() { grep -q "error: too many revocation watchers (32)" "$T"/w*.out; }
check "watcher 33 refused with a clear error; 32 kept" busywait 5000 eval 'over && watchers 32'
for i in $(seq 29); do eval "kill \$W$i"; done 2>/dev/null
check "watchers that hang up are dropped" busywait 5000 watchers 4
kill $RL $LN 2>/dev/null; wait $RL $LN 2>/dev/null

kill -TERM $R1 $R2 $R3
wait $R1; a=$?; wait $R2; b=$?; wait $R3; c=$?
check "roamd exits 0 on SIGTERM" test $a$b$c = 000
check "no file server outlives its roamd" busywait 3000 bash -c '! pgrep -f "[r]oam-fileserver -l 127.0.0" >/dev/null'

# authd blackholed: its port accepts TCP and never speaks (a tarpit), so
# each subscription attempt hangs in the TLS handshake.  roamd keeps
# switching on the keys it holds (lookahead 8), each roam within 50 ms
# of the schedule: the attempts run on its worker thread, not in the
# loop (before, every attempt stalled the loop for seconds).
BP=$((PORT + 7))
mkdir -m 700 "$T/bh" "$T/bhrun"
"$BIN/authd" -q -d "$T/bh/state" -l 127.0.0.1:$BP -s "$T/bh/adm.sock" \
	-p 127.0.0.1:8101 -p 127.0.0.1:8102 --min-ms 400 --max-low-ms 600 \
	--max-high-ms 500 --lookahead 8 >"$T/bh/authd.log" 2>&1 &
BA=$!
busywait 5000 test -S "$T/bh/adm.sock"
"$BIN/roamctl" client add bh dir "$T/bh" socket "$T/bh/adm.sock" >/dev/null
"$NOTIFY" "$T/bh/notify" >"$T/bh/status" &
busywait 3000 test -S "$T/bh/notify"
NOTIFY_SOCKET=$T/bh/notify "$BIN/roamd" --no-gate --ca "$T/bh/ca.crt" --cert "$T/bh/bh.crt" \
	--key "$T/bh/bh.key" -P $BP -s none --state-dir "$T/bhrun" >"$T/bh/roamd.log" 2>&1 &
BR=$!
epochs_seen() { [ "$(grep -c 'STATUS=epoch' "$T/bh/status")" -ge "$1" ]; }
busywait 10000 epochs_seen 3
kill -9 $BA; wait $BA 2>/dev/null
t_kill=$(date +%s%3N)
socat TCP-LISTEN:$BP,bind=127.0.0.1,reuseaddr,fork SYSTEM:'sleep 30' 2>/dev/null &
sleep 3.2
kill $BR; wait $BR 2>/dev/null
"$BIN/authd" -q -d "$T/bh/state" --print-schedule 1:400 >"$T/bh/schedule"
# Each roam after the kill: when roamd said it, minus the epoch's start.
lateness() {
	awk -v t0="$t_kill" '
		NR == FNR { e = $0; sub(/.*"epoch":/, "", e); sub(/,.*/, "", e)
			    s = $0; sub(/.*"start_ms":/, "", s); sub(/,.*/, "", s)
			    start[e] = s; next }
		/STATUS=epoch/ && $1 > t0 { e = $0; sub(/.*STATUS=epoch /, "", e); sub(/:.*/, "", e)
					    print e, $1 - start[e] }' "$T/bh/schedule" "$T/bh/status"
}
lateness >"$T/bh/late"
sed 's/^/# blackholed authd: epoch, ms after its start: /' "$T/bh/late"
echo "# subscription attempts meanwhile: $(grep -c 'cannot subscribe\|authd session' "$T/bh/roamd.log")"
on_time() {
	[ "$(wc -l <"$T/bh/late")" -ge 3 ] &&
		awk '$2 < -5 || $2 > 50 { bad = 1 } END { exit bad }' "$T/bh/late"
}
check "authd blackholed: roamd roams on the keys it holds, each within 50 ms" on_time

if [ $fail -ne 0 ]; then
	for f in "$T"/roamd*.log "$T/fetch.err"; do echo "# $f:"; tail -15 "$f" | sed 's/^/#   /'; done
fi
echo "# $pass passed, $fail failed"
[ $fail -eq 0 ]

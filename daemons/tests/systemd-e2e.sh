#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd side of authd and roamd, without systemd running: the units
# pass systemd-analyze verify (no warning at all) and its offline security
# review; the daemons report readiness and shutdown over NOTIFY_SOCKET
# (Type=notify) at the right moment; on a stream systemd marks as the
# journal (JOURNAL_STREAM) their lines carry syslog priorities.
#
# Prints TAP; exit 0 all passed, 1 some failed, 4 skipped entirely.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$HERE/../bin}
SRC=${SRC:-$HERE/../../daemons/systemd}
T=$(mktemp -d /tmp/roam-systemd.XXXXXX)
chmod 700 "$T"
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
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

for f in "$BIN/authd" "$BIN/roamd" "$BIN/authd-admin" "$BIN/mtfd"; do
	[ -x "$f" ] || { echo "TAP version 13"; echo "1..0 # SKIP $f not built"; exit 4; }
done
for c in systemd-analyze socat; do
	command -v $c >/dev/null ||
		{ echo "TAP version 13"; echo "1..0 # SKIP $c not installed"; exit 4; }
done

echo "TAP version 13"
echo "1..10"

# The units as `make install` writes them, pointing at build/bin so that
# verify finds the executables.
sed "s|@SBINDIR@|$BIN|g" "$SRC/authd.service.in" >"$T/authd.service"
sed "s|@SBINDIR@|$BIN|g" "$SRC/roamd@.service.in" >"$T/roamd@.service"
sed "s|@SBINDIR@|$BIN|g" "$SRC/mtfd.service.in" >"$T/mtfd.service"
cp "$T/roamd@.service" "$T/roamd@web.service"
out=$(cd "$T" && systemd-analyze verify --man=no "$T/authd.service" "$T/roamd@web.service" \
	"$T/mtfd.service" 2>&1)
rc=$?
[ -n "$out" ] && echo "$out" | sed 's/^/# /'
check "systemd-analyze verify: the three units, no warning" test $rc = 0 -a -z "$out"

# "exposure level" 0 (locked down) .. 10 (unsafe); 3 is the bar.
exposure() {
	systemd-analyze security --offline=yes "$1" 2>/dev/null |
		sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p'
}
for u in authd.service roamd@web.service mtfd.service; do
	e=$(cd "$T" && exposure "$T/$u")
	echo "# $u: exposure $e"
	check "$u: offline security exposure $e <= 3.0" \
		awk -v e="${e:-99}" 'BEGIN { exit !(e <= 3.0) }'
done

# A datagram socket standing in for systemd's notify socket.
socat -u UNIX-RECV:"$T/notify" OPEN:"$T/notify.log",creat,append &
PIDS+=($!)
busywait 3000 test -S "$T/notify"
notified() { grep -q "$1" "$T/notify.log" 2>/dev/null; }

PORT=
for try in 1 2 3 4 5; do
	PORT=$((20000 + (RANDOM % 20000)))
	: >"$T/authd.log"
	NOTIFY_SOCKET=$T/notify JOURNAL_STREAM=$(stat -c '%d:%i' "$T/authd.log") \
		"$BIN/authd" -d "$T/state" -l "127.0.0.1:$PORT" -s "$T/adm.sock" \
		-p 127.0.0.1:8001 -p 127.0.0.1:8002 --min-ms 300 --max-low-ms 700 \
		--max-high-ms 400 2>>"$T/authd.log" &
	A=$!
	busywait 5000 notified READY=1 && break
	kill $A 2>/dev/null; wait $A 2>/dev/null; rm -rf "$T/state"
done
PIDS+=($A)
sed 's/^/# authd: /' "$T/authd.log" | head -5
# READY=1 means both sockets accept: nothing to wait for after it.
check "authd: READY=1 once listening (admin socket answers at once)" \
	"$BIN/authd-admin" -s "$T/adm.sock" status >/dev/null
check "authd: journal priorities on a journal stream (<6>info: ...)" \
	grep -q '^<6>info: serving on' "$T/authd.log"

"$BIN/authd-admin" -s "$T/adm.sock" client add srv1 -o "$T" >/dev/null
: >"$T/notify.log"
NOTIFY_SOCKET=$T/notify "$BIN/roamd" --no-gate --ca "$T/ca.crt" --cert "$T/srv1.crt" \
	--key "$T/srv1.key" -P "$PORT" -s none --state-dir "$T/run" 2>"$T/roamd.log" &
R=$!
PIDS+=($R)
busywait 5000 notified READY=1 && busywait 10000 notified 'STATUS=epoch'
rc=$?
tr '\n' ' ' <"$T/notify.log" | sed 's/^/# roamd notify: /'; echo
check "roamd: READY=1, then STATUS=epoch N once the schedule applies" test $rc = 0
check "roamd: plain log lines without a journal stream" \
	grep -q '^roamd: info: ' "$T/roamd.log"

: >"$T/notify.log"
kill -TERM $A $R
wait $A $R 2>/dev/null
# Datagrams follow each other in the file without a separator.
stops() { grep -o STOPPING=1 "$T/notify.log" | wc -l; }
busywait 3000 sh -c "[ \$(grep -o STOPPING=1 '$T/notify.log' | wc -l) = 2 ]"
cat "$T/notify.log" | tr "\n" " " | sed "s/^/# after SIGTERM: /"; echo
check "authd and roamd: STOPPING=1 on SIGTERM" test "$(stops)" = 2

# mtfd as a host (no kernel module needed) in a namespace of its own:
# its nftables table is not the machine's.
cat >"$T/mtfd.conf" <<EOT
[mtfd]
roles = host
address = 127.0.0.1
admin-socket = $T/mtfd.sock
[host]
gateway = 127.0.0.2
EOT
: >"$T/notify.log"
if unshare -n true 2>/dev/null; then
	NOTIFY_SOCKET=$T/notify unshare -n sh -c "ip link set lo up; exec $BIN/mtfd -c $T/mtfd.conf" \
		2>"$T/mtfd.log" &
	M=$!
	PIDS+=($M)
	busywait 5000 notified READY=1
	rc=$?
	kill -TERM $M; wait $M 2>/dev/null
	busywait 3000 notified STOPPING=1 || rc=1
	tr '\n' ' ' <"$T/notify.log" | sed 's/^/# mtfd notify: /'; echo
	check "mtfd: READY=1 when serving, STOPPING=1 on SIGTERM" test $rc = 0
else
	nok "mtfd: cannot make a network namespace (unshare -n)"
fi

echo "# $pass passed, $fail failed"
[ $fail -eq 0 ]

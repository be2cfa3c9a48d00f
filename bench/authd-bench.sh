#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# authd subscription rate (not part of CI):  make bench-authd [SESSIONS=10000]
# Starts authd on loopback, provisions one credential, and has
# authd-bench open SESSIONS concurrent subscribed sessions from WORKERS
# processes; reports subscriptions/s and authd's resident memory.
set -eu
BUILD=${BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build}
SESSIONS=${SESSIONS:-10000}
WORKERS=${WORKERS:-2}
T=$(mktemp -d /tmp/roam-bench.XXXXXX)
chmod 700 "$T"
PORT=$((20000 + RANDOM % 20000))
AUTHD_PID=
cleanup() { [ -n "$AUTHD_PID" ] && kill "$AUTHD_PID" 2>/dev/null; wait; rm -rf "$T"; }
trap cleanup EXIT

"$BUILD/bin/authd" -q -d "$T/state" -l "127.0.0.1:$PORT" -s "$T/admin.sock" \
	-p 10.0.0.1:80 -p 10.0.0.2:80 -p 10.0.0.3:80 \
	--min-ms 2000 --max-low-ms 3000 --max-high-ms 2500 --max-conns 30000 \
	2>"$T/authd.log" &
AUTHD_PID=$!
for _ in $(seq 100); do [ -S "$T/admin.sock" ] && break; sleep 0.05; done
"$BUILD/bin/authd-admin" -s "$T/admin.sock" client add bench -o "$T" >/dev/null
"$BUILD/bench/authd-bench" 127.0.0.1 "$PORT" "$T/ca.crt" "$T/bench.crt" "$T/bench.key" \
	"$SESSIONS" "$WORKERS" &
B=$!
peak=0
while kill -0 $B 2>/dev/null; do
	rss=$(awk '/VmRSS/ { print $2 }' "/proc/$AUTHD_PID/status")
	[ "$rss" -gt "$peak" ] && peak=$rss
	sleep 0.5
done
wait $B
rc=$?
"$BUILD/bin/authd-admin" -s "$T/admin.sock" status | grep -E 'sessions|connections' || true
echo "authd peak RSS: $((peak / 1024)) MiB; warnings in its log: $(grep -c warning "$T/authd.log" || true)"
exit $rc

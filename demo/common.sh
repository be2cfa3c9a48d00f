# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the demo's scenario scripts (sourced after selftests/lib.sh):
# results as JSON lines, times relative to the scenario's clock.
#
# Every line carries "scenario" and "type": "sample" (a point of a curve),
# "event" (a moment marked on the plot), "case" (one measurement of a
# series), "summary" (the numbers the report quotes).  DEMO_OUT is the
# results directory (default: the VM's out dir); each scenario writes
# DEMO_OUT/NAME.jsonl.

DEMO_OUT=${DEMO_OUT:-${VM_OUT:-$TOP/build/report}}
mkdir -p "$DEMO_OUT"

# demo_begin NAME: the scenario's results file and clock.
demo_begin() {
	DEMO_NAME=$1
	DEMO_FILE=$DEMO_OUT/$1.jsonl
	: >"$DEMO_FILE"
	demo_clock_reset
}
demo_clock_reset() { DEMO_T0=$(date +%s%3N); }
# demo_t: seconds since the clock was reset, 3 decimals.
demo_t() {
	local ms=$(( $(date +%s%3N) - DEMO_T0 ))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

# emit TYPE JQ-ARGS... OBJECT: one line, e.g.
#   emit event --arg what "attack" '{what: $what}'
emit() {
	local type=$1 expr=${*: -1}; shift
	jq -nc --arg s "$DEMO_NAME" --arg ty "$type" "${@:1:$#-1}" \
		"{scenario: \$s, type: \$ty} + ($expr)" >>"$DEMO_FILE"
}
# event TEXT [T]: a marked moment (now unless T given), also printed.
event() {
	local t=${2:-$(demo_t)}
	emit event --arg what "$1" --argjson t "$t" '{t: $t, what: $what}'
	echo "  t=${t}s: $1"
}
say() { echo "  $*"; }

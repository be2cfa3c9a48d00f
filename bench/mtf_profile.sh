#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the marking cost goes (issue 3), run inside one VM by
# `make bench-mtf-profile`: the topology and traffic of mtf_filters.sh
# (pktgen 64-byte UDP, client -> R1 -> R2 -> server, closed loop on
# vCPU 0), no filters, in A/B rounds:
#
#   plain       no module
#   mtf-loaded  mtf.ko loaded, no roles: nothing registered (opt-in)
#   mtf-enabled config enable on in R1 and R2, no roles: the hooks alone
#   mtf-roles   a role on lo in R1 and R2: FORWARD and LOCAL_IN alone
#   mtf-insert  R1 border-ingress: inserts the header and fills slot 0
#   mtf-full    and R2 border-ingress + strip-egress: slot 1, strip
#   mtf-1k      and 1000 filters at R2 that the traffic looks up but never
#               matches (as mtf_filters.sh; the cost is flat up to 1M)
#
# then one `perf record -e cpu-clock` of plain and of mtf-1k on vCPU 0,
# reported per symbol (flat, >= 0.1 %) into $VM_OUT/{plain,mtf-1k}.report.
# Compare the two: a function's share in mtf-full times the mtf-full /
# plain cost ratio is its share of plain's cost.
#
# Environment: ROUNDS (3), SECS (4), CONFIGS ("loaded enabled roles
# insert full 1k"; a module without config enable: "loaded insert full
# 1k").

. "$(dirname "$0")/../selftests/lib.sh"
. "$(dirname "$0")/fwd_topo.lib"

ROUNDS=${ROUNDS:-3}
SECS=${SECS:-4}

require_root
require_modules mtf
require_cmd ip jq taskset modprobe perf

[ "$(nproc --all)" -ge 2 ] && taskset -p -c 1-$(($(nproc --all) - 1)) $$ >/dev/null

trap fwd_cleanup EXIT
fwd_topo_setup || exit 1

M1() { ip netns exec "$R1" "$MTFCTL" "$@" >/dev/null; }
M2() { ip netns exec "$R2" "$MTFCTL" "$@" >/dev/null; }

declare -A rates
measure() {	# label [perf]
	local r0 r1 t0 t1 pid pps
	fwd_pktgen_start &
	pid=$!
	sleep 0.5
	r0=$(rx); t0=$(date +%s%N)
	if [ -n "${2:-}" ]; then
		perf record -q -a -C 0 -e cpu-clock -o "$VM_OUT/$1.data" sleep "$SECS" 2>/dev/null
	else
		sleep "$SECS"
	fi
	r1=$(rx); t1=$(date +%s%N)
	fwd_pktgen_stop
	wait $pid 2>/dev/null
	pps=$(( (r1 - r0) * 1000000000 / (t1 - t0) ))
	# perf's own cost would skew the A/B rates
	[ -z "${2:-}" ] && rates[$1]="${rates[$1]:-} $pps"
	echo "# round $round $1: $pps pps"
}

INSTALL=$TOP/build/bench/mtf_filters_install
[ -x "$INSTALL" ] || skip_all "$INSTALL not built (make tools)"

mtf_config() {	# loaded|enabled|insert|full|1k
	mod_load mtf || exit 1
	[ "$1" = loaded ] && return
	if [ "$1" = enabled ]; then
		M1 config set enable on && M2 config set enable on || exit 1
		return
	fi
	if [ "$1" = roles ]; then
		M1 dev lo set account on && M2 dev lo set account on || exit 1
		return
	fi
	M1 dev eth0 set border-ingress on || exit 1
	[ "$1" = insert ] && return
	M2 dev eth0 set border-ingress on && M2 dev eth1 set strip-egress on || exit 1
	[ "$1" = full ] && return
	ip netns exec "$R2" "$INSTALL" 1000 2 $DST 256 0 0 >/dev/null || exit 1
}

echo "# kernel $(uname -r), $(nproc --all) vCPUs, ${SECS}s runs, $ROUNDS rounds"
for round in $(seq "$ROUNDS"); do
	measure plain
	for c in ${CONFIGS:-loaded enabled roles insert full 1k}; do
		mtf_config $c
		measure "mtf-$c"
		mod_unload mtf
	done
done

round=perf
measure plain perf
mtf_config 1k
measure mtf-1k perf
echo "# R1: $(ip netns exec "$R1" "$MTFCTL" -j status | jq -c '.stats | {hdr_inserted, insert_tail, headroom_expand}')"
mod_load mtf	# the module's symbols for the report
# where the module sat, to place raw sample addresses (bench/mtf_annotate)
cat /proc/kallsyms >"$VM_OUT/kallsyms"
for f in plain mtf-1k; do
	perf report -i "$VM_OUT/$f.data" --no-children --sort sym -q \
		--percent-limit 0.1 -g none --kallsyms=/proc/kallsyms \
		>"$VM_OUT/$f.report" 2>/dev/null
done
mod_unload mtf

{
echo "kernel $(uname -r): median pps over $ROUNDS rounds; ratio = median / plain median"
plain=$(printf '%s\n' ${rates[plain]} | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
for l in plain $(printf 'mtf-%s ' ${CONFIGS:-loaded enabled roles insert full 1k}); do
	printf '%s\n' ${rates[$l]} | sort -n | awk -v l="$l" -v p="$plain" -v all="${rates[$l]}" \
		'{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; printf "%-11s %7d  %.3f   %s\n", l, m, m / p, all }'
done
echo "top of the mtf-1k profile ($VM_OUT/mtf-1k.report):"
head -25 "$VM_OUT/mtf-1k.report"
} | tee "$VM_OUT/mtf_profile.txt"

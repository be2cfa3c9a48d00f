# SPDX-License-Identifier: GPL-2.0
#
# mtfd benchmarks (issue 9; not run by make check):
#   make bench-mtfd          bench/mtfd_control.sh in one VM: control-plane
#                            latency under netem 10/50 ms, R3's request rate
#                            and memory, R1's memory under 10k handshakes
#                            (table in build/vm/bench-mtfd-KVER/)
#   make bench-mtfd-ksp      k shortest paths on a 75,000-node graph (host)

.PHONY: bench-mtfd
bench: bench-mtfd
bench-mtfd: modules-all tools daemons
	$(Q)k=$(BENCH_KVER); \
	$(TOP)/selftests/vm/run --kernel $$k --mem 2048 --timeout 1800 \
		--out $(BUILD)/vm/bench-mtfd-$$k -- $(TOP)/bench/mtfd_control.sh

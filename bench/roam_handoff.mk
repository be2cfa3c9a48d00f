# SPDX-License-Identifier: GPL-2.0
#
# Live TCP handoff benchmark (issue 12; not run by make check):
#   make bench-roam-handoff  bench/roam_handoff.sh in one VM: the stall per
#                            move against the client's RTT, the 1 Mbit file's
#                            response time with live handoff vs fresh
#                            connections, 1000 connections in one roam
#                            (KVER=... picks the kernel; the table lands in
#                            build/vm/bench-roam-handoff-KVER/roam_handoff.txt)

.PHONY: bench-roam-handoff
bench: bench-roam-handoff
bench-roam-handoff: modules-all tools daemons
	$(Q)k=$(BENCH_KVER); \
	$(TOP)/selftests/vm/run --kernel $$k --mem 2048 --timeout 1200 \
		--out $(BUILD)/vm/bench-roam-handoff-$$k -- $(TOP)/bench/roam_handoff.sh

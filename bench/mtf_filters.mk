# SPDX-License-Identifier: GPL-2.0
#
# Filter table benchmark (issue 3; not run by make check):
#   make bench-mtf-filters   one VM run of bench/mtf_filters.sh:
#                            forwarding through two marking routers with
#                            0/1k/100k/1M filters vs no module and vs an
#                            nftables set of the same size (KVER=... picks
#                            the kernel; the table lands in
#                            build/vm/bench-KVER/mtf_filters.txt)

BENCH_MTF_INSTALL := $(BUILD)/bench/mtf_filters_install

# The guest clock counts instructions (2 ns each): rates measured in the
# guest repeat to ~0.1 % whatever the host's load, and ratios are ratios
# of instructions executed per packet (no cache model: see RESULTS.md).
# BENCH_VM_ENV=VM_TCG_THREAD=multi measures host time instead, and is
# the default for 6.1: Debian's 6.1 kernel does not get to init under
# -icount here (no console output within 100 s; not investigated).
BENCH_VM_ENV ?= VM_TCG_THREAD=single VM_ICOUNT=shift=1,sleep=off
BENCH_KVER = $(or $(KVER),$(firstword $(shell $(TOP)/scripts/kernels list)))
bench_vm_env = $(if $(filter 6.1.%,$(1)),VM_TCG_THREAD=multi,$(BENCH_VM_ENV))

$(BENCH_MTF_INSTALL): bench/mtf_filters_install.c include/uapi/linux/mtf.h $(LIB_A)
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LDLIBS)

.PHONY: bench-mtf-filters
tools: $(BENCH_MTF_INSTALL)
bench: bench-mtf-filters
bench-mtf-filters: modules-all tools $(BENCH_MTF_INSTALL)
	$(Q)k=$(BENCH_KVER); \
	$(call bench_vm_env,$(BENCH_KVER)) $(TOP)/selftests/vm/run --kernel $$k --mem 3072 --timeout 2400 \
		--out $(BUILD)/vm/bench-$$k -- $(TOP)/bench/mtf_filters.sh

# Where the marking cost goes: A/B rates of the module's stages and a
# perf profile of plain vs marking forwarding (bench/mtf_profile.sh).
.PHONY: bench-mtf-profile
bench: bench-mtf-profile
bench-mtf-profile: modules-all tools $(BENCH_MTF_INSTALL)
	$(Q)k=$(BENCH_KVER); \
	$(call bench_vm_env,$(BENCH_KVER)) $(TOP)/selftests/vm/run --kernel $$k --mem 2048 --timeout 900 \
		--out $(BUILD)/vm/profile-$$k -- $(TOP)/bench/mtf_profile.sh

# SPDX-License-Identifier: GPL-2.0
#
# Filter table benchmark (issue 3; not run by make check):
#   make bench-mtf-filters   one VM run of bench/mtf_filters.sh: bulk
#                            install rate, memory per filter, forwarding
#                            with 0/1k/100k/1M filters vs no module and
#                            vs an nftables set of the same size

BENCH_MTF_INSTALL := $(BUILD)/bench/mtf_filters_install

$(BENCH_MTF_INSTALL): bench/mtf_filters_install.c include/uapi/linux/mtf.h
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -o $@ $< $(USER_LDLIBS)

.PHONY: bench-mtf-filters
tools: $(BENCH_MTF_INSTALL)
bench: bench-mtf-filters
bench-mtf-filters: modules-all tools $(BENCH_MTF_INSTALL)
	$(Q)$(TOP)/selftests/vm/run --kernel $(or $(KVER),$(firstword $(shell $(TOP)/scripts/kernels list))) \
		--mem 3072 --timeout 3000 -- $(TOP)/bench/mtf_filters.sh

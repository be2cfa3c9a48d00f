# SPDX-License-Identifier: GPL-2.0
#
# Namespace selftest helpers and the path header parser's host test:
# included by the top Makefile.
#
#   make tools          also builds build/selftests/{mtf_capture,mtf_send}
#   make unit-tests     also builds build/tests/mtf_pathhdr_test (TAP)
#
# The fuzz target tools/fuzz/mtf_pathhdr.c is built by tools/build.mk's
# fuzz-build like every tools/fuzz/*.c.

ST_BINS := $(patsubst selftests/tools/%.c,$(BUILD)/selftests/%,\
	$(wildcard selftests/tools/*.c))
ST_PH_TEST := $(BUILD)/tests/mtf_pathhdr_test
UNIT_TESTS += $(ST_PH_TEST)

.PHONY: selftests-tools
tools: selftests-tools
selftests-tools: $(ST_BINS)
unit-tests: $(ST_PH_TEST)

$(ST_BINS): $(BUILD)/selftests/%: $(OBJ)/selftests/tools/%.o
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^

$(ST_PH_TEST): $(OBJ)/tools/tests/mtf_pathhdr_test.o
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^

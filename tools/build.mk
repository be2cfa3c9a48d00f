# SPDX-License-Identifier: GPL-2.0
#
# mtfctl / roamctl host tests and fuzzers: included by the top Makefile,
# which builds the CLIs themselves (tools/lib, tools/mtfctl, tools/roamctl)
# and lib/build.mk the library they link (build/lib/libmtfroam.a).
#
#   make unit-tests     build/tests/test-cmdline, test-genl-msg, test-mtf-msg,
#                       test-roamctl, test-lib
#   make fuzz-build     build/fuzz/{mtf_status,roam_status,genl_family,...}
#   make fuzz-tools     run each for FUZZ_SECONDS through scripts/fuzz-run

# test-cmdline links both CLIs whole, with tools/tests/mock_genl.c in
# place of the socket layer (lib/genl.c: defining every genl.c symbol,
# the mock keeps the archive's genl.o out of the link); test-genl-msg
# builds netlink messages and parses them back.  Each prints TAP.
T_CLI_OBJS := $(filter-out %/main.o,$(MTFCTL_OBJS) $(ROAMCTL_OBJS))
T_TESTS := $(BUILD)/tests/test-cmdline $(BUILD)/tests/test-genl-msg \
	$(BUILD)/tests/test-mtf-msg
T_TESTS += $(BUILD)/tests/test-roamctl $(BUILD)/tests/test-lib
UNIT_TESTS += $(T_TESTS)

.PHONY: tools-tests fuzz-build fuzz-tools
unit-tests: tools-tests
tools-tests: $(T_TESTS)

$(BUILD)/tests/test-cmdline: $(OBJ)/tools/tests/test-cmdline.o \
	$(OBJ)/tools/tests/mock_genl.o $(T_CLI_OBJS) $(CLILIB_OBJS) $(LIB_A)
$(BUILD)/tests/test-genl-msg: $(OBJ)/tools/tests/test-genl-msg.o \
	$(T_CLI_OBJS) $(CLILIB_OBJS) $(LIB_A)
$(BUILD)/tests/test-mtf-msg: $(OBJ)/tools/tests/test-mtf-msg.o \
	$(T_CLI_OBJS) $(CLILIB_OBJS) $(LIB_A)
# roamctl's gate, client and monitor code against a recording mock.
$(BUILD)/tests/test-roamctl: $(OBJ)/tools/tests/test-roamctl.o \
	$(OBJ)/tools/tests/mock_roam.o \
	$(filter-out %/main.o,$(ROAMCTL_OBJS)) $(CLILIB_OBJS) $(LIB_A)
# lib/hex.c and lib/parse.c.
$(BUILD)/tests/test-lib: $(OBJ)/tools/tests/test-lib.o $(LIB_A)
$(T_TESTS):
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(USER_LDLIBS)

# libFuzzer: tools/fuzz/NAME.c becomes build/fuzz/NAME, with the library
# and the CLIs instrumented too.  Seeds: tools/fuzz/corpus/NAME/.
FUZZ_SECONDS ?= 60
T_FUZZ_BINS := $(patsubst tools/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tools/fuzz/*.c))
T_FUZZ_DEPS := $(patsubst %.c,$(FUZZ_OBJ)/%.o,$(CLILIB_SRCS) \
	$(filter-out %/main.c,$(MTFCTL_SRCS) $(ROAMCTL_SRCS)))
$(FUZZ_OBJ)/tools/%.o: USER_CFLAGS += -I$(TOP)/tools/lib

fuzz-build: $(T_FUZZ_BINS)

fuzz-tools: $(T_FUZZ_BINS)
	$(Q)for f in $(T_FUZZ_BINS); do \
		$(TOP)/scripts/fuzz-run $$f $(FUZZ_SECONDS) || exit 1; done

$(T_FUZZ_BINS): $(BUILD)/fuzz/%: $(FUZZ_OBJ)/tools/fuzz/%.o $(T_FUZZ_DEPS) $(LIB_FUZZ_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -o $@ $(filter %.o,$^) $(FUZZ_LDLIBS)

# SPDX-License-Identifier: GPL-2.0
#
# Namespace selftest helpers and the path header parser's host test:
# included by the top Makefile.
#
#   make tools          also builds build/selftests/{mtf_capture,mtf_send,
#                       nfq_accept,...}: every selftests/tools/*.c
#   make unit-tests     also builds build/tests/mtf_pathhdr_test and
#                       scan-klog-test (TAP)
#
# The fuzz target tools/fuzz/mtf_pathhdr.c is built by tools/build.mk's
# fuzz-build like every tools/fuzz/*.c.

ST_BINS := $(patsubst selftests/tools/%.c,$(BUILD)/selftests/%,\
	$(wildcard selftests/tools/*.c))
ST_PH_TEST := $(BUILD)/tests/mtf_pathhdr_test
# scan-klog's host test (TAP), pointed at this tree's scanner and logs.
ST_SCAN_TEST := $(BUILD)/tests/scan-klog-test
UNIT_TESTS += $(ST_PH_TEST) $(ST_SCAN_TEST)

.PHONY: selftests-tools
tools: selftests-tools
selftests-tools: $(ST_BINS)
unit-tests: $(ST_PH_TEST) $(ST_SCAN_TEST)

$(ST_SCAN_TEST): selftests/vm/scan-klog-test.sh selftests/vm/scan-klog \
		$(wildcard selftests/vm/testdata/*.log)
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)sed 's|^SRC=@SRCDIR@$$|SRC=$(TOP)/selftests/vm|' $< >$@.tmp
	$(Q)chmod 0755 $@.tmp && mv $@.tmp $@


# nfq_accept (mtf_nfqueue.sh) gives NFQUEUE verdicts with libnetfilter_queue.
$(BUILD)/selftests/nfq_accept: ST_LDLIBS := \
	$(shell pkg-config --libs libnetfilter_queue 2>/dev/null)

$(ST_BINS): $(BUILD)/selftests/%: $(OBJ)/selftests/tools/%.o
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^ $(ST_LDLIBS)

$(ST_PH_TEST): $(OBJ)/tools/tests/mtf_pathhdr_test.o
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^

# mtfd_msg crafts control messages with mtfd's own codec.
$(BUILD)/selftests/mtfd_msg: $(OBJ)/daemons/mtfd/msg.o $(OBJ)/daemons/mtfd/addr.o $(LIB_A)
$(BUILD)/selftests/mtfd_msg: ST_LDLIBS := $(LIB_A) \
	$(or $(shell pkg-config --libs openssl 2>/dev/null),-lcrypto)

# roam_handoff (roam_handoff.sh): TCP_REPAIR and the MAC from the library.
$(BUILD)/selftests/roam_handoff: $(LIB_A)
$(BUILD)/selftests/roam_handoff: ST_LDLIBS := $(USER_LDLIBS)

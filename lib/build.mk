# SPDX-License-Identifier: GPL-2.0
#
# The userspace library shared by the CLIs (tools/), the daemons
# (daemons/), their tests and fuzzers: included by the top Makefile first.
#
#   lib/*.c   -> build/lib/libmtfroam.a          (USER_LDLIBS links it)
#             -> build/obj-fuzz/libmtfroam.a     (instrumented, FUZZ_LDLIBS)
#
# Headers live next to the sources and are included by name (-I lib):
# the netlink layer (genl.h), the authd admin protocol (admin.h), the
# roaming schedule (chain.h, schedule.h), the wire formats (proto.h,
# fileproto.h), certificates (pki.h), secret files (secfile.h), logging
# (log.h), roam.ko's command-line words (roam_args.h), the hex codec
# (hex.h), the integer parser (parse.h), the unit tests' TAP (tap.h), and
# the live handoff's TCP_REPAIR state (tcprepair.h) and keys (migkey.h).

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o)
LIB_A := $(BUILD)/lib/libmtfroam.a
# Every userspace program links the archive; a library the program does
# not use (libmnl in authd) is dropped.
USER_LDLIBS := $(LIB_A) -Wl,--as-needed $(PKG_LIBS) -Wl,--no-as-needed

$(LIB_A): $(LIB_OBJS)
	$(quiet) AR $@
	$(Q)mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

# libFuzzer (clang): the library instrumented once, for every fuzz target
# (tools/build.mk, daemons/build.mk).
FUZZ_CC ?= clang
FUZZ_OBJ := $(BUILD)/obj-fuzz
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = $(filter-out -O2,$(USER_CFLAGS)) -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
LIB_FUZZ_A := $(FUZZ_OBJ)/libmtfroam.a
FUZZ_LDLIBS := $(LIB_FUZZ_A) -Wl,--as-needed $(PKG_LIBS) -Wl,--no-as-needed

$(FUZZ_OBJ)/%.o: %.c
	$(quiet) FUZZCC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB_FUZZ_A): $(LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o)
	$(quiet) AR $@
	$(Q)mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)

# SPDX-License-Identifier: GPL-2.0
#
# Userspace roaming daemons (issue 4): included by the top Makefile.
#
#   make daemons          authd, authd-admin, roam-client, roamd,
#                         roam-fileserver, roam-fetch into build/bin
#   make daemons-tests    host unit tests into build/tests (TAP)
#   make fuzz-daemons     libFuzzer targets into build/fuzz, each run for
#                         FUZZ_SECONDS (default 20)

D_DIR := daemons
# The shared code (admin protocol, schedule, wire formats, netlink layer)
# is lib/ (lib/build.mk): every binary here links USER_LDLIBS.
D_CFLAGS := -I$(TOP)/daemons/client -I$(TOP)/daemons/mtfd \
	$(shell pkg-config --cflags openssl 2>/dev/null)
D_LIBS := $(or $(shell pkg-config --libs openssl 2>/dev/null),-lssl -lcrypto) \
	$(or $(shell pkg-config --libs libsystemd 2>/dev/null),-lsystemd) \
	$(or $(shell pkg-config --libs sqlite3 2>/dev/null),-lsqlite3)
D_LDLIBS := $(USER_LDLIBS) -Wl,--as-needed $(D_LIBS) -Wl,--no-as-needed

D_AUTHD_SRCS := $(filter-out $(D_DIR)/authd/admin-cli.c,$(wildcard $(D_DIR)/authd/*.c))
D_CLIENT_LIB_SRCS := $(D_DIR)/client/client.c
D_CLIENT_SRCS := $(D_DIR)/client/main.c

D_AUTHD_OBJS := $(D_AUTHD_SRCS:%.c=$(OBJ)/%.o)
D_CLIENT_LIB_OBJS := $(D_CLIENT_LIB_SRCS:%.c=$(OBJ)/%.o)
D_CLIENT_OBJS := $(D_CLIENT_SRCS:%.c=$(OBJ)/%.o)
D_ADMIN_OBJS := $(OBJ)/$(D_DIR)/authd/admin-cli.o
D_FILESERVER_OBJS := $(OBJ)/$(D_DIR)/demo/fileserver.o
D_FETCH_OBJS := $(OBJ)/$(D_DIR)/demo/fetch.o
D_ROAMD_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard $(D_DIR)/roamd/*.c))
D_TEST_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard $(D_DIR)/tests/*.c))
# mtfd (issue 9): its message codec and addresses (D_MTFD_OBJS, what the
# tests and fuzzers link), the gateway graph (topo*), the daemon.
D_MTFD_ALL_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard $(D_DIR)/mtfd/*.c))
D_MTFD_OBJS := $(OBJ)/$(D_DIR)/mtfd/msg.o $(OBJ)/$(D_DIR)/mtfd/addr.o
# Its gateway graph (topo*.c) is the part that needs igraph: kept apart,
# so only what links topo.o links igraph.
D_IGRAPH_CFLAGS := $(shell pkg-config --cflags igraph 2>/dev/null)
D_IGRAPH_LIBS := $(or $(shell pkg-config --libs igraph 2>/dev/null),-ligraph)
D_MTFD_TOPO_OBJS := $(filter $(OBJ)/$(D_DIR)/mtfd/topo%,$(D_MTFD_ALL_OBJS))
D_MTFD_D_OBJS := $(filter-out $(D_MTFD_TOPO_OBJS) $(D_MTFD_OBJS),$(D_MTFD_ALL_OBJS))
$(D_MTFD_TOPO_OBJS) $(OBJ)/$(D_DIR)/tests/topo-test.o: \
	USER_CFLAGS += $(D_CFLAGS) $(D_IGRAPH_CFLAGS)
# The daemon uses mtfctl's netlink messages (one filter encoder) and the
# kernel's path header parser.
D_MTFD_LIBS := $(or $(shell pkg-config --libs inih 2>/dev/null),-linih) \
	$(or $(shell pkg-config --libs libnftables 2>/dev/null),-lnftables) \
	$(or $(shell pkg-config --libs json-c 2>/dev/null),-ljson-c)
$(D_MTFD_D_OBJS): USER_CFLAGS += -I$(TOP)/tools/mtfctl -I$(TOP)/tools/lib \
	-I$(TOP)/kmod/common $(D_IGRAPH_CFLAGS)

D_BINS := $(BIN)/authd $(BIN)/authd-admin $(BIN)/roam-client \
	$(BIN)/roam-fileserver $(BIN)/roam-fetch $(BIN)/roamd $(BIN)/mtfd
D_TESTS := $(BUILD)/tests/roam-chain-test $(BUILD)/tests/roam-proto-test \
	$(BUILD)/tests/roam-fileproto-test $(BUILD)/tests/roam-authd-e2e \
	$(BUILD)/tests/roam-roamd-e2e $(BUILD)/tests/roam-roamd-test \
	$(BUILD)/tests/roam-systemd-e2e $(BUILD)/tests/mtfd-msg-test \
	$(BUILD)/tests/roam-store-test $(BUILD)/tests/mtfd-topo-test \
	$(BUILD)/tests/roam-admin-test $(BUILD)/tests/roam-migkey-test \
	$(BUILD)/tests/roam-tcprepair-test $(BUILD)/tests/roam-tcpmove-test \
	$(BUILD)/tests/roam-handoff-test $(BUILD)/tests/roam-handoff-e2e \
	$(BUILD)/tests/roam-roamd-handoff-e2e
UNIT_TESTS += $(D_TESTS)

D_ALL_OBJS := $(D_AUTHD_OBJS) $(D_CLIENT_LIB_OBJS) \
	$(D_CLIENT_OBJS) $(D_ADMIN_OBJS) $(D_TEST_OBJS) $(D_FILESERVER_OBJS) \
	$(D_FETCH_OBJS) $(D_ROAMD_OBJS) $(D_MTFD_OBJS) $(D_MTFD_D_OBJS)
$(D_ALL_OBJS): USER_CFLAGS += $(D_CFLAGS)


.PHONY: daemons daemons-tests fuzz-daemons
all: daemons
unit-tests: daemons-tests
daemons: $(D_BINS)
daemons-tests: $(D_TESTS)

$(BIN)/authd: $(D_AUTHD_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BIN)/authd-admin: $(D_ADMIN_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BIN)/roam-client: $(D_CLIENT_OBJS) $(D_CLIENT_LIB_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BIN)/roam-fileserver: $(D_FILESERVER_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BIN)/roam-fetch: $(D_FETCH_OBJS) $(D_CLIENT_LIB_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BIN)/roamd: $(D_ROAMD_OBJS) $(D_CLIENT_LIB_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

# The selftests' UDP attacker (selftests/roam_fig2.sh).
D_FLOOD := $(BUILD)/selftests/roam-udp-flood
daemons: $(D_FLOOD)
$(D_FLOOD): $(OBJ)/$(D_DIR)/tests/udp-flood.o
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^

# roamd's objects but main, with the netlink layer; no kernel needed.
$(BUILD)/tests/roam-roamd-test: $(OBJ)/$(D_DIR)/tests/roamd-test.o \
	$(filter-out %/main.o,$(D_ROAMD_OBJS)) $(D_CLIENT_LIB_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

# The live handoff (issue 12): roamd's objects but main, as above; the
# end-to-end one runs the file server.
D_HANDOFF_TESTS := $(BUILD)/tests/roam-handoff-test $(BUILD)/tests/roam-handoff-e2e
$(D_HANDOFF_TESTS): $(BUILD)/tests/roam-handoff-%: $(OBJ)/$(D_DIR)/tests/handoff-%.o \
	$(filter-out %/main.o,$(D_ROAMD_OBJS)) $(D_CLIENT_LIB_OBJS) $(LIB_A) \
	$(BIN)/roam-fileserver
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BUILD)/tests/roam-%-test: $(OBJ)/$(D_DIR)/tests/%-test.o $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BUILD)/tests/roam-store-test: $(OBJ)/$(D_DIR)/tests/store-test.o \
	$(OBJ)/$(D_DIR)/authd/store.o $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BIN)/mtfd: $(D_MTFD_D_OBJS) $(D_MTFD_OBJS) $(D_MTFD_TOPO_OBJS) \
	$(filter-out %/main.o,$(MTFCTL_OBJS)) $(CLILIB_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS) $(D_MTFD_LIBS) $(D_IGRAPH_LIBS)

$(BUILD)/tests/mtfd-msg-test: $(OBJ)/$(D_DIR)/tests/mtfmsg-test.o $(D_MTFD_OBJS)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS)

$(BUILD)/tests/mtfd-topo-test: $(OBJ)/$(D_DIR)/tests/topo-test.o $(D_MTFD_TOPO_OBJS) \
	$(D_MTFD_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(D_LDLIBS) $(D_IGRAPH_LIBS)

# The end-to-end test is a script; it finds the binaries next to itself.
$(BUILD)/tests/roam-authd-e2e: $(D_DIR)/tests/authd-e2e.sh $(D_BINS) \
	$(BUILD)/selftests/tcp_hold
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)install -m 0755 $< $@

$(BUILD)/tests/roam-systemd-e2e: $(D_DIR)/tests/systemd-e2e.sh $(D_BINS) \
	$(wildcard $(D_DIR)/systemd/*.in)
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)install -m 0755 $< $@

$(BUILD)/tests/roam-roamd-handoff-e2e: $(D_DIR)/tests/roamd-handoff-e2e.sh $(D_BINS) $(BIN)/roamctl
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)install -m 0755 $< $@

$(BUILD)/tests/roam-roamd-e2e: $(D_DIR)/tests/roamd-e2e.sh $(D_BINS) $(BIN)/roamctl \
	$(BUILD)/selftests/notify_recv
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)install -m 0755 $< $@

# ---------------------------------------------------------------------------
# libFuzzer (clang): the message parser and the admin request parser.
# ---------------------------------------------------------------------------
# Built like the tools' fuzzers (lib/build.mk): -Werror, the instrumented
# library archive.
FUZZ_SECONDS ?= 20
D_FUZZERS := $(BUILD)/fuzz/roam-proto-fuzz $(BUILD)/fuzz/roam-admin-fuzz \
	$(BUILD)/fuzz/roam-fileproto-fuzz $(BUILD)/fuzz/mtfd-msg-fuzz \
	$(BUILD)/fuzz/mtfd-topo-fuzz $(BUILD)/fuzz/mtfd-rapkt-fuzz \
	$(BUILD)/fuzz/roam-tcprepair-fuzz $(BUILD)/fuzz/roam-handoff-fuzz
$(FUZZ_OBJ)/$(D_DIR)/%.o: USER_CFLAGS += $(D_CFLAGS)
$(FUZZ_OBJ)/$(D_DIR)/mtfd/rapkt.o $(FUZZ_OBJ)/$(D_DIR)/fuzz/rapkt-fuzz.o: \
	USER_CFLAGS += -I$(TOP)/kmod/common
$(patsubst %.c,$(FUZZ_OBJ)/%.o,$(wildcard $(D_DIR)/mtfd/topo*.c)) \
	$(FUZZ_OBJ)/$(D_DIR)/fuzz/topo-fuzz.o: USER_CFLAGS += $(D_IGRAPH_CFLAGS)

# Packets from the forwarding path (router alert), then the message.
$(BUILD)/fuzz/mtfd-rapkt-fuzz: $(FUZZ_OBJ)/$(D_DIR)/fuzz/rapkt-fuzz.o \
	$(FUZZ_OBJ)/$(D_DIR)/mtfd/rapkt.o $(FUZZ_OBJ)/$(D_DIR)/mtfd/msg.o $(LIB_FUZZ_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -o $@ $(filter %.o,$^) $(FUZZ_LDLIBS) $(D_LIBS)

# The topology file parser, and a query on what it accepted.
$(BUILD)/fuzz/mtfd-topo-fuzz: $(FUZZ_OBJ)/$(D_DIR)/fuzz/topo-fuzz.o \
	$(patsubst %.c,$(FUZZ_OBJ)/%.o,$(wildcard $(D_DIR)/mtfd/topo*.c)) \
	$(FUZZ_OBJ)/$(D_DIR)/mtfd/addr.o $(LIB_FUZZ_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -o $@ $(filter %.o,$^) $(FUZZ_LDLIBS) $(D_IGRAPH_LIBS)

$(BUILD)/fuzz/mtfd-msg-fuzz: $(FUZZ_OBJ)/$(D_DIR)/fuzz/mtfmsg-fuzz.o \
	$(FUZZ_OBJ)/$(D_DIR)/mtfd/msg.o $(FUZZ_OBJ)/$(D_DIR)/mtfd/addr.o $(LIB_FUZZ_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -o $@ $(filter %.o,$^) $(FUZZ_LDLIBS) $(D_LIBS)

$(BUILD)/fuzz/roam-%-fuzz: $(FUZZ_OBJ)/$(D_DIR)/fuzz/%-fuzz.o $(LIB_FUZZ_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -o $@ $(filter %.o,$^) $(FUZZ_LDLIBS) $(D_LIBS)

fuzz: fuzz-daemons
fuzz-build: $(D_FUZZERS)
fuzz-daemons: $(D_FUZZERS)
	$(Q)set -e; for f in $(D_FUZZERS); do \
		n=$$(basename $$f); c=$(BUILD)/fuzz/$$n.corpus; mkdir -p $$c; \
		echo "  FUZZ     $$n ($(FUZZ_SECONDS)s)"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=20000 -print_final_stats=0 \
			$$c $(TOP)/$(D_DIR)/fuzz/corpus/$${n#roam-} >$(BUILD)/fuzz/$$n.log 2>&1 \
			|| { tail -n 40 $(BUILD)/fuzz/$$n.log; exit 1; }; \
	done

# ---------------------------------------------------------------------------
# Subscription-rate benchmark (bench/authd-*; not run by make check).
# ---------------------------------------------------------------------------
$(BUILD)/bench/authd-bench: bench/authd-bench.c $(D_CLIENT_LIB_OBJS) $(LIB_A)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) $(D_CFLAGS) -o $@ $(filter-out %.a,$^) $(D_LDLIBS)

.PHONY: bench-authd
bench: bench-authd
bench-authd: $(D_BINS) $(BUILD)/bench/authd-bench
	$(Q)BUILD=$(BUILD) SESSIONS=$(or $(SESSIONS),10000) $(TOP)/bench/authd-bench.sh

# k shortest paths on a 75,000-gateway power-law graph (bench/mtfd_ksp.c;
# host only, not run by make check; built with the daemons so it stays
# compilable).
D_KSP_BENCH := $(BUILD)/bench/mtfd_ksp
daemons: $(D_KSP_BENCH)
$(D_KSP_BENCH): bench/mtfd_ksp.c $(D_MTFD_TOPO_OBJS) $(D_MTFD_OBJS) $(LIB_A)
	$(quiet) CC $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) $(D_CFLAGS) $(D_IGRAPH_CFLAGS) -o $@ $(filter-out %.a,$^) \
		$(D_LDLIBS) $(D_IGRAPH_LIBS) -lm

.PHONY: bench-mtfd-ksp
bench: bench-mtfd-ksp
bench-mtfd-ksp: $(D_KSP_BENCH)
	$(Q)$(D_KSP_BENCH) $(BENCH_KSP_ARGS)

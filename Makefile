# SPDX-License-Identifier: GPL-2.0
#
# Top-level build.  Kernel modules are built by Kbuild (see ./Kbuild);
# userspace by the rules below into build/.
#
#   make [KDIR=... | KVER=...]   modules (against one kernel) and tools
#   make modules-all             modules for every supported kernel, into
#                                build/kmod/KVER/
#   make check                   set-up, build, host tests, VM selftests on
#                                both kernels; TAP and a totals line
#   make check-debug             VM selftests on a cached KASAN + lockdep +
#                                kmemleak 6.12 kernel (built once; slow)
#   make demo                    both defenses end to end in a VM
#   make fuzz                    run the fuzz targets for long
#   make bench                   benchmarks in VMs (bench/RESULTS.md):
#                                bench-mtf-filters, bench-mtf-profile,
#                                bench-authd
#   make W=1 / C=1               as for the kernel: extra warnings / sparse

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build

ifeq ($(origin KDIR),undefined)
  ifneq ($(KVER),)
    KDIR := $(shell $(TOP)/scripts/kernels kdir $(KVER))
  else
    KDIR := $(shell $(TOP)/scripts/kernels kdir)
  endif
endif

ifeq ($(V),1)
  Q :=
  quiet = @true
else
  Q := @
  quiet = @printf '  %-8s %s\n'
endif

# ---------------------------------------------------------------------------
# Userspace
# ---------------------------------------------------------------------------
CC ?= cc
PKGS := libmnl json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I$(TOP)/include/uapi -I$(TOP)/tools/lib $(PKG_CFLAGS) $(EXTRA_CFLAGS)
USER_LDLIBS := $(PKG_LIBS)

OBJ := $(BUILD)/obj
BIN := $(BUILD)/bin

# Shared netlink layer and CLIs (tools/).
LIBNL_SRCS := $(wildcard tools/lib/*.c)
MTFCTL_SRCS := $(wildcard tools/mtfctl/*.c)
ROAMCTL_SRCS := $(wildcard tools/roamctl/*.c)

LIBNL_OBJS := $(LIBNL_SRCS:%.c=$(OBJ)/%.o)
MTFCTL_OBJS := $(MTFCTL_SRCS:%.c=$(OBJ)/%.o)
ROAMCTL_OBJS := $(ROAMCTL_SRCS:%.c=$(OBJ)/%.o)

TOOLS := $(BIN)/mtfctl $(BIN)/roamctl

.PHONY: all modules modules-all tools check check-debug demo fuzz bench clean \
	help deps unit-tests

all: modules tools

deps:
	$(Q)$(TOP)/scripts/setup-host

tools: $(TOOLS)

$(OBJ)/%.o: %.c
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

$(BIN)/mtfctl: $(MTFCTL_OBJS) $(LIBNL_OBJS)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

$(BIN)/roamctl: $(ROAMCTL_OBJS) $(LIBNL_OBJS)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $^ $(USER_LDLIBS)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

# Each area with its own userspace build adds a fragment; fragments append
# host test binaries to UNIT_TESTS (each prints TAP when run).
include $(wildcard $(TOP)/daemons/build.mk)
include $(wildcard $(TOP)/tools/build.mk)
include $(wildcard $(TOP)/selftests/build.mk)
include $(wildcard $(TOP)/bench/mtf_filters.mk)

# ---------------------------------------------------------------------------
# Kernel modules
# ---------------------------------------------------------------------------
modules:
	$(Q)test -n "$(KDIR)" || exit 1
	$(Q)$(MAKE) -C $(KDIR) M=$(TOP) W=$(W) C=$(C) modules

# One out-of-tree build per kernel, each in its own symlink tree so that
# the object files of two kernels never mix.
modules-all:
	$(Q)$(TOP)/scripts/build-modules $(if $(W),W=$(W)) $(if $(C),C=$(C))

# ---------------------------------------------------------------------------
# Tests, demo, fuzzing
# ---------------------------------------------------------------------------
check: deps
	$(Q)$(TOP)/scripts/check

demo: deps
	$(Q)$(TOP)/scripts/demo

# Not part of check: the first run builds a debug kernel (~20 min).
check-debug: deps
	$(Q)$(TOP)/scripts/check-debug

# Long fuzzing of every target (FUZZ_SECONDS each); make check runs 5 s.
fuzz: fuzz-tools fuzz-daemons

clean:
	$(Q)if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null; fi
	$(Q)rm -rf $(BUILD)

help:
	@sed -n '3,19p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

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
#   make demo                    the papers' experiments (reduced) in one VM,
#                                build/report/ (DEMO_SCENARIOS=mtf-s1 ...)
#   make experiments [FULL=1]    the papers' grids with repetitions, resumable,
#                                build/experiments/ (scripts/experiments)
#   make fuzz                    run the fuzz targets for long
#   make bench                   benchmarks in VMs (bench/RESULTS.md):
#                                bench-mtf-filters, bench-mtf-profile,
#                                bench-authd, bench-mtfd,
#                                bench-roam-handoff
#   make install                 CLIs, daemons, man pages, systemd units,
#                                modules (PREFIX, DESTDIR, INSTALL_KVERS)
#   make dkms-install            module sources into /usr/src for DKMS
#   make W=1 / C=1               as for the kernel: extra warnings / sparse

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
# One version for modules, tools and DKMS (scripts/version).
PROJECT_VERSION := $(shell $(TOP)/scripts/version)

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
PKGS := libmnl json-c libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(or $(shell pkg-config --libs $(PKGS) 2>/dev/null),-lmnl -ljson-c -lcrypto)
# Headers of the shared library (lib/) by name: #include "genl.h".
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I$(TOP)/include/uapi -I$(TOP)/lib $(PKG_CFLAGS) $(EXTRA_CFLAGS)

OBJ := $(BUILD)/obj
BIN := $(BUILD)/bin

# The userspace library of tools, daemons, tests and fuzzers (lib/):
# defines LIB_A and USER_LDLIBS.
include $(TOP)/lib/build.mk

# The CLIs (tools/); tools/lib holds what only they share.
CLILIB_SRCS := $(wildcard tools/lib/*.c)
MTFCTL_SRCS := $(wildcard tools/mtfctl/*.c)
ROAMCTL_SRCS := $(wildcard tools/roamctl/*.c)

CLILIB_OBJS := $(CLILIB_SRCS:%.c=$(OBJ)/%.o)
MTFCTL_OBJS := $(MTFCTL_SRCS:%.c=$(OBJ)/%.o)
ROAMCTL_OBJS := $(ROAMCTL_SRCS:%.c=$(OBJ)/%.o)

TOOLS := $(BIN)/mtfctl $(BIN)/roamctl

.PHONY: all modules modules-all tools check check-debug demo experiments fuzz bench clean \
	help deps unit-tests

all: modules tools

deps:
	$(Q)$(TOP)/scripts/setup-host

tools: $(TOOLS)

# CLI-only headers (cli.h, out.h, ...) for the CLIs and their tests.
$(OBJ)/tools/%.o: USER_CFLAGS += -I$(TOP)/tools/lib

$(OBJ)/%.o: %.c
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

$(BIN)/mtfctl: $(MTFCTL_OBJS) $(CLILIB_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(USER_LDLIBS)

$(BIN)/roamctl: $(ROAMCTL_OBJS) $(CLILIB_OBJS) $(LIB_A)
	$(quiet) LD $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -o $@ $(filter %.o,$^) $(USER_LDLIBS)

# Only the object that prints it, so a new commit rebuilds one file.
VERSIONED_OBJS := $(OBJ)/tools/lib/cli.o $(OBJ)/tools/tests/test-cmdline.o
$(VERSIONED_OBJS): USER_CFLAGS += -DTOOLS_VERSION='"$(PROJECT_VERSION)"'
$(VERSIONED_OBJS): $(BUILD)/version.stamp
$(BUILD)/version.stamp: FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)[ "$$(cat $@ 2>/dev/null)" = "$(PROJECT_VERSION)" ] || echo "$(PROJECT_VERSION)" >$@
.PHONY: FORCE
FORCE:

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

# Each area with its own userspace build adds a fragment; fragments append
# host test binaries to UNIT_TESTS (each prints TAP when run).
include $(wildcard $(TOP)/daemons/build.mk)
include $(wildcard $(TOP)/tools/build.mk)
include $(wildcard $(TOP)/selftests/build.mk)
include $(wildcard $(TOP)/bench/mtf_filters.mk)
include $(wildcard $(TOP)/bench/mtfd.mk)
include $(wildcard $(TOP)/bench/roam_handoff.mk)

# ---------------------------------------------------------------------------
# Kernel modules
# ---------------------------------------------------------------------------
modules:
	$(Q)test -n "$(KDIR)" || exit 1
	$(Q)$(MAKE) -C $(KDIR) M=$(TOP) W=$(W) C=$(C) MTF_ROAM_VERSION=$(PROJECT_VERSION) modules

# One out-of-tree build per kernel, each in its own symlink tree so that
# the object files of two kernels never mix.
modules-all:
	$(Q)$(TOP)/scripts/build-modules $(if $(W),W=$(W)) $(if $(C),C=$(C))

# ---------------------------------------------------------------------------
# Installation (Documentation/install.md)
# ---------------------------------------------------------------------------
# Also the DKMS package version: changes with every commit of a checkout.
VERSION := $(PROJECT_VERSION)
BASE_VERSION := $(firstword $(subst +, ,$(VERSION)))
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SRCDIR ?= /usr/src
# Kernels whose modules `install` copies: every one built by modules-all.
INSTALL_KVERS ?= $(notdir $(wildcard $(BUILD)/kmod/*.*))

MAN_SRCS := $(wildcard Documentation/*.[18].md)
MANS := $(patsubst Documentation/%.md,$(BUILD)/man/%,$(MAN_SRCS))
UNITS := $(patsubst daemons/systemd/%.in,$(BUILD)/systemd/%,\
	$(wildcard daemons/systemd/*.service.in))

.PHONY: install install-tools install-daemons install-man install-systemd \
	install-modules dkms-tree dkms-install man units

man: $(MANS)
units: $(UNITS)

# The pages are Markdown for reading on the web; troff for man(1): the
# title line becomes .TH NAME SECTION.
$(BUILD)/man/%: Documentation/%.md
	$(quiet) MAN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)n=$(notdir $*); sed -e '/^<!--.*-->$$/d' -e '1,/^# /s/^# .*/# '"$${n%.*} $${n##*.}"' "" "mtf-roam $(BASE_VERSION)" "mtf-roam"/' $< | \
		go-md2man -out $@ 2>/dev/null

$(BUILD)/systemd/%: daemons/systemd/%.in
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' $< >$@

install: install-tools install-daemons install-man install-systemd install-modules

install-tools: tools
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(TOOLS) $(DESTDIR)$(BINDIR)/

install-daemons: daemons
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR)
	install -m 0755 $(BIN)/authd $(BIN)/authd-admin $(BIN)/roamd $(BIN)/mtfd \
		$(DESTDIR)$(SBINDIR)/
	install -m 0755 $(BIN)/roam-client $(BIN)/roam-fileserver $(BIN)/roam-fetch \
		$(DESTDIR)$(BINDIR)/

install-man: man
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(filter %.8,$(MANS)) $(DESTDIR)$(MANDIR)/man8/

install-systemd: units
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 0644 $(UNITS) $(DESTDIR)$(UNITDIR)/
	install -m 0644 daemons/systemd/roam.sysusers $(DESTDIR)$(SYSUSERSDIR)/mtf-roam.conf

# Into updates/ (searched before the kernel's own tree), then depmod so
# that modprobe finds them by name.  Into a DESTDIR, depmod writes that
# root's module index (modprobe -d DESTDIR).
install-modules:
	$(Q)test -n "$(INSTALL_KVERS)" || { echo "install-modules: no modules built (make modules-all)" >&2; exit 1; }
	$(Q)set -e; for k in $(INSTALL_KVERS); do \
		d=$(DESTDIR)/lib/modules/$$k/updates/mtf-roam; \
		echo "  INSTALL $$d"; \
		install -d $$d; \
		install -m 0644 $(BUILD)/kmod/$$k/mtf.ko $(BUILD)/kmod/$$k/roam.ko $$d/; \
		if [ -n "$(DESTDIR)" ]; then \
			for f in modules.order modules.builtin modules.builtin.modinfo; do \
				[ -e /lib/modules/$$k/$$f ] && cp /lib/modules/$$k/$$f $(DESTDIR)/lib/modules/$$k/ || true; \
			done; \
			depmod -b $(DESTDIR) $$k; \
		else \
			depmod $$k; \
		fi; \
	done

# DKMS: the module sources as /usr/src/mtf-roam-VERSION with a dkms.conf,
# rebuilt by dkms for every kernel installed later (as wireguard-dkms).
DKMS_TREE := $(BUILD)/dkms-src/mtf-roam-$(VERSION)
dkms-tree:
	$(Q)rm -rf $(BUILD)/dkms-src && mkdir -p $(DKMS_TREE)
	$(Q)cd $(TOP) && find Kbuild kmod include -type f \
		\( -name Kbuild -o -name '*.[ch]' \) ! -name '*.mod.c' | \
		cpio -pdm --quiet $(DKMS_TREE)
	$(Q)sed 's|@VERSION@|$(VERSION)|g' kmod/dkms.conf.in >$(DKMS_TREE)/dkms.conf
	$(Q)echo $(VERSION) >$(DKMS_TREE)/kmod/VERSION

dkms-install: dkms-tree
	install -d $(DESTDIR)$(SRCDIR)
	rm -rf $(DESTDIR)$(SRCDIR)/mtf-roam-$(VERSION)
	cp -a $(DKMS_TREE) $(DESTDIR)$(SRCDIR)/
	$(if $(DESTDIR),,dkms add mtf-roam/$(VERSION) && dkms autoinstall)

# ---------------------------------------------------------------------------
# Tests, demo, fuzzing
# ---------------------------------------------------------------------------
check: deps
	$(Q)$(TOP)/scripts/check

demo: deps
	$(Q)$(TOP)/scripts/demo $(DEMO_SCENARIOS)

experiments: deps
	$(Q)FULL=$(FULL) $(TOP)/scripts/experiments

# Not part of check: the first run builds a debug kernel (~20 min).
check-debug: deps
	$(Q)$(TOP)/scripts/check-debug

# Long fuzzing of every target (FUZZ_SECONDS each); make check runs 5 s.
fuzz: fuzz-tools fuzz-daemons

clean:
	$(Q)if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null; fi
	$(Q)rm -rf $(BUILD)

help:
	@sed -n '3,23p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

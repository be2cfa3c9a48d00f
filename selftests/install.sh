#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make install` and DKMS put on a machine, used the way an operator
# would: modules loaded by name with modprobe (from the module index that
# depmod wrote), the installed CLIs talking to them, man pages and units
# in place.  The host prepares both roots before the VM boots (scripts/
# check: `make install DESTDIR=build/install-root`, scripts/dkms-check);
# the VM shares the tree read-only, so modprobe -d reads them there.

. "$(dirname "$0")/lib.sh"

IROOT=${INSTALL_ROOT:-$TOP/build/install-root}
DROOT=${DKMS_ROOT:-$TOP/build/dkms-test/root}
PREFIX=${INSTALL_PREFIX:-/usr/local}

require_root
require_cmd modprobe modinfo jq
[ -d "$IROOT/lib/modules/$KVER" ] ||
	skip_all "$IROOT has no modules for $KVER (make install DESTDIR=$IROOT)"
[ -d "$DROOT/lib/modules/$KVER" ] ||
	skip_all "$DROOT has no modules for $KVER (scripts/dkms-check)"

TMPD=$(mktemp -d)
cleanup() {
	mod_unload mtf
	mod_unload roam
	rm -rf "$TMPD"
}
trap cleanup EXIT

# modprobe -d ROOT by name; the loaded module must be the file that
# root's index names (same srcversion), and the installed CLIs must
# reach it.
load_from() {	# root
	local root=$1 m path want have
	mod_unload mtf && mod_unload roam || return 1
	for m in mtf roam; do
		cmd modprobe -d "$root" "$m" || fail "modprobe $m from $root" || return 1
		path=$(modinfo -b "$root" -n "$m") || return 1
		# Read from a local copy: modinfo maps the file, and a mapping
		# over the VM's 9p share came back empty once (6.1, memdebug).
		cp "$path" "$TMPD/" || return 1
		want=$(modinfo -F srcversion "$TMPD/${path##*/}")
		have=$(cat /sys/module/$m/srcversion)
		echo "$m: $path (srcversion $have)"
		[ -n "$want" ] && [ "$want" = "$have" ] ||
			fail "loaded $m ($have) is not $path ($want)" || return 1
	done
}

test_install_modprobe() {
	local v
	load_from "$IROOT" || return 1
	v=$("$IROOT$PREFIX/bin/mtfctl" -j status | jq -r .version) ||
		fail "installed mtfctl cannot reach mtf.ko" || return 1
	echo "mtfctl status: version $v"
	"$IROOT$PREFIX/bin/roamctl" -j status >/dev/null ||
		fail "installed roamctl cannot reach roam.ko" || return 1
	cmd modprobe -d "$IROOT" -r mtf roam || return 1
	! mod_loaded mtf && ! mod_loaded roam || fail "modprobe -r left a module loaded"
}

test_install_files() {
	local f
	for f in bin/mtfctl bin/roamctl sbin/authd sbin/authd-admin sbin/roamd \
		 bin/roam-client share/man/man8/mtfctl.8 share/man/man8/roamctl.8 \
		 share/man/man8/authd.8 share/man/man8/roamd.8 \
		 lib/systemd/system/authd.service lib/systemd/system/roamd@.service \
		 lib/sysusers.d/mtf-roam.conf; do
		[ -s "$IROOT$PREFIX/$f" ] || fail "$PREFIX/$f not installed" || return 1
	done
	grep -q "^ExecStart=$PREFIX/sbin/authd " "$IROOT$PREFIX/lib/systemd/system/authd.service" ||
		fail "authd.service does not start the installed authd"
}

test_dkms_modprobe() {
	load_from "$DROOT" || return 1
	"$MTFCTL" -j status >/dev/null || fail "mtfctl cannot reach the DKMS mtf.ko" || return 1
	"$ROAMCTL" -j status >/dev/null || fail "roamctl cannot reach the DKMS roam.ko" || return 1
	cmd modprobe -d "$DROOT" -r mtf roam
}

ktap_header 3
run_test "make install: modprobe by name, installed CLIs reach the modules" test_install_modprobe
run_test "make install: binaries, man pages, units, sysusers in PREFIX" test_install_files
run_test "DKMS build for $KVER: modprobe by name, CLIs reach the modules" test_dkms_modprobe
ktap_finish

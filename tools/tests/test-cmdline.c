// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line tests for mtfctl and roamctl, table-driven like ethtool's
 * test-cmdline.c: {expected exit status, mock kernel, argv, what stdout
 * or stderr must contain}.  The CLIs are linked whole, with genl.c
 * replaced by mock_genl.c, so no kernel is needed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strchrnul() */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "mock.h"
#include "tap.h"
#include "util.h"
#include "../mtfctl/mtfctl.h"
#include "../roamctl/roamctl.h"

enum {
	NOFAM = 1 << 0,		/* module not loaded */
	EPERM_ = 1 << 1,	/* kernel refuses, with an extack message */
	NONS = 1 << 2,		/* the namespace does not exist */
	NOKERN = 1 << 3,	/* must not even open a socket */
	EXACT = 1 << 4,		/* stderr must equal err exactly */
	FAIL1 = 1 << 5,		/* the kernel refuses filter entry 1 */
	FAIL2 = 1 << 6,		/* ... entry 2 */
	NOOFFS = 1 << 7,	/* ... without saying which (no extack offset) */
	EVENTS = 1 << 8,	/* monitor: two events, then SIGTERM */
	BADEV = 1 << 9,		/* monitor: the first event is malformed */
	NOGRP = 1 << 10,	/* the family has no multicast group */
	NOUSAGE = 1 << 11,	/* usage error from a batch line: no usage text */
};

#define MAX_ARGS 24

struct tcase {
	int rc;
	unsigned int flags;
	const char *argv[MAX_ARGS];
	const char *out;	/* substring of stdout */
	const char *err;	/* substring of stderr */
	const char *netns;	/* namespace the CLI must have entered */
	const char *req;	/* substring of the requests, as described */
	const char *nout;	/* must not be in stdout */
	const char *in;		/* file to put on stdin */
};

#define P2 "10.0.1.254/0x1a2b3c4d,10.0.3.254/0x51aa300d"
#define K1 "00112233445566778899aabbccddeeff"
#define C32 K1 K1

#define NOT_LOADED_MTF \
	"mtfctl: the mtf kernel module is not loaded (modprobe mtf / insmod mtf.ko)\n"
#define NOT_LOADED_ROAM \
	"roamctl: the roam kernel module is not loaded (modprobe roam / insmod roam.ko)\n"

/* Rows name only the fields they check; the rest are NULL. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct tcase cases[] = {
	/* help and version: stdout, status 0, never the kernel */
	{ 0, NOKERN | NOFAM, { "mtfctl", "help" }, "Usage: mtfctl", NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "-h" }, "--netns NAME", NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "--help", "status" }, "Objects:", NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "-V" }, "mtfctl " TOOLS_VERSION, NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "--version" }, "generic netlink version 1", NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "help", "status" }, "show", NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "status", "help" }, "(default)", NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "-j", "status", "help" }, "Commands:", NULL, NULL },
	{ 0, NOKERN, { "mtfctl", "-n", "blue", "help" }, "Usage:", NULL, NULL },
	/* usage errors: status 2, message and usage on stderr */
	{ 2, NOKERN, { "mtfctl" }, NULL, "no object given", NULL },
	{ 2, NOKERN, { "mtfctl", "bogus" }, NULL, "unknown object 'bogus'", NULL },
	{ 2, NOKERN | NOFAM, { "mtfctl", "bogus" }, NULL, "Usage:", NULL },
	{ 2, NOKERN, { "mtfctl", "stat" }, NULL, "unknown object 'stat'", NULL },
	{ 2, NOKERN, { "mtfctl", "status", "bogus" }, NULL, "unknown command 'bogus' for object 'status'", NULL },
	{ 2, NOKERN, { "mtfctl", "status", "show", "extra" }, NULL, "unexpected argument 'extra'", NULL },
	{ 2, NOKERN, { "mtfctl", "status", "-j" }, NULL, "unknown command '-j'", NULL },
	{ 2, NOKERN, { "mtfctl", "-x", "status" }, NULL, "unknown option '-x'", NULL },
	{ 2, NOKERN, { "mtfctl", "-jx", "status" }, NULL, "unknown option '-x'", NULL },
	{ 2, NOKERN, { "mtfctl", "--bogus", "status" }, NULL, "unknown option '--bogus'", NULL },
	{ 2, NOKERN, { "mtfctl", "-n" }, NULL, "option '-n' needs an argument", NULL },
	{ 2, NOKERN, { "mtfctl", "--netns" }, NULL, "needs an argument", NULL },
	{ 2, NOKERN, { "mtfctl", "-j" }, NULL, "no object given", NULL },
	{ 2, NOKERN, { "mtfctl", "help", "bogus" }, NULL, "unknown object 'bogus'", NULL },
	{ 2, NOKERN, { "mtfctl", "help", "status", "show" }, NULL, "too many arguments", NULL },
	/* status against the mock kernel */
	{ 0, 0, { "mtfctl", "status" }, "fwd_packets:      11\n", NULL, NULL },
	{ 0, 0, { "mtfctl", "status", "show" }, "version:      1.2.3-mock\n", NULL, NULL },
	{ 0, 0, { "mtfctl", "status" }, "netns_cookie: 4242\nstats:\n", NULL, NULL },
	{ 0, 0, { "mtfctl", "status" }, "stat99:           18446744073709551615\n", NULL, NULL },
	{ 0, 0, { "mtfctl", "-j", "status" }, "\"fwd_packets\":11,", NULL, NULL },
	{ 0, 0, { "mtfctl", "--json", "status", "show" }, "{\"version\":\"1.2.3-mock\",", NULL, NULL },
	{ 0, 0, { "mtfctl", "-p", "status" }, "\"netns_cookie\": 4242,\n", NULL, NULL },
	{ 0, 0, { "mtfctl", "-jp", "status" }, "  \"stats\": {\n", NULL, NULL },
	{ 0, 0, { "mtfctl", "--pretty", "--json", "status" }, "\"local_in_bytes\": 2200", NULL, NULL },
	{ 0, 0, { "mtfctl", "-n", "blue", "status" }, "fwd_bytes:", NULL, "blue" },
	{ 0, 0, { "mtfctl", "-nred", "-j", "status" }, "fwd_bytes", NULL, "red" },
	{ 0, 0, { "mtfctl", "--netns=green", "status" }, "fwd_bytes", NULL, "green" },
	{ 0, 0, { "mtfctl", "--netns", "/proc/1/ns/net", "status" }, "fwd_bytes", NULL, "/proc/1/ns/net" },
	/* runtime errors: status 1, one line on stderr */
	{ 1, NOFAM | EXACT, { "mtfctl", "status" }, NULL, NOT_LOADED_MTF, NULL },
	{ 1, NOFAM | EXACT, { "mtfctl", "-j", "status", "show" }, NULL, NOT_LOADED_MTF, NULL },
	{ 1, NONS | EXACT, { "mtfctl", "-n", "nosuch", "status" }, NULL,
	  "mtfctl: cannot enter network namespace 'nosuch': No such file or directory\n", "nosuch" },
	{ 1, EPERM_ | EXACT, { "mtfctl", "status" }, NULL,
	  "mtfctl: cannot get the status: Operation not permitted (kernel: mock: not allowed)\n", NULL },

	/* config */
	{ 0, 0, { "mtfctl", "config" }, "router_addr:         auto\nslots:               15\n", NULL, NULL, "config_get" },
	{ 0, 0, { "mtfctl", "config", "show" }, "filter_timeout_ms:   1000\npaths:               3\nfilters:             2\nkey_id:              1\n" },
	{ 0, 0, { "mtfctl", "-j", "config" }, "{\"router_addr\":\"auto\",\"slots\":15,\"key_grace_ms\":60000,\"suffix_len\":2," },
	{ 0, 0, { "mtfctl", "config", "set", "slots", "4", "suffix-len", "3" }, NULL, NULL, NULL,
	  "config_set {\"slots\":4,\"suffix_len\":3}\n" },
	{ 0, 0, { "mtfctl", "config", "set", "router-addr", "10.0.0.1", "key-grace", "2s", "filter-timeout", "1500",
		  "path-rate-threshold", "10k", "path-max", "100", "filter-max", "1000000" }, NULL, NULL, NULL,
	  "config_set {\"router_addr\":\"10.0.0.1\",\"key_grace_ms\":2000,\"path_max\":100,"
	  "\"path_rate_threshold\":10000,\"filter_max\":1000000,\"filter_timeout_ms\":1500}" },
	{ 0, 0, { "mtfctl", "config", "set", "router-addr", "auto", "path-rate-threshold", "0", "suffix-len", "0" }, NULL, NULL, NULL,
	  "config_set {\"router_addr\":\"auto\",\"suffix_len\":0,\"path_rate_threshold\":0}" },
	{ 0, 0, { "mtfctl", "config", "set", "key-grace", "1.5m", "filter-timeout", "24h" }, NULL, NULL, NULL,
	  "{\"key_grace_ms\":90000,\"filter_timeout_ms\":86400000}" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "filter-timeout", "86400001" }, NULL, "invalid filter-timeout '86400001': at most 86400000 ms" },
	{ 0, 0, { "mtfctl", "config", "show" }, "key_id:              1\nenable:              false\nhooks:               true\n" },
	{ 0, 0, { "mtfctl", "config", "set", "enable", "on" }, NULL, NULL, NULL,
	  "config_set {\"enable\":true}\n" },
	{ 0, 0, { "mtfctl", "config", "set", "enable", "off", "slots", "2" }, NULL, NULL, NULL,
	  "config_set {\"slots\":2,\"enable\":false}\n" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "enable", "maybe" }, NULL, "invalid value 'maybe' for enable" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "hooks", "on" }, NULL, "unknown setting 'hooks'" },
	{ 2, NOKERN, { "mtfctl", "config", "set" }, NULL, "config set needs at least one setting" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "slots" }, NULL, "'slots' needs a value" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "slots", "0" }, NULL, "invalid slots '0': want 1-15" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "slots", "16" }, NULL, "invalid slots '16'" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "slots", "-1" }, NULL, "invalid slots '-1'" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "slots", "4x" }, NULL, "invalid slots '4x'" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "slots", " 4" }, NULL, "invalid slots ' 4'" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "suffix-len", "16" }, NULL, "invalid suffix-len '16': want 0-15" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "router-addr", "10.0.0" }, NULL, "invalid router-addr '10.0.0'" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "router-addr", "10.0.0.256" }, NULL, "not an IPv4 address" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "bogus", "1" }, NULL, "unknown setting 'bogus'" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "slots", "3", "slots", "4" }, NULL, "'slots' given twice" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "key-grace", "5y" }, NULL, "invalid key-grace '5y'" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "key-grace", "4294967296" }, NULL, "invalid key-grace" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "key-grace", "0.0001s" }, NULL, "invalid key-grace" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "path-rate-threshold", "4295m" }, NULL, "invalid path-rate-threshold" },
	{ 2, NOKERN, { "mtfctl", "config", "set", "filter-max", "4294967296" }, NULL, "invalid filter-max" },
	{ 2, NOKERN, { "mtfctl", "config", "show", "extra" }, NULL, "unexpected argument 'extra'" },
	{ 1, EPERM_ | EXACT, { "mtfctl", "config", "set", "slots", "4" }, NULL,
	  "mtfctl: cannot change the configuration: Operation not permitted (kernel: mock: not allowed)\n" },
	{ 1, NOFAM | EXACT, { "mtfctl", "config" }, NULL, NOT_LOADED_MTF },

	/* dev */
	{ 0, 0, { "mtfctl", "dev" }, "lo: border-ingress off strip-egress off account off\n"
	  "eth1: border-ingress on strip-egress off account on\n", NULL, NULL, "dev_get\n" },
	{ 0, 0, { "mtfctl", "-j", "dev", "show" }, "[{\"ifindex\":1,\"ifname\":\"lo\",\"border_ingress\":false,"
	  "\"strip_egress\":false,\"account\":false},{\"ifindex\":3,\"ifname\":\"eth1\",\"border_ingress\":true," },
	{ 0, 0, { "mtfctl", "-p", "dev" }, "[\n  {\n    \"ifindex\": 1,\n" },
	{ 0, 0, { "mtfctl", "dev", "show", "lo" }, "lo: border", NULL, NULL, "dev_get ifindex=1\n", "eth1" },
	{ 0, 0, { "mtfctl", "dev", "lo" }, "lo: border", NULL, NULL, "dev_get ifindex=1\n" },
	{ 0, 0, { "mtfctl", "dev", "lo", "show" }, "lo: border", NULL, NULL, "dev_get ifindex=1\n" },
	{ 0, 0, { "mtfctl", "dev", "lo", "set", "border-ingress", "on", "account", "off" }, NULL, NULL, NULL,
	  "dev_set ifindex=1 flags=0x1 mask=0x5\n" },
	{ 0, 0, { "mtfctl", "dev", "lo", "set", "strip-egress", "on" }, NULL, NULL, NULL, "dev_set ifindex=1 flags=0x2 mask=0x2\n" },
	{ 0, 0, { "mtfctl", "-n", "blue", "dev", "lo", "set", "account", "on" }, NULL, NULL, "blue", "flags=0x4 mask=0x4" },
	{ 2, NOKERN, { "mtfctl", "dev", "lo", "set" }, NULL, "set needs ROLE on|off" },
	{ 2, NOKERN, { "mtfctl", "dev", "lo", "set", "border-ingress" }, NULL, "'border-ingress' needs on or off" },
	{ 2, NOKERN, { "mtfctl", "dev", "lo", "set", "border-ingress", "yes" }, NULL, "invalid value 'yes' for border-ingress" },
	{ 2, NOKERN, { "mtfctl", "dev", "lo", "set", "bogus", "on" }, NULL, "unknown role 'bogus'" },
	{ 2, NOKERN, { "mtfctl", "dev", "lo", "set", "account", "on", "account", "off" }, NULL, "'account' given twice" },
	{ 2, NOKERN, { "mtfctl", "dev", "set", "lo", "account", "on" }, NULL, "the device comes first" },
	{ 2, NOKERN, { "mtfctl", "dev", "lo", "bogus" }, NULL, "unknown command 'bogus' for object 'dev'" },
	{ 2, NOKERN, { "mtfctl", "dev", "show", "lo", "extra" }, NULL, "unexpected argument 'extra'" },
	{ 2, NOKERN, { "mtfctl", "dev", "lo", "show", "extra" }, NULL, "unexpected argument 'extra'" },
	{ 2, NOKERN, { "mtfctl", "dev", "a23456789012345678", "set", "account", "on" }, NULL, "invalid device name" },
	{ 0, NOKERN, { "mtfctl", "dev", "help" }, "ROLE := border-ingress | strip-egress | account" },
	{ 1, EXACT, { "mtfctl", "dev", "nosuchdev0", "set", "account", "on" }, NULL,
	  "mtfctl: cannot find device 'nosuchdev0': No such device\n" },
	{ 1, EPERM_, { "mtfctl", "dev", "lo", "set", "account", "on" }, NULL,
	  "cannot set the roles of 'lo': Operation not permitted (kernel: mock: not allowed)" },

	/* key, mark */
	{ 0, 0, { "mtfctl", "key", "rotate" }, NULL, NULL, NULL, "key_rotate random\n" },
	{ 0, 0, { "mtfctl", "key", "rotate", K1 }, NULL, NULL, NULL, "key_rotate key=" K1 "\n" },
	{ 0, 0, { "mtfctl", "key", "rotate", "00112233445566778899AABBCCDDEEFF" }, NULL, NULL, NULL, "key_rotate key=" K1 "\n" },
	{ 0, 0, { "mtfctl", "key", "rotate", "file", "key.ok" }, NULL, NULL, NULL, "key_rotate key=" K1 "\n" },
	{ 0, 0, { "mtfctl", "key", "rotate", "file", "-" }, NULL, NULL, NULL, "key_rotate key=" K1 "\n", NULL, "key.ok" },
	{ 2, NOKERN, { "mtfctl", "key", "rotate", "0011" }, NULL, "invalid key: want exactly 32 hex digits" },
	{ 2, NOKERN, { "mtfctl", "key", "rotate", K1 "0" }, NULL, "invalid key" },
	{ 2, NOKERN, { "mtfctl", "key", "rotate", "0x112233445566778899aabbccddeeff" }, NULL, "invalid key" },
	{ 2, NOKERN, { "mtfctl", "key", "rotate", "g0112233445566778899aabbccddeeff" }, NULL, "invalid key" },
	{ 2, NOKERN, { "mtfctl", "key" }, NULL, "key needs a command" },
	{ 2, NOKERN, { "mtfctl", "key", "rotate", K1, "x" }, NULL, "unexpected argument 'x'" },
	{ 2, NOKERN, { "mtfctl", "key", "rotate", "file" }, NULL, "'file' needs a PATH" },
	{ 2, NOKERN, { "mtfctl", "key", "rotate", "file", "a", "b" }, NULL, "unexpected argument 'b'" },
	{ 1, NOKERN | EXACT, { "mtfctl", "key", "rotate", "file", "key.open" }, NULL,
	  "mtfctl: key file key.open: permissions 0644 are too open (group/world access to a secret); run chmod 600 key.open\n" },
	{ 1, NOKERN, { "mtfctl", "key", "rotate", "file", "key.bad" }, NULL, "mtfctl: invalid key: want exactly 32 hex digits\n" },
	{ 1, NOKERN, { "mtfctl", "key", "rotate", "file", "nosuch" }, NULL, "mtfctl: key file nosuch: No such file" },
	{ 1, EPERM_, { "mtfctl", "key", "rotate" }, NULL, "cannot rotate the key: Operation not permitted (kernel: mock: not allowed)" },
	{ 0, 0, { "mtfctl", "mark", "get", "10.0.9.1" }, "mark:      0x1a2b3c4d\nmark_prev: 0x0badcafe\n", NULL, NULL, "mark_get dst=10.0.9.1\n" },
	{ 0, 0, { "mtfctl", "-j", "mark", "get", "10.0.9.1" }, "{\"mark\":\"0x1a2b3c4d\",\"mark_prev\":\"0x0badcafe\"}\n" },
	{ 2, NOKERN, { "mtfctl", "mark", "get" }, NULL, "mark get needs a destination address" },
	{ 2, NOKERN, { "mtfctl", "mark", "get", "10.0.9" }, NULL, "invalid destination '10.0.9'" },
	{ 2, NOKERN, { "mtfctl", "mark", "get", "10.0.9.1", "x" }, NULL, "unexpected argument 'x'" },
	{ 2, NOKERN, { "mtfctl", "mark" }, NULL, "mark needs a command" },
	{ 2, NOKERN, { "mtfctl", "mark", "bogus" }, NULL, "unknown command 'bogus' for object 'mark'" },

	/* path */
	{ 0, 0, { "mtfctl", "path" }, "10.0.1.254/0x1a2b3c4d > 10.0.3.254/0x51aa300d dst 10.0.9.1 packets 10 "
	  "bytes 1000 rate 5pps 40kbit first 12.0s last 150ms\n... > 10.0.3.254/0x51aa300d dst", NULL, NULL, "path_get\n" },
	{ 0, 0, { "mtfctl", "path", "show", "suffix" }, "... > 10.0.3.254/0x51aa300d dst 10.0.9.1", NULL, NULL, NULL, "10.0.1.254" },
	{ 0, 0, { "mtfctl", "path", "show", "full" }, "10.0.1.254/0x1a2b3c4d > 10.0.3.254", NULL, NULL, NULL, "..." },
	{ 0, 0, { "mtfctl", "-j", "path" }, "[{\"slots\":[{\"addr\":\"10.0.1.254\",\"mark\":\"0x1a2b3c4d\"},"
	  "{\"addr\":\"10.0.3.254\",\"mark\":\"0x51aa300d\"}],\"suffix\":false,\"dst\":\"10.0.9.1\",\"packets\":10,"
	  "\"bytes\":1000,\"rate_pps\":5,\"rate_bps\":40000,\"first_ms\":12000,\"last_ms\":150},{\"slots\":" },
	{ 0, 0, { "mtfctl", "path", "flush" }, NULL, NULL, NULL, "path_flush\n" },
	{ 2, NOKERN, { "mtfctl", "path", "show", "bogus" }, NULL, "unexpected argument 'bogus': want suffix or full" },
	{ 2, NOKERN, { "mtfctl", "path", "show", "full", "x" }, NULL, "unexpected argument 'x'" },
	{ 2, NOKERN, { "mtfctl", "path", "flush", "x" }, NULL, "unexpected argument 'x'" },
	{ 1, EPERM_, { "mtfctl", "path", "flush" }, NULL, "cannot flush the paths: Operation not permitted (kernel: mock: not allowed)" },
	{ 1, EPERM_, { "mtfctl", "-j", "path" }, NULL, "cannot dump the paths: Operation not permitted" },

	/* filter */
	{ 0, 0, { "mtfctl", "filter" }, P2 " src * dst 10.0.9.1 drop permanent hits 12 bytes 960 drops 2\n"
	  P2 " src 192.0.2.0/24 dst 10.0.9.1 rate-limit pps 100 bps 1500kbit owner 1 cookie 0a0b0c0d expires 850ms hits 12 bytes 960 drops 2\n"
	  "unmarked dev lo src * dst 10.0.9.1 drop permanent hits 12 bytes 960 drops 2\n",
	  NULL, NULL, "filter_get\n" },
	{ 0, 0, { "mtfctl", "-j", "filter", "show" }, "{\"unmarked\":true,\"iif\":1,\"dev\":\"lo\",\"dst\":\"10.0.9.1\",\"action\":\"drop\"," },
	{ 0, 0, { "mtfctl", "filter", "add", "unmarked", "dev", "lo", "dst", "10.0.9.1" }, "", NULL, NULL,
	  "filter_add {unmarked dev lo src * dst 10.0.9.1 drop}\n" },
	{ 0, 0, { "mtfctl", "filter", "add", "unmarked", "ifindex", "4000000000", "src", "192.0.2.0/24", "dst", "10.0.9.1",
		  "rate-limit", "pps", "100", "timeout", "24h" }, "", NULL, NULL,
	  "filter_add {unmarked ifindex 4000000000 src 192.0.2.0/24 dst 10.0.9.1 rate-limit pps 100 timeout 86400000}\n" },
	{ 0, 0, { "mtfctl", "filter", "del", "unmarked", "dev", "lo", "dst", "10.0.9.1" }, "", NULL, NULL,
	  "filter_del {unmarked dev lo src * dst 10.0.9.1}\n" },
	{ 1, 0, { "mtfctl", "filter", "add", "unmarked", "dev", "nosuchdev0", "dst", "10.0.9.1" }, NULL,
	  "cannot find device 'nosuchdev0'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "unmarked", "dst", "10.0.9.1" }, NULL, "missing 'dev IFNAME' after unmarked" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "unmarked", "dev", "lo", "dev", "lo", "dst", "10.0.9.1" }, NULL, "interface given twice" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "unmarked", "ifindex", "0", "dst", "10.0.9.1" }, NULL, "invalid ifindex '0'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "unmarked", "dev", "0123456789abcdefg", "dst", "10.0.9.1" }, NULL, "invalid interface name" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dev", "lo", "dst", "10.0.9.1" }, NULL, "'dev' goes with unmarked, not with a PATH" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "timeout", "86400001" }, NULL, "at most one day" },
	{ 0, 0, { "mtfctl", "-j", "filter", "show" }, "\"src\":\"192.0.2.0/24\",\"dst\":\"10.0.9.1\",\"action\":\"rate-limit\","
	  "\"rate_pps\":100,\"rate_bps\":1500000,\"expires_ms\":850,\"hits\":12,\"bytes\":960,\"drops\":2,"
	  "\"owner\":1,\"cookie\":\"0a0b0c0d\"}," },
	{ 0, 0, { "mtfctl", "filter", "add", "10.0.1.254/0x1a2b3c4d,10.0.3.254/51aa300d", "dst", "10.0.9.1" }, "", NULL, NULL,
	  "filter_add {" P2 " src * dst 10.0.9.1 drop}\n" },
	{ 0, 0, { "mtfctl", "filter", "add", "10.0.1.254/0x1a2b3c4d", "src", "192.0.2.0/24", "dst", "10.0.9.1",
		  "rate-limit", "pps", "1k", "bps", "1.5mbit", "timeout", "5s", "replace" }, NULL, NULL, NULL,
	  "filter_add replace {10.0.1.254/0x1a2b3c4d src 192.0.2.0/24 dst 10.0.9.1 rate-limit pps 1k bps 1500kbit timeout 5000}\n" },
	{ 0, 0, { "mtfctl", "filter", "add", "10.0.3.254/0xD", "dst", "10.0.9.1", "rate-limit", "bps", "1kibit", "permanent" },
	  NULL, NULL, NULL, "{10.0.3.254/0x0000000d src * dst 10.0.9.1 rate-limit bps 1024bit permanent}" },
	{ 0, 0, { "mtfctl", "filter", "add", "10.0.1.254/0x1a2b3c4d > 10.0.3.254/0x51aa300d", "src", "*", "dst", "10.0.9.1", "drop" },
	  NULL, NULL, NULL, "{" P2 " src * dst 10.0.9.1 drop}" },
	{ 0, 0, { "mtfctl", "filter", "add", "10.0.1.254/0x1 ,10.0.3.254/0x2", "dst", "10.0.9.1", "src", "any", "timeout", "250" },
	  NULL, NULL, NULL, "{10.0.1.254/0x00000001,10.0.3.254/0x00000002 src * dst 10.0.9.1 drop timeout 250}" },
	{ 0, 0, { "mtfctl", "filter", "add", "10.0.1.254/1", "dst", "10.0.9.1", "src", "192.0.2.7" },
	  NULL, NULL, NULL, "src 192.0.2.7/32 dst" },
	{ 0, 0, { "mtfctl", "filter", "add", "10.0.1.254/1", "dst", "10.0.9.1", "src", "0.0.0.0/0" },
	  NULL, NULL, NULL, "src 0.0.0.0/0 dst" },
	{ 0, 0, { "mtfctl", "filter", "del", P2, "dst", "10.0.9.1" }, NULL, NULL, NULL, "filter_del {" P2 " src * dst 10.0.9.1}\n" },
	{ 0, 0, { "mtfctl", "filter", "flush" }, NULL, NULL, NULL, "filter_flush\n" },
	{ 2, NOKERN, { "mtfctl", "filter", "add" }, NULL, "missing PATH" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "dst", "10.0.9.1" }, NULL, "invalid path slot 'dst': want ADDR/MARK" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1.254", "dst", "10.0.9.1" }, NULL, "want ADDR/MARK" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1.254/0x123456789", "dst", "10.0.9.1" }, NULL, "invalid mark '0x123456789': want 1-8 hex digits" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1.254/0xzz", "dst", "10.0.9.1" }, NULL, "invalid mark '0xzz'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1.254/0x", "dst", "10.0.9.1" }, NULL, "invalid mark '0x'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1.254/-1", "dst", "10.0.9.1" }, NULL, "invalid mark '-1'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1.254/1,,10.0.3.254/2", "dst", "10.0.9.1" }, NULL, "empty slot" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1.254/1,", "dst", "10.0.9.1" }, NULL, "empty slot" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "1.1.1.1/1,1.1.1.2/1,1.1.1.3/1,1.1.1.4/1,1.1.1.5/1,1.1.1.6/1,1.1.1.7/1,"
		       "1.1.1.8/1,1.1.1.9/1,1.1.1.10/1,1.1.1.11/1,1.1.1.12/1,1.1.1.13/1,1.1.1.14/1,1.1.1.15/1,1.1.1.16/1",
		       "dst", "10.0.9.1" }, NULL, "more than 15 slots" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "10.0.1/1", "dst", "10.0.9.1" }, NULL, "invalid slot address '10.0.1'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2 }, NULL, "missing 'dst ADDR'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst" }, NULL, "'dst' needs a value" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.x" }, NULL, "invalid dst '10.0.9.x'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "dst", "10.0.9.2" }, NULL, "'dst' given twice" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "src", "192.0.2.1/24" }, NULL, "host bits set" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "src", "192.0.2.0/33" }, NULL, "invalid prefix '192.0.2.0/33'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "src", "192.0.2.0/" }, NULL, "invalid prefix" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "src", "*", "src", "*" }, NULL, "'src' given twice" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "pps", "0" }, NULL, "invalid packet rate '0'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "pps", "abc" }, NULL, "invalid packet rate 'abc'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "pps", "1000000001" }, NULL, "at most 1g" },
	{ 0, 0, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "pps", "1g" }, NULL, NULL, NULL, "pps 1g}" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "bps", "1.5bit" }, NULL, "invalid bit rate '1.5bit'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "bps", "10xbit" }, NULL, "invalid bit rate" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "bps", "18446744073709551616" }, NULL, "invalid bit rate" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit", "bps", "20000000tbit" }, NULL, "invalid bit rate" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "rate-limit" }, NULL, "rate-limit needs pps N and/or bps RATE" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "pps", "10" }, NULL, "pps and bps go with rate-limit" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "drop", "rate-limit" }, NULL, "more than one action ('rate-limit')" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "timeout", "5y" }, NULL, "invalid timeout '5y'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "timeout", "50d" }, NULL, "invalid timeout" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "timeout" }, NULL, "'timeout' needs a value" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "timeout", "1", "permanent" }, NULL, "'timeout' given twice" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "replace", "replace" }, NULL, "'replace' given twice" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "bogus" }, NULL, "unexpected argument 'bogus'" },
	{ 2, NOKERN, { "mtfctl", "filter", "del", P2, "dst", "10.0.9.1", "drop" }, NULL, "filter del takes FROM [src PREFIX] dst ADDR" },
	{ 2, NOKERN, { "mtfctl", "filter", "del", P2, "dst", "10.0.9.1", "timeout", "5" }, NULL, "unexpected argument 'timeout'" },
	{ 2, NOKERN, { "mtfctl", "filter", "show", "x" }, NULL, "unexpected argument 'x'" },
	{ 2, NOKERN, { "mtfctl", "filter", "flush", "x" }, NULL, "unexpected argument 'x'" },
	/* origin: owner and cookie */
	{ 0, 0, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "owner", "1", "cookie", "0A0b" }, "", NULL, NULL,
	  "filter_add {" P2 " src * dst 10.0.9.1 drop owner 1 cookie 0a0b}\n" },
	{ 0, 0, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "cookie", "0x" C32, "permanent", "replace" }, "", NULL, NULL,
	  "filter_add replace {" P2 " src * dst 10.0.9.1 drop cookie " C32 " permanent}\n" },
	{ 0, 0, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "owner", "4294967295" }, "", NULL, NULL,
	  "{" P2 " src * dst 10.0.9.1 drop owner 4294967295}\n" },
	{ 0, 0, { "mtfctl", "filter", "show", "owner", "1" }, "owner 1 cookie 0a0b0c0d", NULL, NULL, "filter_get owner=1\n" },
	{ 0, 0, { "mtfctl", "-j", "filter", "show", "owner", "0" }, "\"owner\":1,\"cookie\":\"0a0b0c0d\"}", NULL, NULL,
	  "filter_get owner=0\n" },
	{ 0, 0, { "mtfctl", "filter", "flush", "owner", "1" }, NULL, NULL, NULL, "filter_flush owner=1\n" },
	{ 0, 0, { "mtfctl", "filter", "flush", "owner", "0" }, NULL, NULL, NULL, "filter_flush owner=0\n" },
	{ 2, NOKERN, { "mtfctl", "filter", "show", "owner" }, NULL, "'owner' needs a value" },
	{ 2, NOKERN, { "mtfctl", "filter", "flush", "owner", "x" }, NULL, "invalid owner 'x': want 0-4294967295" },
	{ 2, NOKERN, { "mtfctl", "filter", "flush", "owner", "1", "x" }, NULL, "unexpected argument 'x'" },
	{ 2, NOKERN, { "mtfctl", "filter", "show", "owner", "4294967296" }, NULL, "invalid owner '4294967296'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "owner", "1", "owner", "2" }, NULL, "'owner' given twice" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "owner" }, NULL, "'owner' needs a value" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "owner", "-1" }, NULL, "invalid owner '-1'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "cookie" }, NULL, "'cookie' needs a value" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "cookie", "abc" }, NULL,
	  "invalid cookie 'abc': want an even number of hex digits" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "cookie", "zz" }, NULL, "invalid cookie 'zz': want hex digits" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "cookie", C32 "00" }, NULL,
	  "invalid cookie: 33 bytes, at most 32" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1", "cookie", "00", "cookie", "01" }, NULL, "'cookie' given twice" },
	{ 2, NOKERN, { "mtfctl", "filter", "del", P2, "dst", "10.0.9.1", "owner", "1" }, NULL, "unexpected argument 'owner'" },
	{ 2, NOKERN, { "mtfctl", "filter", "del", P2, "dst", "10.0.9.1", "cookie", "00" }, NULL, "unexpected argument 'cookie'" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "-f" }, NULL, "-f needs a FILE" },
	{ 2, NOKERN, { "mtfctl", "filter", "add", "-f", "a", "b" }, NULL, "unexpected argument 'b' after -f FILE" },
	{ 1, EPERM_ | EXACT, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1" }, NULL,
	  "mtfctl: cannot add the filter: Operation not permitted (kernel: mock: not allowed)\n" },
	{ 1, FAIL1 | EXACT, { "mtfctl", "filter", "add", P2, "dst", "10.0.9.1" }, NULL,
	  "mtfctl: cannot add the filter: File exists (kernel: mock: filter exists)\n" },
	{ 1, FAIL1 | EXACT, { "mtfctl", "filter", "del", P2, "dst", "10.0.9.1" }, NULL,
	  "mtfctl: cannot delete the filter: File exists (kernel: mock: filter exists)\n" },
	{ 1, EPERM_, { "mtfctl", "filter", "flush" }, NULL, "cannot flush the filters: Operation not permitted" },

	/* bulk: -f FILE and -b FILE */
	{ 0, 0, { "mtfctl", "filter", "add", "-f", "ok.filters" }, "", NULL, NULL,
	  "filter_add {" P2 " src * dst 10.0.9.1 drop} {10.0.1.254/0x00000001 src 192.0.2.0/24 dst 10.0.9.2 rate-limit pps 5 timeout 100}"
	  " {" P2 " src * dst 10.0.9.3 drop}\nfilter_add replace {10.0.1.254/0x00000001 src * dst 10.0.9.4 drop}\n" },
	{ 0, 0, { "mtfctl", "filter", "add", "-f", "-" }, NULL, NULL, NULL, "{" P2 " src * dst 10.0.9.3 drop}\n", NULL, "ok.filters" },
	{ 0, 0, { "mtfctl", "filter", "del", "-f", "del.filters" }, NULL, NULL, NULL,
	  "filter_del {" P2 " src * dst 10.0.9.1} {" P2 " src * dst 10.0.9.2}\n" },
	{ 2, NOUSAGE | EXACT, { "mtfctl", "filter", "add", "-f", "bad3.filters" },
	  NULL, "mtfctl: bad3.filters:3: invalid mark '0xzz': want 1-8 hex digits\n", NULL,
	  "filter_add {" P2 " src * dst 10.0.9.1 drop} {" P2 " src * dst 10.0.9.2 drop}\n" },
	{ 2, NOUSAGE | EXACT, { "mtfctl", "filter", "add", "-f", "-" }, NULL, "mtfctl: stdin:3: invalid mark '0xzz': want 1-8 hex digits\n",
	  NULL, NULL, NULL, "bad3.filters" },
	{ 2, NOUSAGE | EXACT, { "mtfctl", "filter", "add", "-f", "quote.filters" }, NULL, "mtfctl: quote.filters:2: unterminated quote\n",
	  NULL, "filter_add {" P2 " src * dst 10.0.9.1 drop}\n" },
	{ 2, NOUSAGE | EXACT, { "mtfctl", "filter", "del", "-f", "ok.filters" }, NULL,
	  "mtfctl: ok.filters:5: unexpected argument 'rate-limit': filter del takes FROM [src PREFIX] dst ADDR\n",
	  NULL, "filter_del {" P2 " src * dst 10.0.9.1}\n" },
	{ 1, FAIL2 | EXACT, { "mtfctl", "filter", "add", "-f", "ok.filters" }, NULL,
	  "mtfctl: ok.filters:5: cannot add the filter: File exists (kernel: mock: filter exists)\n" },
	{ 1, FAIL2 | NOOFFS | EXACT, { "mtfctl", "filter", "add", "-f", "ok.filters" }, NULL,
	  "mtfctl: ok.filters:2: cannot add a filter of lines 2-6: File exists (kernel: mock: filter exists)\n" },
	{ 1, 0, { "mtfctl", "filter", "add", "-f", "nosuch" }, NULL, "mtfctl: cannot open 'nosuch': No such file or directory\n" },
	{ 0, 0, { "mtfctl", "-b", "cmds.batch" }, "router_addr:", NULL, NULL,
	  "config_set {\"slots\":4}\nfilter_add {" P2 " src * dst 10.0.9.1 drop} {" P2 " src * dst 10.0.9.2 drop}\n"
	  "filter_del {" P2 " src * dst 10.0.9.1}\npath_flush\nconfig_get\nfilter_add {" P2 " src * dst 10.0.9.3 drop}\n" },
	{ 0, 0, { "mtfctl", "-j", "--batch", "-" }, "{\"router_addr\":\"auto\",", NULL, NULL, "path_flush\nconfig_get\n", NULL, "cmds.batch" },
	{ 2, NOUSAGE | EXACT, { "mtfctl", "-b", "cmds-bad.batch" }, NULL, "mtfctl: cmds-bad.batch:3: invalid slots '99': want 1-15\n", NULL,
	  "filter_add {" P2 " src * dst 10.0.9.1 drop}\n" },
	{ 2, NOUSAGE, { "mtfctl", "-b", "cmds-help.batch" }, NULL, "cmds-help.batch:1: help is not a batch command" },
	{ 2, NOUSAGE, { "mtfctl", "-b", "cmds-f.batch" }, NULL, "cmds-f.batch:1: -f cannot be used inside a batch file" },
	{ 1, FAIL2 | EXACT, { "mtfctl", "-b", "cmds.batch" }, NULL,
	  "mtfctl: cmds.batch:3: cannot add the filter: File exists (kernel: mock: filter exists)\n", NULL, "config_set" },
	{ 2, NOKERN, { "mtfctl", "-b", "cmds.batch", "status" }, NULL, "-b FILE takes no object" },
	{ 2, NOKERN, { "mtfctl", "-b" }, NULL, "option '-b' needs an argument" },
	{ 1, NOKERN, { "mtfctl", "-b", "nosuch" }, NULL, "mtfctl: cannot open 'nosuch': No such file or directory\n" },
	{ 0, 0, { "mtfctl", "-b", "empty.batch" }, "", NULL, NULL, NULL },

	/* monitor */
	{ 0, EVENTS, { "mtfctl", "monitor" }, "path-rate 10.0.1.254/0x1a2b3c4d > 10.0.3.254/0x51aa300d dst 10.0.9.1 packets 10 "
	  "bytes 1000 rate 5pps 40kbit first 12.0s last 150ms\npath-rate 10.0.1.254" },
	{ 0, EVENTS, { "mtfctl", "-j", "monitor", "all" }, "{\"event\":\"path-rate\",\"path\":{\"slots\":[{\"addr\":\"10.0.1.254\","
	  "\"mark\":\"0x1a2b3c4d\"},{\"addr\":\"10.0.3.254\",\"mark\":\"0x51aa300d\"}],\"suffix\":false,\"dst\":\"10.0.9.1\",\"packets\":10," },
	{ 0, 0, { "mtfctl", "monitor" }, "", NULL },
	{ 0, EVENTS | BADEV, { "mtfctl", "monitor" }, "path-rate 10.0.1.254", "mtfctl: skipped a malformed event\n" },
	{ 1, NOGRP, { "mtfctl", "monitor" }, NULL, "the mtf family has no 'events' group" },
	{ 2, NOKERN, { "mtfctl", "monitor", "x" }, NULL, "unknown command 'x' for object 'monitor'" },
	{ 2, NOKERN, { "mtfctl", "monitor", "all", "x" }, NULL, "unexpected argument 'x'" },
	{ 1, NOFAM | EXACT, { "mtfctl", "monitor" }, NULL, NOT_LOADED_MTF },

	/* roamctl: same skeleton, its own family and counters */
	{ 0, NOKERN, { "roamctl", "help" }, "Usage: roamctl", NULL, NULL },
	{ 0, NOKERN, { "roamctl", "-V" }, "roamctl " TOOLS_VERSION " (roam", NULL, NULL },
	{ 0, NOKERN, { "roamctl", "status", "help" }, "show", NULL, NULL },
	{ 2, NOKERN, { "roamctl" }, NULL, "Usage: roamctl", NULL },
	{ 2, NOKERN, { "roamctl", "pool" }, NULL, "unknown object 'pool'", NULL },
	{ 2, NOKERN, { "roamctl", "status", "list" }, NULL, "unknown command 'list'", NULL },
	{ 2, NOKERN, { "roamctl", "-q", "status" }, NULL, "unknown option '-q'", NULL },
	{ 2, NOKERN, { "roamctl", "--netns" }, NULL, "needs an argument", NULL },
	{ 0, 0, { "roamctl", "status" }, "in_packets: 33\n", NULL, NULL },
	{ 0, 0, { "roamctl", "status" }, "stat99:     18446744073709551615\n", NULL, NULL },
	{ 0, 0, { "roamctl", "-j", "status" }, "\"stats\":{\"in_packets\":33,\"in_bytes\":3300,", NULL, NULL },
	{ 0, 0, { "roamctl", "-n", "ns1", "-p", "status" }, "\"in_bytes\": 3300", NULL, "ns1" },
	{ 1, NOFAM | EXACT, { "roamctl", "status" }, NULL, NOT_LOADED_ROAM, NULL },
	{ 1, EPERM_, { "roamctl", "status", "show" }, NULL, "(kernel: mock: not allowed)", NULL },
	{ 2, NOKERN, { "roamctl", "-b", "cmds.batch" }, NULL, "unknown option '-b'", NULL },
};
#pragma GCC diagnostic pop

static char out_buf[16384], err_buf[16384], req_buf[16384];

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run one CLI with stdout and stderr captured, stdin from a file. */
static int run(const char *const *args, const char *in)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	char *argv[MAX_ARGS + 1] = { NULL };
	int so, se, si = -1, fd, argc, rc;

	if (!fo || !fe) {
		perror("tmpfile");
		exit(1);
	}
	for (argc = 0; argc < MAX_ARGS && args[argc]; argc++)
		argv[argc] = (char *)args[argc];
	fflush(stdout);
	fflush(stderr);
	if (in) {
		fd = open(in, O_RDONLY);
		if (fd < 0) {
			perror(in);
			exit(1);
		}
		si = dup(0);
		dup2(fd, 0);
		close(fd);
		clearerr(stdin);
	}
	so = dup(1);
	se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	if (!strcmp(argv[0], "mtfctl"))
		rc = mtfctl_main(argc, argv);
	else
		rc = roamctl_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	if (si >= 0) {
		/* What the CLI left unread must not reach the next case. */
		__fpurge(stdin);
		dup2(si, 0);
		close(si);
		clearerr(stdin);
	}
	slurp(fo, out_buf, sizeof(out_buf));
	slurp(fe, err_buf, sizeof(err_buf));
	return rc;
}

static const char *const cmd_names[] = {
	[MTF_CMD_STATUS_GET] = "status_get", [MTF_CMD_CONFIG_GET] = "config_get",
	[MTF_CMD_CONFIG_SET] = "config_set", [MTF_CMD_DEV_GET] = "dev_get",
	[MTF_CMD_DEV_SET] = "dev_set", [MTF_CMD_KEY_ROTATE] = "key_rotate",
	[MTF_CMD_MARK_GET] = "mark_get", [MTF_CMD_PATH_GET] = "path_get",
	[MTF_CMD_PATH_FLUSH] = "path_flush", [MTF_CMD_FILTER_ADD] = "filter_add",
	[MTF_CMD_FILTER_DEL] = "filter_del", [MTF_CMD_FILTER_GET] = "filter_get",
	[MTF_CMD_FILTER_FLUSH] = "filter_flush",
};

/* One request as a line, decoded with the CLI's own reply parsers. */
static void describe(FILE *f, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *b;
	struct mtf_filter_ent fe;
	struct mtf_cfg cfg;
	struct mtf_dev dev;
	struct out o;
	char ip[INET_ADDRSTRLEN];
	unsigned int i;

	if (nlh->nlmsg_type != MOCK_MTF_ID || g->cmd >= ARRAY_SIZE(cmd_names) ||
	    !cmd_names[g->cmd]) {
		fprintf(f, "type %u cmd %u\n", nlh->nlmsg_type, g->cmd);
		return;
	}
	fputs(cmd_names[g->cmd], f);
	/* Never sent: the kernel refuses it (MTF_A_REPLACE instead). */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP &&
	    nlh->nlmsg_flags & NLM_F_REPLACE)
		fputs(" NLM_F_REPLACE", f);
	if (g->cmd == MTF_CMD_CONFIG_SET && !mtf_cfg_parse(nlh, &cfg)) {
		out_init(&o, f, true, false);
		fputc(' ', f);
		mtf_cfg_out(&o, &cfg);
		out_flush(&o);
		return;
	}
	if (g->cmd == MTF_CMD_KEY_ROTATE && nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN)
		fputs(" random", f);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case MTF_A_DEV:
			if (mtf_dev_parse_nest(a, &dev) < 0)
				break;
			fprintf(f, " ifindex=%u", dev.ifindex);
			if (MTF_HAS(&dev, MTF_DEV_A_FLAGS))
				fprintf(f, " flags=0x%x", dev.flags);
			if (MTF_HAS(&dev, MTF_DEV_A_FLAGS_MASK))
				fprintf(f, " mask=0x%x", dev.mask);
			break;
		case MTF_A_KEY:
			fputs(" key=", f);
			for (i = 0; i < mnl_attr_get_payload_len(a); i++)
				fprintf(f, "%02x", ((uint8_t *)mnl_attr_get_payload(a))[i]);
			break;
		case MTF_A_DST4:
			fprintf(f, " dst=%s", mtf_fmt_ip4(mnl_attr_get_u32(a), ip));
			break;
		case MTF_A_REPLACE:
			fputs(" replace", f);
			break;
		case MTF_A_FILTER:
			if (g->cmd == MTF_CMD_FILTER_GET || g->cmd == MTF_CMD_FILTER_FLUSH) {
				/* The selector: only OWNER, no filter. */
				mnl_attr_for_each_nested(b, a) {
					if (mnl_attr_get_type(b) == MTF_FILTER_A_OWNER)
						fprintf(f, " owner=%u", mnl_attr_get_u32(b));
					else
						fprintf(f, " attr%u", mnl_attr_get_type(b));
				}
				break;
			}
			if (mtf_filter_parse_nest(a, &fe) < 0)
				break;
			fputs(" {", f);
			mtf_filter_print(f, &fe);
			fseek(f, -1, SEEK_CUR);	/* its newline */
			fputs("}", f);
			break;
		default:
			fprintf(f, " attr%u", mnl_attr_get_type(a));
		}
	}
	fputc('\n', f);
}

static void describe_log(char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)mock.log;
	int rem = mock.log_len;
	FILE *f = tmpfile();

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
		describe(f, nlh);
	fflush(f);
	slurp(f, buf, len);
}

static void diag(const char *name, const char *s)
{
	const char *nl;

	while (*s) {
		nl = strchrnul(s, '\n');
		printf("# %s: %.*s\n", name, (int)(nl - s), s);
		s = *nl ? nl + 1 : nl;
	}
}

static void mock_set(unsigned int flags)
{
	memset(&mock, 0, sizeof(mock));
	mock.no_family = flags & NOFAM;
	mock.fail_entry = flags & FAIL1 ? 1 : flags & FAIL2 ? 2 : 0;
	mock.no_offs = flags & NOOFFS;
	mock.events = flags & EVENTS ? 2 : 0;
	mock.bad_event = flags & BADEV;
	mock.no_mcgrp = flags & NOGRP;
	if (flags & EPERM_) {
		mock.doit_err = -EPERM;
		mock.extack = "mock: not allowed";
	}
	if (flags & NONS)
		mock.netns_err = -ENOENT;
}

static void run_case(const struct tcase *t)
{
	char desc[256];
	size_t off = 0;
	bool ok;
	int i, rc;

	for (i = 0; i < MAX_ARGS && t->argv[i] && off < sizeof(desc); i++)
		off += snprintf(desc + off, sizeof(desc) - off, "%s%s",
				i ? " " : "", t->argv[i]);
	if (t->in && off < sizeof(desc))
		off += snprintf(desc + off, sizeof(desc) - off, " < %s", t->in);
	/* The expectation, up to its first newline, tells cases apart. */
	if ((t->out || t->err) && off < sizeof(desc))
		snprintf(desc + off, sizeof(desc) - off, " [%s: %.*s]",
			 t->out ? "stdout" : "stderr",
			 (int)strcspn(t->out ? t->out : t->err, "\n"),
			 t->out ? t->out : t->err);
	mock_set(t->flags);
	rc = run(t->argv, t->in);
	describe_log(req_buf, sizeof(req_buf));
	ok = rc == t->rc;
	if (t->req)
		ok = ok && strstr(req_buf, t->req);
	if (t->nout)
		ok = ok && !strstr(out_buf, t->nout);
	if (t->out)
		ok = ok && strstr(out_buf, t->out);
	if (t->err)
		ok = ok && ((t->flags & EXACT) ? !strcmp(err_buf, t->err) :
						 !!strstr(err_buf, t->err));
	/* Usage errors always explain themselves on stderr. */
	if (t->rc == CLI_USAGE && !(t->flags & NOUSAGE))
		ok = ok && strstr(err_buf, "Usage:") && !out_buf[0];
	if (t->rc != CLI_OK)
		ok = ok && !out_buf[0];
	if (t->flags & NOKERN)
		ok = ok && !mock.opens;
	if (t->netns)
		ok = ok && !strcmp(mock.netns, t->netns);
	else
		ok = ok && !mock.netns[0];
	if (!tap_ok(ok, "exit %d: %s", t->rc, desc)) {
		printf("# got exit %d\n", rc);
		diag("stdout", out_buf);
		diag("stderr", err_buf);
		diag("sent", req_buf);
	}
}

/* -j output is one JSON object with the documented keys and types. */
static void json_case(const char *prog, const char *stat, uint64_t val)
{
	const char *argv[] = { prog, "-j", "status", NULL };
	struct json_object *root, *v, *stats;
	bool ok;

	mock_set(0);
	ok = run(argv, NULL) == 0;
	root = json_tokener_parse(out_buf);
	ok = ok && root && json_object_is_type(root, json_type_object);
	ok = ok && json_object_object_get_ex(root, "version", &v) &&
	     !strcmp(json_object_get_string(v), "1.2.3-mock");
	ok = ok && json_object_object_get_ex(root, "netns_cookie", &v) &&
	     json_object_is_type(v, json_type_int) &&
	     json_object_get_uint64(v) == 4242;
	ok = ok && json_object_object_get_ex(root, "stats", &stats) &&
	     json_object_object_get_ex(stats, stat, &v) &&
	     json_object_get_uint64(v) == val;
	ok = ok && json_object_object_get_ex(stats, "stat99", &v) &&
	     json_object_get_uint64(v) == UINT64_MAX;
	tap_ok(ok, "%s -j status: valid JSON with version, netns_cookie, stats", prog);
	json_object_put(root);
}

/* Every counter of the uapi has a name, and names are unique. */
static void names_case(const char *what, const struct stats_names *sn,
		       unsigned int max)
{
	unsigned int i, j;
	bool ok = sn->n == max + 1;

	for (i = 0; ok && i <= max; i++) {
		if (i == 0 || i == sn->pad || i == sn->reserved) {
			ok = !sn->names[i];
			continue;
		}
		ok = sn->names[i] && sn->names[i][0];
		for (j = 1; ok && j < i; j++)
			ok = !sn->names[j] || strcmp(sn->names[i], sn->names[j]);
	}
	tap_ok(ok, "%s: every counter up to %u has a unique name", what, max);
}

/* Input files of the cases, in a fresh directory we work in. */
static void fixture(const char *name, mode_t mode, const char *text)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchmod(fd, mode) < 0) {
		perror(name);
		exit(1);
	}
	close(fd);
}

static void fixtures(void)
{
	static char dir[] = "/tmp/mtfctl-test-XXXXXX";

	if (!mkdtemp(dir) || chdir(dir) < 0) {
		perror(dir);
		exit(1);
	}
	printf("# fixtures in %s\n", dir);
	fixture("key.ok", 0600, K1 "\n");
	fixture("key.open", 0644, K1 "\n");
	fixture("key.bad", 0600, "xyz\n");
	fixture("ok.filters", 0644,
		"# filters for the test\n"
		P2 " dst 10.0.9.1\n"
		"\n"
		"  # indented comment\n"
		"10.0.1.254/1 src 192.0.2.0/24 dst 10.0.9.2 rate-limit pps 5 timeout 100  # why\n"
		"\"10.0.1.254/0x1a2b3c4d > 10.0.3.254/0x51aa300d\" dst 10.0.9.3 drop\n"
		"10.0.1.254/1 dst 10.0.9.4 replace");	/* no final newline */
	fixture("del.filters", 0644, P2 " dst 10.0.9.1\n" P2 " src * dst 10.0.9.2\n");
	fixture("bad3.filters", 0644, P2 " dst 10.0.9.1\n" P2 " dst 10.0.9.2\n"
		"10.0.1.254/0xzz dst 10.0.9.3\n" P2 " dst 10.0.9.4\n");
	fixture("quote.filters", 0644, P2 " dst 10.0.9.1\n\"10.0.1.254/1 dst 10.0.9.2\n");
	fixture("cmds.batch", 0644,
		"config set slots 4\n"
		"filter add " P2 " dst 10.0.9.1\n"
		"filter add " P2 " dst 10.0.9.2\n"
		"filter del " P2 " dst 10.0.9.1\n"
		"path flush\n"
		"config show\n"
		"filter add " P2 " dst 10.0.9.3\n");
	fixture("cmds-bad.batch", 0644, "filter add " P2 " dst 10.0.9.1\n# c\n"
		"config set slots 99\nfilter add " P2 " dst 10.0.9.2\n");
	fixture("cmds-help.batch", 0644, "help\n");
	fixture("cmds-f.batch", 0644, "filter add -f ok.filters\n");
	fixture("empty.batch", 0644, "");
}

/* -j output of a list, a monitor or a batch: every line valid JSON. */
static void json_lines_case(const char *const *argv, unsigned int flags,
			    enum json_type type, size_t n)
{
	struct json_object *root;
	char *line, *save = NULL;
	unsigned int lines = 0;
	bool ok;

	mock_set(flags);
	ok = run(argv, NULL) == 0;
	for (line = strtok_r(out_buf, "\n", &save); ok && line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		root = json_tokener_parse(line);
		ok = root && json_object_is_type(root, type) &&
		     (type != json_type_array || json_object_array_length(root) == n);
		json_object_put(root);
	}
	tap_ok(ok && lines == (type == json_type_array ? 1 : n),
	       "%s %s %s: %zu valid JSON %s", argv[1], argv[2], argv[3] ? argv[3] : "",
	       n, type == json_type_array ? "elements" : "lines");
}

static void pretty_case(const char *obj, size_t n)
{
	const char *argv[] = { "mtfctl", "-p", obj, NULL };
	struct json_object *root;
	bool ok;

	mock_set(0);
	ok = run(argv, NULL) == 0;
	root = json_tokener_parse(out_buf);
	ok = ok && root && json_object_is_type(root, json_type_array) &&
	     json_object_array_length(root) == n;
	tap_ok(ok, "mtfctl -p %s: one pretty JSON array of %zu", obj, n);
	json_object_put(root);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Bulk: BULK_N three-slot filters from a file against the mock.  All
 * must arrive, in messages within the size limit, few of them; the time
 * is the tool's share of an install (reading, parsing, building).
 */
#define BULK_N 200000

static void bulk_case(bool batch)
{
	const char *argv_f[] = { "mtfctl", "filter", "add", "-f", "big.filters", NULL };
	const char *argv_b[] = { "mtfctl", "-b", "big.filters", NULL };
	unsigned long per_msg;
	FILE *f = fopen("big.filters", "w");
	double t;
	bool ok;
	int i;

	for (i = 0; f && i < BULK_N; i++)
		fprintf(f, "%s10.0.1.254/0x%08x,10.0.2.254/0x%08x,10.0.3.254/0x%08x dst 10.%u.%u.%u%s\n",
			batch ? "filter add " : "", i, ~i, i * 7919,
			i >> 16 & 255, i >> 8 & 255, i & 255,
			i % 2 ? " rate-limit pps 100 timeout 60s" : "");
	if (!f || fclose(f)) {
		perror("big.filters");
		exit(1);
	}
	mock_set(0);
	mock.no_log = true;
	t = now();
	ok = run(batch ? argv_b : argv_f, NULL) == 0;
	t = now() - t;
	per_msg = mock.filter_msgs ? mock.filter_entries / mock.filter_msgs : 0;
	tap_ok(ok && mock.filter_entries == BULK_N && mock.filter_max_len <= MTF_BATCH_MSG_MAX &&
	       mock.filter_max_len > MTF_BATCH_MSG_MAX - 200 && per_msg > 150,
	       "%s: %u filters in %lu messages (%lu each, <= %u bytes)",
	       batch ? "-b FILE" : "filter add -f FILE", BULK_N, mock.filter_msgs,
	       per_msg, MTF_BATCH_MSG_MAX);
	printf("# %s: %.2f s for %u filters in the tool: %.0f filters/s\n",
	       batch ? "-b" : "-f", t, BULK_N, BULK_N / t);
	unlink("big.filters");
}

int main(void)
{
	static const char *const j_dev[] = { "mtfctl", "-j", "dev", "show", NULL };
	static const char *const j_path[] = { "mtfctl", "-j", "path", "show", NULL };
	static const char *const j_filter[] = { "mtfctl", "-j", "filter", "show", NULL };
	static const char *const j_mon[] = { "mtfctl", "-j", "monitor", NULL };
	static const char *const j_empty[] = { "mtfctl", "-j", "path", "show", "suffix", NULL };
	unsigned int i;

	tap_plan(ARRAY_SIZE(cases) + 4 + 5 + 3 + 2);
	fixtures();
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	json_lines_case(j_dev, 0, json_type_array, 2);
	json_lines_case(j_path, 0, json_type_array, 2);
	json_lines_case(j_filter, 0, json_type_array, 3);
	json_lines_case(j_empty, 0, json_type_array, 1);
	json_lines_case(j_mon, EVENTS, json_type_object, 2);
	pretty_case("dev", 2);
	pretty_case("path", 2);
	pretty_case("filter", 3);
	bulk_case(false);
	bulk_case(true);
	json_case("mtfctl", "fwd_packets", 11);
	json_case("roamctl", "in_bytes", 3300);
	names_case("enum mtf_stat", &mtf_stat_names, MTF_STAT_MAX);
	names_case("enum roam_stat", &roam_stat_names, ROAM_STAT_MAX);
	return tap_done();
}

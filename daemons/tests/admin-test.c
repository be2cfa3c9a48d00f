// SPDX-License-Identifier: GPL-2.0
/*
 * The admin protocol's "watch revocations": the request parses; records
 * format, parse back and compare; malformed and unknown records.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "admin.h"
#include "tap.h"

static int parse_str(const char *s, struct roam_admin_rev *rv, const char **why)
{
	return roam_admin_rev_parse(s, strlen(s), rv, why);
}

static bool rev_eq(const struct roam_admin_rev *a, const struct roam_admin_rev *b)
{
	if (a->kind != b->kind || strcmp(a->name, b->name) || a->naddrs != b->naddrs)
		return false;
	for (unsigned int i = 0; i < a->naddrs; i++)
		if (a->addrs[i].family != b->addrs[i].family ||
		    a->addrs[i].port != b->addrs[i].port ||
		    memcmp(a->addrs[i].addr, b->addrs[i].addr, 16))
			return false;
	return true;
}

static void test_request(void)
{
	struct roam_admin_req r;
	const char *why;

	tap_ok(!roam_admin_parse("watch revocations", 17, &r, &why) &&
	       r.cmd == ROAM_ADMIN_WATCH_REVOKED, "request: watch revocations");
	tap_ok(roam_admin_parse("watch", 5, &r, &why) == -EINVAL &&
	       roam_admin_parse("watch clients", 13, &r, &why) == -EINVAL &&
	       roam_admin_parse("watch revocations now", 21, &r, &why) == -EINVAL,
	       "request: other watch lines refused");
}

static void test_roundtrip(void)
{
	struct roam_admin_rev rv = { .kind = ROAM_ADMIN_REV_REVOKED, .naddrs = 3 }, back;
	char line[ROAM_ADMIN_LINE_MAX + 2];
	const char *why;
	int n;

	strcpy(rv.name, "alice");
	roam_addr_parse("10.0.1.1:50748", &rv.addrs[0]);
	roam_addr_parse("[2001:db8::7]:443", &rv.addrs[1]);
	roam_addr_parse("10.0.1.2:1", &rv.addrs[2]);
	n = roam_admin_rev_format(&rv, line, sizeof(line));
	tap_ok(n > 0 && !strcmp(line, "revoked alice 10.0.1.1:50748 [2001:db8::7]:443 10.0.1.2:1\n"),
	       "format: revoked with addresses");
	tap_ok(n > 0 && !roam_admin_rev_parse(line, (size_t)n - 1, &back, &why) &&
	       rev_eq(&rv, &back), "parse(format(x)) == x");

	rv.naddrs = 0;
	n = roam_admin_rev_format(&rv, line, sizeof(line));
	tap_ok(n > 0 && !strcmp(line, "revoked alice\n") &&
	       !roam_admin_rev_parse(line, (size_t)n - 1, &back, &why) && !back.naddrs &&
	       back.kind == ROAM_ADMIN_REV_REVOKED, "revoked without addresses");

	n = roam_admin_rev_format(&(struct roam_admin_rev){ .kind = ROAM_ADMIN_REV_SYNCED },
				  line, sizeof(line));
	tap_ok(n == 7 && !strcmp(line, "synced\n") && !parse_str("synced", &back, &why) &&
	       back.kind == ROAM_ADMIN_REV_SYNCED, "synced");

	tap_ok(roam_admin_rev_format(&rv, line, 10) == -ENOSPC, "format: short buffer");

	rv.naddrs = ROAM_ADMIN_REV_ADDRS;
	for (unsigned int i = 0; i < rv.naddrs; i++)
		roam_addr_parse("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535", &rv.addrs[i]);
	strcpy(rv.name, "a234567890123456789012345678901234567890123456789012345678901234");
	n = roam_admin_rev_format(&rv, line, sizeof(line));
	tap_ok(n > 0 && n <= ROAM_ADMIN_LINE_MAX && !roam_admin_rev_parse(line, (size_t)n - 1,
								       &back, &why) &&
	       rev_eq(&rv, &back), "longest record fits a line (%d bytes)", n);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"", " ", "revoked", "revoked .x", "revoked a b", "revoked a 10.0.0.1",
		"revoked a 10.0.0.1:0x", "revoked a 10.0.0.1:70000", "revoked a [::1]",
		"synced x", "synced ",
		"revoked a234567890123456789012345678901234567890123456789012345678901234x",
		"revoked a 1.1.1.1:1 1.1.1.1:2 1.1.1.1:3 1.1.1.1:4 1.1.1.1:5 1.1.1.1:6 "
		"1.1.1.1:7 1.1.1.1:8 1.1.1.1:9 1.1.1.1:10 1.1.1.1:11 1.1.1.1:12 1.1.1.1:13 "
		"1.1.1.1:14 1.1.1.1:15 1.1.1.1:16 1.1.1.1:17",
	};
	struct roam_admin_rev rv;
	const char *why;
	int bad_ok = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse_str(bad[i], &rv, &why);

		if (ret == -EINVAL && why)
			bad_ok++;
		else
			printf("# accepted or wrong error (%d): '%s'\n", ret, bad[i]);
	}
	tap_ok(bad_ok == (int)(sizeof(bad) / sizeof(bad[0])), "%d malformed records refused",
	       bad_ok);
	tap_ok(parse_str("blocked a 1.2.3.4:5", &rv, &why) == -ENOENT,
	       "unknown record word: -ENOENT (skipped by roamd)");
	tap_ok(roam_admin_rev_parse("revoked a\0b", 11, &rv, &why) == -EINVAL,
	       "NUL inside a record refused");
	tap_ok(!parse_str("revoked  bob   10.0.0.1:2  ", &rv, &why) && rv.naddrs == 1 &&
	       !strcmp(rv.name, "bob"), "extra spaces between words");
}

int main(void)
{
	tap_plan(12);
	test_request();
	test_roundtrip();
	test_malformed();
	return tap_done();
}

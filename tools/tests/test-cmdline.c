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
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
};

struct tcase {
	int rc;
	unsigned int flags;
	const char *argv[8];
	const char *out;	/* substring of stdout */
	const char *err;	/* substring of stderr */
	const char *netns;	/* namespace the CLI must have entered */
};

#define NOT_LOADED_MTF \
	"mtfctl: the mtf kernel module is not loaded (modprobe mtf / insmod mtf.ko)\n"
#define NOT_LOADED_ROAM \
	"roamctl: the roam kernel module is not loaded (modprobe roam / insmod roam.ko)\n"

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
};

static char out_buf[16384], err_buf[16384];

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run one CLI with stdout and stderr captured. */
static int run(const char *const *args)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	char *argv[9] = { NULL };
	int so, se, argc, rc;

	if (!fo || !fe) {
		perror("tmpfile");
		exit(1);
	}
	for (argc = 0; argc < 8 && args[argc]; argc++)
		argv[argc] = (char *)args[argc];
	fflush(stdout);
	fflush(stderr);
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
	slurp(fo, out_buf, sizeof(out_buf));
	slurp(fe, err_buf, sizeof(err_buf));
	return rc;
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

	for (i = 0; i < 8 && t->argv[i]; i++)
		off += snprintf(desc + off, sizeof(desc) - off, "%s%s",
				i ? " " : "", t->argv[i]);
	/* The expectation, up to its first newline, tells cases apart. */
	if (t->out || t->err)
		snprintf(desc + off, sizeof(desc) - off, " [%s: %.*s]",
			 t->out ? "stdout" : "stderr",
			 (int)strcspn(t->out ? t->out : t->err, "\n"),
			 t->out ? t->out : t->err);
	mock_set(t->flags);
	rc = run(t->argv);
	ok = rc == t->rc;
	if (t->out)
		ok = ok && strstr(out_buf, t->out);
	if (t->err)
		ok = ok && ((t->flags & EXACT) ? !strcmp(err_buf, t->err) :
						 !!strstr(err_buf, t->err));
	/* Usage errors always explain themselves on stderr. */
	if (t->rc == CLI_USAGE)
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
	}
}

/* -j output is one JSON object with the documented keys and types. */
static void json_case(const char *prog, const char *stat, uint64_t val)
{
	const char *argv[] = { prog, "-j", "status", NULL };
	struct json_object *root, *v, *stats;
	bool ok;

	mock_set(0);
	ok = run(argv) == 0;
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
		if (i == 0 || i == sn->pad) {
			ok = !sn->names[i];
			continue;
		}
		ok = sn->names[i] && sn->names[i][0];
		for (j = 1; ok && j < i; j++)
			ok = !sn->names[j] || strcmp(sn->names[i], sn->names[j]);
	}
	tap_ok(ok, "%s: every counter up to %u has a unique name", what, max);
}

int main(void)
{
	unsigned int i;

	tap_plan(ARRAY_SIZE(cases) + 4);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	json_case("mtfctl", "fwd_packets", 11);
	json_case("roamctl", "in_bytes", 3300);
	names_case("enum mtf_stat", &mtf_stat_names, MTF_STAT_MAX);
	names_case("enum roam_stat", &roam_stat_names, ROAM_STAT_MAX);
	return tap_done();
}

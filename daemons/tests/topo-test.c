// SPDX-License-Identifier: GPL-2.0
/*
 * mtfd's gateway graph (daemons/mtfd/topo.h): the paper's Figure 5, a
 * line, a diamond with two equal paths, every error of the topology file
 * with its line, learned paths, and the limits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "topo.h"

/* An address from text; a ring, so a call may use several. */
static const struct mtf_ctl_addr *A(const char *s)
{
	static struct mtf_ctl_addr ring[8];
	static unsigned int i;
	struct mtf_ctl_addr *a = &ring[i++ % 8];

	if (mtfd_addr_parse(s, a))
		abort();
	return a;
}

static const struct mtfd_prefix *P(const char *s)
{
	static struct mtfd_prefix ring[4];
	static unsigned int i;
	struct mtfd_prefix *p = &ring[i++ % 4];

	if (mtfd_prefix_parse(s, p))
		abort();
	return p;
}

static struct topo *load(const char *text, const struct topo_limits *l)
{
	struct topo *t = topo_new(l);
	char err[256];

	if (!t || topo_load_buf(t, text, strlen(text), "t", err, sizeof(err))) {
		printf("# load: %s\n", err);
		exit(1);
	}
	return t;
}

/* The targets as "a b c", or "error N". */
static const char *warn(struct topo *t, const char *self, const char *r1,
			const char *src, unsigned int k)
{
	static char buf[512];
	struct mtf_ctl_addr out[8];
	struct topo_query q = { .self = A(self), .attack_gw = A(r1),
				.src = src ? P(src) : NULL, .k = k };
	int n = topo_warn_targets(t, &q, out, 8);
	size_t len = 0;

	if (n < 0) {
		snprintf(buf, sizeof(buf), "error %d", n);
		return buf;
	}
	buf[0] = '\0';
	for (int i = 0; i < n && i < 8; i++) {
		char a[MTFD_ADDRSTRLEN];

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "",
					mtfd_addr_str(&out[i], a, sizeof(a)));
	}
	return buf;
}

/* The paths as "cost:a,b,c cost:a,b", or "error N". */
static const char *paths(struct topo *t, const char *from, const char *to, unsigned int k)
{
	static char buf[2048];
	struct topo_path p[TOPO_K_MAX];
	int n = topo_k_paths(t, A(from), A(to), k, p, TOPO_K_MAX);
	size_t len = 0;

	if (n < 0) {
		snprintf(buf, sizeof(buf), "error %d", n);
		return buf;
	}
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%llu:", i ? " " : "",
					(unsigned long long)p[i].cost);
		for (unsigned int j = 0; j < p[i].len; j++) {
			char a[MTFD_ADDRSTRLEN];

			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", j ? "," : "",
						mtfd_addr_str(&p[i].hop[j], a, sizeof(a)));
		}
	}
	return buf;
}

#define IS(got, want, ...)						\
	do {								\
		const char *g_ = (got);					\
		if (!tap_ok(!strcmp(g_, want), __VA_ARGS__))		\
			printf("#   got '%s', want '%s'\n", g_, want);	\
	} while (0)

/*
 * Figure 5: victim V behind R3; R1 and R4 linked to R3; the attack
 * network 10.1.2.0/24 multihomed behind R1 and R4; 10.1.9.0/24 behind
 * R1 only.
 */
static const char fig5[] =
	"# MTF paper, Figure 5\n"
	"gateway R3 10.0.3.1   # the victim's gateway\n"
	"gateway R1 10.0.1.1\n"
	"gateway R4 10.0.4.1\n"
	"\n"
	"link R1 R3\n"
	"link R4 R3 weight 1\n"
	"prefix R3 10.3.0.0/24\n"
	"prefix R1 10.1.2.0/24\n"
	"prefix R4 10.1.2.0/24\n"
	"prefix R1 10.1.9.0/24\r\n";

static void test_fig5(void)
{
	struct topo *t = load(fig5, NULL);
	struct mtf_ctl_addr rec[2] = { *A("10.0.1.1"), *A("10.0.3.1") }, out[1];
	struct topo_query q = { .self = &rec[1], .attack_gw = &rec[0], .path = rec,
				.path_len = 2, .k = 2 };
	struct topo_stats s;

	topo_get_stats(t, &s);
	tap_ok(s.gateways == 3 && s.links == 2 && s.prefixes == 3 && s.homes == 4,
	       "fig5: 3 gateways, 2 links, 3 prefixes, 4 attachments");
	IS(warn(t, "10.0.3.1", "10.0.1.1", NULL, 2), "10.0.4.1",
	   "fig5: spoofed source, k=2: warn R4 (the multihomed stub's other gateway)");
	IS(warn(t, "10.0.3.1", "10.0.1.1", "10.1.2.7/32", 2), "10.0.4.1",
	   "fig5: source 10.1.2.7 in the multihomed stub: warn R4");
	IS(warn(t, "10.0.3.1", "10.0.1.1", "10.1.9.0/24", 3), "",
	   "fig5: source in the single-homed stub: nobody to warn");
	IS(warn(t, "10.0.3.1", "10.0.1.1", "10.1.0.0/16", 2), "10.0.4.1",
	   "fig5: source /16 holding both of R1's stubs: warn R4");
	IS(warn(t, "10.0.3.1", "10.0.1.1", "192.0.2.1/32", 2), "10.0.4.1",
	   "fig5: source not behind R1 (spoofed): R1's stubs, warn R4");
	IS(warn(t, "10.0.3.1", "10.0.1.1", NULL, 1), "",
	   "fig5: k=1: only the attack's path, nobody to warn");
	IS(warn(t, "10.0.3.1", "10.0.4.1", "10.1.2.0/24", 2), "10.0.1.1",
	   "fig5: attack through R4: warn R1");
	tap_ok(topo_warn_targets(t, &q, out, 1) == 1 && !mtfd_addr_cmp(&out[0], A("10.0.4.1")),
	       "fig5: with the recorded path [R1, R3]: warn R4");
	tap_ok(topo_warn_targets(t, &q, out, 0) == 1,
	       "fig5: out_max 0: the count all the same");
	IS(paths(t, "10.0.3.1", "10.0.1.1", 3), "1:10.0.3.1,10.0.1.1",
	   "fig5: the stub is no transit: one path R3..R1");
	IS(paths(t, "10.0.4.1", "10.0.1.1", 3), "2:10.0.4.1,10.0.3.1,10.0.1.1",
	   "fig5: R4..R1 through R3");
	IS(warn(t, "10.0.9.9", "10.0.1.1", NULL, 2), "error -2", "fig5: unknown self: -ENOENT");
	IS(warn(t, "10.0.3.1", "10.0.9.9", NULL, 2), "error -2", "fig5: unknown R1: -ENOENT");
	IS(warn(t, "10.0.3.1", "10.0.1.1", NULL, 0), "error -22", "fig5: k=0: -EINVAL");
	IS(warn(t, "10.0.3.1", "10.0.1.1", NULL, TOPO_K_MAX + 1), "error -22",
	   "fig5: k over TOPO_K_MAX: -EINVAL");
	IS(warn(t, "10.0.4.1", "10.0.1.1", NULL, 2), "",
	   "fig5: self serves the stub too: self is never a target");
	topo_free(t);
}

static void test_line(void)
{
	struct topo *t = load("gateway A 10.0.0.1\ngateway B 10.0.0.2\n"
			      "gateway C 10.0.0.3\ngateway D 10.0.0.4\n"
			      "link A B\nlink B C\nlink C D\n"
			      "prefix D 10.4.0.0/16\n"
			      "prefix D 10.5.0.0/16\nprefix C 10.5.0.0/16 weight 3\n", NULL);

	IS(paths(t, "10.0.0.1", "10.0.0.4", 4), "3:10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4",
	   "line: one path A..D");
	IS(paths(t, "10.0.0.1", "10.0.0.1", 2), "0:10.0.0.1", "line: A..A is A");
	IS(warn(t, "10.0.0.1", "10.0.0.4", "10.4.1.1/32", 4), "",
	   "line: stub behind D only: nobody to warn");
	/* 10.5/16: via D costs 3 + 1, via C 2 + 3: the attack's path is first. */
	IS(warn(t, "10.0.0.1", "10.0.0.4", "10.5.0.0/16", 1), "",
	   "line: 10.5/16, k=1: the attack's path only");
	IS(warn(t, "10.0.0.1", "10.0.0.4", "10.5.0.0/16", 2), "10.0.0.3",
	   "line: 10.5/16, k=2: warn C");
	IS(warn(t, "10.0.0.1", "10.0.0.4", NULL, 2), "10.0.0.3",
	   "line: source unknown: D's stubs, warn C");
	topo_free(t);
}

static void test_diamond(void)
{
	struct topo *t = load("gateway S 10.0.0.1\ngateway A 10.0.0.2\n"
			      "gateway B 10.0.0.3\ngateway T 10.0.0.4\n"
			      "link S A\nlink S B\nlink A T\nlink B T\n"
			      "prefix A 10.9.0.0/24\nprefix B 10.9.0.0/24\n", NULL);
	struct topo_stats s;

	IS(paths(t, "10.0.0.1", "10.0.0.4", 3),
	   "2:10.0.0.1,10.0.0.2,10.0.0.4 2:10.0.0.1,10.0.0.3,10.0.0.4",
	   "diamond: two equal paths S..T, and no third");
	IS(warn(t, "10.0.0.1", "10.0.0.2", NULL, 2), "10.0.0.3",
	   "diamond: attack through A, k=2: warn B");
	IS(warn(t, "10.0.0.1", "10.0.0.3", NULL, 2), "10.0.0.2",
	   "diamond: attack through B, k=2: warn A");
	IS(warn(t, "10.0.0.1", "10.0.0.2", NULL, 1), "",
	   "diamond: k=1: the tie goes to the attack's path");
	IS(warn(t, "10.0.0.1", "10.0.0.2", NULL, 4), "10.0.0.3",
	   "diamond: k=4 (paths through T too): B once");
	topo_get_stats(t, &s);
	warn(t, "10.0.0.1", "10.0.0.2", NULL, 4);
	{
		struct topo_stats s2;

		topo_get_stats(t, &s2);
		tap_ok(s2.cache_hits > s.cache_hits && s2.cache_misses == s.cache_misses &&
		       s2.rebuilds == 1, "diamond: a repeated query is served by the cache");
	}
	/* S-B now costs 5: the second path to the stub runs S A T B. */
	topo_free(t);
	t = load("gateway S 10.0.0.1\ngateway A 10.0.0.2\n"
		 "gateway B 10.0.0.3\ngateway T 10.0.0.4\n"
		 "link S A\nlink S B weight 5\nlink A T\nlink B T\n"
		 "prefix A 10.9.0.0/24\nprefix B 10.9.0.0/24\n", NULL);
	IS(paths(t, "10.0.0.1", "10.0.0.3", 2),
	   "3:10.0.0.1,10.0.0.2,10.0.0.4,10.0.0.3 5:10.0.0.1,10.0.0.3",
	   "weighted diamond: S..B around through A and T first");
	IS(warn(t, "10.0.0.1", "10.0.0.2", NULL, 2), "10.0.0.3",
	   "weighted diamond: warn B, the last gateway of S A T B");
	topo_free(t);
}

static void test_ipv6(void)
{
	struct topo *t = load("gateway R3 2001:db8::3\ngateway R1 2001:db8::1\n"
			      "gateway R4 10.0.4.1\nlink R1 R3\nlink R4 R3\n"
			      "prefix R1 2001:db8:1::/48\nprefix R4 2001:db8:1::/48\n", NULL);

	IS(warn(t, "2001:db8::3", "2001:db8::1", "2001:db8:1:2::/64", 2), "10.0.4.1",
	   "IPv6 gateways and prefix: warn R4");
	topo_free(t);
}

/* Each error, the line it is on and what the message says. */
static const struct {
	const char *text, *msg;
} bad[] = {
	{ "gateway R1\n", "t:1: usage: gateway NAME ADDR" },
	{ "# c\ngateway R1 10.0.0.256\n", "t:2: gateway R1: invalid address '10.0.0.256'" },
	{ "gateway R$ 10.0.0.1\n", "t:1: gateway name 'R$'" },
	{ "gateway R1 10.0.0.1\ngateway R1 10.0.0.2\n", "t:2: gateway R1 declared twice" },
	{ "gateway R1 10.0.0.1\ngateway R2 10.0.0.1\n",
	  "t:2: gateway R2: address 10.0.0.1 already belongs to R1" },
	{ "gateway R1 10.0.0.1\nlink R1 R9\n", "t:2: unknown gateway 'R9'" },
	{ "gateway R1 10.0.0.1\n\nlink R1 R1\n", "t:3: link from R1 to itself" },
	{ "gateway R1 10.0.0.1\ngateway R2 10.0.0.2\nlink R1 R2\nlink R2 R1\n",
	  "t:4: link R2 R1 declared twice" },
	{ "gateway R1 10.0.0.1\ngateway R2 10.0.0.2\nlink R1 R2 weight 0\n",
	  "t:3: weight '0': not in 1..1000000" },
	{ "gateway R1 10.0.0.1\ngateway R2 10.0.0.2\nlink R1 R2 weight 1000001\n",
	  "t:3: weight '1000001': not in 1..1000000" },
	{ "gateway R1 10.0.0.1\ngateway R2 10.0.0.2\nlink R1 R2 weight -1\n",
	  "t:3: weight '-1': not a number" },
	{ "gateway R1 10.0.0.1\ngateway R2 10.0.0.2\nlink R1 R2 cost 3\n",
	  "t:3: expected 'weight W' after the arguments, got 'cost'" },
	{ "gateway R1 10.0.0.1\ngateway R2 10.0.0.2\nlink R1 R2 weight\n",
	  "t:3: usage: link NAME NAME [weight W]" },
	{ "gateway R1 10.0.0.1\nprefix R1 10.1.2.1/24\n", "t:2: invalid prefix '10.1.2.1/24'" },
	{ "gateway R1 10.0.0.1\nprefix R1 10.1.2.0/33\n", "t:2: invalid prefix '10.1.2.0/33'" },
	{ "gateway R1 10.0.0.1\nprefix R1 10.1.2.0\n", "t:2: invalid prefix '10.1.2.0'" },
	{ "gateway R1 10.0.0.1\nprefix R1 10.1.2.0/+4\n", "t:2: invalid prefix" },
	{ "gateway R1 10.0.0.1\nprefix R1 10.1.2.0/24\nprefix R1 10.1.2.0/24\n",
	  "t:3: prefix 10.1.2.0/24 behind R1 declared twice" },
	{ "prefix R1 10.1.2.0/24\n", "t:1: unknown gateway 'R1'" },
	{ "\n\nrouter R1 10.0.0.1\n", "t:3: unknown statement 'router'" },
	{ "gateway R1 10.0.0.1 a b c d e\n", "t:1: too many words" },
	{ "gateway R1 10.0.0.1 # fine\ngateway R2 10.0.0.2 extra\n",
	  "t:2: usage: gateway NAME ADDR" },
};

static void test_errors(void)
{
	char err[256], longline[1100], nul[] = "gateway R1 10.0.0.1\ngate\0way\n";
	struct topo *t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = topo_new(NULL);
		int rc = topo_load_buf(t, bad[i].text, strlen(bad[i].text), "t", err, sizeof(err));

		if (!tap_ok(rc == -EINVAL && !strncmp(err, bad[i].msg, strlen(bad[i].msg)),
			    "file error: %s", bad[i].msg))
			printf("#   rc %d, '%s'\n", rc, err);
		topo_free(t);
	}
	memset(longline, '#', sizeof(longline));
	memcpy(longline, "\n\n", 2);
	t = topo_new(NULL);
	tap_ok(topo_load_buf(t, longline, sizeof(longline), "t", err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "t:3: line longer than 1024 bytes"), "file error: %s", err);
	tap_ok(topo_load_buf(t, nul, sizeof(nul) - 1, "t", err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "t:2: NUL byte in the line"), "file error: %s", err);
	tap_ok(topo_load_file(t, "/nonexistent/topo", err, sizeof(err)) == -ENOENT &&
	       !strcmp(err, "/nonexistent/topo: No such file or directory"),
	       "file error: %s", err);
	topo_free(t);
}

static void test_file(void)
{
	char path[] = "/tmp/mtfd-topo-test.XXXXXX", err[256];
	int fd = mkstemp(path);
	struct topo *t = topo_new(NULL);
	struct topo_stats s;

	if (fd < 0 || write(fd, fig5, sizeof(fig5) - 1) != (ssize_t)(sizeof(fig5) - 1))
		abort();
	close(fd);
	tap_ok(topo_load_file(t, path, err, sizeof(err)) == 0, "file: Figure 5 loads from a file");
	topo_get_stats(t, &s);
	tap_ok(s.gateways == 3 && s.links == 2, "file: same graph as from the buffer");
	unlink(path);
	topo_free(t);
}

static void test_learn(void)
{
	struct topo *t = load("gateway R3 10.0.3.1\n", NULL);
	struct mtf_ctl_addr p1[3] = { *A("10.0.1.1"), *A("10.0.2.1"), *A("10.0.3.1") };
	struct mtf_ctl_addr p2[3] = { *A("10.0.1.1"), *A("10.0.5.1"), *A("10.0.3.1") };
	struct mtf_ctl_addr p3[4] = { *A("10.0.3.1"), *A("10.0.3.1"), *A("10.0.2.1"),
				      *A("10.0.1.1") };
	struct mtf_ctl_addr big[TOPO_PATH_MAX + 1], badf = { .family = 5 };
	struct topo_stats s;

	tap_ok(topo_learn_path(t, p1, 3) == 2, "learn: R1 R2 R3: two links");
	IS(paths(t, "10.0.3.1", "10.0.1.1", 2), "2:10.0.3.1,10.0.2.1,10.0.1.1",
	   "learn: one path R3..R1");
	tap_ok(topo_learn_path(t, p1, 3) == 0, "learn: the same path again: no link added");
	tap_ok(topo_learn_path(t, p3, 4) == 0,
	   "learn: reversed, with a repeated router: no link added");
	tap_ok(topo_learn_path(t, p2, 3) == 2, "learn: R1 R5 R3: two more links");
	IS(paths(t, "10.0.3.1", "10.0.1.1", 2),
	   "2:10.0.3.1,10.0.2.1,10.0.1.1 2:10.0.3.1,10.0.5.1,10.0.1.1",
	   "learn: the cached paths were dropped: two paths now");
	topo_get_stats(t, &s);
	tap_ok(s.gateways == 4 && s.links == 4 && s.rebuilds == 2,
	       "learn: 4 gateways, 4 links, the graph rebuilt once per change seen");
	for (unsigned int i = 0; i <= TOPO_PATH_MAX; i++)
		big[i] = *A("10.7.0.1"), big[i].addr[3] = (uint8_t)(i + 1);
	tap_ok(topo_learn_path(t, big, TOPO_PATH_MAX + 1) == -E2BIG,
	       "learn: more than %d routers: -E2BIG", TOPO_PATH_MAX);
	tap_ok(topo_learn_path(t, &badf, 1) == -EINVAL, "learn: bad family: -EINVAL");
	topo_free(t);
}

static void test_limits(void)
{
	struct topo_limits l;
	struct topo *t;
	struct topo_stats s;
	struct mtf_ctl_addr p[3] = { *A("10.0.0.1"), *A("10.0.0.8"), *A("10.0.0.9") };
	char err[256], text[4096];
	size_t len = 0;
	const char *three = "gateway A 10.0.0.1\ngateway B 10.0.0.2\ngateway C 10.0.0.3\n";

	topo_limits_default(&l);
	tap_ok(l.max_gateways == 1000000, "limits: default max_gateways 1,000,000");
	l.max_gateways = 3;
	l.max_links = 1;
	l.max_prefixes = 1;
	t = topo_new(&l);
	snprintf(text, sizeof(text), "%sgateway D 10.0.0.4\n", three);
	tap_ok(topo_load_buf(t, text, strlen(text), "t", err, sizeof(err)) == -ENOSPC &&
	       !strcmp(err, "t:4: too many gateways (limit 3)"), "limits: %s", err);
	topo_free(t);
	t = topo_new(&l);
	snprintf(text, sizeof(text), "%slink A B\nlink B C\n", three);
	tap_ok(topo_load_buf(t, text, strlen(text), "t", err, sizeof(err)) == -ENOSPC &&
	       !strcmp(err, "t:5: too many links (limit 1)"), "limits: %s", err);
	topo_free(t);
	t = topo_new(&l);
	snprintf(text, sizeof(text), "%sprefix A 10.1.0.0/16\nprefix B 10.1.0.0/16\n"
		 "prefix A 10.2.0.0/16\n", three);
	tap_ok(topo_load_buf(t, text, strlen(text), "t", err, sizeof(err)) == -ENOSPC &&
	       !strcmp(err, "t:6: too many prefixes (limit 1)"), "limits: %s", err);
	topo_free(t);
	l.max_gateways = 2;
	t = topo_new(&l);
	tap_ok(topo_learn_path(t, p, 3) == -ENOSPC, "limits: learning 3 gateways of 2: -ENOSPC");
	topo_get_stats(t, &s);
	tap_ok(s.gateways == 0 && s.links == 0, "limits: and nothing was added");
	topo_free(t);

	/* A line of 20 gateways: its one path is longer than a packet records. */
	for (int i = 1; i <= 20; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"gateway G%d 10.0.0.%d\n", i, i);
	for (int i = 1; i < 20; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "link G%d G%d\n", i, i + 1);
	t = load(text, NULL);
	IS(paths(t, "10.0.0.1", "10.0.0.20", 2), "",
	   "limits: a path of 20 gateways is not returned");
	IS(paths(t, "10.0.0.1", "10.0.0.15", 2), "14:10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,"
	   "10.0.0.5,10.0.0.6,10.0.0.7,10.0.0.8,10.0.0.9,10.0.0.10,10.0.0.11,10.0.0.12,"
	   "10.0.0.13,10.0.0.14,10.0.0.15", "limits: one of 15 is");
	topo_get_stats(t, &s);
	tap_ok(s.long_paths == 1, "limits: the long path counted");
	topo_free(t);

	/* A stub behind three gateways, searching at most two. */
	topo_limits_default(&l);
	l.max_origin_gws = 2;
	t = load("gateway S 10.0.0.1\ngateway A 10.0.0.2\ngateway B 10.0.0.3\n"
		 "gateway C 10.0.0.4\nlink S A\nlink S B\nlink S C\n"
		 "prefix A 10.9.0.0/24\nprefix B 10.9.0.0/24\nprefix C 10.9.0.0/24\n", &l);
	{
		struct topo_query q = { .self = A("10.0.0.1"), .attack_gw = A("10.0.0.2"),
					.k = 3 };
		struct mtf_ctl_addr out[4];

		tap_ok(topo_warn_targets(t, &q, out, 4) == 0 && q.truncated,
		       "limits: origin behind 3 gateways, max_origin_gws 2: truncated");
	}
	topo_free(t);

	/* Without a cache. */
	topo_limits_default(&l);
	l.cache_entries = 0;
	t = load(fig5, &l);
	IS(warn(t, "10.0.3.1", "10.0.1.1", NULL, 2), "10.0.4.1", "limits: no cache: same answer");
	topo_free(t);
}

/*
 * The pruned search (prune_above) against Yen on the whole graph: a
 * 12 x 12 grid with diagonals, unit and then random weights; the same
 * path costs for every k and pair tried.
 */
static void test_pruned(void)
{
	static char text[65536];
	for (int weighted = 0; weighted < 2; weighted++) {
		struct topo_limits l;
		struct topo *full, *pr;
		uint32_t seed = 12345;
		size_t len = 0;
		int same = 0, tried = 0;
		struct topo_stats s;

		for (int i = 0; i < 144; i++)
			len += (size_t)snprintf(text + len, sizeof(text) - len,
						"gateway G%d 10.0.%d.%d\n", i, i / 100, i % 100 + 1);
		for (int i = 0; i < 144; i++) {
			int nb[3] = { i % 12 < 11 ? i + 1 : -1, i + 12 < 144 ? i + 12 : -1,
				      i % 12 < 11 && i + 13 < 144 ? i + 13 : -1 };

			for (int j = 0; j < 3; j++) {
				if (nb[j] < 0)
					continue;
				seed = seed * 1103515245 + 12345;
				len += (size_t)snprintf(text + len, sizeof(text) - len,
							"link G%d G%d weight %u\n", i, nb[j],
							weighted ? (seed >> 16) % 9 + 1 : 1);
			}
		}
		topo_limits_default(&l);
		l.prune_above = 100000;
		full = load(text, &l);
		l.prune_above = 0;
		pr = load(text, &l);
		for (int i = 0; i < 40; i++) {
			char a[32], b[32];
			unsigned int k = (unsigned int)i % 4 + 1;
			struct topo_path p1[TOPO_K_MAX], p2[TOPO_K_MAX];
			int n1, n2, ok;

			seed = seed * 1103515245 + 12345;
			snprintf(a, sizeof(a), "10.0.%u.%u", (seed >> 8) % 144 / 100,
				 (seed >> 8) % 144 % 100 + 1);
			snprintf(b, sizeof(b), "10.0.%u.%u", (seed >> 20) % 144 / 100,
				 (seed >> 20) % 144 % 100 + 1);
			n1 = topo_k_paths(full, A(a), A(b), k, p1, TOPO_K_MAX);
			n2 = topo_k_paths(pr, A(a), A(b), k, p2, TOPO_K_MAX);
			ok = n1 == n2 && n1 >= 0;
			for (int j = 0; ok && j < n1; j++)
				ok = p1[j].cost == p2[j].cost;
			same += ok;
			tried++;
		}
		topo_get_stats(pr, &s);
		tap_ok(same == tried && s.pruned > 0,
		       "pruned search, %s weights: same costs as Yen on the whole graph "
		       "in %d of %d (%llu searches, %.1f gateways kept on average)",
		       weighted ? "random" : "unit", same, tried,
		       (unsigned long long)s.pruned,
		       s.pruned ? (double)s.pruned_vertices / s.pruned : 0.0);
		topo_free(full);
		topo_free(pr);
	}
}

int main(void)
{
	tap_plan(81);
	test_fig5();
	test_line();
	test_diamond();
	test_ipv6();
	test_errors();
	test_file();
	test_learn();
	test_limits();
	test_pruned();
	return tap_done();
}

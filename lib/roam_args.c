// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line words to values and back.  Pure functions: the parsers are
 * tested and fuzzed without a kernel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <linux/roam.h>

#include "parse.h"
#include "roam_args.h"
#include "util.h"

/* Dotted quad only: no names (no DNS on a firewall's control path). */
int roam_parse_addr(const char *s, uint32_t *be)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*be = a.s_addr;
	return 0;
}

/* "A,B,C"; "none" is the empty list. */
int roam_parse_addr_list(const char *s, uint32_t *addrs, unsigned int max,
			 unsigned int *n)
{
	char buf[64];
	const char *p = s;
	size_t len;

	*n = 0;
	if (!strcmp(s, "none"))
		return 0;
	for (;;) {
		len = strcspn(p, ",");
		if (!len || len >= sizeof(buf))
			return -EINVAL;
		if (*n == max)
			return -ERANGE;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (roam_parse_addr(buf, &addrs[*n]))
			return -EINVAL;
		(*n)++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {
	{ "icmp", IPPROTO_ICMP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "dccp", IPPROTO_DCCP },
	{ "sctp", IPPROTO_SCTP },
	{ "udplite", IPPROTO_UDPLITE },
};

int roam_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	return parse_u64(s, 0, max, v);
}

/*
 * "tcp/21", "udp/53", "tcp" (any port; also with a star for the port),
 * "icmp", "132/9899" (by number): the one grammar of roamctl and roamd
 * (--ports).
 */
static int parse_port(const char *s, uint32_t *port)
{
	char name[16];
	size_t len = strcspn(s, "/");
	uint64_t proto = 0, num = 0;
	unsigned int i;

	if (!len || len >= sizeof(name))
		return -EINVAL;
	memcpy(name, s, len);
	name[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(protos); i++)
		if (!strcmp(name, protos[i].name))
			proto = protos[i].proto;
	if (!proto && roam_parse_u64(name, 255, &proto))
		return -EINVAL;
	if (!proto)
		return -EINVAL;
	if (s[len] && strcmp(s + len + 1, "*") &&
	    roam_parse_u64(s + len + 1, 65535, &num))
		return -EINVAL;
	*port = proto << 16 | num;
	return 0;
}

/* "tcp/21,udp/53"; "all" is the empty list: every packet to the pool. */
int roam_parse_ports(const char *s, uint32_t *ports, unsigned int max,
		     unsigned int *n)
{
	char buf[32];
	const char *p = s;
	size_t len;

	*n = 0;
	if (!strcmp(s, "all"))
		return 0;
	for (;;) {
		len = strcspn(p, ",");
		if (!len || len >= sizeof(buf))
			return -EINVAL;
		if (*n == max)
			return -ERANGE;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (parse_port(buf, &ports[*n]))
			return -EINVAL;
		(*n)++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* Bits per second: "N", "Nbit", "Nkbit", "Nmbit", "Ngbit" (SI, as tc). */
int roam_parse_bps(const char *s, uint64_t *bps)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
	} units[] = {
		{ "", 1 }, { "bit", 1 }, { "kbit", 1000 }, { "mbit", 1000000 },
		{ "gbit", 1000000000 },
	};
	const char *end;
	unsigned int i;
	uint64_t x;
	int ret;

	ret = parse_u64_prefix(s, &end, &x);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcasecmp(end, units[i].suffix))
			continue;
		if (x > UINT64_MAX / units[i].mult)
			return -ERANGE;
		*bps = x * units[i].mult;
		return 0;
	}
	return -EINVAL;
}

static const char *const state_names[] = {
	[ROAM_CLIENT_ALLOWED] = "allowed",
	[ROAM_CLIENT_WARNED] = "warned",
	[ROAM_CLIENT_BLOCKED] = "blocked",
};

int roam_parse_state(const char *s, uint8_t *state)
{
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(state_names); i++) {
		if (!strcmp(s, state_names[i])) {
			*state = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Unknown states (a newer kernel) are NULL: callers print the number. */
const char *roam_state_name(uint8_t state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : NULL;
}

void roam_format_addr(uint32_t be, char *buf, size_t len)
{
	struct in_addr a = { .s_addr = be };

	if (!be)
		snprintf(buf, len, "none");
	else if (!inet_ntop(AF_INET, &a, buf, len))
		snprintf(buf, len, "?");
}

void roam_format_addrs(const uint32_t *addrs, unsigned int n, char *buf,
		       size_t len)
{
	char one[INET_ADDRSTRLEN];
	size_t off = 0;
	unsigned int i;

	snprintf(buf, len, "none");
	for (i = 0; i < n && off < len; i++) {
		roam_format_addr(addrs[i], one, sizeof(one));
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "", one);
	}
}

void roam_format_ports(const uint32_t *ports, unsigned int n, char *buf,
		       size_t len)
{
	size_t off = 0;
	unsigned int i, j;

	snprintf(buf, len, "all");
	for (i = 0; i < n && off < len; i++) {
		uint8_t proto = ports[i] >> 16;
		uint16_t port = ports[i] & 0xffff;
		const char *name = NULL;
		char num[8];

		for (j = 0; j < ARRAY_SIZE(protos); j++)
			if (protos[j].proto == proto)
				name = protos[j].name;
		if (!name) {
			snprintf(num, sizeof(num), "%u", proto);
			name = num;
		}
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "",
				name);
		if (port && off < len)
			off += snprintf(buf + off, len - off, "/%u", port);
	}
}

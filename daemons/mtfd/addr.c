// SPDX-License-Identifier: GPL-2.0
/*
 * Text form and comparisons of mtfd addresses (addr.h): inet_pton and
 * inet_ntop do the parsing; the prefix length goes through lib/parse.h
 * over a bounded copy.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "parse.h"

int mtfd_addr_parse(const char *s, struct mtf_ctl_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->addr) == 1) {
		a->family = 6;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return -EINVAL;
}

/* Whether the bits of @a past @plen are all zero. */
static bool host_bits_zero(const struct mtf_ctl_addr *a, unsigned int plen)
{
	unsigned int len = mtfd_addr_len(a->family);

	for (unsigned int i = plen / 8; i < len; i++) {
		uint8_t keep = i == plen / 8 ? (uint8_t)(0xff00 >> (plen % 8)) : 0;

		if (a->addr[i] & (uint8_t)~keep)
			return false;
	}
	return true;
}

int mtfd_prefix_parse(const char *s, struct mtfd_prefix *p)
{
	char buf[MTFD_PREFIXSTRLEN], *slash;
	uint8_t plen;
	size_t n = strlen(s);

	memset(p, 0, sizeof(*p));
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n + 1);
	slash = strchr(buf, '/');
	if (!slash || slash[1] < '0' || slash[1] > '9')
		return -EINVAL;
	*slash = '\0';
	if (parse_u8(slash + 1, 0, 128, &plen) || mtfd_addr_parse(buf, &p->addr))
		return -EINVAL;
	if (plen > 8 * mtfd_addr_len(p->addr.family) ||
	    !host_bits_zero(&p->addr, (unsigned int)plen)) {
		memset(p, 0, sizeof(*p));
		return -EINVAL;
	}
	p->plen = (uint8_t)plen;
	return 0;
}

const char *mtfd_addr_str(const struct mtf_ctl_addr *a, char *buf, size_t len)
{
	int af = a->family == 4 ? AF_INET : a->family == 6 ? AF_INET6 : -1;

	if (af < 0 || !inet_ntop(af, a->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *mtfd_prefix_str(const struct mtfd_prefix *p, char *buf, size_t len)
{
	char a[MTFD_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", mtfd_addr_str(&p->addr, a, sizeof(a)), p->plen);
	return buf;
}

int mtfd_addr_cmp(const struct mtf_ctl_addr *a, const struct mtf_ctl_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, mtfd_addr_len(a->family));
}

bool mtfd_addr_valid(const struct mtf_ctl_addr *a)
{
	return mtfd_addr_len(a->family) != 0;
}

bool mtfd_prefix_covers(const struct mtfd_prefix *outer,
			const struct mtfd_prefix *inner)
{
	unsigned int full = outer->plen / 8, rest = outer->plen % 8;

	if (outer->addr.family != inner->addr.family ||
	    !mtfd_addr_valid(&outer->addr) || outer->plen > inner->plen)
		return false;
	if (memcmp(outer->addr.addr, inner->addr.addr, full))
		return false;
	if (!rest)
		return true;
	return !((outer->addr.addr[full] ^ inner->addr.addr[full]) &
		 (uint8_t)(0xff00 >> rest));
}

uint64_t mtfd_addr_hash(const struct mtf_ctl_addr *a)
{
	uint64_t h = 0xcbf29ce484222325ull ^ a->family;

	for (unsigned int i = 0; i < mtfd_addr_len(a->family); i++)
		h = (h ^ a->addr[i]) * 0x100000001b3ull;
	return h;
}

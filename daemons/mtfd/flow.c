// SPDX-License-Identifier: GPL-2.0
/*
 * Flows of the control protocol (what a filter matches): comparison,
 * hashing and printing; address helpers addr.c does not have; clocks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mtfd.h"

static size_t alen(const struct mtf_ctl_addr *a)
{
	return a->family == 6 ? 16 : 4;
}

bool mtfd_addr_eq(const struct mtf_ctl_addr *a, const struct mtf_ctl_addr *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, alen(a));
}

static bool bits_eq(const uint8_t *a, const uint8_t *b, unsigned int plen)
{
	unsigned int n = plen / 8, r = plen % 8;

	if (memcmp(a, b, n))
		return false;
	return !r || !((a[n] ^ b[n]) & (uint8_t)(0xff00 >> r));
}

bool mtfd_prefix_has(const struct mtfd_prefix *p, const struct mtf_ctl_addr *a)
{
	return p->addr.family == a->family && bits_eq(p->addr.addr, a->addr, p->plen);
}

bool mtfd_prefixes_have(const struct mtfd_prefix *p, unsigned int n,
			const struct mtf_ctl_addr *a)
{
	for (unsigned int i = 0; i < n; i++)
		if (mtfd_prefix_has(&p[i], a))
			return true;
	return false;
}

void mtfd_addr_from_sin(struct mtf_ctl_addr *a, const struct sockaddr_in *sin)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	memcpy(a->addr, &sin->sin_addr, 4);
}

void mtfd_addr_to_sin(const struct mtf_ctl_addr *a, uint16_t port,
		      struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	memcpy(&sin->sin_addr, a->addr, 4);
}

uint32_t mtfd_addr_v4(const struct mtf_ctl_addr *a)
{
	uint32_t be;

	memcpy(&be, a->addr, 4);
	return be;
}

void mtfd_addr_set_v4(struct mtf_ctl_addr *a, uint32_t be)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	memcpy(a->addr, &be, 4);
}

bool mtfd_flow_eq(const struct mtf_ctl_flow *a, const struct mtf_ctl_flow *b)
{
	if (!mtfd_addr_eq(&a->dst, &b->dst) || a->has_src != b->has_src ||
	    a->nslots != b->nslots || a->has_iif != b->has_iif)
		return false;
	if (a->has_src && (a->src_plen != b->src_plen ||
			   !mtfd_addr_eq(&a->src, &b->src)))
		return false;
	if (a->has_iif && a->iif != b->iif)
		return false;
	for (unsigned int i = 0; i < a->nslots; i++)
		if (a->slots[i].mark != b->slots[i].mark ||
		    !mtfd_addr_eq(&a->slots[i].addr, &b->slots[i].addr))
			return false;
	return true;
}

/* FNV-1a over what mtfd_flow_eq() compares: tables, not security. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

uint64_t mtfd_flow_hash(const struct mtf_ctl_flow *f)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv(h, f->dst.addr, alen(&f->dst));
	if (f->has_src) {
		h = fnv(h, f->src.addr, alen(&f->src));
		h = fnv(h, &f->src_plen, 1);
	}
	for (unsigned int i = 0; i < f->nslots; i++) {
		h = fnv(h, f->slots[i].addr.addr, alen(&f->slots[i].addr));
		h = fnv(h, &f->slots[i].mark, 4);
	}
	if (f->has_iif)
		h = fnv(h, &f->iif, 4);
	return h;
}

const char *mtfd_flow_str(const struct mtf_ctl_flow *f, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t off = 0;
	int n;

#define PUT(...) do {							\
		n = snprintf(buf + off, off < len ? len - off : 0, __VA_ARGS__); \
		if (n > 0)						\
			off += (size_t)n;				\
	} while (0)
	buf[0] = '\0';
	if (f->has_iif)
		PUT("unmarked iif %u", f->iif);
	for (unsigned int i = 0; i < f->nslots; i++)
		PUT("%s%s:%08x", i ? "," : "",
		    mtfd_addr_str(&f->slots[i].addr, a, sizeof(a)), f->slots[i].mark);
	if (f->has_src)
		PUT(" src %s/%u", mtfd_addr_str(&f->src, a, sizeof(a)), f->src_plen);
	else
		PUT(" src *");
	PUT(" dst %s", mtfd_addr_str(&f->dst, a, sizeof(a)));
#undef PUT
	return buf;
}

static uint64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t mtfd_now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

uint64_t mtfd_wall_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

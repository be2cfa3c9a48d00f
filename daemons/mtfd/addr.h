/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses and prefixes for mtfd.  The address type is the control
 * protocol's (struct mtf_ctl_addr in msg.h: family 4 or 6, network order,
 * unused bytes zero), so a router address read from a message is used as
 * is; this adds the text form and comparisons.
 */
#ifndef MTFD_ADDR_H
#define MTFD_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

/* "ffff:...:255.255.255.255/128" and a NUL. */
#define MTFD_ADDRSTRLEN		46
#define MTFD_PREFIXSTRLEN	(MTFD_ADDRSTRLEN + 4)

struct mtfd_prefix {
	struct mtf_ctl_addr addr;	/* host bits zero */
	uint8_t plen;			/* 0..32 / 0..128 */
};

/* Address bytes used by @family (4 or 16), 0 for anything else. */
static inline unsigned int mtfd_addr_len(uint8_t family)
{
	return family == 4 ? 4 : family == 6 ? 16 : 0;
}

/* "10.0.3.1" or "2001:db8::1": 0, or -EINVAL. */
int mtfd_addr_parse(const char *s, struct mtf_ctl_addr *a);
/* "10.1.2.0/24": 0, or -EINVAL (also when host bits are set). */
int mtfd_prefix_parse(const char *s, struct mtfd_prefix *p);
/* @buf (at least MTFD_ADDRSTRLEN / MTFD_PREFIXSTRLEN bytes), "?" if invalid. */
const char *mtfd_addr_str(const struct mtf_ctl_addr *a, char *buf, size_t len);
const char *mtfd_prefix_str(const struct mtfd_prefix *p, char *buf, size_t len);

/* Family first, then the used bytes: a total order for sorting. */
int mtfd_addr_cmp(const struct mtf_ctl_addr *a, const struct mtf_ctl_addr *b);
bool mtfd_addr_valid(const struct mtf_ctl_addr *a);
/* Whether @outer contains @inner (same family, shorter or equal length). */
bool mtfd_prefix_covers(const struct mtfd_prefix *outer,
			const struct mtfd_prefix *inner);
/* FNV-1a over family and used bytes. */
uint64_t mtfd_addr_hash(const struct mtf_ctl_addr *a);

#endif

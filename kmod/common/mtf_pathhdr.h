/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Path header parser (Documentation/mtf-protocol.md).
 *
 * Plain C on a byte buffer, shared by mtf.ko, roam.ko's gate and the
 * userspace unit test and libFuzzer target (tools/tests/mtf_pathhdr_test.c,
 * tools/fuzz/mtf_pathhdr.c): no skb, no kernel-only helper, only the
 * small type shim below.  The module makes the bytes linear first
 * (pskb_may_pull) and passes how many there are; the parser never reads
 * past them.
 */
#ifndef _MTF_PATHHDR_H
#define _MTF_PATHHDR_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
#endif

#include <linux/mtf.h>

/* Longest header the parser can accept: 15 IPv6 slots, 304 bytes. */
#define MTF_HDR_LEN_MAX		MTF_HDR_LEN(MTF_MAX_SLOTS, 1)

/* A header's fields, decoded. */
struct mtf_ph {
	u8 nexthdr;
	u8 flags;
	u8 size;		/* slots allocated, 1..MTF_MAX_SLOTS */
	u8 ptr;			/* next empty slot, 0..size */
	u16 len;		/* whole header, slots included */
};

static inline bool mtf_ph_v6(const struct mtf_ph *ph)
{
	return ph->flags & MTF_HDR_F_V6;
}

/*
 * Length the header starting at @p claims, from its first 4 bytes only
 * (the caller has checked that they are there); 0 if size is 0.  Lets
 * the module pull exactly the header, not the payload behind it.
 */
static inline unsigned int mtf_ph_claimed_len(const u8 *p)
{
	unsigned int size = p[2] >> 4;

	if (!size)
		return 0;
	return MTF_HDR_LEN(size, p[1] & MTF_HDR_F_V6);
}

/*
 * Parse the header at @p, the start of the @avail bytes that follow the
 * IPv4 header of a packet whose protocol is MTF_IPPROTO.  Only the fixed
 * part (4 bytes, when @avail has them) is read: @avail says whether the
 * slots it announces are there, so a reader that needs no slot (roam's
 * gate, looking through the header at the transport ports) may copy
 * only those 4 bytes and pass the packet's length.  @is_frag: the IPv4 packet is a fragment (MF or a
 * non-zero offset), so these bytes are not a header.
 *
 * Returns 0 and fills @ph, or the enum mtf_stat drop counter naming the
 * reason.  The checks run in the order of the protocol document's table,
 * fields before length, so that a short packet with a bad field is
 * counted for the field.  The size field has 4 bits: "size greater than
 * 15" cannot be encoded, so BAD_SIZE means size 0.  A header inside a
 * header (next header MTF_IPPROTO) is refused: no router writes one, and
 * a packet that carries it would show filters one path and deliver
 * another.
 */
static inline int mtf_ph_parse(const u8 *p, size_t avail, bool is_frag,
			       struct mtf_ph *ph)
{
	unsigned int len;

	if (is_frag)
		return MTF_STAT_DROP_FRAGMENT;
	if (avail < sizeof(struct mtf_hdr))
		return MTF_STAT_DROP_TRUNCATED;

	ph->nexthdr = p[0];
	ph->flags = p[1] & 0x0f;
	ph->size = p[2] >> 4;
	ph->ptr = p[2] & 0x0f;
	if ((p[1] >> 4) != MTF_HDR_VERSION || (ph->flags & ~MTF_HDR_F_V6))
		return MTF_STAT_DROP_BAD_VERSION;
	if (!ph->size)
		return MTF_STAT_DROP_BAD_SIZE;
	if (ph->ptr > ph->size)
		return MTF_STAT_DROP_BAD_PTR;
	if (ph->nexthdr == MTF_IPPROTO)
		return MTF_STAT_DROP_NESTED;
	len = MTF_HDR_LEN(ph->size, mtf_ph_v6(ph));
	if (avail < len)
		return MTF_STAT_DROP_TRUNCATED;
	ph->len = len;
	return 0;
}

/* First header byte holding version and flags, for writers. */
static inline u8 mtf_ph_ver_flags(u8 flags)
{
	return MTF_HDR_VERSION << 4 | flags;
}

static inline u8 mtf_ph_size_ptr(unsigned int size, unsigned int ptr)
{
	return size << 4 | ptr;
}

#endif /* _MTF_PATHHDR_H */

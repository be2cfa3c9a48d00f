/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Path header on an skb: find and validate, insert, write the next slot,
 * strip.  All functions expect skb->data at the IPv4 header, which is
 * where it is in the PRE_ROUTING, FORWARD and LOCAL_IN hooks.
 */
#ifndef _MTF_SHIM_H
#define _MTF_SHIM_H

#include <linux/skbuff.h>
#include <linux/ip.h>

#include "pathhdr.h"

/* The header of a packet, once found; the IPv4 header is @ihl bytes. */
struct mtf_shim {
	struct mtf_ph ph;
	unsigned int ihl;
};

static inline u8 *mtf_shim_hdr(const struct sk_buff *skb,
			       const struct mtf_shim *sh)
{
	return skb_network_header(skb) + sh->ihl;
}

/* Is @skb, or was it before reassembly, an IPv4 fragment? */
bool mtf_shim_is_frag(const struct sk_buff *skb);

/*
 * Make the header of an MTF_IPPROTO packet linear and parse it.  Returns
 * 0, or the drop counter for the reason.  ip_hdr() may move: re-read it.
 */
int mtf_shim_parse(struct sk_buff *skb, struct mtf_shim *sh);

enum mtf_insert_how {
	MTF_INSERT_HEAD,	/* headers moved into the headroom */
	MTF_INSERT_TAIL,	/* transport bytes moved into the tailroom */
	MTF_INSERT_EXPAND,	/* head reallocated, then as HEAD */
};

/*
 * Insert an empty header of @size IPv4 slots (pointer 0).  The caller has
 * segmented GSO packets and checked the MTU.  @headroom: link-layer room
 * to leave in front for the egress device.  Returns 0, or -ENOMEM with
 * the skb unchanged; *@how tells where the room came from.
 */
int mtf_shim_insert(struct sk_buff *skb, unsigned int size,
		    unsigned int headroom, struct mtf_shim *sh,
		    enum mtf_insert_how *how);

/* Write slot sh->ph.ptr and advance the pointer; the caller checked that
 * there is an empty slot and made the header writable.
 */
void mtf_shim_write_slot(struct sk_buff *skb, struct mtf_shim *sh,
			 __be32 addr, __be32 mark);

/* Remove the header, restoring the original packet.  0 or -ENOMEM. */
int mtf_shim_strip(struct sk_buff *skb, const struct mtf_shim *sh);

#endif /* _MTF_SHIM_H */

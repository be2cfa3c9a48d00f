/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Path header on an skb: find and validate, insert, write the next slot,
 * strip.  All functions expect skb->data at the IPv4 header, which is
 * where it is in the PRE_ROUTING, FORWARD and LOCAL_IN hooks.  Inline:
 * hooks.c is their only user, and calls were a good part of the cost of
 * marking in forwarding profiles.
 */
#ifndef _MTF_SHIM_H
#define _MTF_SHIM_H

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "../common/mtf_pathhdr.h"

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

enum mtf_insert_how {
	MTF_INSERT_HEAD,	/* headers moved into the headroom */
	MTF_INSERT_TAIL,	/* transport bytes moved into the tailroom */
	MTF_INSERT_EXPAND,	/* head reallocated, then as HEAD */
};

/*
 * Checksums: the IPv4 header checksum covers protocol and tot_len, so it
 * is recomputed whenever they change.  Transport checksums never change:
 * their pseudo-header uses the original protocol and the transport
 * length, and the path header sits outside the transport segment.  For
 * CHECKSUM_COMPLETE the packet sum covers everything from the IPv4
 * header, so the path header's bytes are added or removed.  A valid IPv4
 * header sums to 0 (ones' complement -0), and all headers move by
 * multiples of 4 bytes, so moving or rewriting the IPv4 header leaves
 * that sum unchanged.
 */

/*
 * Set protocol and total length, updating the header checksum once for
 * both words (RFC 1624; the sum does not care where a word sits).
 */
static __always_inline void mtf_ip_rewrite(struct iphdr *iph, u8 protocol,
					   unsigned int tot_len)
{
	__be16 *ttl_proto = (__be16 *)&iph->ttl;
	u32 from = (__force u32)*ttl_proto << 16 | (__force u16)iph->tot_len;
	u32 to;

	iph->protocol = protocol;
	iph->tot_len = htons(tot_len);
	to = (__force u32)*ttl_proto << 16 | (__force u16)iph->tot_len;
	csum_replace4(&iph->check, (__force __be32)from, (__force __be32)to);
}

/* skb_ensure_writable(), with its common case (nothing to do) inline. */
static __always_inline int mtf_ensure_writable(struct sk_buff *skb,
					       unsigned int len)
{
	if (likely(len <= skb_headlen(skb) && !skb_cloned(skb)))
		return 0;
	return skb_ensure_writable(skb, len);
}

/* Is @skb, or was it before reassembly, an IPv4 fragment? */
static inline bool mtf_shim_is_frag(const struct sk_buff *skb)
{
	/*
	 * frag_max_size is set by defragmentation (conntrack loaded): a
	 * reassembled packet is refragmented on output, so it must be
	 * treated as the fragments it came as.
	 */
	return ip_is_fragment(ip_hdr(skb)) || IPCB(skb)->frag_max_size;
}

/*
 * Make the header of an MTF_IPPROTO packet linear and parse it.  Returns
 * 0, or the drop counter for the reason.  ip_hdr() may move: re-read it.
 */
static inline int mtf_shim_parse(struct sk_buff *skb, struct mtf_shim *sh)
{
	unsigned int ihl = ip_hdrlen(skb), avail, need = 0;
	bool frag = mtf_shim_is_frag(skb);

	DEBUG_NET_WARN_ON_ONCE(skb_network_offset(skb));
	sh->ihl = ihl;
	/* ip_rcv_core() checked ihl and trimmed the skb to tot_len. */
	avail = skb->len - ihl;
	if (!frag && avail >= sizeof(struct mtf_hdr)) {
		/*
		 * Pull the fixed part, then exactly the length it claims
		 * (or what there is): the payload stays where it is.
		 */
		if (!pskb_may_pull(skb, ihl + sizeof(struct mtf_hdr)))
			return MTF_STAT_DROP_NOMEM;
		need = mtf_ph_claimed_len(skb->data + ihl);
		need = clamp_t(unsigned int, need, sizeof(struct mtf_hdr),
			       avail);
		if (!pskb_may_pull(skb, ihl + need))
			return MTF_STAT_DROP_NOMEM;
	} else if (!frag) {
		need = avail;
		if (!pskb_may_pull(skb, ihl + need))
			return MTF_STAT_DROP_NOMEM;
	}
	return mtf_ph_parse(skb->data + ihl, need, frag, &sh->ph);
}

/* Add (@sign 1) or remove (-1) @len bytes' share of a COMPLETE sum. */
static inline void mtf_rcsum(struct sk_buff *skb, const void *p,
			     unsigned int len, int sign)
{
	__wsum s;

	if (skb->ip_summed != CHECKSUM_COMPLETE)
		return;
	s = csum_partial(p, len, 0);
	skb->csum = sign > 0 ? csum_add(skb->csum, s) : csum_sub(skb->csum, s);
}

/*
 * Move the IPv4 header by @delta bytes (negative: towards the head),
 * with the link-layer header in front of it when it is there, so that
 * the skb looks as if it had been received this way.
 */
static __always_inline void mtf_move_headers(struct sk_buff *skb,
					     unsigned int ihl, int delta)
{
	unsigned int mac_len = 0;

	if (skb_mac_header_was_set(skb) &&
	    skb_mac_header(skb) + skb->mac_len == skb_network_header(skb))
		mac_len = skb->mac_len;
	memmove(skb->data - mac_len + delta, skb->data - mac_len,
		mac_len + ihl);
	if (delta < 0)
		__skb_push(skb, -delta);
	else
		__skb_pull(skb, delta);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ihl);
	if (mac_len)
		skb_set_mac_header(skb, -mac_len);
}

/*
 * Open @hlen bytes after the IPv4 header by moving what follows it in
 * the linear part towards the tail.  The headers stay where they are.
 */
static inline void mtf_open_gap_tail(struct sk_buff *skb, unsigned int ihl,
				     unsigned int hlen)
{
	unsigned int move = skb->len - ihl;

	__skb_put(skb, hlen);
	memmove(skb->data + ihl + hlen, skb->data + ihl, move);
	skb_set_transport_header(skb, ihl);
}

/* Where the room for a header comes from, cheapest first. */
static inline enum mtf_insert_how
mtf_room_for(const struct sk_buff *skb, unsigned int hlen,
	     unsigned int headroom)
{
	/*
	 * In front: move the IPv4 (and link-layer) header, a few dozen
	 * bytes, if the head has room and is ours to write.
	 */
	if (skb_headroom(skb) >= headroom && !skb_header_cloned(skb))
		return MTF_INSERT_HEAD;
	/*
	 * Behind: move the transport bytes of the linear part instead.
	 * Received packets usually have tailroom to spare (NIC buffers are
	 * 2 KiB, kmalloc rounds up), but only 64 bytes or so of headroom,
	 * and 124 are needed for 15 slots.  Linear packets only (the
	 * payload of others is in page fragments: skb_tailroom() is 0), and
	 * not with a clone anywhere: the whole packet moves.
	 */
	if (skb_tailroom(skb) >= hlen && !skb_cloned(skb))
		return MTF_INSERT_TAIL;
	return MTF_INSERT_EXPAND;
}

/*
 * Insert an empty header of @size IPv4 slots (pointer 0).  The caller has
 * segmented GSO packets and checked the MTU.  @headroom: link-layer room
 * to leave in front for the egress device.  Returns 0, or -ENOMEM with
 * the skb unchanged; *@how tells where the room came from.
 */
static __always_inline int mtf_shim_insert(struct sk_buff *skb,
					   unsigned int size,
					   unsigned int headroom,
					   struct mtf_shim *sh,
					   enum mtf_insert_how *how)
{
	unsigned int ihl = ip_hdrlen(skb), hlen = MTF_HDR_LEN(size, false);
	struct iphdr *iph;
	u8 *h;

	DEBUG_NET_WARN_ON_ONCE(skb_network_offset(skb) || skb_is_gso(skb));
	/*
	 * Offloads find the transport header by the IP protocol, which is
	 * about to become MTF_IPPROTO: finish the checksum now.
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -ENOMEM;
	/*
	 * Room in front for the header, the link-layer header we move
	 * along (move_headers()) and the egress link-layer header, so that
	 * output need not reallocate.
	 */
	headroom = max_t(unsigned int, headroom, skb->mac_len) + hlen;
	*how = mtf_room_for(skb, hlen, headroom);
	switch (*how) {
	case MTF_INSERT_TAIL:
		mtf_open_gap_tail(skb, ihl, hlen);
		break;
	case MTF_INSERT_EXPAND:
		/*
		 * The one allocation on the marking path: too little room
		 * on both sides, or a shared head (a tap holds a clone).
		 */
		if (skb_cow_head(skb, headroom))
			return -ENOMEM;
		fallthrough;
	case MTF_INSERT_HEAD:
		mtf_move_headers(skb, ihl, -(int)hlen);
		break;
	}
	iph = ip_hdr(skb);
	h = skb->data + ihl;
	h[0] = iph->protocol;
	h[1] = mtf_ph_ver_flags(0);
	h[2] = mtf_ph_size_ptr(size, 0);
	h[3] = 0;
	memset(h + sizeof(struct mtf_hdr), 0, hlen - sizeof(struct mtf_hdr));
	mtf_rcsum(skb, h, hlen, 1);

	mtf_ip_rewrite(iph, MTF_IPPROTO, ntohs(iph->tot_len) + hlen);

	sh->ihl = ihl;
	sh->ph = (struct mtf_ph) {
		.nexthdr = h[0], .size = size, .ptr = 0, .len = hlen,
	};
	return 0;
}

/* Write slot sh->ph.ptr and advance the pointer; the caller checked that
 * there is an empty slot and made the header writable.
 */
static __always_inline void mtf_shim_write_slot(struct sk_buff *skb,
						struct mtf_shim *sh,
						__be32 addr, __be32 mark)
{
	struct mtf_slot4 slot = { .addr = addr, .mark = mark };
	u8 *h = mtf_shim_hdr(skb, sh);
	u8 *p = h + sizeof(struct mtf_hdr) + sh->ph.ptr * sizeof(slot);

	mtf_rcsum(skb, h, sizeof(struct mtf_hdr), -1);
	mtf_rcsum(skb, p, sizeof(slot), -1);
	memcpy(p, &slot, sizeof(slot));
	sh->ph.ptr++;
	h[2] = mtf_ph_size_ptr(sh->ph.size, sh->ph.ptr);
	mtf_rcsum(skb, h, sizeof(struct mtf_hdr), 1);
	mtf_rcsum(skb, p, sizeof(slot), 1);
}

/* Remove the header, restoring the original packet.  0 or -ENOMEM. */
static inline int mtf_shim_strip(struct sk_buff *skb,
				 const struct mtf_shim *sh)
{
	unsigned int ihl = sh->ihl, hlen = sh->ph.len;
	struct iphdr *iph;

	/* A clone (a tap, a multicast copy) must not see the change. */
	if (mtf_ensure_writable(skb, ihl + hlen))
		return -ENOMEM;
	iph = ip_hdr(skb);
	mtf_rcsum(skb, (u8 *)iph + ihl, hlen, -1);
	mtf_ip_rewrite(iph, sh->ph.nexthdr, ntohs(iph->tot_len) - hlen);
	mtf_move_headers(skb, ihl, hlen);
	return 0;
}

#endif /* _MTF_SHIM_H */

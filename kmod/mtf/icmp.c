// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors that quote a path header (Documentation/mtf-protocol.md,
 * "ICMP errors").
 *
 * A router inside the MTF region that cannot forward a marked packet
 * (too big for the next link, TTL expired) quotes it as it holds it:
 * protocol 253, the path header where the sender expects its transport
 * header.  The sender's stack matches an error to a socket by the quoted
 * protocol and ports, so it would drop the error: a path-MTU black hole
 * when the smallest MTU is behind the inserting router, and no traceroute.
 * An MTF router forwarding such an error therefore gives the quote back
 * its original form before it leaves the region.
 *
 * Where: FORWARD, at any MTF router.  The inserting router (border-ingress
 * towards the sender) always forwards the error on its way back, since the
 * sender is behind it; it never quotes a header itself, since it checks
 * the MTU and the TTL before it inserts.  Errors generated on a router
 * (LOCAL_OUT) need no hook of their own: the next MTF router towards the
 * sender forwards them.  The first MTF router to see the error rewrites
 * it; later ones find protocol != 253 and leave it.
 *
 * ICMP errors are rare and short (576 bytes at most from Linux), so the
 * rewrite linearises and unshares the packet and recomputes the ICMP
 * checksum from scratch, after checking the one it came with: a corrupt
 * error must not leave here with a valid checksum.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "icmp.h"
#include "shim.h"

/* ICMP header followed by the quoted IPv4 header. */
struct mtf_icmp_quote {
	struct icmphdr icmp;
	struct iphdr ip;
};

static bool is_error(u8 type)
{
	switch (type) {
	case ICMP_DEST_UNREACH:
	case ICMP_SOURCE_QUENCH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		return true;
	}
	return false;
}

/* The cheap test every forwarded ICMP packet takes: nothing written. */
static bool quotes_shim(const struct sk_buff *skb, unsigned int ihl)
{
	const struct mtf_icmp_quote *q;
	struct mtf_icmp_quote _q;

	q = skb_header_pointer(skb, ihl, sizeof(_q), &_q);
	return q && is_error(q->icmp.type) && q->ip.protocol == MTF_IPPROTO;
}

/*
 * The next-hop MTU a frag-needed reports is for the packet with its
 * header: the sender's own packets must leave @hlen bytes for it.  Below
 * the sender's minimum it locks the route's MTU and clears DF, and the
 * inserting router then forwards the too-big packets unmarked.
 */
static void lower_mtu(struct icmphdr *icmph, unsigned int hlen)
{
	unsigned int mtu = ntohs(icmph->un.frag.mtu);

	if (icmph->type == ICMP_DEST_UNREACH &&
	    icmph->code == ICMP_FRAG_NEEDED && mtu > hlen)
		icmph->un.frag.mtu = htons(mtu - hlen);
}

/*
 * Find the quoted path header.  Sets *@hlen to its full length and
 * *@cut to the bytes of it in the quote: fewer when the quote ends
 * inside it (RFC 792 asks for only 8 bytes after the IPv4 header).
 * Returns the next header, or -1 if the quote is not one to touch.
 */
static int quoted_shim(const struct iphdr *qiph, unsigned int qavail,
		       unsigned int *hlen, unsigned int *cut)
{
	unsigned int qihl = qiph->ihl * 4, qlen = ntohs(qiph->tot_len), avail;
	const u8 *p = (const u8 *)qiph + qihl;
	struct mtf_ph ph;
	int err;

	if (qiph->version != 4 || qihl < sizeof(*qiph) || qavail < qihl ||
	    qlen < qihl)
		return -1;
	/* Bytes of the quoted packet's payload that the quote holds. */
	avail = min(qavail, qlen) - qihl;
	err = mtf_ph_parse(p, avail, ip_is_fragment(qiph), &ph);
	if (!err) {
		*hlen = ph.len;
		*cut = ph.len;
		return ph.nexthdr;
	}
	/*
	 * Cut short by the quote, not by the packet: the fixed part was
	 * checked, the length it claims was in the original packet.
	 */
	if (err == MTF_STAT_DROP_TRUNCATED && avail >= sizeof(struct mtf_hdr) &&
	    qavail < qlen) {
		*hlen = mtf_ph_claimed_len(p);
		if (qlen - qihl < *hlen)
			return -1;
		*cut = avail;
		return ph.nexthdr;
	}
	return -1;
}

/*
 * Rewrite the quote of the ICMP error @skb (linear, writable, its
 * checksum checked), whose IPv4 header is @ihl bytes.  0, or -EINVAL if
 * it is not one to touch.
 */
static int unquote(struct sk_buff *skb, unsigned int ihl)
{
	unsigned int len = skb->len, qoff = ihl + sizeof(struct icmphdr);
	unsigned int hlen, cut, qihl;
	struct icmphdr *icmph;
	struct iphdr *qiph;
	u8 *shim;
	int nexthdr;

	icmph = (struct icmphdr *)(skb->data + ihl);
	/*
	 * RFC 4884: a length in byte 5 means extensions follow a quote
	 * padded to it; moving them is not worth it for errors Linux does
	 * not send with extensions.
	 */
	if (((u8 *)icmph)[5])
		return -EINVAL;
	qiph = (struct iphdr *)(skb->data + qoff);
	nexthdr = quoted_shim(qiph, len - qoff, &hlen, &cut);
	if (nexthdr < 0)
		return -EINVAL;

	qihl = qiph->ihl * 4;
	mtf_ip_rewrite(qiph, nexthdr, ntohs(qiph->tot_len) - hlen);
	shim = (u8 *)qiph + qihl;
	memmove(shim, shim + cut, skb->data + len - (shim + cut));
	__skb_trim(skb, len - cut);
	mtf_ip_rewrite(ip_hdr(skb), ip_hdr(skb)->protocol, len - cut);
	lower_mtu(icmph, hlen);

	icmph->checksum = 0;
	icmph->checksum = ip_compute_csum(icmph, skb->len - ihl);
	/* A COMPLETE sum covered the old bytes; the new ones are final. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

void mtf_icmp_unquote(struct mtf_net *mn, struct sk_buff *skb)
{
	unsigned int ihl = ip_hdrlen(skb);

	if (likely(!quotes_shim(skb, ihl)))
		return;
	/*
	 * Fragments of an error and errors with a checksum still to fill in
	 * (no stack sends either) are left alone.  The whole error is
	 * made linear and ours before reading it.
	 */
	if (ip_is_fragment(ip_hdr(skb)) ||
	    skb->ip_summed == CHECKSUM_PARTIAL ||
	    skb_ensure_writable(skb, skb->len) ||
	    ip_compute_csum(skb->data + ihl, skb->len - ihl) ||
	    unquote(skb, ihl)) {
		mtf_stats_inc(mn->stats, MTF_STAT_ICMP_QUOTE_BAD);
		return;
	}
	mtf_stats_inc(mn->stats, MTF_STAT_ICMP_QUOTE_STRIPPED);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The handoff's TCP option (RFC 6994 experimental option, kind 253,
 * experiment ID "RM"): finding it in a segment, building it, inserting
 * it into an outgoing segment, and the MIGRATE MAC.  Byte layouts:
 * Documentation/roam-handoff.md.
 */

#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "mig.h"

#define OPT_SPACE	40

/*
 * Our option in the segment's options, copied into @buf (40 bytes).
 * Other options, and ours with an unknown version, are skipped; a
 * malformed option list ends the search.
 */
bool roam_opt_find(const struct sk_buff *skb, const struct tcphdr *th,
		   unsigned int thoff, u8 *buf, struct roam_opt *opt)
{
	unsigned int len = th->doff * 4 - sizeof(*th), i = 0;
	const u8 *p;

	if (!len || len > OPT_SPACE)
		return false;
	p = skb_header_pointer(skb, thoff + sizeof(*th), len, buf);
	if (!p)
		return false;
	while (i < len) {
		u8 kind = p[i], olen;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			break;
		olen = p[i + 1];
		if (olen < 2 || i + olen > len)
			break;
		if (kind == ROAM_OPT_KIND && olen >= 6 &&
		    get_unaligned_be16(p + i + 2) == ROAM_OPT_EXID &&
		    p[i + 5] == ROAM_OPT_VER) {
			opt->sub = p[i + 4];
			opt->body = p + i + 6;
			opt->body_len = olen - 6;
			return true;
		}
		i += olen;
	}
	return false;
}

/* NOPs, then the option: the length returned is a multiple of 4. */
unsigned int roam_opt_build(u8 *buf, u8 sub, const u8 *body,
			    unsigned int body_len)
{
	unsigned int olen = 6 + body_len, pad = ROAM_OPT_PAD(olen) - olen;

	memset(buf, TCPOPT_NOP, pad);
	buf += pad;
	buf[0] = ROAM_OPT_KIND;
	buf[1] = olen;
	put_unaligned_be16(ROAM_OPT_EXID, buf + 2);
	buf[4] = sub;
	buf[5] = ROAM_OPT_VER;
	memcpy(buf + 6, body, body_len);
	return pad + olen;
}

/*
 * Insert @len bytes (a multiple of 4) of options at the end of the TCP
 * header of an outgoing IPv4 segment: the IP and TCP headers move @len
 * bytes towards the head, doff, tot_len and both checksums follow.
 * -ENOSPC: the 40 bytes of option space are taken; -EMSGSIZE: the
 * segment would exceed the route's MTU.  A GSO segment keeps the size of
 * the segments it makes: each carries @len bytes less payload (gso_size
 * shrinks), so full-size data carries the option too.
 */
int roam_opt_insert(struct sk_buff *skb, const u8 *opt, unsigned int len)
{
	unsigned int ihl = ip_hdrlen(skb), thlen, hdrlen;
	struct dst_entry *dst = skb_dst(skb);
	struct skb_shared_info *si;
	struct tcphdr *th;
	struct iphdr *iph;
	bool gso = skb_is_gso(skb);

	th = (struct tcphdr *)(skb_network_header(skb) + ihl);
	thlen = th->doff * 4;
	hdrlen = ihl + thlen;
	if (thlen + len > sizeof(*th) + OPT_SPACE)
		return -ENOSPC;
	if (skb_network_offset(skb) || skb_headlen(skb) < hdrlen)
		return -EINVAL;
	if (gso) {
		if (!skb_is_gso_tcp(skb) ||
		    skb_shinfo(skb)->gso_size <= len + TCP_MIN_MSS)
			return -EMSGSIZE;
		/*
		 * TCP transmits clones whose skb_shared_info is the write
		 * queue's: gso_size must change in a copy of our own.
		 */
		if (skb_unclone(skb, GFP_ATOMIC))
			return -ENOMEM;
	} else if (dst && skb->len + len > dst_mtu(dst)) {
		return -EMSGSIZE;
	}
	/* Room in front, and headers of our own (TCP sends clones). */
	if (skb_cow_head(skb, len))
		return -ENOMEM;
	skb_push(skb, len);
	memmove(skb->data, skb->data + len, hdrlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ihl);
	memcpy(skb->data + hdrlen, opt, len);

	iph = ip_hdr(skb);
	th = tcp_hdr(skb);
	th->doff += len / 4;
	if (gso) {
		si = skb_shinfo(skb);
		skb_decrease_gso_size(si, len);
		si->gso_segs = DIV_ROUND_UP(skb->len - hdrlen - len,
					    si->gso_size);
	}
	iph->tot_len = htons(ntohs(iph->tot_len) + len);
	ip_send_check(iph);
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		/* The pseudo-header sum, as tcp_v4_send_check() leaves it. */
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
		th->check = ~tcp_v4_check(skb->len - ihl, iph->saddr,
					  iph->daddr, 0);
	} else {
		th->check = 0;
		th->check = tcp_v4_check(skb->len - ihl, iph->saddr, iph->daddr,
					 skb_checksum(skb, ihl, skb->len - ihl,
						      0));
		skb->ip_summed = CHECKSUM_NONE;
	}
	return 0;
}

/*
 * MAC = HMAC-SHA256(K_client, "roam-migrate-v1" || id || c_nonce ||
 * s_nonce || client addr || client port || orig addr || server port ||
 * new addr || counter), first 12 bytes.  Integers big endian.  Any
 * context: the tfm is only read, the state lives on the stack.
 */
int roam_mig_mac(struct crypto_shash *tfm, u32 id, const u8 *c_nonce,
		 const u8 *s_nonce, __be32 caddr, __be16 cport, __be32 orig,
		 __be16 sport, __be32 new, u32 counter, u8 *mac)
{
	static const char label[] = "roam-migrate-v1";
	u8 msg[sizeof(label) - 1 + 4 + 2 * ROAM_MIG_NONCE_LEN + 4 + 2 + 4 +
	       2 + 4 + 4];
	u8 digest[SHA256_DIGEST_SIZE];
	u8 *p = msg;
	int ret;
	SHASH_DESC_ON_STACK(desc, tfm);

	memcpy(p, label, sizeof(label) - 1);
	p += sizeof(label) - 1;
	put_unaligned_be32(id, p);
	p += 4;
	memcpy(p, c_nonce, ROAM_MIG_NONCE_LEN);
	p += ROAM_MIG_NONCE_LEN;
	memcpy(p, s_nonce, ROAM_MIG_NONCE_LEN);
	p += ROAM_MIG_NONCE_LEN;
	memcpy(p, &caddr, 4);
	p += 4;
	memcpy(p, &cport, 2);
	p += 2;
	memcpy(p, &orig, 4);
	p += 4;
	memcpy(p, &sport, 2);
	p += 2;
	memcpy(p, &new, 4);
	p += 4;
	put_unaligned_be32(counter, p);

	desc->tfm = tfm;
	ret = crypto_shash_digest(desc, msg, sizeof(msg), digest);
	shash_desc_zero(desc);
	if (!ret)
		memcpy(mac, digest, ROAM_MIG_MAC_LEN);
	memzero_explicit(digest, sizeof(digest));
	return ret;
}

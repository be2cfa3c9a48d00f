// SPDX-License-Identifier: GPL-2.0
/*
 * The client side of the live TCP handoff.  Outgoing SYNs to a pool
 * server's service port offer MIGRATE-PERMITTED; a SYN-ACK with
 * MIGRATE-ACCEPT makes the connection negotiated.  From then on a
 * segment from another pool address for that connection must carry a
 * MIGRATE option the client can verify (MAC with K_client, counter above
 * the last one accepted); it then sets the translation: inbound source
 * new -> orig (PRE_ROUTING, before conntrack), outbound destination
 * orig -> new (LOCAL_OUT, after conntrack: conntrack and the socket see
 * only the original server, both ways, for the whole life of the flow).
 *
 * Packet path: RCU lookups in an rhltable keyed by (local addr, local
 * port, server port); an allocation only for a SYN that offers the
 * option, bounded by conn_max.
 */

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>

#include "mig.h"
#include "netns.h"

static const struct rhashtable_params cconn_params = {
	.key_len = sizeof(struct roam_cconn_key),
	.key_offset = offsetof(struct roam_cconn, key),
	.head_offset = offsetof(struct roam_cconn, node),
	.automatic_shrinking = true,
};

int roam_cconns_init(struct roam_cconns *cc)
{
	spin_lock_init(&cc->lock);
	cc->n = 0;
	cc->gen = 1;
	return rhltable_init(&cc->table, &cconn_params);
}

static void cconn_free_now(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Namespace exit: the hooks are gone and a grace period has passed. */
void roam_cconns_destroy(struct roam_cconns *cc)
{
	rhltable_free_and_destroy(&cc->table, cconn_free_now, NULL);
}

/* Any context; a second remover of the same entry finds it gone. */
static void cconn_remove(struct roam_cconns *cc, struct roam_cconn *c)
{
	spin_lock_bh(&cc->lock);
	if (!rhltable_remove(&cc->table, &c->node, cconn_params)) {
		WRITE_ONCE(cc->n, cc->n - 1);
		cc->gen++;
		kfree_rcu(c, rcu);
	}
	spin_unlock_bh(&cc->lock);
}

static void cconns_walk_remove(struct roam_cconns *cc, bool expired_only)
{
	unsigned long now = jiffies, exp;
	struct rhashtable_iter it;
	struct roam_cconn *c;
	unsigned int n = 0;

	rhltable_walk_enter(&cc->table, &it);
	rhashtable_walk_start(&it);
	while ((c = rhashtable_walk_next(&it))) {
		if (IS_ERR(c))
			continue;
		exp = READ_ONCE(c->expires);
		if (!expired_only || (exp && time_after(now, exp)))
			cconn_remove(cc, c);
		if (++n % 256 == 0) {
			rhashtable_walk_stop(&it);
			cond_resched();
			rhashtable_walk_start(&it);
		}
	}
	rhashtable_walk_stop(&it);
	rhashtable_walk_exit(&it);
}

void roam_cconns_flush(struct roam_cconns *cc)
{
	cconns_walk_remove(cc, false);
}

void roam_cconns_gc(struct roam_cconns *cc)
{
	cconns_walk_remove(cc, true);
}

void roam_cconn_info(const struct roam_cconn *c, struct roam_conn_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->laddr = c->key.laddr;
	ci->lport = c->key.lport;
	ci->rport = c->key.rport;
	ci->raddr = c->orig;
	ci->orig = c->orig;
	ci->cur = READ_ONCE(c->cur);
	/* Pairs with client_synack(): s_nonce is set before the state. */
	ci->state = smp_load_acquire(&c->state);
	ci->client_id = c->id;
	ci->counter = READ_ONCE(c->counter);
	memcpy(ci->c_nonce, c->c_nonce, sizeof(ci->c_nonce));
	if (ci->state != ROAM_CONN_PENDING)
		memcpy(ci->s_nonce, c->s_nonce, sizeof(ci->s_nonce));
}

/* The entry of the connection to @orig among those sharing @list. */
static struct roam_cconn *cconn_of(struct rhlist_head *list, __be32 orig)
{
	struct rhlist_head *pos;
	struct roam_cconn *c;

	rhl_for_each_entry_rcu(c, pos, list, node)
		if (c->orig == orig)
			return c;
	return NULL;
}

static bool negotiated(const struct roam_cconn *c)
{
	/* Pairs with client_synack(): then s_nonce is readable. */
	u32 state = smp_load_acquire(&c->state);

	return state == ROAM_CONN_ESTABLISHED || state == ROAM_CONN_MOVED;
}

/* A SYN to a pool server's service port: offer the handoff. */
static void client_syn(struct roam_net *rn, struct sk_buff *skb,
		       const struct roam_mig_cfg *cfg,
		       const struct roam_cconn_key *key, __be32 daddr)
{
	struct roam_cconns *cc = &rn->mig.cconns;
	u8 body[4 + ROAM_MIG_NONCE_LEN], opt[ROAM_OPT_PAD(ROAM_OPT_PERMITTED_LEN)];
	struct roam_cconn *c, *old;
	int ret;

	if (!cfg->client_enable || !rcu_access_pointer(rn->mig.tfm) ||
	    !roam_mig_in_pool(cfg, daddr) ||
	    !roam_mig_port_in(cfg->ports, cfg->n_ports, key->rport))
		return;
	old = cconn_of(rhltable_lookup(&cc->table, key, cconn_params), daddr);
	if (old && READ_ONCE(old->state) == ROAM_CONN_PENDING &&
	    old->id == cfg->client_id) {
		/* A retransmitted SYN offers the same nonce. */
		c = old;
	} else {
		if (old)	/* the 4-tuple's previous connection */
			cconn_remove(cc, old);
		if (READ_ONCE(cc->n) >= cfg->conn_max) {
			roam_stats_inc(rn->stats, ROAM_STAT_MIG_CCONN_FULL, 1);
			return;
		}
		c = kzalloc(sizeof(*c), GFP_ATOMIC);
		if (!c)
			return;
		c->key = *key;
		c->orig = daddr;
		c->cur = daddr;
		c->state = ROAM_CONN_PENDING;
		c->id = cfg->client_id;
		c->expires = jiffies + ROAM_MIG_HANDSHAKE_TIMEOUT;
		spin_lock_init(&c->lock);
		get_random_bytes(c->c_nonce, sizeof(c->c_nonce));
		spin_lock_bh(&cc->lock);
		ret = rhltable_insert(&cc->table, &c->node, cconn_params);
		if (!ret) {
			WRITE_ONCE(cc->n, cc->n + 1);
			cc->gen++;
		}
		spin_unlock_bh(&cc->lock);
		if (ret) {
			kfree(c);
			return;
		}
		roam_mig_gc_kick(rn);
	}
	put_unaligned_be32(c->id, body);
	memcpy(body + 4, c->c_nonce, ROAM_MIG_NONCE_LEN);
	roam_opt_build(opt, ROAM_OPT_SUB_PERMITTED, body, sizeof(body));
	if (roam_opt_insert(skb, opt, sizeof(opt))) {
		roam_stats_inc(rn->stats, ROAM_STAT_MIG_NOROOM, 1);
		cconn_remove(cc, c);
		return;
	}
	roam_stats_inc(rn->stats, ROAM_STAT_MIG_SYN_OPT, 1);
}

static void track_close(struct roam_cconns *cc, struct roam_cconn *c,
			const struct tcphdr *th, int bit)
{
	if (th->rst)
		cconn_remove(cc, c);
	else if (th->fin)
		roam_mig_fin(&c->fin, bit, &c->expires);
}

/* LOCAL_OUT, after conntrack. */
unsigned int roam_mig_client_out(struct roam_net *rn, struct sk_buff *skb,
				 const struct roam_mig_cfg *cfg)
{
	struct roam_cconns *cc = &rn->mig.cconns;
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int ihl = ip_hdrlen(skb);
	struct roam_cconn_key key;
	const struct tcphdr *th;
	struct tcphdr _th;
	struct roam_cconn *c;
	__be32 orig, cur;
	struct iphdr *wiph;
	struct tcphdr *wth;

	th = skb_header_pointer(skb, ihl, sizeof(_th), &_th);
	if (!th)
		return NF_ACCEPT;
	key.laddr = iph->saddr;
	key.lport = th->source;
	key.rport = th->dest;
	if (th->syn && !th->ack) {
		client_syn(rn, skb, cfg, &key, iph->daddr);
		return NF_ACCEPT;
	}
	if (!READ_ONCE(cc->n))
		return NF_ACCEPT;
	orig = iph->daddr;
	c = cconn_of(rhltable_lookup(&cc->table, &key, cconn_params), orig);
	if (!c)
		return NF_ACCEPT;
	track_close(cc, c, th, ROAM_FIN_OUT);
	cur = READ_ONCE(c->cur);
	if (cur == orig)
		return NF_ACCEPT;
	if (skb_ensure_writable(skb, ihl + sizeof(*th)))
		return NF_DROP;
	wiph = ip_hdr(skb);
	wth = (struct tcphdr *)((u8 *)wiph + ihl);
	inet_proto_csum_replace4(&wth->check, skb, orig, cur, true);
	csum_replace4(&wiph->check, orig, cur);
	wiph->daddr = cur;
	roam_stats_inc(rn->stats, ROAM_STAT_MIG_XLAT_OUT, 1);
	/* The socket's route was for the original server. */
	if (ip_route_me_harder(rn->net, skb->sk, skb, RTN_UNSPEC))
		return NF_DROP;
	return NF_ACCEPT;
}

/*
 * A MIGRATE for @c from @saddr: 0 if it is valid (a new move, now
 * installed, or the repetition of the move accepted last), else the
 * counter that says why not.
 */
static enum roam_stat verify(struct roam_net *rn, struct roam_cconn *c,
			     const u8 *body, __be32 saddr)
{
	u32 counter = get_unaligned_be32(body + 4), last;
	const u8 *mac = body + 8;
	struct crypto_shash *tfm;
	u8 want[ROAM_MIG_MAC_LEN];

	if (!negotiated(c))
		return ROAM_STAT_MIG_BAD_MAC;
	last = READ_ONCE(c->counter);
	if (counter == last && saddr == READ_ONCE(c->cur) &&
	    !crypto_memneq(mac, c->last_mac, ROAM_MIG_MAC_LEN))
		return 0;
	if (counter <= last)
		return ROAM_STAT_MIG_REPLAY;
	tfm = rcu_dereference(rn->mig.tfm);
	if (!tfm || roam_mig_mac(tfm, c->id, c->c_nonce, c->s_nonce,
				 c->key.laddr, c->key.lport, c->orig,
				 c->key.rport, saddr, counter, want) ||
	    crypto_memneq(mac, want, ROAM_MIG_MAC_LEN))
		return ROAM_STAT_MIG_BAD_MAC;
	spin_lock(&c->lock);
	if (counter <= c->counter) {
		/* Another CPU took this one or a later one meanwhile. */
		spin_unlock(&c->lock);
		return ROAM_STAT_MIG_REPLAY;
	}
	WRITE_ONCE(c->counter, counter);
	memcpy(c->last_mac, mac, ROAM_MIG_MAC_LEN);
	WRITE_ONCE(c->cur, saddr);
	/* After cur and counter, for readers of the state. */
	smp_store_release(&c->state, ROAM_CONN_MOVED);
	spin_unlock(&c->lock);
	roam_stats_inc(rn->stats, ROAM_STAT_MIG_VERIFIED, 1);
	return 0;
}

/* A SYN-ACK for a pending entry: negotiated, or not offered after all. */
static void client_synack(struct roam_net *rn, struct roam_cconn *c,
			  const struct roam_opt *opt, bool found)
{
	/* Pairs with the release below (another CPU's SYN-ACK). */
	if (smp_load_acquire(&c->state) != ROAM_CONN_PENDING)
		return;
	if (!found || opt->sub != ROAM_OPT_SUB_ACCEPT ||
	    opt->body_len != ROAM_MIG_NONCE_LEN) {
		cconn_remove(&rn->mig.cconns, c);
		return;
	}
	spin_lock(&c->lock);
	if (c->state == ROAM_CONN_PENDING) {
		memcpy(c->s_nonce, opt->body, ROAM_MIG_NONCE_LEN);
		WRITE_ONCE(c->expires, 0);
		/* s_nonce first: negotiated() readers acquire the state. */
		smp_store_release(&c->state, ROAM_CONN_ESTABLISHED);
		roam_stats_inc(rn->stats, ROAM_STAT_MIG_NEGOTIATED, 1);
	}
	spin_unlock(&c->lock);
}

/* Is any connection in @list negotiated?  Then pool segments need MIGRATE. */
static bool any_negotiated(struct rhlist_head *list)
{
	struct rhlist_head *pos;
	struct roam_cconn *c;

	rhl_for_each_entry_rcu(c, pos, list, node)
		if (negotiated(c))
			return true;
	return false;
}

/* PRE_ROUTING, before conntrack. */
unsigned int roam_mig_client_in(struct roam_net *rn, struct sk_buff *skb,
				const struct roam_mig_cfg *cfg)
{
	struct roam_cconns *cc = &rn->mig.cconns;
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int ihl = ip_hdrlen(skb);
	struct roam_cconn *c = NULL, *pos_c;
	struct roam_cconn_key key;
	struct rhlist_head *list, *pos;
	u8 optbuf[40];
	struct roam_opt opt;
	const struct tcphdr *th;
	struct tcphdr _th, *wth;
	struct iphdr *wiph;
	__be32 saddr = iph->saddr;
	enum roam_stat why;
	bool found;

	if (!READ_ONCE(cc->n))
		return NF_ACCEPT;
	th = skb_header_pointer(skb, ihl, sizeof(_th), &_th);
	if (!th)
		return NF_ACCEPT;
	key.laddr = iph->daddr;
	key.lport = th->dest;
	key.rport = th->source;
	list = rhltable_lookup(&cc->table, &key, cconn_params);
	if (!list)
		return NF_ACCEPT;
	found = roam_opt_find(skb, th, ihl, optbuf, &opt);

	if (found && opt.sub == ROAM_OPT_SUB_MIGRATE &&
	    opt.body_len == ROAM_MIG_MIGRATE_LEN) {
		__be32 orig;

		memcpy(&orig, opt.body, sizeof(orig));
		c = cconn_of(list, orig);
		why = c ? verify(rn, c, opt.body, saddr) : ROAM_STAT_MIG_BAD_MAC;
		if (why) {
			roam_stats_inc(rn->stats, why, 1);
			return NF_DROP;
		}
	} else {
		/* The server we talk to now (the original one at first). */
		rhl_for_each_entry_rcu(pos_c, pos, list, node) {
			if (READ_ONCE(pos_c->cur) == saddr) {
				c = pos_c;
				break;
			}
		}
		if (c && !negotiated(c)) {
			if (th->syn && th->ack)
				client_synack(rn, c, &opt, found);
			else if (th->rst)
				cconn_remove(cc, c);
			return NF_ACCEPT;
		}
		if (!c) {
			/*
			 * A pool server other than the current one, without
			 * MIGRATE (the old server after a move, a forger):
			 * an RST in answer would kill the connection.
			 */
			if (roam_mig_in_pool(cfg, saddr) && any_negotiated(list)) {
				roam_stats_inc(rn->stats, ROAM_STAT_MIG_NO_OPT, 1);
				return NF_DROP;
			}
			return NF_ACCEPT;
		}
	}
	track_close(cc, c, th, ROAM_FIN_IN);
	if (saddr == c->orig)
		return NF_ACCEPT;
	if (skb_ensure_writable(skb, ihl + sizeof(*th)))
		return NF_DROP;
	wiph = ip_hdr(skb);
	wth = (struct tcphdr *)((u8 *)wiph + ihl);
	inet_proto_csum_replace4(&wth->check, skb, saddr, c->orig, true);
	csum_replace4(&wiph->check, saddr, c->orig);
	wiph->saddr = c->orig;
	roam_stats_inc(rn->stats, ROAM_STAT_MIG_XLAT_IN, 1);
	return NF_ACCEPT;
}

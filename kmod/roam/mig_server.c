// SPDX-License-Identifier: GPL-2.0
/*
 * The pool server's side of the live TCP handoff.  A SYN to a local
 * service port offering MIGRATE-PERMITTED makes a NEGOTIATED entry and
 * its SYN-ACK gets MIGRATE-ACCEPT; roamd then blocks the entry when it
 * freezes the socket (BLOCKED: the client's segments are dropped
 * silently, no RST) and installs one when it restores a socket
 * (MIGRATING: every outgoing segment carries the MIGRATE bytes roamd
 * computed) until the client's first segment (CONFIRMED, an event).
 *
 * Packet path: one RCU hash lookup per TCP segment while the table is
 * not empty; an allocation only for a SYN that negotiates, bounded by
 * conn_max.
 */

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <net/ip.h>
#include <net/route.h>

#include "mig.h"
#include "netns.h"

static const struct rhashtable_params sconn_params = {
	.key_len = sizeof(struct roam_sconn_key),
	.key_offset = offsetof(struct roam_sconn, key),
	.head_offset = offsetof(struct roam_sconn, node),
	.automatic_shrinking = true,
};

int roam_sconns_init(struct roam_sconns *sc)
{
	spin_lock_init(&sc->lock);
	sc->n = 0;
	sc->gen = 1;
	return rhashtable_init(&sc->table, &sconn_params);
}

static void sconn_free_now(void *ptr, void *arg)
{
	kfree(ptr);
}

void roam_sconns_destroy(struct roam_sconns *sc)
{
	rhashtable_free_and_destroy(&sc->table, sconn_free_now, NULL);
}

static void sconn_remove(struct roam_sconns *sc, struct roam_sconn *s)
{
	spin_lock_bh(&sc->lock);
	if (!rhashtable_remove_fast(&sc->table, &s->node, sconn_params)) {
		WRITE_ONCE(sc->n, sc->n - 1);
		sc->gen++;
		kfree_rcu(s, rcu);
	}
	spin_unlock_bh(&sc->lock);
}

static void sconns_walk_remove(struct roam_sconns *sc, bool expired_only)
{
	unsigned long now = jiffies, exp;
	struct rhashtable_iter it;
	struct roam_sconn *s;
	unsigned int n = 0;

	rhashtable_walk_enter(&sc->table, &it);
	rhashtable_walk_start(&it);
	while ((s = rhashtable_walk_next(&it))) {
		if (IS_ERR(s))
			continue;
		exp = READ_ONCE(s->expires);
		if (!expired_only || (exp && time_after(now, exp)))
			sconn_remove(sc, s);
		if (++n % 256 == 0) {
			rhashtable_walk_stop(&it);
			cond_resched();
			rhashtable_walk_start(&it);
		}
	}
	rhashtable_walk_stop(&it);
	rhashtable_walk_exit(&it);
}

void roam_sconns_flush(struct roam_sconns *sc)
{
	sconns_walk_remove(sc, false);
}

void roam_sconns_gc(struct roam_sconns *sc)
{
	sconns_walk_remove(sc, true);
}

void roam_sconn_info(const struct roam_sconn *s, struct roam_conn_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->laddr = s->key.laddr;
	ci->raddr = s->key.raddr;
	ci->lport = s->key.lport;
	ci->rport = s->key.rport;
	ci->state = READ_ONCE(s->state);
	ci->client_id = s->client_id;
	ci->orig = s->orig;
	ci->counter = s->counter;
	memcpy(ci->c_nonce, s->c_nonce, sizeof(ci->c_nonce));
	memcpy(ci->s_nonce, s->s_nonce, sizeof(ci->s_nonce));
	ci->packets_in = atomic64_read(&s->packets_in);
	ci->opt_added = atomic64_read(&s->opt_added);
}

bool roam_sconn_get(struct roam_net *rn, const struct roam_sconn_key *key,
		    struct roam_conn_info *ci)
{
	struct roam_sconn *s;
	bool found = false;

	rcu_read_lock();
	s = rhashtable_lookup(&rn->mig.sconns.table, key, sconn_params);
	if (s) {
		roam_sconn_info(s, ci);
		found = true;
	}
	rcu_read_unlock();
	return found;
}

/* A SYN offering the handoff to a local service port: negotiate. */
static void server_syn(struct roam_net *rn, struct sk_buff *skb,
		       const struct roam_mig_cfg *cfg,
		       const struct roam_sconn_key *key,
		       const struct tcphdr *th)
{
	struct roam_sconns *sc = &rn->mig.sconns;
	struct roam_sconn *s, *old;
	struct roam_opt opt;
	u8 optbuf[40];
	int ret;

	if (!roam_mig_port_in(cfg->sports, cfg->n_sports, key->lport) ||
	    !roam_opt_find(skb, th, ip_hdrlen(skb), optbuf, &opt) ||
	    opt.sub != ROAM_OPT_SUB_PERMITTED ||
	    opt.body_len != 4 + ROAM_MIG_NONCE_LEN)
		return;
	/* A FIB lookup, for SYNs with the option only. */
	if (inet_addr_type(rn->net, key->laddr) != RTN_LOCAL)
		return;
	old = rhashtable_lookup(&sc->table, key, sconn_params);
	if (old) {
		/* roamd's entries are roamd's; a retransmitted SYN changes nothing. */
		if (READ_ONCE(old->state) != ROAM_CONN_NEGOTIATED ||
		    !memcmp(old->c_nonce, opt.body + 4, ROAM_MIG_NONCE_LEN))
			return;
		sconn_remove(sc, old);
	}
	if (READ_ONCE(sc->n) >= cfg->conn_max) {
		roam_stats_inc(rn->stats, ROAM_STAT_MIG_CONN_FULL, 1);
		return;
	}
	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s)
		return;
	s->key = *key;
	s->state = ROAM_CONN_NEGOTIATED;
	s->client_id = get_unaligned_be32(opt.body);
	memcpy(s->c_nonce, opt.body + 4, ROAM_MIG_NONCE_LEN);
	get_random_bytes(s->s_nonce, sizeof(s->s_nonce));
	s->orig = key->laddr;
	s->expires = jiffies + ROAM_MIG_HANDSHAKE_TIMEOUT;
	spin_lock_bh(&sc->lock);
	ret = rhashtable_lookup_insert_fast(&sc->table, &s->node, sconn_params);
	if (!ret) {
		WRITE_ONCE(sc->n, sc->n + 1);
		sc->gen++;
	}
	spin_unlock_bh(&sc->lock);
	if (ret) {
		kfree(s);
		return;
	}
	roam_stats_inc(rn->stats, ROAM_STAT_MIG_ACCEPTED, 1);
	roam_mig_gc_kick(rn);
}

/* LOCAL_OUT: MIGRATE-ACCEPT on the SYN-ACK, MIGRATE while MIGRATING. */
unsigned int roam_mig_server_out(struct roam_net *rn, struct sk_buff *skb,
				 const struct roam_mig_cfg *cfg)
{
	struct roam_sconns *sc = &rn->mig.sconns;
	const struct iphdr *iph = ip_hdr(skb);
	u8 acc[ROAM_OPT_PAD(ROAM_OPT_ACCEPT_LEN)];
	struct roam_sconn_key key;
	const struct tcphdr *th;
	struct tcphdr _th;
	struct roam_sconn *s;
	u32 state;
	int ret;

	if (!READ_ONCE(sc->n))
		return NF_ACCEPT;
	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
	if (!th)
		return NF_ACCEPT;
	key.laddr = iph->saddr;
	key.raddr = iph->daddr;
	key.lport = th->source;
	key.rport = th->dest;
	s = rhashtable_lookup(&sc->table, &key, sconn_params);
	if (!s)
		return NF_ACCEPT;
	if (th->rst) {
		sconn_remove(sc, s);
		return NF_ACCEPT;
	}
	if (th->fin)
		roam_mig_fin(&s->fin, ROAM_FIN_OUT, &s->expires);
	state = READ_ONCE(s->state);
	if (state == ROAM_CONN_NEGOTIATED && th->syn && th->ack) {
		roam_opt_build(acc, ROAM_OPT_SUB_ACCEPT, s->s_nonce,
			       ROAM_MIG_NONCE_LEN);
		ret = roam_opt_insert(skb, acc, sizeof(acc));
	} else if (state == ROAM_CONN_MIGRATING && s->opt_set) {
		ret = roam_opt_insert(skb, s->opt, sizeof(s->opt));
	} else {
		return NF_ACCEPT;
	}
	if (ret) {
		roam_stats_inc(rn->stats, ROAM_STAT_MIG_NOROOM, 1);
	} else {
		atomic64_inc(&s->opt_added);
		roam_stats_inc(rn->stats, ROAM_STAT_MIG_OPT_ADDED, 1);
	}
	return NF_ACCEPT;
}

/* PRE_ROUTING: negotiation, BLOCKED drops, MIGRATING -> CONFIRMED. */
unsigned int roam_mig_server_in(struct roam_net *rn, struct sk_buff *skb,
				const struct roam_mig_cfg *cfg)
{
	struct roam_sconns *sc = &rn->mig.sconns;
	const struct iphdr *iph = ip_hdr(skb);
	struct roam_sconn_key key;
	const struct tcphdr *th;
	struct tcphdr _th;
	struct roam_sconn *s;

	if (!cfg->server_enable && !READ_ONCE(sc->n))
		return NF_ACCEPT;
	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
	if (!th)
		return NF_ACCEPT;
	key.laddr = iph->daddr;
	key.raddr = iph->saddr;
	key.lport = th->dest;
	key.rport = th->source;
	if (th->syn && !th->ack && cfg->server_enable)
		server_syn(rn, skb, cfg, &key, th);
	if (!READ_ONCE(sc->n))
		return NF_ACCEPT;
	s = rhashtable_lookup(&sc->table, &key, sconn_params);
	if (!s)
		return NF_ACCEPT;
	atomic64_inc(&s->packets_in);
	switch (READ_ONCE(s->state)) {
	case ROAM_CONN_BLOCKED:
		roam_stats_inc(rn->stats, ROAM_STAT_MIG_DROP_BLOCKED, 1);
		return NF_DROP;
	case ROAM_CONN_MIGRATING:
		if (cmpxchg(&s->state, ROAM_CONN_MIGRATING,
			    ROAM_CONN_CONFIRMED) == ROAM_CONN_MIGRATING) {
			roam_stats_inc(rn->stats, ROAM_STAT_MIG_CONFIRMED, 1);
			roam_mig_event_confirmed(rn, &s->key,
						 ktime_get_ns() - s->migrating_ns);
		}
		break;
	case ROAM_CONN_NEGOTIATED:
		/* The handshake completed: no longer a SYN to expire. */
		if (!th->syn && !READ_ONCE(s->fin) && READ_ONCE(s->expires))
			WRITE_ONCE(s->expires, 0);
		break;
	}
	if (th->rst)
		sconn_remove(sc, s);
	else if (th->fin)
		roam_mig_fin(&s->fin, ROAM_FIN_IN, &s->expires);
	return NF_ACCEPT;
}

/*
 * CONN_SET, under roam_net.lock: a new entry, or a copy of the old one
 * with the request applied that replaces it (the packet path never sees
 * an entry change under it, except for its state and counters).
 */
int roam_sconn_set(struct roam_net *rn, const struct roam_sconn_req *req,
		   u32 conn_max)
{
	struct roam_sconns *sc = &rn->mig.sconns;
	struct roam_sconn *s, *old;
	int ret = 0;

	lockdep_assert_held(&rn->lock);
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	spin_lock_bh(&sc->lock);
	old = rhashtable_lookup_fast(&sc->table, &req->key, sconn_params);
	if (old) {
		s->state = READ_ONCE(old->state);
		s->client_id = old->client_id;
		memcpy(s->c_nonce, old->c_nonce, sizeof(s->c_nonce));
		memcpy(s->s_nonce, old->s_nonce, sizeof(s->s_nonce));
		s->orig = old->orig;
		s->counter = old->counter;
		memcpy(s->opt, old->opt, sizeof(s->opt));
		s->opt_set = old->opt_set;
		s->migrating_ns = old->migrating_ns;
		s->fin = READ_ONCE(old->fin);
		atomic64_set(&s->packets_in, atomic64_read(&old->packets_in));
		atomic64_set(&s->opt_added, atomic64_read(&old->opt_added));
	} else if (sc->n >= conn_max) {
		ret = -ENOSPC;
		goto err;
	} else {
		s->state = ROAM_CONN_NEGOTIATED;
		s->orig = req->key.laddr;
	}
	s->key = req->key;
	if (req->has_id)
		s->client_id = req->client_id;
	if (req->has_cn)
		memcpy(s->c_nonce, req->c_nonce, sizeof(s->c_nonce));
	if (req->has_sn)
		memcpy(s->s_nonce, req->s_nonce, sizeof(s->s_nonce));
	if (req->has_orig)
		s->orig = req->orig;
	if (req->has_counter)
		s->counter = req->counter;
	if (req->has_migrate) {
		memcpy(&s->orig, req->migrate, 4);
		s->counter = get_unaligned_be32(req->migrate + 4);
		roam_opt_build(s->opt, ROAM_OPT_SUB_MIGRATE, req->migrate,
			       ROAM_MIG_MIGRATE_LEN);
		s->opt_set = true;
	}
	if (req->has_state) {
		if (req->state == ROAM_CONN_MIGRATING && !s->opt_set) {
			ret = -ENOKEY;
			goto err;
		}
		if (req->state == ROAM_CONN_MIGRATING)
			s->migrating_ns = ktime_get_ns();
		s->state = req->state;
	}
	/* roamd manages it now: no handshake timeout. */
	s->expires = 0;
	if (old) {
		ret = rhashtable_replace_fast(&sc->table, &old->node, &s->node,
					      sconn_params);
		if (ret)
			goto err;
		kfree_rcu(old, rcu);
	} else {
		ret = rhashtable_insert_fast(&sc->table, &s->node, sconn_params);
		if (ret)
			goto err;
		WRITE_ONCE(sc->n, sc->n + 1);
	}
	sc->gen++;
	spin_unlock_bh(&sc->lock);
	roam_mig_gc_kick(rn);
	return 0;
err:
	spin_unlock_bh(&sc->lock);
	kfree(s);
	return ret;
}

int roam_sconn_del(struct roam_net *rn, const struct roam_sconn_key *key)
{
	struct roam_sconns *sc = &rn->mig.sconns;
	struct roam_sconn *s;
	int ret = -ENOENT;

	spin_lock_bh(&sc->lock);
	s = rhashtable_lookup_fast(&sc->table, key, sconn_params);
	if (s && !rhashtable_remove_fast(&sc->table, &s->node, sconn_params)) {
		WRITE_ONCE(sc->n, sc->n - 1);
		sc->gen++;
		kfree_rcu(s, rcu);
		ret = 0;
	}
	spin_unlock_bh(&sc->lock);
	return ret;
}

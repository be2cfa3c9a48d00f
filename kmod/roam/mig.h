/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live TCP handoff (Documentation/roam-handoff.md): per-namespace state
 * and the interfaces between mig_opt.c (option bytes), mig_client.c (the
 * client's table and translation), mig_server.c (the pool server's
 * table), mig_hooks.c (netfilter) and mig_nl.c (netlink).
 */
#ifndef _ROAM_MIG_H
#define _ROAM_MIG_H

#include <linux/kfifo.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <linux/roam.h>

struct crypto_shash;
struct net;
struct roam_net;
struct sk_buff;
struct tcphdr;

/* RFC 6994 experimental option: kind 253, experiment ID "RM". */
#define ROAM_OPT_KIND		253
#define ROAM_OPT_EXID		0x524d
#define ROAM_OPT_VER		1
enum {
	ROAM_OPT_SUB_PERMITTED = 1,
	ROAM_OPT_SUB_ACCEPT = 2,
	ROAM_OPT_SUB_MIGRATE = 3,
};
#define ROAM_OPT_PERMITTED_LEN	18	/* hdr 6, id 4, c_nonce 8 */
#define ROAM_OPT_ACCEPT_LEN	14	/* hdr 6, s_nonce 8 */
#define ROAM_OPT_MIGRATE_LEN	26	/* hdr 6, orig 4, counter 4, MAC 12 */
/* Each padded in front with NOPs to a multiple of 4. */
#define ROAM_OPT_PAD(len)	(((len) + 3) & ~3)

#define ROAM_MIG_CONN_MAX_DEFAULT	65536
#define ROAM_MIG_CONN_MAX_LIMIT		(1U << 20)

/* One immutable snapshot of the configuration, replaced whole (RCU). */
struct roam_mig_cfg {
	u32 client_id;
	bool client_enable;
	bool server_enable;
	u8 n_pool, n_ports, n_sports;
	__be32 pool[ROAM_POOL_MAX];
	__be16 ports[ROAM_PORTS_MAX];	/* client: service ports */
	__be16 sports[ROAM_PORTS_MAX];	/* server: 0 of them: every port */
	u32 conn_max;
	struct rcu_head rcu;
};

/* Client table key: the socket's local end and the service port. */
struct roam_cconn_key {
	__be32 laddr;
	__be16 lport;
	__be16 rport;
};

/*
 * A client connection that offered or negotiated the handoff.  Several
 * may share a key (Linux reuses a local port towards different
 * servers); @orig tells them apart.  @cur, @counter and @last_mac change
 * under @lock on a verified MIGRATE; readers take them with READ_ONCE
 * (a stale @cur costs one segment to the previous server at most).
 */
struct roam_cconn {
	struct rhlist_head node;
	struct roam_cconn_key key;
	__be32 orig;
	__be32 cur;
	u32 state;			/* enum roam_conn_state */
	u32 id;				/* client id offered in the SYN */
	u32 counter;			/* last accepted MIGRATE */
	unsigned long expires;		/* jiffies; 0: never (see mig.c gc) */
	u8 c_nonce[ROAM_MIG_NONCE_LEN];
	u8 s_nonce[ROAM_MIG_NONCE_LEN];
	u8 last_mac[ROAM_MIG_MAC_LEN];
	unsigned long fin;		/* bits: 0 FIN out, 1 FIN in */
	spinlock_t lock;
	struct rcu_head rcu;
};

struct roam_cconns {
	struct rhltable table;
	spinlock_t lock;		/* writers, from any context */
	u32 n;
	u32 gen;
};

/* Server table key: this host's end first. */
struct roam_sconn_key {
	__be32 laddr;
	__be32 raddr;
	__be16 lport;
	__be16 rport;
};

/*
 * A server connection.  Netlink replaces an entry whole (never edits the
 * option bytes in place); the packet path changes only @state
 * (MIGRATING -> CONFIRMED, by cmpxchg), @fin and the counters.
 */
struct roam_sconn {
	struct rhash_head node;
	struct roam_sconn_key key;
	u32 state;			/* enum roam_conn_state */
	u32 client_id;
	u8 c_nonce[ROAM_MIG_NONCE_LEN];
	u8 s_nonce[ROAM_MIG_NONCE_LEN];
	__be32 orig;
	u32 counter;
	u8 opt[ROAM_OPT_PAD(ROAM_OPT_MIGRATE_LEN)];	/* MIGRATING */
	bool opt_set;
	u64 migrating_ns;		/* ktime_get_ns() when set */
	unsigned long fin;
	unsigned long expires;		/* jiffies; 0: never (see mig.c gc) */
	atomic64_t packets_in;
	atomic64_t opt_added;
	struct rcu_head rcu;
};

struct roam_sconns {
	struct rhashtable table;
	spinlock_t lock;
	u32 n;
	u32 gen;
};

/* What the packet path tells the event work: a connection confirmed. */
struct roam_mig_event {
	struct roam_sconn_key key;
	u64 stall_ns;
};

#define ROAM_MIG_EVENT_QUEUE	128

struct roam_mig {
	struct roam_mig_cfg __rcu *cfg;		/* never NULL */
	struct crypto_shash __rcu *tfm;		/* keyed by K_client; NULL: none */
	struct roam_cconns cconns;
	struct roam_sconns sconns;
	spinlock_t ev_lock;
	DECLARE_KFIFO(ev, struct roam_mig_event, ROAM_MIG_EVENT_QUEUE);
	struct work_struct ev_work;
	struct delayed_work gc_work;
};

/* Lifetimes of entries the tables would otherwise keep for ever. */
#define ROAM_MIG_HANDSHAKE_TIMEOUT	(30 * HZ)	/* SYN never answered */
#define ROAM_MIG_CLOSE_LINGER		(10 * HZ)	/* after FIN both ways */
#define ROAM_MIG_GC_PERIOD		(2 * HZ)
/* Bits in .fin */
enum { ROAM_FIN_OUT, ROAM_FIN_IN };

/* A copy of one entry of either table, for netlink. */
struct roam_conn_info {
	__be32 laddr, raddr, orig, cur;
	__be16 lport, rport;
	u32 state, client_id, counter;
	u8 c_nonce[ROAM_MIG_NONCE_LEN];
	u8 s_nonce[ROAM_MIG_NONCE_LEN];
	u64 packets_in, opt_added;
};

/* What CONN_SET asks for. */
struct roam_sconn_req {
	struct roam_sconn_key key;
	bool has_state, has_id, has_cn, has_sn, has_orig, has_counter;
	bool has_migrate;
	u32 state, client_id, counter;
	__be32 orig;
	u8 c_nonce[ROAM_MIG_NONCE_LEN];
	u8 s_nonce[ROAM_MIG_NONCE_LEN];
	u8 migrate[ROAM_MIG_MIGRATE_LEN];
};

/* mig_opt.c */
struct roam_opt {
	u8 sub;
	const u8 *body;			/* after the 6-byte header */
	u8 body_len;
};
bool roam_opt_find(const struct sk_buff *skb, const struct tcphdr *th,
		   unsigned int thoff, u8 *buf, struct roam_opt *opt);
int roam_opt_insert(struct sk_buff *skb, const u8 *opt, unsigned int len);
unsigned int roam_opt_build(u8 *buf, u8 sub, const u8 *body,
			    unsigned int body_len);
int roam_mig_mac(struct crypto_shash *tfm, u32 id, const u8 *c_nonce,
		 const u8 *s_nonce, __be32 caddr, __be16 cport, __be32 orig,
		 __be16 sport, __be32 new, u32 counter, u8 *mac);

/* mig_client.c */
int roam_cconns_init(struct roam_cconns *cc);
void roam_cconns_destroy(struct roam_cconns *cc);
void roam_cconns_flush(struct roam_cconns *cc);
unsigned int roam_mig_client_out(struct roam_net *rn, struct sk_buff *skb,
				 const struct roam_mig_cfg *cfg);
unsigned int roam_mig_client_in(struct roam_net *rn, struct sk_buff *skb,
				const struct roam_mig_cfg *cfg);
void roam_cconn_info(const struct roam_cconn *c, struct roam_conn_info *ci);
void roam_cconns_gc(struct roam_cconns *cc);

/* mig_server.c */
int roam_sconns_init(struct roam_sconns *sc);
void roam_sconns_destroy(struct roam_sconns *sc);
void roam_sconns_flush(struct roam_sconns *sc);
unsigned int roam_mig_server_out(struct roam_net *rn, struct sk_buff *skb,
				 const struct roam_mig_cfg *cfg);
unsigned int roam_mig_server_in(struct roam_net *rn, struct sk_buff *skb,
				const struct roam_mig_cfg *cfg);
int roam_sconn_set(struct roam_net *rn, const struct roam_sconn_req *req,
		   u32 conn_max);
int roam_sconn_del(struct roam_net *rn, const struct roam_sconn_key *key);
bool roam_sconn_get(struct roam_net *rn, const struct roam_sconn_key *key,
		    struct roam_conn_info *ci);
void roam_sconn_info(const struct roam_sconn *s, struct roam_conn_info *ci);
void roam_sconns_gc(struct roam_sconns *sc);

/* mig.c: life cycle, events */
int roam_mig_init(struct roam_net *rn);
void roam_mig_exit(struct roam_net *rn);
void roam_mig_event_confirmed(struct roam_net *rn,
			      const struct roam_sconn_key *key, u64 stall_ns);
bool roam_mig_in_pool(const struct roam_mig_cfg *cfg, __be32 addr);
bool roam_mig_port_in(const __be16 *ports, u8 n, __be16 port);
void roam_mig_gc_kick(struct roam_net *rn);
void roam_mig_fin(unsigned long *fin, int bit, unsigned long *expires);

/* mig_hooks.c */
int roam_mig_hooks_register(struct net *net);
void roam_mig_hooks_unregister(struct net *net);

/* mig_nl.c: the ops live in netlink.c's table. */
int roam_mig_nl_get(struct sk_buff *skb, struct genl_info *info);
int roam_mig_nl_set(struct sk_buff *skb, struct genl_info *info);
int roam_conn_nl_set(struct sk_buff *skb, struct genl_info *info);
int roam_conn_nl_del(struct sk_buff *skb, struct genl_info *info);
int roam_conn_nl_flush(struct sk_buff *skb, struct genl_info *info);
int roam_conn_nl_dump_start(struct netlink_callback *cb);
int roam_conn_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int roam_conn_nl_dump_done(struct netlink_callback *cb);
int roam_cconn_nl_dump_start(struct netlink_callback *cb);
int roam_cconn_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int roam_cconn_nl_dump_done(struct netlink_callback *cb);
int roam_cconn_nl_flush(struct sk_buff *skb, struct genl_info *info);
void roam_mig_nl_notify_confirmed(struct net *net,
				  const struct roam_mig_event *ev);
extern const struct nla_policy roam_mig_req_policy[ROAM_A_MAX + 1];
extern const struct nla_policy roam_conn_req_policy[ROAM_A_MAX + 1];
extern const struct nla_policy roam_conn_key_req_policy[ROAM_A_MAX + 1];

#endif /* _ROAM_MIG_H */

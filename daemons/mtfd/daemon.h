/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state, shared by its files: core.c (sockets, peers,
 * timers, keys), victim.c, gateway.c (R3 and R1/R4), host.c, admin.c.
 */
#ifndef MTFD_DAEMON_H
#define MTFD_DAEMON_H

#include "kern.h"
#include "mtfd.h"

struct topo;
struct nft_ctx;

/* Counters, shown by `mtfctl mtfd status` and in sd_notify STATUS. */
enum mtfd_stat {
	ST_RX, ST_RX_BAD, ST_RX_VERSION, ST_RX_LIMITED, ST_RX_UNEXPECTED,
	ST_TX, ST_TX_ERR,
	ST_REQ_SENT, ST_REQ_ACKED, ST_REQ_REFUSED, ST_REQ_TIMEOUT,
	ST_GW_REQUESTS, ST_GW_REFUSED, ST_GW_BUSY, ST_GW_TEMP_FILTERS,
	ST_GW_HS_SENT, ST_GW_INTERCEPTED, ST_GW_PASSED_ON, ST_GW_CONFIRMED,
	ST_GW_ESCALATED, ST_GW_LOCAL, ST_GW_WARNINGS_SENT, ST_GW_LINKS_LEARNED,
	ST_AG_REQUESTS, ST_AG_NOT_ON_PATH, ST_AG_NONCES_SENT, ST_AG_BAD_NONCE,
	ST_AG_EXPIRED, ST_AG_FILTERS, ST_AG_STOP_SENT, ST_AG_STOP_ACKED,
	ST_AG_DISCONNECTED, ST_AG_WARNINGS, ST_AG_RL_DECREASE, ST_AG_RL_INCREASE,
	ST_AG_CANCELLED, ST_AG_BUSY,
	ST_HOST_STOPS, ST_HOST_REFUSED,
	ST_KERN_ERR, ST_RESYNCED,
	ST_KERN_EV_LOST, ST_V_SCANS, ST_V_SCAN_OVER,
	__ST_MAX
};

extern const char *const mtfd_stat_names[__ST_MAX];

/* Victim: one request per flow it asked for. */
enum vreq_state { V_SENT = 1, V_ACKED, V_REFUSED, V_TIMEOUT, V_CANCELLED };

struct vreq {
	bool used;
	uint32_t id;
	struct mtf_ctl_flow flow;
	uint8_t action, state;
	uint16_t status;
	uint64_t rate_pps;
	uint32_t tries;
	uint64_t created_ms, acked_ms, next_ms, expires_ms, last_update_ms;
	uint64_t last_pkts, last_pkts_ms, last_pps;	/* AIMD feedback */
	bool manual;
};

/* R3: requests of the victims it serves, until R1 confirms. */
enum greq_state { G_PENDING = 1, G_CONFIRMED, G_LOCAL, G_FAILED, G_CANCELLED };

struct greq {
	bool used;
	uint32_t id;			/* ours, toward R1 */
	uint32_t vid;			/* the victim's */
	struct mtf_ctl_addr victim, target;
	struct mtf_ctl_flow flow;	/* as the victim sent it */
	uint8_t action, state, target_slot;
	uint64_t rate_pps;
	uint32_t duration_ms, tries;
	bool warning;			/* a WARNING handshake toward R4 */
	bool temp;			/* our temporary filter is in */
	uint64_t created_ms, sent_ms, confirmed_ms, next_ms, expires_ms;
	uint32_t hs_ms;			/* request to confirmation */
	int32_t next_id, next_flow;	/* hash chains */
	uint32_t tgen;			/* timer generation (stale heap nodes) */
	uint64_t sched_at;		/* deadline in the heap */
};

/* R1/R4: filters installed after a valid handshake. */
enum areq_kind { A_BLOCK = 1, A_DISCONNECT, A_RATELIMIT, A_WARNED };

struct areq {
	bool used;
	uint8_t kind;
	struct mtf_ctl_addr requester;
	struct mtf_ctl_flow flow;	/* the filter we installed */
	uint64_t rate_pps;
	uint64_t hits_at_stop;		/* filter hits when the stop was sent */
	bool stop_sent, stop_acked;
	uint64_t created_ms, check_ms, expires_ms, last_update_ms;
	int32_t next_flow;
	uint32_t tgen;
	uint64_t sched_at;
};

/*
 * Deadlines of the gateway's entries in one binary heap: a node is stale
 * when its entry was rescheduled or freed since (generation).
 */
enum { T_GREQ = 1, T_AREQ };

struct mtfd_timer {
	uint64_t at;
	uint32_t idx, gen;
	uint8_t kind;
};

struct peer {
	bool used;
	struct mtf_ctl_addr addr;
	double tokens;
	uint64_t last_ms, rx, limited, bad;
};

struct mtfd {
	struct mtfd_config cfg;
	struct kern *kern;
	int epfd, udp, ra_tx, raw_udp, raw_mtf, raw_tx, tfd, admin, sigfd;
	uint64_t stats[__ST_MAX];

	uint8_t secret[64];
	size_t secret_len;

	struct vreq *vreqs;
	unsigned int n_vreqs;

	struct greq *greqs;
	int32_t *gid_hash, *gflow_hash;
	unsigned int n_greqs, gfree_hint;

	struct areq *areqs;
	int32_t *aflow_hash;
	unsigned int n_areqs;

	struct peer *peers;
	unsigned int n_peers;

	struct mtfd_timer *heap;
	unsigned int heap_n, heap_cap;

	/* FILTER_ACKs waiting for their batch of temporary filters. */
	struct { struct mtf_ctl_addr to; uint32_t id; } acks[64];
	unsigned int n_acks;

	struct topo *topo;
	struct nft_ctx *nft;
	uint64_t next_policy_ms;
	/* Victim: a path table dump owed after lost events, not before. */
	bool scan_pending;
	uint64_t next_scan_ms;
	bool stopping;
};

/* core.c */
int mtfd_send(struct mtfd *d, const struct mtf_ctl_addr *to,
	      const struct mtf_ctl_msg *m, bool router_alert);
bool mtfd_peer_allow(struct mtfd *d, const struct mtf_ctl_addr *a);
void mtfd_key(struct mtfd *d, uint64_t wall_ms, int back,
	      uint8_t key[MTF_CTL_KEY_LEN]);
uint32_t mtfd_random_id(void);
bool mtfd_is_router_addr(const struct mtfd *d, const struct mtf_ctl_addr *a);
void mtfd_msg_init(struct mtf_ctl_msg *m, uint8_t type, uint32_t id);
#define B(a)	MTF_CTL_BIT(MTF_CTL_A_##a)

/* victim.c */
int victim_init(struct mtfd *d);
void victim_rx(struct mtfd *d, const struct mtf_ctl_addr *from,
	       const struct mtf_ctl_msg *m);
void victim_tick(struct mtfd *d, uint64_t now);
void victim_events(struct mtfd *d);
/* Once the event loop is set up: the paths already above the threshold. */
void victim_start(struct mtfd *d);
/* Operator's requests: 0 or -errno with @err set. */
int victim_request(struct mtfd *d, const struct mtf_ctl_flow *f, uint8_t action,
		   uint64_t rate_pps, bool manual, char *err, size_t errlen);
int victim_cancel(struct mtfd *d, const struct mtf_ctl_flow *f, char *err,
		  size_t errlen);

/* gateway.c */
int gateway_init(struct mtfd *d);
void gateway_fini(struct mtfd *d);
void gateway_rx(struct mtfd *d, const struct mtf_ctl_addr *from,
		const struct mtf_ctl_msg *m);
/* A router-alert packet we forward: true if we took it. */
bool gateway_intercept(struct mtfd *d, const struct mtf_ctl_addr *from,
		       const struct mtf_ctl_msg *m);
void gateway_tick(struct mtfd *d, uint64_t now);
/* The batched filters into the kernel, then the acknowledgements. */
void gateway_flush(struct mtfd *d);
int gateway_resync(struct mtfd *d);

/* host.c */
int host_init(struct mtfd *d);
void host_fini(struct mtfd *d);
void host_rx(struct mtfd *d, const struct mtf_ctl_addr *from,
	     const struct mtf_ctl_msg *m);

/* admin.c */
int admin_init(struct mtfd *d);
void admin_fini(struct mtfd *d);
void admin_accept(struct mtfd *d);

#endif

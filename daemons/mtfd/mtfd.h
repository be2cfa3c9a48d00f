/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mtfd: the MTF control plane (Documentation/mtf-control.md).  One
 * daemon, roles from its configuration: victim (asks for filters),
 * gateway (serves victims as R3, answers handshakes as R1/R4), host
 * (honours stop requests from its gateway).  Single-threaded: one epoll
 * loop, timers in a heap, every table bounded.
 */
#ifndef MTFD_H
#define MTFD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "msg.h"

#define MTFD_CONF		"/etc/mtfd/mtfd.conf"
#define MTFD_ADMIN_SOCK		"/run/mtfd/mtfd.sock"
#define MTFD_MAX_PREFIXES	32
#define MTFD_MAX_ADDRS		16
#define MTFD_KEY_PERIOD_MS	60000

enum {
	MTFD_ROLE_VICTIM	= 1 << 0,
	MTFD_ROLE_GATEWAY	= 1 << 1,
	MTFD_ROLE_HOST		= 1 << 2,
};

struct mtfd_config {
	unsigned int roles;
	struct mtf_ctl_addr self;	/* our control address (source) */
	uint16_t port;
	char admin_sock[108];
	char secret_file[256];
	int log_level;
	bool withdraw_on_exit;

	/* timers, ms */
	uint32_t ttmp_ms, tlong_ms, tblock_ms;
	uint32_t retry_ms, retries, key_period_ms;
	uint32_t quiet_ms;		/* AIMD: additive step after this quiet */

	/* victim */
	struct mtf_ctl_addr victim_gw;
	uint8_t suffix_len;		/* slots per request (aggregation) */
	uint32_t threshold_pps;		/* policy: a suffix above this is undesired */
	uint32_t attack_pps;		/* AIMD: above this, still an attack */
	bool attack_set;
	uint8_t policy_action;		/* MTF_CTL_BLOCK / MTF_CTL_RATELIMIT */
	uint64_t policy_rate_pps;	/* starting rate of a rate limit */
	struct mtf_ctl_addr allow_routers[MTFD_MAX_ADDRS];
	unsigned int n_allow_routers;

	/* gateway */
	struct mtfd_prefix serves[MTFD_MAX_PREFIXES];	/* victims (R3) */
	unsigned int n_serves;
	struct mtfd_prefix hosts[MTFD_MAX_PREFIXES];	/* sources (R1) */
	unsigned int n_hosts;
	struct mtf_ctl_addr router_addrs[MTFD_MAX_ADDRS];	/* our slots */
	unsigned int n_router_addrs;
	char topology[256];
	uint32_t k_paths;
	uint32_t peer_rate, peer_burst;	/* requests per second per peer */
	uint32_t max_pending, max_peers, max_active;
	uint64_t aimd_step_pps;		/* additive increase */
	uint64_t aimd_min_pps;

	/* host */
	struct mtf_ctl_addr host_gw;
	bool comply;
};

int mtfd_config_load(struct mtfd_config *c, const char *path, char *err,
		     size_t errlen);
void mtfd_config_defaults(struct mtfd_config *c);

/* flow.c */
bool mtfd_addr_eq(const struct mtf_ctl_addr *a, const struct mtf_ctl_addr *b);
bool mtfd_prefix_has(const struct mtfd_prefix *p, const struct mtf_ctl_addr *a);
bool mtfd_prefixes_have(const struct mtfd_prefix *p, unsigned int n,
			const struct mtf_ctl_addr *a);
void mtfd_addr_from_sin(struct mtf_ctl_addr *a, const struct sockaddr_in *sin);
void mtfd_addr_to_sin(const struct mtf_ctl_addr *a, uint16_t port,
		      struct sockaddr_in *sin);
uint32_t mtfd_addr_v4(const struct mtf_ctl_addr *a);	/* network order */
void mtfd_addr_set_v4(struct mtf_ctl_addr *a, uint32_t be);
/* Same flow (what a filter matches): dst, src/plen, slots or iif. */
bool mtfd_flow_eq(const struct mtf_ctl_flow *a, const struct mtf_ctl_flow *b);
uint64_t mtfd_flow_hash(const struct mtf_ctl_flow *f);
const char *mtfd_flow_str(const struct mtf_ctl_flow *f, char *buf, size_t len);
uint64_t mtfd_now_ms(void);	/* CLOCK_MONOTONIC */
uint64_t mtfd_wall_ms(void);	/* CLOCK_REALTIME: message expiries */

#endif

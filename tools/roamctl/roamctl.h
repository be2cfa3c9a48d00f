/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ROAMCTL_H
#define ROAMCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/roam.h>

#include "cli.h"
#include "roam_args.h"
#include "stats.h"
#include "status.h"

int roamctl_main(int argc, char **argv);

/* status.c */
extern const struct stats_names roam_stat_names;
/* parses into a struct genl_status */
int roam_status_parse(const struct nlmsghdr *nlh, void *status);
int roamctl_status(struct cli *cli, int argc, char **argv);

/* gate.c: ROAM_A_GATE both ways.  has marks what is present. */
enum {
	ROAM_GF_POOL = 1 << 0,
	ROAM_GF_PORTS = 1 << 1,
	ROAM_GF_ACTIVE = 1 << 2,
	ROAM_GF_PREV = 1 << 3,
	ROAM_GF_WINDOW = 1 << 4,
	ROAM_GF_WINDOW_LEFT = 1 << 5,
	ROAM_GF_EPOCH = 1 << 6,
	ROAM_GF_ATTACK_PPS = 1 << 7,
	ROAM_GF_DROP_RATE = 1 << 8,
	ROAM_GF_CLIENTS = 1 << 9,
	ROAM_GF_CLIENT_MAX = 1 << 10,
};

struct roam_gate {
	unsigned int has;
	unsigned int n_pool, n_ports;
	uint32_t pool[ROAM_POOL_MAX];		/* network order */
	uint32_t ports[ROAM_PORTS_MAX];		/* proto << 16 | port */
	uint32_t active, prev;			/* network order */
	uint32_t window_ms, window_left_ms;
	uint64_t epoch;
	uint32_t attack_pps;
	uint64_t drop_rate;
	uint32_t clients, client_max;
};

int roam_gate_args(struct roam_gate *g, int argc, char *const *argv,
		   char *err, size_t errlen);
void roam_gate_put(struct nlmsghdr *nlh, const struct roam_gate *g);
int roam_gate_parse_nest(const struct nlattr *nest, struct roam_gate *g);
int roam_gate_parse(const struct nlmsghdr *nlh, void *gate);
void roam_gate_out(struct out *o, const struct roam_gate *g);
int roamctl_gate(struct cli *cli, int argc, char **argv);

/* client.c: ROAM_A_CLIENT both ways. */
enum {
	ROAM_CF_ADDR = 1 << 0,
	ROAM_CF_STATE = 1 << 1,
	ROAM_CF_PPS = 1 << 2,
	ROAM_CF_BPS = 1 << 3,
	ROAM_CF_COUNTERS = 1 << 4,
};

struct roam_client {
	unsigned int has;
	uint32_t addr;				/* network order */
	uint8_t state;
	uint64_t rate_pps, rate_bps;
	uint64_t packets, bytes, drops, violations;
};

int roam_client_args(struct roam_client *c, int argc, char *const *argv,
		     char *err, size_t errlen);
void roam_client_put(struct nlmsghdr *nlh, const struct roam_client *c);
int roam_client_parse_nest(const struct nlattr *nest, struct roam_client *c);
void roam_client_out(struct out *o, const struct roam_client *c);
int roamctl_gate_client(struct cli *cli, int argc, char **argv);

/* mig.c: the live TCP handoff */
int roamctl_migrate(struct cli *cli, int argc, char **argv);
int roamctl_conn(struct cli *cli, int argc, char **argv);
int roam_conn_event_out(struct out *o, const struct nlattr *nest);
/* genl_cb_t with a struct out *: a MIG_GET reply, a CONN/CCONN_GET entry. */
int roam_mig_show_cb(const struct nlmsghdr *nlh, void *data);
int roam_conn_show_cb(const struct nlmsghdr *nlh, void *data);

/* monitor.c */
int roam_event_out(struct out *o, const struct nlmsghdr *nlh);
int roamctl_monitor(struct cli *cli, int argc, char **argv);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roam.ko's live handoff, client side, for the programs that load the
 * key authd gave (roam-fetch, roam-client --handoff) and roamctl: the
 * ROAM_CMD_MIG_SET message and a lookup in the client table
 * (ROAM_CMD_CCONN_GET).  Documentation/roam-handoff.md.
 *
 * Functions return 0 or a negative errno; with err, they say why in it.
 */
#ifndef ROAM_MIG_H
#define ROAM_MIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/roam.h>

#include "genl.h"

/* What a MIG_SET carries: only the settings whose has bit is set. */
enum {
	ROAM_MIG_SET_ID = 1, ROAM_MIG_SET_KEY = 2, ROAM_MIG_SET_POOL = 4,
	ROAM_MIG_SET_PORTS = 8, ROAM_MIG_SET_CLIENT = 16, ROAM_MIG_SET_SERVER = 32,
	ROAM_MIG_SET_SPORTS = 64, ROAM_MIG_SET_MAX = 128,
};

struct roam_mig_set {
	unsigned int has;
	uint32_t id;
	uint8_t key[ROAM_MIG_KEY_LEN];
	uint32_t pool[ROAM_POOL_MAX];		/* network order */
	unsigned int n_pool;
	uint16_t ports[ROAM_PORTS_MAX], sports[ROAM_PORTS_MAX];
	unsigned int n_ports, n_sports;		/* 0: every port */
	uint8_t client, server;
	uint32_t conn_max;
};

/* The ROAM_A_MIG nest of a MIG_SET request (nlh from genl_req()). */
void roam_mig_put_set(struct nlmsghdr *nlh, const struct roam_mig_set *s);

struct roam_mig;

/* The roam family in this namespace: -ENOENT when roam.ko is not loaded. */
int roam_mig_open(struct roam_mig **m, char *err, size_t errlen);
void roam_mig_close(struct roam_mig *m);

/*
 * MIG_SET with s (the key is wiped from the request buffer after):
 * -EPERM without CAP_NET_ADMIN.
 */
int roam_mig_set(struct roam_mig *m, const struct roam_mig_set *s,
		 char *err, size_t errlen);

/*
 * The client side on with authd's id and key, the pool's addresses and
 * service ports (IPv4; others skipped): what roam-fetch --handoff and
 * roam-client --handoff do.  pool: struct roam_addr (schedule.h).
 */
struct roam_addr;
int roam_mig_client_on(struct roam_mig *m, uint32_t id,
		       const uint8_t key[ROAM_MIG_KEY_LEN],
		       const struct roam_addr *pool, unsigned int n_pool,
		       char *err, size_t errlen);

/* A client table entry (addresses network order, ports host order). */
struct roam_mig_cconn {
	uint32_t laddr, raddr, cur;
	uint16_t lport, rport;
	uint8_t state;		/* enum roam_conn_state */
	uint32_t counter;	/* moves accepted */
};

/*
 * The entry of the connection (local, remote: the socket's own
 * addresses): 0, -ENOENT (not negotiated), or an error.
 */
int roam_mig_cconn_find(struct roam_mig *m, uint32_t laddr, uint16_t lport,
			uint32_t raddr, uint16_t rport, struct roam_mig_cconn *out);

#endif

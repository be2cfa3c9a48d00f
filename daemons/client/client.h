/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Roaming client library: subscribe to authd, verify each key against the
 * hash chain, and follow the schedule by local computation.
 *
 *	struct roam_client *c;
 *	roam_client_open(&c, &cfg, err, sizeof(err));	// TLS + SUBSCRIBE
 *	for (;;) {
 *		roam_client_poll(c, 1000);		// keys as authd pushes them
 *		roam_client_active_server(c, now_ms, &idx, &addr);
 *	}
 *	roam_client_close(c);
 *
 * Functions return 0 or -errno; roam_client_error() says what happened.
 */
#ifndef ROAM_CLIENT_H
#define ROAM_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "schedule.h"

struct roam_client;

struct roam_client_cfg {
	const char *host;		/* authd address or name */
	const char *port;
	const char *ca_file;		/* the authd CA certificate */
	const char *cert_file;		/* NAME.crt */
	const char *key_file;		/* NAME.key, 0600 */
	uint32_t timeout_ms;		/* connect + handshake */
	/* Called once per epoch as soon as both of its ends are known. */
	void (*on_epoch)(void *arg, const struct roam_epoch *e, uint64_t end_ms,
			 int level);
	void *arg;
};

int roam_client_open(struct roam_client **c, const struct roam_client_cfg *cfg,
		     char *err, size_t errlen);
void roam_client_close(struct roam_client *c);
int roam_client_fd(const struct roam_client *c);

/*
 * Wait up to timeout_ms for messages and handle them.  0, or -EPERM
 * (revoked), -EACCES (refused), -EBADMSG (a key failed verification),
 * -EPROTO (malformed), -ECONNRESET (closed).
 */
int roam_client_poll(struct roam_client *c, int timeout_ms);
const char *roam_client_error(const struct roam_client *c);

/* After PARAMS: the pool and the parameters. */
bool roam_client_ready(const struct roam_client *c);
const struct roam_sched_params *roam_client_params(const struct roam_client *c);
const struct roam_addr *roam_client_pool(const struct roam_client *c);

/*
 * After PARAMS: the live handoff's client id and K_client (authd runs
 * with --migrate-key), for roam.ko's client side (roam-handoff.md).
 * 0, or -ENODATA (not given, or no PARAMS yet).
 */
int roam_client_migrate(const struct roam_client *c, uint32_t *id,
			uint8_t key[ROAM_MIG_KEY_LEN]);

/*
 * The server active at now_ms: 0, -ENODATA before PARAMS, -ERANGE for a
 * time before what the client knows, -ESTALE when now_ms is past the last
 * known roam time plus the minimum interval (keys stopped coming: the
 * returned server is only a guess).
 */
int roam_client_active_server(struct roam_client *c, uint64_t now_ms,
			      uint32_t *index, struct roam_addr *addr);

/*
 * The epoch holding now_ms: 0 with *end_ms its end, or 0 in *end_ms while
 * its key has not come yet; errors as roam_client_active_server().
 */
int roam_client_epoch(struct roam_client *c, uint64_t now_ms,
		      struct roam_epoch *e, uint64_t *end_ms);

/* When the epoch holding now_ms ends and where the service goes then. */
int roam_client_next_roam(struct roam_client *c, uint64_t now_ms,
			  uint64_t *when_ms, uint32_t *next_index);

/* Test hook: write raw bytes into the TLS session. */
int roam_client_send_raw(struct roam_client *c, const void *buf, size_t len);

#endif

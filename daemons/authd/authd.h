/* SPDX-License-Identifier: GPL-2.0 */
/*
 * authd: the roaming authenticator.  Hands subscribed clients the pool,
 * the schedule parameters and the chain keys over TLS 1.3, pushes each
 * new key before it is needed, and cuts revoked clients off.
 */
#ifndef AUTHD_H
#define AUTHD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "chain.h"
#include "pki.h"
#include "proto.h"
#include "schedule.h"

struct conn;
struct authd;

struct client {
	struct client *next;		/* hash bucket */
	char name[ROAM_NAME_MAX + 1];
	char serial[80];		/* of the current certificate, hex */
	bool revoked;
	char last_peer[64];
	char *rev_addrs;		/* revoked: where it was last seen */
	unsigned int nsessions;		/* subscribed connections now */
	uint32_t mig_id;		/* live handoff id (store.h), 0: none */
};

struct threat_change {
	uint64_t from_epoch;
	int level;
};

/* Revocation hooks: how the gates learn that a client is out. */
struct authd_gate_ops {
	const char *name;
	void (*revoked)(struct authd *a, const char *name, const char *addrs);
};

/* Revocation watchers on the admin socket (watch.c). */
#define AUTHD_WATCHERS_MAX	32
#define AUTHD_WATCHERS_MAX_STR	"32"
struct watcher;

struct authd_config {
	const char *dir;
	const char *listen;
	const char *admin_sock;
	const char *san;
	const char *revoke_hook;
	const char *migrate_key;	/* K_mig's file: clients get MIG_ID/MIG_KEY */
	struct roam_sched_params params;	/* from flags, for a new chain */
	struct roam_addr pool[ROAM_POOL_MAX];
	uint64_t chain_len;
	uint32_t lookahead;
	uint32_t lead_ms;
	uint32_t handshake_ms;
	uint32_t max_conns;
	/* Before a client is known (TLS handshake, SUBSCRIBE): a budget of
	 * its own, oldest evicted first, and a share per source prefix. */
	uint32_t max_preauth;
	uint32_t max_per_prefix;	/* per /24 (IPv4) or /64 (IPv6) */
	uint32_t max_client_sessions;	/* per client certificate */
	bool params_given;
	bool new_chain;
	bool san_given;
};

struct authd {
	struct authd_config cfg;

	/* The chain and where the schedule stands. */
	struct roam_chain chain;
	struct roam_sched_params p;
	struct roam_addr pool[ROAM_POOL_MAX];
	uint8_t anchor[ROAM_KEY_LEN];
	struct roam_epoch cur, nxt;	/* epoch c and c+1 */
	uint64_t released;		/* highest key handed out */
	bool exhausted;
	int threat;			/* for keys not yet released */
	struct threat_change *changes;
	size_t nchanges;
	/* High on leases (roamds under attack) until this realtime ms, or
	 * set by an operator (manual): leases do not lower that. */
	uint64_t threat_lease_until;
	bool threat_manual;

	/* Credentials. */
	uint8_t kmig[ROAM_MIG_KEY_LEN];	/* the pool's K_mig (--migrate-key) */
	bool has_kmig;
	SSL_CTX *ctx;
	X509 *ca;
	EVP_PKEY *ca_key;

	/* Clients, by name; on record in store (clients.db). */
	struct client **buckets;
	size_t nbuckets, nclients;
	struct store *store;

	/* Network. */
	int epfd, lfd, afd, sfd;
	struct conn *conns;		/* all connections */
	size_t nconns, nsubscribed;
	struct conn *pa_head, *pa_tail;	/* pre-auth, oldest first */
	size_t npreauth;
	uint64_t preauth_evicted, prefix_refused, sessions_refused, fd_pauses;
	uint64_t listen_paused_until;	/* out of descriptors: accept later */
	uint64_t hook_failures;		/* revoke hooks that did not exit 0 */
	bool stop;

	const struct authd_gate_ops *gates[4];
	int ngates;

	struct watcher *watchers[AUTHD_WATCHERS_MAX];
	size_t nwatchers;
	uint64_t watchers_refused, watchers_dropped;
};

uint64_t authd_now_ms(void);

/* state.c: the state directory. */
int authd_state_load(struct authd *a);
void authd_state_free(struct authd *a);
int authd_journal(struct authd *a, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int authd_level(const struct authd *a, uint64_t epoch);
int authd_set_threat(struct authd *a, int level);
/* An admin request: level, or high for lease_ms (0: no lease). */
int authd_threat_request(struct authd *a, int level, unsigned int lease_ms,
			 uint64_t now);
/* Lowers the level when the last lease runs out; when to look again. */
uint64_t authd_threat_tick(struct authd *a, uint64_t now);
bool authd_advance(struct authd *a, uint64_t now);
uint64_t authd_release_target(const struct authd *a, uint64_t now);
int authd_print_schedule(struct authd *a, uint64_t from, uint64_t count);

/* clients.c */
struct client *authd_client_find(struct authd *a, const char *name);
struct client *authd_client_add(struct authd *a, const char *name, const char *serial);
int authd_clients_load(struct authd *a);
int authd_client_issue(struct authd *a, const char *name, bool renew, const char *csr,
		       char **pem, size_t *len,
		       const char **why);
int authd_client_revoke(struct authd *a, const char *name, const char **why);

/* server.c */
int authd_tls_init(struct authd *a, EVP_PKEY *key, X509 *cert);
int authd_listen(struct authd *a);
int authd_run(struct authd *a);
void authd_close_client_sessions(struct authd *a, const char *name, char *addrs,
				 size_t len);
void authd_server_free(struct authd *a);

/* admin.c */
int authd_admin_listen(struct authd *a);
void authd_admin_accept(struct authd *a);

/* watch.c: "watch revocations" (takes fd over on success). */
int authd_watch_add(struct authd *a, int fd, const char **why);
bool authd_watch_owns(const struct authd *a, const void *p);
void authd_watch_event(struct authd *a, void *p, uint32_t ev);
void authd_watch_free(struct authd *a);
extern const struct authd_gate_ops authd_watch_ops;

/* hooks.c */
void authd_gates_init(struct authd *a);
void authd_reap_children(struct authd *a);
void authd_gates_revoked(struct authd *a, const char *name, const char *addrs);

#endif

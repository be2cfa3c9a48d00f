/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live connection handoff between roamds (Documentation/roam-handoff.md):
 * the old server's roamd collects its service's connections (EXPORT,
 * lib/handoff.h), blocks and freezes each (roam.ko, lib/tcprepair.h) and
 * streams them to the new server's roamd over TLS 1.3 keyed by the pool's
 * migration key K_mig (external PSK with (EC)DHE: a peer without K_mig
 * cannot push sockets into a server, and a recorded session stays secret);
 * the new server's roamd restores each bound to its own address, installs
 * it in roam.ko as MIGRATING with the MAC (lib/migkey.h) and ADOPTs it
 * into its service.
 *
 * Everything here blocks (bounded by the timeout; SIGPIPE must be
 * ignored, as roamd does): roamd runs it on a
 * thread of its own (migrate.c); the tests call it directly.
 */
#ifndef ROAMD_HOXFER_H
#define ROAMD_HOXFER_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "handoff.h"
#include "hochan.h"
#include "migkey.h"
#include "tcprepair.h"

#define HO_PSK_IDENTITY		"roam-handoff-v1"
#define HO_PSK_LABEL		"roam-handoff-psk-v1"
#define HO_TIMEOUT_MS_DEFAULT	5000
#define HO_CONNS_DEFAULT	1024

/* RESULT status of one connection. */
enum ho_status {
	HO_ADOPTED = 0,		/* restored and handed to the service */
	HO_NOT_RESTORED = 1,	/* nothing sent from the new server: the old may resume */
	HO_LOST = 2,		/* restored, then failed: closed */
};

struct ho_cfg {
	uint8_t kmig[MIG_KEY_LEN];
	bool kernel;			/* use roam.ko (not with --no-gate, tests) */
	uint32_t timeout_ms;		/* a whole session, each side */
	uint32_t max_conns;		/* per handoff, <= HOCHAN_CONNS_MAX */
	/* Where restored sockets are bound (port 0: each its own port). */
	struct tcpr_addr self;
	/* Outbound sessions from this address (the channel's own), if set. */
	struct sockaddr_in src;
	/* Only these local ports may be restored (the service's); 0: any. */
	uint16_t service_port;
	/* Tests: restore at the connection's original address ... */
	bool same_addr;
	/* ... and take every connection as negotiated (no roam.ko). */
	bool assume_negotiated;
	/*
	 * How long a connection sent away stays BLOCKED here after its
	 * move began (roamd's transition window: until it closes the gate
	 * passes the client's late segments to this server, whose TCP
	 * would answer them with an RST).
	 */
	uint32_t linger_ms;
};

/* Counters, for roamd's status (all since start). */
struct ho_stats {
	uint64_t out_sessions, out_failed;	/* handoffs we started; failed ones */
	uint64_t exported;		/* connections the service gave us */
	uint64_t moved;			/* adopted at the new server */
	uint64_t kept;			/* given back to our service (not negotiated, ...) */
	uint64_t lost;			/* neither here nor there */
	uint64_t in_sessions, in_refused;	/* accepted; refused (TLS, bad frames) */
	uint64_t adopted, in_failed;	/* restored here; could not be */
	uint64_t last_ms;		/* the last outbound handoff, EXPORT to RESULT */
};

struct ho;

/* 0 or -errno with a reason in err. */
int ho_new(struct ho **h, const struct ho_cfg *cfg, char *err, size_t errlen);
void ho_free(struct ho *h);

/*
 * Read K_mig from a secret file (0600): exactly 32 bytes, or 64 hex
 * digits and an optional newline.
 */
int ho_key_load(const char *path, uint8_t kmig[MIG_KEY_LEN], char *err, size_t errlen);

/* roamd's end of its service's handoff socket; -1: no service.  Kept. */
void ho_set_service(struct ho *h, int fd);

/*
 * The whole outbound handoff to the roamd at peer: connect, EXPORT,
 * block/freeze/send each negotiated connection, END, RESULT; give back
 * to the service what did not move.  0 or -errno (then nothing moved).
 */
int ho_move_out(struct ho *h, const struct sockaddr *peer, socklen_t len);
/*
 * The blocks left behind by ho_move_out(): ms until the next one is due
 * (-1: none), and lifting those that are (all of them with all).  The
 * handoff thread's, as ho_move_out() and ho_serve().
 */
int ho_linger_next_ms(struct ho *h);
void ho_linger_expire(struct ho *h, bool all);

/* One inbound session on an accepted socket (closed here). */
int ho_serve(struct ho *h, int fd);

void ho_get_stats(struct ho *h, struct ho_stats *s);

/* ---- For the tests: the channel's pieces ---- */
/* A TLS session to peer with this key (the handshake done), or NULL. */
SSL *ho_tls_connect(struct ho *h, const struct sockaddr *peer, socklen_t len,
		    uint64_t deadline_ms);
int ho_frame_send(SSL *ssl, enum hochan_type type, const void *p, size_t len,
		  uint64_t deadline_ms);
void ho_tls_close(SSL *ssl);
uint64_t ho_now_ms(void);

/* ---- The kernel boundary (handoff_kern.c): roam.ko's connection table ---- */
struct hok_conn {
	struct tcpr_addr local, peer;
	int prev_state;			/* enum roam_conn_state before BLOCKED */
};

/*
 * Our own netlink socket to roam.ko (the handoff thread's, apart from the
 * event loop's), and the server side of the option enabled for port.
 * NULL (*k) with a reason in err when the module is not there.
 */
struct hok;
int hok_open(struct hok **k, uint16_t port, char *err, size_t errlen);
void hok_close(struct hok *k);

/*
 * With k NULL: test mode (every connection negotiated, BLOCKED as an
 * nft rule) or, without test, no roam.ko (nothing negotiated).
 *
 * Whether the client negotiated MIGRATE, and what the next MAC needs.
 * 0 and *mig, or -ENOENT (not negotiated: the connection stays here).
 */
int hok_lookup(struct hok *k, bool test, struct hok_conn *c, struct hochan_mig *mig);
/* BLOCKED: the client's segments are dropped, silently, until ... */
int hok_block(struct hok *k, bool test, const struct hok_conn *c);
/* ... the connection resumes here (its state before) ... */
int hok_unblock(struct hok *k, bool test, const struct hok_conn *c);
/* ... or has left: the entry goes. */
int hok_forget(struct hok *k, bool test, const struct hok_conn *c);
/* A restored connection: MIGRATING with the client's id, nonces, orig
 * addr, the move's counter and its MAC. */
int hok_migrating(struct hok *k, const struct hok_conn *c, const struct hochan_mig *mig,
		  uint32_t counter, const uint8_t mac[MIG_MAC_LEN]);

/* hokmsg.c: the messages, pure. */
struct nlmsghdr;
void hokmsg_key(struct nlmsghdr *nlh, const struct hok_conn *c);
void hokmsg_state(struct nlmsghdr *nlh, const struct hok_conn *c, int state);
void hokmsg_migrating(struct nlmsghdr *nlh, const struct hok_conn *c,
		      const struct hochan_mig *mig, uint32_t counter,
		      const uint8_t mac[MIG_MAC_LEN]);
void hokmsg_server(struct nlmsghdr *nlh, uint16_t port);
int hokmsg_parse(const struct nlmsghdr *nlh, struct hochan_mig *mig, int *state);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roamd: the roaming scheduler on each pool server (or on the firewall in
 * front of the pool).  It subscribes to authd like any client, so it
 * computes the same schedule from the same keys, and at each roam:
 *
 *   - sets roam.ko's gate in its network namespace (GATE_SET: pool,
 *     ports, active address, window, epoch);
 *   - starts the service when its own server becomes active and stops it
 *     once the transition window after the roam away has closed;
 *   - listens to the gate's events: attacks raise the threat level at
 *     authd, contract violations get the paper's second chance.
 *
 * Documentation/roamd.8.md.
 */
#ifndef ROAMD_H
#define ROAMD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "admin.h"
#include "client.h"
#include "schedule.h"

#define ROAMD_CONTRACTS_MAX	256
#define ROAMD_PORTS_MAX		16

struct contract {
	char name[65];
	uint32_t addr;			/* network order */
	uint64_t pps, bps;
	/* This roamd's own gate: warned in epoch, to re-allow at the next roam. */
	bool warned_here;
};

/* --handoff-peer: the channel address of a pool server. */
struct ho_peer {
	struct roam_addr server, channel;
};

struct roamd_config {
	struct roam_client_cfg client;
	const char *self;		/* ADDR:PORT of this server, or NULL */
	const char *admin_sock;		/* authd admin socket */
	const char *state_dir;		/* strikes file */
	char **service;			/* argv, or NULL */
	uint32_t window_ms, prestart_ms, quiet_ms, attack_pps, stop_grace_ms;
	uint32_t ports[ROAMD_PORTS_MAX];	/* proto << 16 | port */
	unsigned int nports;
	bool ports_given, no_gate;
	struct contract contracts[ROAMD_CONTRACTS_MAX];
	unsigned int ncontracts;
	/* Live handoff (migrate.c): off without migrate_key. */
	const char *migrate_key, *ho_listen;
	uint32_t ho_timeout_ms, ho_max_conns;
	bool ho_test;			/* --handoff-test: no roam.ko */
	struct ho_peer ho_peers[ROAM_POOL_MAX];
	unsigned int ho_npeers;
};

struct gate;
struct worker;
struct migrate;

/* What epoll woke us for (loop.c). */
enum roamd_src { SRC_SIG = 1, SRC_TIMER, SRC_AUTHD, SRC_GATE, SRC_WORKER, SRC_REVWATCH,
		 SRC_MIGRATE };

/* "watch revocations" at authd's admin socket (revwatch.c). */
struct revwatch {
	int fd;				/* -1: not watching */
	bool got_ok, synced, refused, down_logged;
	uint64_t retry_at;
	uint32_t backoff_ms;
	unsigned int caught_up, caught_blocked;	/* the catch-up list */
	char buf[ROAM_ADMIN_LINE_MAX + 2];
	size_t len;
};

/* Blocking work for the worker thread (worker.c); results in place. */
enum job_kind { JOB_CONNECT, JOB_THREAT_LEASE, JOB_REVOKE };

struct job {
	struct job *next;
	enum job_kind kind;
	char name[65];			/* REVOKE */
	unsigned int lease_ms;		/* THREAT_LEASE */
	int ret;
	char err[512];
	struct roam_client *client;	/* CONNECT */
};

struct roamd {
	struct roamd_config cfg;
	struct roam_client *client;
	struct roam_client *fresh;	/* a new session, not ready yet */
	uint64_t reconnect_at;
	uint32_t backoff_ms;
	bool connecting;		/* a CONNECT job is out */
	bool lease_pending;		/* a THREAT_LEASE job is out */
	struct worker *worker;
	int self;			/* pool index, -1: none (gate only) */
	bool pool_set;

	/* Where the schedule stands. */
	uint64_t applied_epoch;
	uint32_t applied_server;
	uint64_t stale_warned;

	/* The service child. */
	pid_t svc_pid;
	bool svc_stopping;
	bool svc_stop_deferred;		/* the window is over, a handoff out is not */
	uint64_t svc_stop_at, svc_kill_at, svc_restart_at;
	unsigned int svc_starts;

	/* Threat level raised by us, and the last attack signal. */
	bool threat_raised;
	uint64_t last_attack_ms;
	uint64_t lease_renewed_ms;	/* last "threat high LEASE" sent */

	/* Revocations from authd, blocked in the gate. */
	struct revwatch rw;
	uint64_t rev_received, rev_blocked, rev_errors;
	char applied_addr[64];

	struct gate *gate;
	struct migrate *mig;		/* NULL: no live handoff */
	int epfd, sigfd, tfd;
	bool stop;
	int fatal;
};

uint64_t roamd_now_ms(void);

/* loop.c */
int roamd_run(struct roamd *r);
/* sd_notify STATUS: the epoch, the active server, the revocation counters. */
void roamd_status(const struct roamd *r);

/* revwatch.c: runs in the loop, never blocks. */
void revwatch_tick(struct roamd *r, uint64_t now);
uint64_t revwatch_next(const struct roamd *r);
void revwatch_event(struct roamd *r, uint64_t now);
void revwatch_stop(struct roamd *r);

/* worker.c: jobs are malloc'ed by the caller, freed by the worker side. */
int worker_start(struct roamd *r);
void worker_stop(struct roamd *r);
int worker_fd(const struct roamd *r);
int worker_submit(struct roamd *r, struct job *j);
void worker_results(struct roamd *r, void (*done)(struct roamd *r, struct job *j));

/* gate.c: the kernel boundary (generic netlink to roam.ko). */
int gate_open(struct gate **g);
void gate_close(struct gate *g);
int gate_event_fd(const struct gate *g);
const char *gate_error(const struct gate *g);
int gate_setup(struct gate *g, const uint32_t *pool, unsigned int npool,
	       const uint32_t *ports, unsigned int nports, uint32_t window_ms,
	       uint32_t attack_pps);
int gate_activate(struct gate *g, uint32_t addr, uint64_t epoch);
int gate_client_set(struct gate *g, uint32_t addr, int state, uint64_t pps,
		    uint64_t bps);

struct gate_event {
	int cmd;			/* ROAM_CMD_EVENT_* */
	uint32_t addr;			/* client (violation) */
	uint64_t violations;
	uint64_t drop_rate;		/* attack */
	uint64_t stall_ns;		/* conn confirmed: MIGRATING -> client */
	uint32_t raddr;			/* conn confirmed: the client, network order */
	uint16_t rport;			/* host order */
};

/* Read pending events; calls fn per event.  0 or -errno. */
int gate_events(struct gate *g, void (*fn)(void *arg, const struct gate_event *e),
		void *arg);

/* gatemsg.c: pure message handling, tested without a kernel. */
struct nlmsghdr;
void gatemsg_setup(struct nlmsghdr *nlh, const uint32_t *pool, unsigned int npool,
		   const uint32_t *ports, unsigned int nports, uint32_t window_ms,
		   uint32_t attack_pps);
void gatemsg_activate(struct nlmsghdr *nlh, uint32_t addr, uint64_t epoch);
void gatemsg_client(struct nlmsghdr *nlh, uint32_t addr, int state, uint64_t pps,
		    uint64_t bps);
int gatemsg_event_parse(const struct nlmsghdr *nlh, struct gate_event *e);
int gatemsg_ports_parse(const char *s, uint32_t *ports, unsigned int *n);

/* service.c */
void service_ensure(struct roamd *r, uint64_t now, const char *why);
void service_stop_later(struct roamd *r, uint64_t when);
void service_tick(struct roamd *r, uint64_t now);
void service_reap(struct roamd *r, uint64_t now);
void service_shutdown(struct roamd *r);

/* migrate.c: the live handoff (hoxfer.h), on a thread of its own. */
int migrate_start(struct roamd *r);
void migrate_stop(struct roamd *r);
/* Before starting the service: the end to give it (-1: handoff off). */
int migrate_service_socket(struct roamd *r, int *child);
void migrate_service_gone(struct roamd *r);
/* This server was active and pool server `to` is now: hand over. */
void migrate_roam_away(struct roamd *r, uint32_t to);
/*
 * A handoff out is queued or running: the service it takes connections
 * from must not be stopped yet (it ends by --handoff-timeout-ms).
 */
bool migrate_out_busy(struct roamd *r);
void migrate_status(const struct roamd *r, char *buf, size_t len);
/* Once the pool is known: only its servers may use the channel. */
void migrate_set_pool(struct roamd *r);
/* Readable when a handoff ended; migrate_done() refreshes the status. */
int migrate_done_fd(const struct roamd *r);
void migrate_done(struct roamd *r);
/* ROAM_CMD_EVENT_CONN_CONFIRMED: a moved connection's client answered. */
void migrate_confirmed(struct roamd *r, const struct gate_event *e);
int migrate_peer_parse(const char *s, struct ho_peer *p);

/* policy.c */
enum policy_action {
	POLICY_IGNORE,		/* still inside the warned epoch */
	POLICY_WARN,		/* first violation: WARNED, second chance */
	POLICY_BLOCK,		/* violated again after a roam: BLOCKED, revoke */
};

/*
 * The paper's second chance, as a pure function of the client's record
 * (strikes so far, epoch of the warning) and the current epoch; updates
 * the record.
 */
enum policy_action policy_decide(unsigned int *strikes, uint64_t *warned_epoch,
				 uint64_t epoch);
int contract_parse(const char *s, struct contract *c);
void policy_on_violation(struct roamd *r, uint32_t addr);
void policy_on_roam(struct roamd *r);
void policy_on_attack(struct roamd *r, uint64_t rate, uint64_t now);
void policy_tick(struct roamd *r, uint64_t now);
void policy_lease_done(struct roamd *r, int ret, const char *err);
uint64_t policy_next(const struct roamd *r);

#endif

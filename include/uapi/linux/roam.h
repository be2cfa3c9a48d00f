/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Proactive server roaming: user API.
 *
 * Single source of truth for the roam generic netlink family shared by
 * roam.ko (kmod/roam), roamctl (tools/) and the daemons (authd, roamd).
 *
 * Generic netlink
 * ---------------
 * Family ROAM_GENL_NAME, version ROAM_GENL_VERSION, multicast group
 * ROAM_GENL_MCGRP_EVENTS.  Per network namespace, strict per-command
 * policies, CAP_NET_ADMIN for commands that change state; userspace
 * ignores unknown attributes.
 *
 * ROAM_CMD_STATUS_GET (doit)
 *	Request: no attributes.
 *	Reply:   ROAM_A_VERSION, ROAM_A_NETNS_COOKIE, ROAM_A_STATS.
 *
 * ROAM_CMD_GATE_GET (doit, admin) / ROAM_CMD_GATE_SET (doit, admin)
 *	ROAM_A_GATE: nest of enum roam_gate_attr.  The gate guards the
 *	service addresses of the server pool: a packet to a pool address
 *	(and, if ports are configured, to one of the service ports) passes
 *	only if it is addressed to the active server, or to the previous
 *	active server while the transition window is open.  SET replaces
 *	the attributes present; setting a new ACTIVE4 makes the old active
 *	address the previous one and opens the window.  An empty pool
 *	disables the gate.
 *
 * ROAM_CMD_CLIENT_SET (doit, admin) / ROAM_CMD_CLIENT_DEL (doit, admin)
 * ROAM_CMD_CLIENT_GET (dump, admin) / ROAM_CMD_CLIENT_FLUSH (doit, admin)
 *	ROAM_A_CLIENT: nest of enum roam_client_attr, one client by source
 *	address: its state (allowed, warned, blocked) and its contract (a
 *	token-bucket rate).  Blocked clients' packets to the service are
 *	dropped; packets over the contract rate are dropped and raise one
 *	ROAM_CMD_EVENT_CLIENT_VIOLATION per client until the state is set
 *	again.  Unknown sources are not limited.  A CLIENT_GET dump may
 *	carry a ROAM_A_CLIENT nest with ROAM_CLIENT_A_ADDR4 to ask for one
 *	client.  GATE_GET and CLIENT_GET need CAP_NET_ADMIN too (the
 *	active server and the subscribers are what roaming hides), and so
 *	does joining the events group.
 *
 * ROAM_CMD_EVENT_CLIENT_VIOLATION (multicast on ROAM_GENL_MCGRP_EVENTS)
 *	ROAM_A_CLIENT nest of the offending client.
 * ROAM_CMD_EVENT_ATTACK (multicast)
 *	ROAM_A_GATE nest with ROAM_GATE_A_DROP_RATE: packets to inactive
 *	addresses exceeded ROAM_GATE_A_ATTACK_PPS (a signal for roamd/authd
 *	to raise the threat level); sent at most once per second.
 *
 * ROAM_CMD_MIG_GET (doit, admin) / ROAM_CMD_MIG_SET (doit, admin)
 *	ROAM_A_MIG: nest of enum roam_mig_attr, the live TCP handoff
 *	(Documentation/roam-handoff.md).  Client side: the client id, its
 *	key K_client (write-only: replies say only ROAM_MIG_A_KEY_SET), the
 *	pool addresses and TCP service ports to negotiate with, and
 *	CLIENT_ENABLE.  Server side: SERVER_ENABLE and the TCP service ports
 *	(SERVER_PORTS, empty: every port) whose SYNs may negotiate.  SET
 *	replaces the attributes present; a new key takes effect for new
 *	verifications at once.
 *
 * ROAM_CMD_CONN_SET (doit, admin) / ROAM_CMD_CONN_DEL (doit, admin)
 * ROAM_CMD_CONN_GET (dump, admin) / ROAM_CMD_CONN_FLUSH (doit, admin)
 *	ROAM_A_CONN: nest of enum roam_conn_attr, the server's connection
 *	table, key (LADDR4, LPORT, RADDR4, RPORT).  SET creates or updates
 *	an entry: roamd blocks a connection it freezes (state BLOCKED: the
 *	client's segments are dropped silently) and installs a restored one
 *	(state MIGRATING with the 20 MIGRATE bytes it computed: every
 *	outgoing segment of the connection then carries the MIGRATE option
 *	until the client's first segment arrives, which makes it CONFIRMED
 *	and raises ROAM_CMD_EVENT_CONN_CONFIRMED).  MIGRATING needs
 *	ROAM_CONN_A_MIGRATE (in this request or an earlier one), which also
 *	sets ORIG4 and COUNTER; give CLIENT_ID and both nonces with it, so
 *	that the entry can be read for the next move.  A new entry starts
 *	NEGOTIATED with ORIG4 = LADDR4.  roamd's entries never expire: DEL
 *	forgets one.  SET is refused (-ENOSPC) when the table is full.  A
 *	GET dump may carry the whole key to ask for one entry; entries carry
 *	what roamd needs for the next MAC (client id, nonces, orig address,
 *	counter).
 *
 * ROAM_CMD_CCONN_GET (dump, admin) / ROAM_CMD_CCONN_FLUSH (doit, admin)
 *	ROAM_A_CONN: nest of enum roam_conn_attr, the client's table of
 *	negotiated connections (LADDR4, LPORT, RADDR4 = the server the
 *	socket connected to, RPORT, CUR4 = the server it talks to now).
 *
 * ROAM_CMD_EVENT_CONN_CONFIRMED (multicast)
 *	ROAM_A_CONN with the key and ROAM_CONN_A_STALL_NS: the first
 *	segment of the client reached a MIGRATING connection.
 *
 * ROAM_A_STATS is a nest of u64 counters indexed by enum roam_stat.
 */
#ifndef _UAPI_LINUX_ROAM_H
#define _UAPI_LINUX_ROAM_H

#include <linux/types.h>

#define ROAM_GENL_NAME		"roam"
#define ROAM_GENL_VERSION	1
#define ROAM_GENL_MCGRP_EVENTS	"events"

enum roam_cmd {
	ROAM_CMD_UNSPEC,
	ROAM_CMD_STATUS_GET,
	ROAM_CMD_GATE_GET,
	ROAM_CMD_GATE_SET,
	ROAM_CMD_CLIENT_SET,
	ROAM_CMD_CLIENT_DEL,
	ROAM_CMD_CLIENT_GET,
	ROAM_CMD_CLIENT_FLUSH,
	ROAM_CMD_EVENT_CLIENT_VIOLATION,
	ROAM_CMD_EVENT_ATTACK,
	ROAM_CMD_MIG_GET,
	ROAM_CMD_MIG_SET,
	ROAM_CMD_CONN_SET,
	ROAM_CMD_CONN_DEL,
	ROAM_CMD_CONN_GET,
	ROAM_CMD_CONN_FLUSH,
	ROAM_CMD_CCONN_GET,
	ROAM_CMD_CCONN_FLUSH,
	ROAM_CMD_EVENT_CONN_CONFIRMED,

	__ROAM_CMD_MAX
};
#define ROAM_CMD_MAX (__ROAM_CMD_MAX - 1)

enum roam_attr {
	ROAM_A_UNSPEC,
	ROAM_A_PAD,
	ROAM_A_VERSION,		/* string: module version */
	ROAM_A_NETNS_COOKIE,	/* u64 */
	ROAM_A_STATS,		/* nest: enum roam_stat */
	ROAM_A_GATE,		/* nest: enum roam_gate_attr */
	ROAM_A_CLIENT,		/* nest: enum roam_client_attr */
	ROAM_A_MIG,		/* nest: enum roam_mig_attr */
	ROAM_A_CONN,		/* nest: enum roam_conn_attr */

	__ROAM_A_MAX
};
#define ROAM_A_MAX (__ROAM_A_MAX - 1)

#define ROAM_POOL_MAX		64	/* pool addresses */
#define ROAM_PORTS_MAX		16	/* service ports */

enum roam_gate_attr {
	ROAM_GATE_A_UNSPEC,
	ROAM_GATE_A_PAD,
	ROAM_GATE_A_POOL,	/* nest of ROAM_GATE_A_ADDR4 (be32), in
				 * pool order; up to ROAM_POOL_MAX */
	ROAM_GATE_A_ADDR4,	/* be32: one pool address (inside POOL) */
	ROAM_GATE_A_PORTS,	/* nest of ROAM_GATE_A_PORT; empty: all */
	ROAM_GATE_A_PORT,	/* u32: proto << 16 | port (inside PORTS) */
	ROAM_GATE_A_ACTIVE4,	/* be32: the active server's address */
	ROAM_GATE_A_PREV4,	/* be32, reply: previous active address */
	ROAM_GATE_A_WINDOW_MS,	/* u32: transition window (default 1000) */
	ROAM_GATE_A_WINDOW_LEFT_MS,	/* u32, reply: ms the window stays open */
	ROAM_GATE_A_EPOCH,	/* u64: epoch of the active server (info) */
	ROAM_GATE_A_ATTACK_PPS,	/* u32: attack signal threshold; 0: off */
	ROAM_GATE_A_DROP_RATE,	/* u64, event: pps to inactive addresses */
	ROAM_GATE_A_CLIENTS,	/* u32, reply: clients in the table */
	ROAM_GATE_A_CLIENT_MAX,	/* u32: client table limit */

	__ROAM_GATE_A_MAX
};
#define ROAM_GATE_A_MAX (__ROAM_GATE_A_MAX - 1)

enum roam_client_state {
	ROAM_CLIENT_ALLOWED = 1,
	ROAM_CLIENT_WARNED = 2,		/* violated once: second chance */
	ROAM_CLIENT_BLOCKED = 3,
};

enum roam_client_attr {
	ROAM_CLIENT_A_UNSPEC,
	ROAM_CLIENT_A_PAD,
	ROAM_CLIENT_A_ADDR4,	/* be32: client source address (key) */
	ROAM_CLIENT_A_STATE,	/* u8: enum roam_client_state */
	ROAM_CLIENT_A_RATE_PPS,	/* u64: contract, packets/s; 0: none */
	ROAM_CLIENT_A_RATE_BPS,	/* u64: contract, bits/s; 0: none */
	ROAM_CLIENT_A_PACKETS,	/* u64, reply */
	ROAM_CLIENT_A_BYTES,	/* u64, reply */
	ROAM_CLIENT_A_DROPS,	/* u64, reply: dropped (blocked or over) */
	ROAM_CLIENT_A_VIOLATIONS,	/* u64, reply: contract violations */

	__ROAM_CLIENT_A_MAX
};
#define ROAM_CLIENT_A_MAX (__ROAM_CLIENT_A_MAX - 1)

/* Live TCP handoff (Documentation/roam-handoff.md). */
#define ROAM_MIG_KEY_LEN	32	/* K_client */
#define ROAM_MIG_NONCE_LEN	8	/* c_nonce, s_nonce */
#define ROAM_MIG_MAC_LEN	12	/* truncated HMAC-SHA256 */
/* What roamd gives for MIGRATING: orig addr, be32 counter, MAC. */
#define ROAM_MIG_MIGRATE_LEN	(4 + 4 + ROAM_MIG_MAC_LEN)

enum roam_mig_attr {
	ROAM_MIG_A_UNSPEC,
	ROAM_MIG_A_PAD,
	ROAM_MIG_A_CLIENT_ID,	/* u32: this client's id (from authd) */
	ROAM_MIG_A_KEY,		/* binary, ROAM_MIG_KEY_LEN: K_client; write-only */
	ROAM_MIG_A_KEY_SET,	/* u8, reply: a key is loaded */
	ROAM_MIG_A_POOL,	/* nest of ROAM_MIG_A_ADDR4: servers to negotiate with */
	ROAM_MIG_A_ADDR4,	/* be32 (inside POOL) */
	ROAM_MIG_A_PORTS,	/* nest of ROAM_MIG_A_PORT: client's service ports */
	ROAM_MIG_A_PORT,	/* u16, host order (inside PORTS and SERVER_PORTS) */
	ROAM_MIG_A_CLIENT_ENABLE,	/* u8 0/1: offer MIGRATE-PERMITTED */
	ROAM_MIG_A_SERVER_ENABLE,	/* u8 0/1: accept it (pool server) */
	ROAM_MIG_A_SERVER_PORTS,	/* nest of ROAM_MIG_A_PORT; empty: all */
	ROAM_MIG_A_CONN_MAX,	/* u32: limit of each connection table */
	ROAM_MIG_A_CONNS,	/* u32, reply: server table entries */
	ROAM_MIG_A_CCONNS,	/* u32, reply: client table entries */

	__ROAM_MIG_A_MAX
};
#define ROAM_MIG_A_MAX (__ROAM_MIG_A_MAX - 1)

enum roam_conn_state {
	ROAM_CONN_NEGOTIATED = 1,	/* server: SYN had MIGRATE-PERMITTED */
	ROAM_CONN_BLOCKED = 2,		/* server: frozen, inbound dropped */
	ROAM_CONN_MIGRATING = 3,	/* server: restored, sends MIGRATE */
	ROAM_CONN_CONFIRMED = 4,	/* server: the client answered */
	ROAM_CONN_PENDING = 5,		/* client: SYN sent with the option */
	ROAM_CONN_ESTABLISHED = 6,	/* client: SYN-ACK accepted it */
	ROAM_CONN_MOVED = 7,		/* client: talking to CUR4 now */
};

enum roam_conn_attr {
	ROAM_CONN_A_UNSPEC,
	ROAM_CONN_A_PAD,
	ROAM_CONN_A_LADDR4,	/* be32: local address (key) */
	ROAM_CONN_A_LPORT,	/* be16: local port (key) */
	ROAM_CONN_A_RADDR4,	/* be32: remote address (key) */
	ROAM_CONN_A_RPORT,	/* be16: remote port (key) */
	ROAM_CONN_A_STATE,	/* u8: enum roam_conn_state */
	ROAM_CONN_A_CLIENT_ID,	/* u32 */
	ROAM_CONN_A_C_NONCE,	/* binary, ROAM_MIG_NONCE_LEN */
	ROAM_CONN_A_S_NONCE,	/* binary, ROAM_MIG_NONCE_LEN */
	ROAM_CONN_A_ORIG4,	/* be32: the server the client connected to */
	ROAM_CONN_A_COUNTER,	/* u32: moves so far (client: last accepted) */
	ROAM_CONN_A_MIGRATE,	/* binary, ROAM_MIG_MIGRATE_LEN: sets ORIG4
				 * and COUNTER too; server, MIGRATING */
	ROAM_CONN_A_CUR4,	/* be32, reply (client): server now */
	ROAM_CONN_A_STALL_NS,	/* u64, event: MIGRATING set -> confirmed */
	ROAM_CONN_A_PACKETS_IN,	/* u64, reply: segments seen from the peer */
	ROAM_CONN_A_OPT_ADDED,	/* u64, reply: options added */

	__ROAM_CONN_A_MAX
};
#define ROAM_CONN_A_MAX (__ROAM_CONN_A_MAX - 1)

enum roam_stat {
	ROAM_STAT_UNSPEC,
	ROAM_STAT_PAD,
	ROAM_STAT_IN_PACKETS,		/* IPv4 packets seen by the gate */
	ROAM_STAT_IN_BYTES,
	ROAM_STAT_PASS_ACTIVE,		/* service packets to the active server */
	ROAM_STAT_PASS_TRANSITION,	/* to the previous one, window open */
	ROAM_STAT_DROP_INACTIVE,	/* to a pool address not active */
	ROAM_STAT_DROP_BLOCKED,		/* from a blocked client */
	ROAM_STAT_DROP_CONTRACT,	/* over the client's contract rate */
	ROAM_STAT_CLIENT_VIOLATIONS,	/* violation events raised */
	ROAM_STAT_ATTACK_EVENTS,	/* attack signal events raised */
	ROAM_STAT_CLIENT_FULL,		/* client adds refused: table full */
	/* Live TCP handoff, client side. */
	ROAM_STAT_MIG_SYN_OPT,		/* SYNs given MIGRATE-PERMITTED */
	ROAM_STAT_MIG_NOROOM,		/* an option did not fit: not added */
	ROAM_STAT_MIG_NEGOTIATED,	/* SYN-ACKs with MIGRATE-ACCEPT */
	ROAM_STAT_MIG_VERIFIED,		/* MIGRATE verified: translation set */
	ROAM_STAT_MIG_BAD_MAC,		/* MIGRATE with a wrong MAC: dropped */
	ROAM_STAT_MIG_REPLAY,		/* MIGRATE with an old counter: dropped */
	ROAM_STAT_MIG_NO_OPT,		/* pool segment without MIGRATE: dropped */
	ROAM_STAT_MIG_XLAT_IN,		/* inbound segments translated */
	ROAM_STAT_MIG_XLAT_OUT,		/* outbound segments translated */
	ROAM_STAT_MIG_CCONN_FULL,	/* client table full: not negotiated */
	/* Server side. */
	ROAM_STAT_MIG_ACCEPTED,		/* SYNs with MIGRATE-PERMITTED taken */
	ROAM_STAT_MIG_OPT_ADDED,	/* MIGRATE-ACCEPT and MIGRATE added */
	ROAM_STAT_MIG_DROP_BLOCKED,	/* segments of BLOCKED connections */
	ROAM_STAT_MIG_CONFIRMED,	/* MIGRATING connections confirmed */
	ROAM_STAT_MIG_CONN_FULL,	/* server table full: not negotiated */
	ROAM_STAT_MIG_EVENT_LOST,	/* CONFIRMED events lost: queue full */

	__ROAM_STAT_MAX
};
#define ROAM_STAT_MAX (__ROAM_STAT_MAX - 1)

#endif /* _UAPI_LINUX_ROAM_H */

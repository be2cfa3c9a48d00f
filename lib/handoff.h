/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live connection handoff between roamd and its service (Migratory-TCP
 * style): roamd hands the service one end of a unix SOCK_SEQPACKET pair
 * and names it in ROAM_HANDOFF_FD.  roamd sends EXPORT ("hand over your
 * live connections now"); the service answers with one CONN per
 * connection (the socket, by SCM_RIGHTS, and its small per-connection
 * state), forgets each, then DONE.  roamd sends ADOPT (a restored socket
 * and the state the old server's service exported) for the service to
 * resume.  A service without ROAM_HANDOFF_FD works as before.
 *
 * Byte layout: Documentation/roam-handoff.md ("Service API").
 */
#ifndef ROAM_HANDOFF_H
#define ROAM_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROAM_HO_ENV		"ROAM_HANDOFF_FD"
#define ROAM_HO_VERSION		1
#define ROAM_HO_HDR_LEN		8
/* A connection's application state: small by design (Migratory TCP). */
#define ROAM_HO_STATE_MAX	4096
#define ROAM_HO_MSG_MAX		(ROAM_HO_HDR_LEN + ROAM_HO_STATE_MAX)

enum roam_ho_type {
	ROAM_HO_EXPORT = 1,	/* roamd -> service: no payload */
	ROAM_HO_CONN = 2,	/* service -> roamd: 1 fd, state */
	ROAM_HO_DONE = 3,	/* service -> roamd: be32 count of CONNs */
	ROAM_HO_ADOPT = 4,	/* roamd -> service: 1 fd, state */
};

struct roam_ho_msg {
	enum roam_ho_type type;
	int fd;				/* CONN, ADOPT; -1 otherwise */
	uint32_t count;			/* DONE */
	size_t state_len;
	uint8_t state[ROAM_HO_STATE_MAX];
};

/*
 * Pure parser (fuzzed): one datagram of len bytes that came with nfds
 * descriptors; from_service selects the direction (CONN/DONE from the
 * service, EXPORT/ADOPT from roamd).  0 or -EBADMSG / -EPROTO (wrong
 * version) / -EMSGSIZE; m->fd is left to the caller.
 */
int roam_ho_parse(const uint8_t *buf, size_t len, unsigned int nfds, bool from_service,
		  struct roam_ho_msg *m);
/* Header + payload into buf (ROAM_HO_MSG_MAX); the length or -EINVAL. */
int roam_ho_format(uint8_t *buf, size_t cap, enum roam_ho_type type, uint32_t count,
		   const void *state, size_t state_len);

/*
 * Receive one message (nonblocking).  0 with *m filled (m->fd is ours
 * then), -EAGAIN, -EPIPE (peer gone), or a parse error (any descriptor
 * that came with a bad message is closed).  CONN and ADOPT descriptors
 * must be TCP sockets, else -EBADMSG.
 */
int roam_ho_recv_msg(int sock, bool from_service, struct roam_ho_msg *m);
/*
 * Send one message, waiting up to timeout_ms for room.  fd (CONN/ADOPT)
 * is duplicated into the peer; the caller still owns and closes its copy.
 */
int roam_ho_send_msg(int sock, enum roam_ho_type type, int fd, uint32_t count,
		     const void *state, size_t state_len, int timeout_ms);

/* ---- The service's side ---- */
struct roam_ho;

/*
 * The socket named by ROAM_HANDOFF_FD, checked (a unix SOCK_SEQPACKET),
 * made nonblocking and close-on-exec; the variable is removed so the
 * service's own children do not inherit it.  NULL with errno ENOENT when
 * roamd gave none (handoff off), another errno when it is unusable.
 */
struct roam_ho *roam_ho_open(void);
/* Poll it for POLLIN, then call roam_ho_recv. */
int roam_ho_fd(const struct roam_ho *h);
/* EXPORT or ADOPT; as roam_ho_recv_msg. */
int roam_ho_recv(struct roam_ho *h, struct roam_ho_msg *m);
/* One connection: its socket and state.  The service closes fd after. */
int roam_ho_export(struct roam_ho *h, int fd, const void *state, size_t len);
/* After the last CONN: how many were sent. */
int roam_ho_done(struct roam_ho *h, uint32_t count);
void roam_ho_close(struct roam_ho *h);

#endif

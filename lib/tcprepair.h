/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving one established TCP socket to another host with TCP_REPAIR
 * (the live handoff, Documentation/roam-handoff.md):
 *
 *   old server                          new server
 *   block the 4-tuple (roam.ko)
 *   tcpr_freeze(fd, &st)   -- state -->  fd = tcpr_restore(&st, new addr)
 *   close(fd): no FIN, no RST            install roam.ko state (MIGRATE)
 *   tcpr_encode(&st) ... tcpr_decode     tcpr_finish(fd, &st): repair off,
 *                                        window probe, never-sent bytes
 *
 * IPv4 and IPv6 (both ends of one family).  Only ESTABLISHED sockets
 * move: a socket in any other state (FIN seen or sent) is refused.
 * Not carried: the out-of-order queue (the peer retransmits it: it sees
 * its SACKed data reneged), urgent data, and socket options other than
 * TCP_NODELAY and the buffer sizes.
 *
 * All functions return 0 (or an fd) on success, else a negative errno
 * with a reason in err (NUL-terminated, may be NULL).
 */
#ifndef ROAM_TCPREPAIR_H
#define ROAM_TCPREPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Bound of each queue in a blob (tcp_wmem/tcp_rmem maxima are 4-6 MB). */
#define TCPR_QUEUE_MAX		(64u << 20)

/* struct tcpr_state.opts: what the handshake negotiated (TCP_INFO) */
#define TCPR_OPT_TS		(1u << 0)	/* timestamps */
#define TCPR_OPT_SACK		(1u << 1)	/* SACK permitted */
#define TCPR_OPT_WSCALE		(1u << 2)	/* window scaling */
#define TCPR_OPT_ALL		(TCPR_OPT_TS | TCPR_OPT_SACK | TCPR_OPT_WSCALE)

struct tcpr_addr {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order; IPv4 in the first 4, rest 0 */
};

/* TCP_REPAIR_WINDOW's fields, as the kernel's struct tcp_repair_window. */
struct tcpr_window {
	uint32_t snd_wl1, snd_wnd, max_window, rcv_wnd, rcv_wup;
};

struct tcpr_state {
	struct tcpr_addr local, peer;
	/*
	 * The send queue: sndq_len bytes from sequence number snd_una (the
	 * first byte not acknowledged); its last `unsent` bytes were never
	 * sent, the ones before are in flight.
	 */
	uint32_t snd_una;
	uint32_t sndq_len, unsent;
	uint8_t *sndq;
	/* The receive queue: bytes not yet read, from sequence rcv_seq. */
	uint32_t rcv_seq;
	uint32_t rcvq_len;
	uint8_t *rcvq;
	uint32_t mss;		/* the MSS clamp (TCP_MAXSEG in repair mode) */
	uint32_t timestamp;	/* TCP_TIMESTAMP: the clock of our TSval */
	struct tcpr_window win;
	uint8_t opts;		/* TCPR_OPT_* */
	uint8_t snd_wscale, rcv_wscale;	/* 0..14, with TCPR_OPT_WSCALE */
	uint32_t sndbuf, rcvbuf;	/* SO_SNDBUF / SO_RCVBUF as read */
	bool nodelay;
};

/*
 * Put fd (an ESTABLISHED TCP socket) in repair mode and read its whole
 * state into st (queues malloc'ed: tcpr_state_free).  The socket stays
 * in repair mode, its send queue selected so that nothing new leaves:
 * the caller closes it, and a close in repair mode sends neither FIN nor
 * RST.  Block the peer's segments first and let those already past the
 * block be processed (roam.ko BLOCKED): in repair mode the kernel still
 * takes and acknowledges data, and what arrives between the dump and
 * the close is lost.  The dump is repeated while the queues move (then
 * -EAGAIN after a few tries).  On failure repair mode is turned off.
 */
int tcpr_freeze(int fd, struct tcpr_state *st, char *err, size_t errlen);

/*
 * Rebuild the socket: a new socket in repair mode, bound to new_local
 * (NULL: st->local; port 0: st->local.port) beside any listener there,
 * "connected" to st->peer without a handshake, with its sequence
 * numbers, options, timestamp clock, MSS and queues.  Nothing has been
 * sent yet: the caller installs its kernel state (roam.ko MIGRATING)
 * and then calls tcpr_finish().  Returns the fd (blocking, close-on-exec).
 */
int tcpr_restore(const struct tcpr_state *st, const struct sockaddr *new_local,
		 socklen_t len, char *err, size_t errlen);

/*
 * Set the window (TCP_REPAIR_WINDOW), leave repair mode (the kernel
 * sends a window probe, whose answer acknowledges what the peer got),
 * restore TCP_NODELAY, then write the never-sent bytes normally.  The
 * unacknowledged bytes were restored as in flight (tcpr_restore): the
 * kernel retransmits only those the peer's answer shows missing
 * (Documentation/roam-handoff.md, "Restoring the send queue").
 */
int tcpr_finish(int fd, const struct tcpr_state *st, char *err, size_t errlen);

/* Free the queues and wipe the state (safe on a zeroed or freed one). */
void tcpr_state_free(struct tcpr_state *st);

/*
 * The transfer format (TLV, Documentation/roam-handoff.md "State
 * blob"): tcpr_encoded_len bytes, written by tcpr_encode (returns the
 * length or -ENOSPC; -EINVAL for a state that would not decode).
 */
size_t tcpr_encoded_len(const struct tcpr_state *st);
int tcpr_encode(const struct tcpr_state *st, uint8_t *buf, size_t len);

/*
 * Parse an untrusted blob: exactly one of each known field, nothing
 * after the last, values in range.  0 and st filled (queues copied:
 * tcpr_state_free), or -EINVAL with *why set (a static string), or
 * -ENOMEM.  st is zeroed on failure.
 */
int tcpr_decode(const uint8_t *buf, size_t len, struct tcpr_state *st,
		const char **why);

/* Fill a struct sockaddr_storage from a tcpr_addr; returns its length. */
socklen_t tcpr_sockaddr(const struct tcpr_addr *a, struct sockaddr_storage *ss);
/* The reverse; -EAFNOSUPPORT for a family other than IPv4/IPv6. */
int tcpr_addr_from(const struct sockaddr *sa, socklen_t len, struct tcpr_addr *a);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * TCP_REPAIR freeze and restore of one established socket, and the
 * state's transfer format (tcprepair.h, Documentation/roam-handoff.md).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sockios.h>
#include <openssl/crypto.h>

#include "tcprepair.h"

#ifndef TCP_REPAIR_OFF_NO_WP
#define TCP_REPAIR_OFF_NO_WP	-1
#endif
#define TCPR_MSS_MIN		88	/* the kernel's TCP_MIN_MSS */
#define TCPR_WSCALE_MAX		14
#define TCPR_MAXSEG_MAX		32767	/* what TCP_MAXSEG accepts */
/* Tries of the queue dump when the queues move under it. */
#define TCPR_DUMP_TRIES		5
/* How long tcpr_finish waits for room to write the never-sent bytes. */
#define TCPR_WRITE_TIMEOUT_MS	10000

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err && errlen) {
		va_start(ap, fmt);
		n = vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < errlen)
			snprintf(err + n, errlen - n, ": %s", strerror(-ret));
	}
	return ret;
}

static int sol_set(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val)) ? -errno : 0;
}

static int sol_get(int fd, int level, int name, uint32_t *val)
{
	socklen_t len = sizeof(int);
	int v = 0;

	if (getsockopt(fd, level, name, &v, &len))
		return -errno;
	*val = (uint32_t)v;
	return 0;
}

socklen_t tcpr_sockaddr(const struct tcpr_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(a->port);
		memcpy(&sin->sin_addr, a->addr, 4);
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(a->port);
		memcpy(&sin6->sin6_addr, a->addr, 16);
		return sizeof(*sin6);
	}
	return 0;
}

int tcpr_addr_from(const struct sockaddr *sa, socklen_t len, struct tcpr_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		a->family = AF_INET;
		a->port = ntohs(sin->sin_port);
		memcpy(a->addr, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		a->family = AF_INET6;
		a->port = ntohs(sin6->sin6_port);
		memcpy(a->addr, &sin6->sin6_addr, 16);
		return 0;
	}
	return -EAFNOSUPPORT;
}

static bool addr_valid(const struct tcpr_addr *a)
{
	static const uint8_t zero[12];

	if (a->family == AF_INET)
		return !memcmp(a->addr + 4, zero, sizeof(zero));
	return a->family == AF_INET6;
}

/* What encode, decode and restore all insist on; NULL if fine. */
static const char *state_invalid(const struct tcpr_state *st)
{
	if (!addr_valid(&st->local) || !addr_valid(&st->peer))
		return "address family not IPv4/IPv6 or IPv4 with trailing bytes";
	if (st->local.family != st->peer.family)
		return "local and peer address families differ";
	if (!st->local.port || !st->peer.port)
		return "port 0";
	if (st->sndq_len > TCPR_QUEUE_MAX || st->rcvq_len > TCPR_QUEUE_MAX)
		return "queue too long";
	if ((st->sndq_len && !st->sndq) || (st->rcvq_len && !st->rcvq))
		return "queue without bytes";
	if (st->unsent > st->sndq_len)
		return "more unsent bytes than the send queue holds";
	if (st->mss < TCPR_MSS_MIN || st->mss > 65535)
		return "MSS out of range";
	if (st->opts & ~TCPR_OPT_ALL)
		return "unknown option flags";
	if (st->snd_wscale > TCPR_WSCALE_MAX || st->rcv_wscale > TCPR_WSCALE_MAX)
		return "window scale above 14";
	if (!(st->opts & TCPR_OPT_WSCALE) && (st->snd_wscale || st->rcv_wscale))
		return "window scale without the option";
	if (st->sndbuf > INT_MAX || st->rcvbuf > INT_MAX)
		return "buffer size above INT_MAX";
	return NULL;
}

void tcpr_state_free(struct tcpr_state *st)
{
	if (st->sndq)
		OPENSSL_clear_free(st->sndq, st->sndq_len);
	if (st->rcvq)
		OPENSSL_clear_free(st->rcvq, st->rcvq_len);
	memset(st, 0, sizeof(*st));
}

/* ---------------------------------------------------------------------- */
/* Freeze                                                                 */
/* ---------------------------------------------------------------------- */

/*
 * One queue: its sequence number (TCP_QUEUE_SEQ: write_seq for the send
 * queue, rcv_nxt for the receive queue, both at the queue's end), its
 * length (ioctl) and bytes (MSG_PEEK in repair mode).  -EAGAIN if it
 * changed between the first look and the second.
 */
static int dump_queue(int fd, int q, unsigned long ioc, uint32_t *end_seq,
		      uint8_t **buf, uint32_t *len, char *err, size_t errlen)
{
	const char *name = q == TCP_SEND_QUEUE ? "send" : "receive";
	uint32_t seq2 = 0;
	int n = 0, n2 = 0, ret;
	ssize_t got;

	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, q)) ||
	    (ret = sol_get(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, end_seq)))
		return fail(err, errlen, ret, "%s queue sequence", name);
	if (ioctl(fd, ioc, &n) || n < 0)
		return fail(err, errlen, -errno, "%s queue length", name);
	if ((uint32_t)n > TCPR_QUEUE_MAX)
		return fail(err, errlen, -EFBIG, "%s queue of %d bytes", name, n);
	*buf = NULL;
	*len = n;
	if (n) {
		*buf = malloc(n);
		if (!*buf)
			return fail(err, errlen, -ENOMEM, "%s queue", name);
		got = recv(fd, *buf, n, MSG_PEEK | MSG_DONTWAIT);
		if (got != n) {
			OPENSSL_clear_free(*buf, n);
			*buf = NULL;
			if (got < 0 && errno != EFAULT)
				return fail(err, errlen, -errno, "reading the %s queue", name);
			return -EAGAIN;
		}
	}
	if ((ret = sol_get(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &seq2)) ||
	    ioctl(fd, ioc, &n2) || seq2 != *end_seq || n2 != n) {
		if (*buf)
			OPENSSL_clear_free(*buf, n);
		*buf = NULL;
		return ret ? fail(err, errlen, ret, "%s queue sequence", name) : -EAGAIN;
	}
	return 0;
}

static void drop_queues(struct tcpr_state *st)
{
	if (st->sndq)
		OPENSSL_clear_free(st->sndq, st->sndq_len);
	if (st->rcvq)
		OPENSSL_clear_free(st->rcvq, st->rcvq_len);
	st->sndq = st->rcvq = NULL;
}

/* The queues' sequence numbers and lengths, to see whether they moved. */
struct qlook {
	uint32_t rcv_nxt, write_seq;
	int inq, outq, nsd;
};

static int look(int fd, struct qlook *l)
{
	int ret;

	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)) ||
	    (ret = sol_get(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &l->rcv_nxt)) ||
	    (ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)) ||
	    (ret = sol_get(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &l->write_seq)))
		return ret;
	if (ioctl(fd, SIOCINQ, &l->inq) || ioctl(fd, SIOCOUTQ, &l->outq) ||
	    ioctl(fd, SIOCOUTQNSD, &l->nsd))
		return -errno;
	return 0;
}

/*
 * The receive queue, then the send queue, then one more look at both:
 * in repair mode the kernel still processes segments that were past
 * roam.ko's block and still fires timers, so dump until nothing moved.
 * The send queue stays selected afterwards: with it, the kernel marks
 * new data as sent without transmitting it (a loss probe, an ACK that
 * opens the window), so no byte the state calls unsent ever leaves.
 */
static int dump_queues(int fd, struct tcpr_state *st, char *err, size_t errlen)
{
	uint32_t write_seq, rcv_nxt;
	struct qlook l;
	int tries, ret;

	for (tries = 0; tries < TCPR_DUMP_TRIES; tries++) {
		drop_queues(st);
		ret = dump_queue(fd, TCP_RECV_QUEUE, SIOCINQ, &rcv_nxt,
				 &st->rcvq, &st->rcvq_len, err, errlen);
		if (!ret)
			ret = dump_queue(fd, TCP_SEND_QUEUE, SIOCOUTQ, &write_seq,
					 &st->sndq, &st->sndq_len, err, errlen);
		if (!ret && (ret = look(fd, &l)))
			return fail(err, errlen, ret, "queue lengths");
		if (ret == -EAGAIN)
			continue;
		if (ret)
			return ret;
		if (l.rcv_nxt != rcv_nxt || l.write_seq != write_seq ||
		    (uint32_t)l.inq != st->rcvq_len || (uint32_t)l.outq != st->sndq_len ||
		    l.nsd < 0 || l.nsd > l.outq)
			continue;
		st->unsent = l.nsd;
		st->snd_una = write_seq - st->sndq_len;
		st->rcv_seq = rcv_nxt - st->rcvq_len;
		return 0;
	}
	drop_queues(st);
	return fail(err, errlen, -EAGAIN,
		    "the queues changed under %d dumps (is the peer blocked?)", tries);
}

static int dump(int fd, struct tcpr_state *st, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct tcp_repair_window w;
	struct tcp_info ti;
	socklen_t len;
	uint32_t v = 0;
	int ret;

	len = sizeof(ti);
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return fail(err, errlen, -errno, "TCP_INFO");
	if (ti.tcpi_state != TCP_ESTABLISHED)
		return fail(err, errlen, -ENOTCONN, "socket not established (state %u)",
			    ti.tcpi_state);
	if (ti.tcpi_options & TCPI_OPT_TIMESTAMPS)
		st->opts |= TCPR_OPT_TS;
	if (ti.tcpi_options & TCPI_OPT_SACK)
		st->opts |= TCPR_OPT_SACK;
	if (ti.tcpi_options & TCPI_OPT_WSCALE) {
		st->opts |= TCPR_OPT_WSCALE;
		st->snd_wscale = ti.tcpi_snd_wscale;
		st->rcv_wscale = ti.tcpi_rcv_wscale;
	}

	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return fail(err, errlen, -errno, "getsockname");
	if ((ret = tcpr_addr_from((struct sockaddr *)&ss, len, &st->local)))
		return fail(err, errlen, ret, "local address");
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len))
		return fail(err, errlen, -errno, "getpeername");
	if ((ret = tcpr_addr_from((struct sockaddr *)&ss, len, &st->peer)))
		return fail(err, errlen, ret, "peer address");

	if ((ret = dump_queues(fd, st, err, errlen)))
		return ret;

	/* In repair mode TCP_MAXSEG reads the clamp (the peer's MSS). */
	if ((ret = sol_get(fd, IPPROTO_TCP, TCP_MAXSEG, &st->mss)))
		return fail(err, errlen, ret, "TCP_MAXSEG");
	if ((ret = sol_get(fd, IPPROTO_TCP, TCP_TIMESTAMP, &st->timestamp)))
		return fail(err, errlen, ret, "TCP_TIMESTAMP");
	len = sizeof(w);
	if (getsockopt(fd, IPPROTO_TCP, TCP_REPAIR_WINDOW, &w, &len) ||
	    len != sizeof(w))
		return fail(err, errlen, -errno, "TCP_REPAIR_WINDOW");
	st->win = (struct tcpr_window){ w.snd_wl1, w.snd_wnd, w.max_window,
					w.rcv_wnd, w.rcv_wup };
	if ((ret = sol_get(fd, SOL_SOCKET, SO_SNDBUF, &st->sndbuf)) ||
	    (ret = sol_get(fd, SOL_SOCKET, SO_RCVBUF, &st->rcvbuf)))
		return fail(err, errlen, ret, "buffer sizes");
	if ((ret = sol_get(fd, IPPROTO_TCP, TCP_NODELAY, &v)))
		return fail(err, errlen, ret, "TCP_NODELAY");
	st->nodelay = v != 0;
	if (state_invalid(st))
		return fail(err, errlen, -EINVAL, "unexpected state: %s",
			    state_invalid(st));
	return 0;
}

int tcpr_freeze(int fd, struct tcpr_state *st, char *err, size_t errlen)
{
	int ret;

	memset(st, 0, sizeof(*st));
	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_ON)))
		return fail(err, errlen, ret, "TCP_REPAIR on (needs CAP_NET_ADMIN)");
	ret = dump(fd, st, err, errlen);
	if (ret) {
		tcpr_state_free(st);
		/* Nothing changed: no window probe. */
		sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_NO_QUEUE);
		sol_set(fd, IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP);
	}
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Restore                                                                */
/* ---------------------------------------------------------------------- */

/*
 * Refill one queue in repair mode: the receive queue becomes data
 * received and not read, the send queue data sent and not acknowledged
 * (the kernel skips transmission).  A send may take part of it.
 */
static int refill(int fd, int q, const uint8_t *buf, uint32_t len,
		  char *err, size_t errlen)
{
	const char *name = q == TCP_SEND_QUEUE ? "send" : "receive";
	uint32_t off = 0;
	ssize_t n;
	int ret;

	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, q)))
		return fail(err, errlen, ret, "TCP_REPAIR_QUEUE %s", name);
	while (off < len) {
		n = send(fd, buf + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n <= 0)
			return fail(err, errlen, n ? -errno : -EIO,
				    "refilling the %s queue at %u of %u bytes",
				    name, off, len);
		off += n;
	}
	return 0;
}

/*
 * Room for refilling a queue: SO_*BUFFORCE to what the socket had, or
 * twice the queue if more (the kernel counts per-skb overhead too);
 * tcpr_finish() sets what it had again, so moves do not grow buffers.
 * The option doubles its argument, and getsockopt returns the doubled
 * value.
 */
static int force_buf(int fd, int name, uint32_t had, uint32_t queue)
{
	uint64_t want = (uint64_t)queue * 2 + (256 << 10);

	if (want < had)
		want = had;
	if (want > INT_MAX)
		want = INT_MAX;
	return sol_set(fd, SOL_SOCKET, name, (int)(want / 2));
}

static int restore(int fd, const struct tcpr_state *st,
		   const struct sockaddr_storage *local, socklen_t llen,
		   char *err, size_t errlen)
{
	struct tcp_repair_opt opts[4];
	struct sockaddr_storage peer;
	socklen_t plen;
	unsigned int n = 0;
	int ret;

	/* Repair mode first: it also lets bind() share the port with a listener. */
	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_ON)))
		return fail(err, errlen, ret, "TCP_REPAIR on (needs CAP_NET_ADMIN)");
	/* Else refilling a large send queue stops near 130 KB (EAGAIN). */
	if ((ret = force_buf(fd, SO_SNDBUFFORCE, st->sndbuf, st->sndq_len)) ||
	    (ret = force_buf(fd, SO_RCVBUFFORCE, st->rcvbuf, st->rcvq_len)))
		return fail(err, errlen, ret, "SO_SNDBUFFORCE/SO_RCVBUFFORCE");
	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)) ||
	    (ret = sol_set(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, (int)st->snd_una)) ||
	    (ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)) ||
	    (ret = sol_set(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, (int)st->rcv_seq)))
		return fail(err, errlen, ret, "TCP_QUEUE_SEQ");
	/*
	 * Before connect(), else 524-byte segments until the MSS is
	 * recomputed; the option takes at most 32767 (MAX_TCP_WINDOW), the
	 * clamp itself comes with TCP_REPAIR_OPTIONS.
	 */
	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_MAXSEG,
			   st->mss < TCPR_MAXSEG_MAX ? (int)st->mss : TCPR_MAXSEG_MAX)))
		return fail(err, errlen, ret, "TCP_MAXSEG %u", st->mss);
	if (bind(fd, (const struct sockaddr *)local, llen))
		return fail(err, errlen, -errno, "bind");
	plen = tcpr_sockaddr(&st->peer, &peer);
	/* In repair mode: no SYN, the socket is ESTABLISHED at once. */
	if (connect(fd, (struct sockaddr *)&peer, plen))
		return fail(err, errlen, -errno, "connect (repair)");

	/* Only on an established socket that has sent nothing yet. */
	opts[n++] = (struct tcp_repair_opt){ TCPOPT_MAXSEG, st->mss };
	if (st->opts & TCPR_OPT_WSCALE)
		opts[n++] = (struct tcp_repair_opt){ TCPOPT_WINDOW,
			st->snd_wscale | (uint32_t)st->rcv_wscale << 16 };
	if (st->opts & TCPR_OPT_SACK)
		opts[n++] = (struct tcp_repair_opt){ TCPOPT_SACK_PERMITTED, 0 };
	if (st->opts & TCPR_OPT_TS)
		opts[n++] = (struct tcp_repair_opt){ TCPOPT_TIMESTAMP, 0 };
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_OPTIONS, opts, n * sizeof(opts[0])))
		return fail(err, errlen, -errno, "TCP_REPAIR_OPTIONS");
	/*
	 * Else our TSval jumps back and the peer drops all by PAWS: a silent
	 * hang.  Not ahead of it either: the old server's segments still on
	 * the wire would then be dropped by PAWS (the peer accepts a TSval
	 * one tick older than the newest).  So the old socket must be closed
	 * right after tcpr_freeze(), before a later TSval can leave it.
	 */
	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_TIMESTAMP, (int)st->timestamp)))
		return fail(err, errlen, ret, "TCP_TIMESTAMP");

	if ((ret = refill(fd, TCP_RECV_QUEUE, st->rcvq, st->rcvq_len, err, errlen)) ||
	    (ret = refill(fd, TCP_SEND_QUEUE, st->sndq, st->sndq_len - st->unsent,
			  err, errlen)))
		return ret;
	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_NO_QUEUE)))
		return fail(err, errlen, ret, "TCP_REPAIR_QUEUE");
	return 0;
}

int tcpr_restore(const struct tcpr_state *st, const struct sockaddr *new_local,
		 socklen_t len, char *err, size_t errlen)
{
	struct sockaddr_storage local;
	struct tcpr_addr la;
	const char *why;
	socklen_t llen;
	int fd, ret;

	if ((why = state_invalid(st)))
		return fail(err, errlen, -EINVAL, "invalid state: %s", why);
	la = st->local;
	if (new_local) {
		if ((ret = tcpr_addr_from(new_local, len, &la)))
			return fail(err, errlen, ret, "new local address");
		if (la.family != st->peer.family)
			return fail(err, errlen, -EAFNOSUPPORT,
				    "new local address of another family than the peer's");
		if (!la.port)
			la.port = st->local.port;
	}
	llen = tcpr_sockaddr(&la, &local);

	fd = socket(la.family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return fail(err, errlen, -errno, "socket");
	ret = restore(fd, st, &local, llen, err, errlen);
	if (ret) {
		/* Closed in repair mode: nothing goes out. */
		close(fd);
		return ret;
	}
	return fd;
}

/* Write the never-sent bytes as any application write. */
static int write_all(int fd, const uint8_t *buf, uint32_t len, char *err,
		     size_t errlen)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	uint32_t off = 0;
	ssize_t n;
	int r;

	while (off < len) {
		n = send(fd, buf + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			off += n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return fail(err, errlen, -errno, "writing the unsent bytes at %u of %u",
				    off, len);
		r = poll(&p, 1, TCPR_WRITE_TIMEOUT_MS);
		if (r == 0)
			return fail(err, errlen, -ETIMEDOUT,
				    "writing the unsent bytes at %u of %u", off, len);
		if (r < 0 && errno != EINTR)
			return fail(err, errlen, -errno, "poll");
	}
	return 0;
}

int tcpr_finish(int fd, const struct tcpr_state *st, char *err, size_t errlen)
{
	struct tcp_repair_window w = {
		st->win.snd_wl1, st->win.snd_wnd, st->win.max_window,
		st->win.rcv_wnd, st->win.rcv_wup,
	};
	int ret;

	/* After the receive queue: the kernel checks rcv_wup <= rcv_nxt. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_WINDOW, &w, sizeof(w)))
		return fail(err, errlen, -errno, "TCP_REPAIR_WINDOW");
	/* The kernel sends a window probe: the first segment from here. */
	if ((ret = sol_set(fd, IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF)))
		return fail(err, errlen, ret, "TCP_REPAIR off");
	if (st->nodelay && (ret = sol_set(fd, IPPROTO_TCP, TCP_NODELAY, 1)))
		return fail(err, errlen, ret, "TCP_NODELAY");
	/* Into the room tcpr_restore made: no wait for the peer's ACKs. */
	ret = write_all(fd, st->sndq + (st->sndq_len - st->unsent), st->unsent,
			err, errlen);
	if (ret)
		return ret;
	/* The sizes it had (below what is queued now is fine: it drains). */
	if ((ret = sol_set(fd, SOL_SOCKET, SO_SNDBUFFORCE, (int)(st->sndbuf / 2))) ||
	    (ret = sol_set(fd, SOL_SOCKET, SO_RCVBUFFORCE, (int)(st->rcvbuf / 2))))
		return fail(err, errlen, ret, "SO_SNDBUFFORCE/SO_RCVBUFFORCE");
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Transfer format                                                        */
/* ---------------------------------------------------------------------- */

/*
 * "TCPR", version, three zero bytes, then fields (be16 type, be32
 * length, value) in strictly increasing type order.  Types below
 * 0x8000 must be understood; others may be skipped by a decoder that
 * does not know them.
 */
#define TCPR_MAGIC		"TCPR"
#define TCPR_VERSION		1
#define TCPR_HDR_LEN		8
#define TCPR_TLV_HDR		6
#define TCPR_T_OPTIONAL		0x8000

enum {
	TCPR_T_LOCAL = 1,	/* family (4|6), 0, be16 port, addr (4|16) */
	TCPR_T_PEER,		/* the same */
	TCPR_T_SND_UNA,		/* be32 */
	TCPR_T_SNDQ,		/* bytes */
	TCPR_T_UNSENT,		/* be32 */
	TCPR_T_RCV_SEQ,		/* be32 */
	TCPR_T_RCVQ,		/* bytes */
	TCPR_T_MSS,		/* be16 */
	TCPR_T_TIMESTAMP,	/* be32 */
	TCPR_T_WINDOW,		/* 5 x be32 */
	TCPR_T_OPTS,		/* opts, snd_wscale, rcv_wscale, 0 */
	TCPR_T_BUFS,		/* be32 sndbuf, be32 rcvbuf */
	TCPR_T_FLAGS,		/* be32: bit 0 TCP_NODELAY */
	__TCPR_T_LAST
};
#define TCPR_FLAG_NODELAY	(1u << 0)

static size_t addr_len(const struct tcpr_addr *a)
{
	return 4 + (a->family == AF_INET ? 4 : 16);
}

size_t tcpr_encoded_len(const struct tcpr_state *st)
{
	return TCPR_HDR_LEN + (__TCPR_T_LAST - 1) * TCPR_TLV_HDR +
		addr_len(&st->local) + addr_len(&st->peer) + 4 +
		st->sndq_len + 4 + 4 + st->rcvq_len + 2 + 4 + 20 + 4 + 8 + 4;
}

struct wr {
	uint8_t *p;
};

static void w_tlv(struct wr *w, uint16_t type, uint32_t len)
{
	w->p[0] = type >> 8;
	w->p[1] = type;
	w->p[2] = len >> 24;
	w->p[3] = len >> 16;
	w->p[4] = len >> 8;
	w->p[5] = len;
	w->p += TCPR_TLV_HDR;
}

static void w_be32(struct wr *w, uint32_t v)
{
	w->p[0] = v >> 24;
	w->p[1] = v >> 16;
	w->p[2] = v >> 8;
	w->p[3] = v;
	w->p += 4;
}

static void w_bytes(struct wr *w, const void *b, size_t n)
{
	if (n)
		memcpy(w->p, b, n);
	w->p += n;
}

static void w_addr(struct wr *w, uint16_t type, const struct tcpr_addr *a)
{
	size_t alen = addr_len(a) - 4;

	w_tlv(w, type, addr_len(a));
	w->p[0] = a->family == AF_INET ? 4 : 6;
	w->p[1] = 0;
	w->p[2] = a->port >> 8;
	w->p[3] = a->port;
	w->p += 4;
	w_bytes(w, a->addr, alen);
}

static void w_u32(struct wr *w, uint16_t type, uint32_t v)
{
	w_tlv(w, type, 4);
	w_be32(w, v);
}

int tcpr_encode(const struct tcpr_state *st, uint8_t *buf, size_t len)
{
	size_t need = tcpr_encoded_len(st);
	struct wr w = { buf };

	if (state_invalid(st))
		return -EINVAL;
	if (need > len || need > INT_MAX)
		return -ENOSPC;
	w_bytes(&w, TCPR_MAGIC, 4);
	w_bytes(&w, (uint8_t[4]){ TCPR_VERSION, 0, 0, 0 }, 4);
	w_addr(&w, TCPR_T_LOCAL, &st->local);
	w_addr(&w, TCPR_T_PEER, &st->peer);
	w_u32(&w, TCPR_T_SND_UNA, st->snd_una);
	w_tlv(&w, TCPR_T_SNDQ, st->sndq_len);
	w_bytes(&w, st->sndq, st->sndq_len);
	w_u32(&w, TCPR_T_UNSENT, st->unsent);
	w_u32(&w, TCPR_T_RCV_SEQ, st->rcv_seq);
	w_tlv(&w, TCPR_T_RCVQ, st->rcvq_len);
	w_bytes(&w, st->rcvq, st->rcvq_len);
	w_tlv(&w, TCPR_T_MSS, 2);
	w_bytes(&w, (uint8_t[2]){ st->mss >> 8, st->mss }, 2);
	w_u32(&w, TCPR_T_TIMESTAMP, st->timestamp);
	w_tlv(&w, TCPR_T_WINDOW, 20);
	w_be32(&w, st->win.snd_wl1);
	w_be32(&w, st->win.snd_wnd);
	w_be32(&w, st->win.max_window);
	w_be32(&w, st->win.rcv_wnd);
	w_be32(&w, st->win.rcv_wup);
	w_tlv(&w, TCPR_T_OPTS, 4);
	w_bytes(&w, (uint8_t[4]){ st->opts, st->snd_wscale, st->rcv_wscale, 0 }, 4);
	w_tlv(&w, TCPR_T_BUFS, 8);
	w_be32(&w, st->sndbuf);
	w_be32(&w, st->rcvbuf);
	w_u32(&w, TCPR_T_FLAGS, st->nodelay ? TCPR_FLAG_NODELAY : 0);
	return (int)(w.p - buf);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const char *d_addr(const uint8_t *v, uint32_t len, struct tcpr_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (len == 8 && v[0] == 4)
		a->family = AF_INET;
	else if (len == 20 && v[0] == 6)
		a->family = AF_INET6;
	else
		return "address: family other than 4 (8 bytes) or 6 (20 bytes)";
	if (v[1])
		return "address: reserved byte not 0";
	a->port = (uint16_t)(v[2] << 8 | v[3]);
	memcpy(a->addr, v + 4, len - 4);
	return NULL;
}

static const char *d_queue(const uint8_t *v, uint32_t len, uint8_t **q,
			   uint32_t *qlen)
{
	if (len > TCPR_QUEUE_MAX)
		return "queue longer than TCPR_QUEUE_MAX";
	*qlen = len;
	if (!len)
		return NULL;
	*q = malloc(len);
	if (!*q)
		return "out of memory";
	memcpy(*q, v, len);
	return NULL;
}

/* One known field; its length is already within the buffer. */
static const char *d_field(uint16_t type, const uint8_t *v, uint32_t len,
			   struct tcpr_state *st)
{
	static const uint8_t fixed[__TCPR_T_LAST] = {
		[TCPR_T_SND_UNA] = 4, [TCPR_T_UNSENT] = 4, [TCPR_T_RCV_SEQ] = 4,
		[TCPR_T_MSS] = 2, [TCPR_T_TIMESTAMP] = 4, [TCPR_T_WINDOW] = 20,
		[TCPR_T_OPTS] = 4, [TCPR_T_BUFS] = 8, [TCPR_T_FLAGS] = 4,
	};

	if (fixed[type] && len != fixed[type])
		return "field of the wrong length";
	switch (type) {
	case TCPR_T_LOCAL:
		return d_addr(v, len, &st->local);
	case TCPR_T_PEER:
		return d_addr(v, len, &st->peer);
	case TCPR_T_SND_UNA:
		st->snd_una = be32(v);
		return NULL;
	case TCPR_T_SNDQ:
		return d_queue(v, len, &st->sndq, &st->sndq_len);
	case TCPR_T_UNSENT:
		st->unsent = be32(v);
		return NULL;
	case TCPR_T_RCV_SEQ:
		st->rcv_seq = be32(v);
		return NULL;
	case TCPR_T_RCVQ:
		return d_queue(v, len, &st->rcvq, &st->rcvq_len);
	case TCPR_T_MSS:
		st->mss = (uint32_t)(v[0] << 8 | v[1]);
		return NULL;
	case TCPR_T_TIMESTAMP:
		st->timestamp = be32(v);
		return NULL;
	case TCPR_T_WINDOW:
		st->win = (struct tcpr_window){ be32(v), be32(v + 4), be32(v + 8),
						be32(v + 12), be32(v + 16) };
		return NULL;
	case TCPR_T_OPTS:
		if (v[3])
			return "options: reserved byte not 0";
		st->opts = v[0];
		st->snd_wscale = v[1];
		st->rcv_wscale = v[2];
		return NULL;
	case TCPR_T_BUFS:
		st->sndbuf = be32(v);
		st->rcvbuf = be32(v + 4);
		return NULL;
	case TCPR_T_FLAGS:
		if (be32(v) & ~TCPR_FLAG_NODELAY)
			return "unknown flags";
		st->nodelay = be32(v) & TCPR_FLAG_NODELAY;
		return NULL;
	}
	return "unknown required field";
}

static const char *decode(const uint8_t *buf, size_t len, struct tcpr_state *st)
{
	uint32_t seen = 0, all = ((1u << __TCPR_T_LAST) - 1) & ~1u;
	size_t off = TCPR_HDR_LEN;
	unsigned int last = 0;
	const char *why;

	if (len < TCPR_HDR_LEN || memcmp(buf, TCPR_MAGIC, 4))
		return "not a TCPR blob";
	if (buf[4] != TCPR_VERSION)
		return "unknown version";
	if (buf[5] || buf[6] || buf[7])
		return "header: reserved bytes not 0";
	while (off < len) {
		uint16_t type;
		uint32_t flen;

		if (len - off < TCPR_TLV_HDR)
			return "truncated field header";
		type = (uint16_t)(buf[off] << 8 | buf[off + 1]);
		flen = be32(buf + off + 2);
		off += TCPR_TLV_HDR;
		if (flen > len - off)
			return "field longer than the blob";
		if (type <= last)
			return "fields out of order or repeated";
		last = type;
		if (type < __TCPR_T_LAST) {
			if (type == 0)
				return "field type 0";
			why = d_field(type, buf + off, flen, st);
			if (why)
				return why;
			seen |= 1u << type;
		} else if (!(type & TCPR_T_OPTIONAL)) {
			return "unknown required field";
		}
		off += flen;
	}
	if (seen != all)
		return "a field is missing";
	return state_invalid(st);
}

int tcpr_decode(const uint8_t *buf, size_t len, struct tcpr_state *st,
		const char **why)
{
	const char *w;

	memset(st, 0, sizeof(*st));
	w = decode(buf, len, st);
	if (!w)
		return 0;
	if (why)
		*why = w;
	tcpr_state_free(st);
	return strcmp(w, "out of memory") ? -EINVAL : -ENOMEM;
}

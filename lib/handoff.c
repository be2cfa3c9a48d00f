// SPDX-License-Identifier: GPL-2.0
/*
 * The roamd <-> service handoff socket (handoff.h).  Both ends parse what
 * the other sends with the same strict parser: the service is a separate
 * process, possibly compromised, and must not make roamd read past a
 * buffer or keep descriptors it did not mean to accept.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handoff.h"
#include "parse.h"

struct roam_ho {
	int fd;
};

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int roam_ho_parse(const uint8_t *buf, size_t len, unsigned int nfds, bool from_service,
		  struct roam_ho_msg *m)
{
	uint32_t plen;
	bool has_fd;

	m->fd = -1;
	m->count = 0;
	m->state_len = 0;
	if (len < ROAM_HO_HDR_LEN)
		return -EBADMSG;
	if (buf[1] != ROAM_HO_VERSION)
		return -EPROTO;
	plen = get_be32(buf + 4);
	if (buf[2] || buf[3] || plen != len - ROAM_HO_HDR_LEN)
		return -EBADMSG;
	if (plen > ROAM_HO_STATE_MAX)
		return -EMSGSIZE;
	m->type = buf[0];
	switch (buf[0]) {
	case ROAM_HO_EXPORT:
		if (from_service || plen)
			return -EBADMSG;
		has_fd = false;
		break;
	case ROAM_HO_DONE:
		if (!from_service || plen != 4)
			return -EBADMSG;
		m->count = get_be32(buf + ROAM_HO_HDR_LEN);
		has_fd = false;
		break;
	case ROAM_HO_CONN:
	case ROAM_HO_ADOPT:
		if (from_service != (buf[0] == ROAM_HO_CONN))
			return -EBADMSG;
		memcpy(m->state, buf + ROAM_HO_HDR_LEN, plen);
		m->state_len = plen;
		has_fd = true;
		break;
	default:
		return -EBADMSG;
	}
	return nfds == (has_fd ? 1u : 0u) ? 0 : -EBADMSG;
}

int roam_ho_format(uint8_t *buf, size_t cap, enum roam_ho_type type, uint32_t count,
		   const void *state, size_t state_len)
{
	size_t plen = type == ROAM_HO_DONE ? 4 : state_len;

	if (plen > ROAM_HO_STATE_MAX || cap < ROAM_HO_HDR_LEN + plen ||
	    (state_len && type != ROAM_HO_CONN && type != ROAM_HO_ADOPT))
		return -EINVAL;
	buf[0] = (uint8_t)type;
	buf[1] = ROAM_HO_VERSION;
	buf[2] = buf[3] = 0;
	put_be32(buf + 4, (uint32_t)plen);
	if (type == ROAM_HO_DONE)
		put_be32(buf + ROAM_HO_HDR_LEN, count);
	else if (plen)
		memcpy(buf + ROAM_HO_HDR_LEN, state, plen);
	return (int)(ROAM_HO_HDR_LEN + plen);
}

/* A connected TCP socket over IPv4 or IPv6: what CONN and ADOPT carry. */
static bool is_tcp_socket(int fd)
{
	int type = 0, proto = 0, dom = 0;
	socklen_t l = sizeof(int);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l))
		return false;
	l = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l))
		return false;
	l = sizeof(int);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l))
		return false;
	return type == SOCK_STREAM && proto == IPPROTO_TCP && (dom == AF_INET || dom == AF_INET6);
}

int roam_ho_recv_msg(int sock, bool from_service, struct roam_ho_msg *m)
{
	uint8_t buf[ROAM_HO_MSG_MAX + 1];
	union {
		struct cmsghdr h;
		/* Room for more than we accept, so extras are seen and closed. */
		char b[CMSG_SPACE(8 * sizeof(int))];
	} cm;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cm.b, .msg_controllen = sizeof(cm.b) };
	int fds[8], nfds = 0, ret;
	struct cmsghdr *c;
	ssize_t n;

	n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -EAGAIN : -errno;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && nfds < 8; i++)
			memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	if (n == 0 && !nfds)
		return -EPIPE;
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		ret = -EMSGSIZE;
	else
		ret = roam_ho_parse(buf, (size_t)n, (unsigned int)nfds, from_service, m);
	if (!ret && nfds == 1 && !is_tcp_socket(fds[0]))
		ret = -EBADMSG;
	if (ret) {
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		m->fd = -1;
		return ret;
	}
	m->fd = nfds ? fds[0] : -1;
	return 0;
}

int roam_ho_send_msg(int sock, enum roam_ho_type type, int fd, uint32_t count,
		     const void *state, size_t state_len, int timeout_ms)
{
	uint8_t buf[ROAM_HO_MSG_MAX];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { .iov_base = buf };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int len = roam_ho_format(buf, sizeof(buf), type, count, state, state_len);

	if (len < 0 || (fd >= 0) != (type == ROAM_HO_CONN || type == ROAM_HO_ADOPT))
		return -EINVAL;
	iov.iov_len = (size_t)len;
	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.b;
		mh.msg_controllen = sizeof(cm.b);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &fd, sizeof(int));
	}
	for (;;) {
		struct pollfd p = { .fd = sock, .events = POLLOUT };

		if (sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) == len)
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (errno == EINTR)
			continue;
		if (poll(&p, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
	}
}

struct roam_ho *roam_ho_open(void)
{
	const char *s = getenv(ROAM_HO_ENV);
	struct roam_ho *h;
	int type = 0, dom = 0;
	socklen_t l = sizeof(int);
	struct stat st;
	uint32_t fd;

	if (!s) {
		errno = ENOENT;
		return NULL;
	}
	unsetenv(ROAM_HO_ENV);
	if (parse_u32(s, 0, INT32_MAX, &fd) || fstat((int)fd, &st) || !S_ISSOCK(st.st_mode) ||
	    getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &l) || type != SOCK_SEQPACKET ||
	    (l = sizeof(int), getsockopt((int)fd, SOL_SOCKET, SO_DOMAIN, &dom, &l)) ||
	    dom != AF_UNIX) {
		errno = EBADF;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->fd = (int)fd;
	fcntl(h->fd, F_SETFD, FD_CLOEXEC);
	fcntl(h->fd, F_SETFL, fcntl(h->fd, F_GETFL) | O_NONBLOCK);
	return h;
}

int roam_ho_fd(const struct roam_ho *h)
{
	return h->fd;
}

int roam_ho_recv(struct roam_ho *h, struct roam_ho_msg *m)
{
	return roam_ho_recv_msg(h->fd, false, m);
}

/* roamd reads as it goes; a second is plenty for one message to find room. */
#define SERVICE_SEND_MS	1000

int roam_ho_export(struct roam_ho *h, int fd, const void *state, size_t len)
{
	return roam_ho_send_msg(h->fd, ROAM_HO_CONN, fd, 0, state, len, SERVICE_SEND_MS);
}

int roam_ho_done(struct roam_ho *h, uint32_t count)
{
	return roam_ho_send_msg(h->fd, ROAM_HO_DONE, -1, count, NULL, 0, SERVICE_SEND_MS);
}

void roam_ho_close(struct roam_ho *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Revocations straight to the gate: roamd keeps "watch revocations" open
 * on authd's admin socket (common/admin.h) and blocks every revoked
 * client in its roam.ko gate (CLIENT_SET state BLOCKED) at the addresses
 * authd last saw it at, and at the address of its contract here if it
 * has one.  authd first lists the clients revoked so far, so a roamd that
 * (re)connects catches up.
 *
 * All of it runs in the event loop, so none of it may block: a
 * nonblocking socket (connecting a UNIX socket never waits; a full
 * backlog is EAGAIN, tried again later), one read per wake-up, and a
 * lost or refused watch is retried with jittered backoff like the TLS
 * session.  Writing to the gate is a netlink request to our own kernel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/roam.h>

#include "admin.h"
#include "log.h"
#include "roamd.h"

#define RW_BACKOFF_MIN_MS	250
#define RW_BACKOFF_MAX_MS	8000

static void rw_close(struct roamd *r, uint64_t now)
{
	struct revwatch *w = &r->rw;
	uint32_t b = w->backoff_ms ? w->backoff_ms : RW_BACKOFF_MIN_MS;

	if (w->fd >= 0) {
		epoll_ctl(r->epfd, EPOLL_CTL_DEL, w->fd, NULL);
		close(w->fd);
	}
	w->fd = -1;
	w->len = 0;
	w->got_ok = w->synced = false;
	/* +-50 % jitter: the roamds of a pool do not come back in step. */
	w->retry_at = now + b / 2 + (uint32_t)random() % (b + 1);
	w->backoff_ms = b * 2 > RW_BACKOFF_MAX_MS ? RW_BACKOFF_MAX_MS : b * 2;
}

static void rw_connect(struct roamd *r, uint64_t now)
{
	static const char req[] = "watch revocations\n";
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct revwatch *w = &r->rw;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = SRC_REVWATCH };
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", r->cfg.admin_sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* A fresh socket's buffer takes the request whole. */
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1) ||
	    epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		if (!w->down_logged)
			log_warn("cannot watch revocations at %s: %s (retrying)",
				 r->cfg.admin_sock, strerror(errno));
		w->down_logged = true;
		if (fd >= 0)
			close(fd);
		rw_close(r, now);
		return;
	}
	w->fd = fd;
	w->caught_up = w->caught_blocked = 0;
	log_debug("watching revocations at %s", r->cfg.admin_sock);
}

static int block(struct roamd *r, uint32_t addr, const char *name, char *list, size_t len)
{
	char s[INET_ADDRSTRLEN];
	size_t off = strlen(list);

	inet_ntop(AF_INET, &addr, s, sizeof(s));
	if (!r->gate) {
		log_debug("revoked %s at %s: no gate here (--no-gate)", name, s);
		return 0;
	}
	if (gate_client_set(r->gate, addr, ROAM_CLIENT_BLOCKED, 0, 0)) {
		r->rev_errors++;
		log_err("cannot block revoked client %s (%s): %s", name, s, gate_error(r->gate));
		return 0;
	}
	r->rev_blocked++;
	snprintf(list + off, len - off, "%s%s", off ? " " : "", s);
	return 1;
}

/* A revoked client: every IPv4 address of the record and of its contract. */
static void on_revoked(struct roamd *r, const struct roam_admin_rev *rv)
{
	uint32_t done[ROAM_ADMIN_REV_ADDRS + ROAMD_CONTRACTS_MAX];
	unsigned int ndone = 0, n = 0;
	char list[1024] = "";

	r->rev_received++;
	for (unsigned int i = 0; i < rv->naddrs; i++)
		if (rv->addrs[i].family == 4)	/* the gate guards IPv4 only */
			memcpy(&done[ndone++], rv->addrs[i].addr, 4);
	for (unsigned int i = 0; i < r->cfg.ncontracts; i++) {
		struct contract *c = &r->cfg.contracts[i];

		if (strcmp(c->name, rv->name))
			continue;
		c->warned_here = false;		/* no second chance after the roam */
		done[ndone++] = c->addr;
	}
	for (unsigned int i = 0; i < ndone; i++) {
		bool dup = false;

		for (unsigned int k = 0; k < i; k++)
			dup |= done[k] == done[i];
		if (!dup)
			n += (unsigned int)block(r, done[i], rv->name, list, sizeof(list));
	}
	if (!r->rw.synced) {
		r->rw.caught_up++;
		r->rw.caught_blocked += n;
		log_debug("revoked before we watched: %s, blocked at %s", rv->name,
			  n ? list : "no address");
		return;
	}
	log_info("client %s revoked at authd: %s%s", rv->name,
		 n ? "blocked in the gate at " : "no address to block", list);
}

static void on_line(struct roamd *r, const char *line, size_t len)
{
	struct roam_admin_rev rv;
	const char *why;
	int ret;

	if (!r->rw.got_ok) {
		r->rw.got_ok = true;
		if (len == 2 && !memcmp(line, "ok", 2))
			return;
		log_err("authd refused to send revocations: %.*s", (int)len, line);
		r->rw.refused = true;
		return;
	}
	ret = roam_admin_rev_parse(line, len, &rv, &why);
	if (ret == -ENOENT)
		return;		/* a record of a newer authd */
	if (ret) {
		r->rev_errors++;
		log_warn("revocation watch: %s: %.*s", why, (int)(len > 80 ? 80 : len), line);
		return;
	}
	if (rv.kind == ROAM_ADMIN_REV_REVOKED) {
		on_revoked(r, &rv);
		return;
	}
	if (!r->rw.synced)
		log_info("watching revocations at %s: %u revoked clients before, %u gate entries set",
			 r->cfg.admin_sock, r->rw.caught_up, r->rw.caught_blocked);
	r->rw.synced = true;
	r->rw.down_logged = false;
	r->rw.backoff_ms = RW_BACKOFF_MIN_MS;
}

/* Readable: one read, whole lines handled, the rest kept for later. */
void revwatch_event(struct roamd *r, uint64_t now)
{
	struct revwatch *w = &r->rw;
	uint64_t before = r->rev_received + r->rev_errors;
	char *nl, *p;
	ssize_t n;

	if (w->fd < 0)
		return;
	n = read(w->fd, w->buf + w->len, sizeof(w->buf) - w->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		log_warn("authd closed the revocation watch%s%s; watching again soon",
			 n ? ": " : "", n ? strerror(errno) : "");
		w->down_logged = true;
		rw_close(r, now);
		return;
	}
	w->len += (size_t)n;
	p = w->buf;
	while (!w->refused && (nl = memchr(p, '\n', w->len - (size_t)(p - w->buf)))) {
		on_line(r, p, (size_t)(nl - p));
		p = nl + 1;
	}
	w->len -= (size_t)(p - w->buf);
	memmove(w->buf, p, w->len);
	if (w->refused || w->len == sizeof(w->buf)) {
		if (!w->refused)
			log_err("revocation watch: a record longer than %zu bytes", sizeof(w->buf));
		w->refused = false;
		w->down_logged = true;
		rw_close(r, now);
	}
	if (r->rev_received + r->rev_errors != before)
		roamd_status(r);
}

void revwatch_tick(struct roamd *r, uint64_t now)
{
	if (r->cfg.admin_sock && r->rw.fd < 0 && now >= r->rw.retry_at)
		rw_connect(r, now);
}

uint64_t revwatch_next(const struct roamd *r)
{
	return r->cfg.admin_sock && r->rw.fd < 0 ? r->rw.retry_at : UINT64_MAX;
}

void revwatch_stop(struct roamd *r)
{
	if (r->rw.fd >= 0)
		close(r->rw.fd);
	r->rw.fd = -1;
}

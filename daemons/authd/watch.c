// SPDX-License-Identifier: GPL-2.0
/*
 * "watch revocations" on the admin socket: roamd's direct path to its
 * gate.  A watcher gets the clients revoked so far (with the addresses
 * they were last seen at), "synced", then one record per revocation as it
 * happens, on a connection that stays open.
 *
 * The admin socket rather than the TLS subscription: only root or authd's
 * user reach it (SO_PEERCRED), so the names and addresses of revoked
 * clients never go to subscribers, and roamd already calls it for threat
 * leases and revocations.
 *
 * authd's loop never waits on a watcher: each has a fixed buffer, the
 * catch-up list is produced as the buffer drains (one hash bucket at a
 * time), and a watcher whose buffer cannot take a new revocation is not
 * reading: it is dropped, and catches up when it comes back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "admin.h"
#include "authd.h"
#include "log.h"

#define WATCH_BUF	(64 * 1024)

struct watcher {
	int fd;
	bool catching_up;
	bool eof;			/* it will not write again: still reads */
	size_t bucket;			/* catch-up: next bucket to list */
	struct client *next;		/* catch-up: next client to list */
	uint32_t events;
	size_t off, len;		/* pending bytes: buf[off, len) */
	char buf[WATCH_BUF];
};

static void watcher_drop(struct authd *a, struct watcher *w)
{
	for (int i = 0; i < AUTHD_WATCHERS_MAX; i++)
		if (a->watchers[i] == w)
			a->watchers[i] = NULL;
	epoll_ctl(a->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	close(w->fd);
	free(w);
	a->nwatchers--;
}

/* Room for len more bytes, moving what is pending to the front. */
static bool room(struct watcher *w, size_t len)
{
	if (w->off) {
		memmove(w->buf, w->buf + w->off, w->len - w->off);
		w->len -= w->off;
		w->off = 0;
	}
	return WATCH_BUF - w->len >= len;
}

static int rev_of(const struct client *c, struct roam_admin_rev *rv)
{
	char buf[1024], *save = NULL, *tok;

	memset(rv, 0, sizeof(*rv));
	rv->kind = ROAM_ADMIN_REV_REVOKED;
	snprintf(rv->name, sizeof(rv->name), "%s", c->name);
	snprintf(buf, sizeof(buf), "%s", c->rev_addrs ? c->rev_addrs : "");
	for (tok = strtok_r(buf, " ", &save); tok && rv->naddrs < ROAM_ADMIN_REV_ADDRS;
	     tok = strtok_r(NULL, " ", &save))
		if (!roam_addr_parse(tok, &rv->addrs[rv->naddrs]))
			rv->naddrs++;
	return 0;
}

static bool put(struct watcher *w, const struct roam_admin_rev *rv)
{
	char line[ROAM_ADMIN_LINE_MAX + 2];
	int n = roam_admin_rev_format(rv, line, sizeof(line));

	if (n < 0 || !room(w, (size_t)n))
		return false;
	memcpy(w->buf + w->len, line, (size_t)n);
	w->len += (size_t)n;
	return true;
}

/*
 * The catch-up list, while the buffer is under half full: the other half
 * is for revocations meanwhile.  The cursor is a client: clients are
 * never freed while authd runs, and one added (at a bucket's head) and
 * revoked during the catch-up gets a record of its own anyway.  A client
 * revoked during the catch-up may be listed twice; blocking is
 * idempotent.
 */
static int catch_up(struct authd *a, struct watcher *w)
{
	struct roam_admin_rev rv;
	struct client *c;

	while (w->catching_up && w->len - w->off < WATCH_BUF / 2) {
		c = w->next;
		if (!c && w->bucket < a->nbuckets) {
			w->next = a->buckets[w->bucket++];
			continue;
		}
		if (!c) {
			if (!put(w, &(struct roam_admin_rev){ .kind = ROAM_ADMIN_REV_SYNCED }))
				return -ENOSPC;
			w->catching_up = false;
			break;
		}
		/* Half the buffer is free and a record is at most a line. */
		if (c->revoked && !rev_of(c, &rv) && !put(w, &rv))
			return -ENOSPC;
		w->next = c->next;
	}
	return 0;
}

static void set_events(struct authd *a, struct watcher *w, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = w };

	if (w->events != ev && !epoll_ctl(a->epfd, EPOLL_CTL_MOD, w->fd, &e))
		w->events = ev;
}

/* Write what is pending, list more; 0, or -errno: drop the watcher. */
static int pump(struct authd *a, struct watcher *w)
{
	ssize_t n;
	int ret;

	for (;;) {
		ret = catch_up(a, w);
		if (ret)
			return ret;
		if (w->off == w->len)
			break;
		n = write(w->fd, w->buf + w->off, w->len - w->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		w->off += (size_t)n;
		if (w->off == w->len)
			w->off = w->len = 0;
	}
	set_events(a, w, (w->eof ? 0 : EPOLLIN) | (w->off < w->len ? EPOLLOUT : 0));
	return 0;
}

/* Takes fd over (closes it on refusal); 0, or -errno and *why. */
int authd_watch_add(struct authd *a, int fd, const char **why)
{
	struct epoll_event e;
	struct watcher *w;
	int i;

	for (i = 0; i < AUTHD_WATCHERS_MAX && a->watchers[i]; i++)
		;
	if (i == AUTHD_WATCHERS_MAX) {
		a->watchers_refused++;
		*why = "too many revocation watchers (" AUTHD_WATCHERS_MAX_STR ")";
		return -EBUSY;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		*why = "out of memory";
		return -ENOMEM;
	}
	w->fd = fd;
	w->catching_up = true;
	w->events = EPOLLIN;
	e = (struct epoll_event){ .events = w->events, .data.ptr = w };
	if (fcntl(fd, F_SETFL, O_NONBLOCK) || epoll_ctl(a->epfd, EPOLL_CTL_ADD, fd, &e)) {
		int ret = -errno;

		free(w);
		*why = "cannot watch the connection";
		return ret;
	}
	a->watchers[i] = w;
	a->nwatchers++;
	memcpy(w->buf, "ok\n", 3);
	w->len = 3;
	if (pump(a, w)) {
		watcher_drop(a, w);
		return 0;
	}
	log_info("admin: revocation watcher %d of at most %d", (int)a->nwatchers,
		 AUTHD_WATCHERS_MAX);
	return 0;
}

bool authd_watch_owns(const struct authd *a, const void *p)
{
	for (int i = 0; i < AUTHD_WATCHERS_MAX; i++)
		if (p && a->watchers[i] == p)
			return true;
	return false;
}

void authd_watch_event(struct authd *a, void *p, uint32_t ev)
{
	struct watcher *w = p;
	char junk[256];
	ssize_t n;

	/*
	 * Watchers have nothing more to say: input is read and ignored, and
	 * a half-close (shutdown of their writing side) is not the end.  A
	 * peer that is gone shows as EPOLLHUP or an error on write.
	 */
	if (ev & EPOLLIN) {
		while ((n = read(w->fd, junk, sizeof(junk))) > 0)
			;
		if (!n)
			w->eof = true;
	}
	if ((ev & (EPOLLHUP | EPOLLERR)) || pump(a, w))
		watcher_drop(a, w);
}

/* The gate backend: every watcher hears of the revocation, or is dropped. */
static void watch_revoked(struct authd *a, const char *name, const char *addrs)
{
	struct client *c = authd_client_find(a, name);
	struct roam_admin_rev rv;

	(void)addrs;	/* kept in the client: the catch-up lists them too */
	if (!c || rev_of(c, &rv))
		return;
	for (int i = 0; i < AUTHD_WATCHERS_MAX; i++) {
		struct watcher *w = a->watchers[i];

		if (!w)
			continue;
		if (!put(w, &rv)) {
			log_warn("revocation watcher does not read (%zu bytes pending): dropped",
				 w->len - w->off);
			a->watchers_dropped++;
			watcher_drop(a, w);
			continue;
		}
		if (pump(a, w))
			watcher_drop(a, w);
	}
}

const struct authd_gate_ops authd_watch_ops = { "watch", watch_revoked };

void authd_watch_free(struct authd *a)
{
	for (int i = 0; i < AUTHD_WATCHERS_MAX; i++)
		if (a->watchers[i])
			watcher_drop(a, a->watchers[i]);
}

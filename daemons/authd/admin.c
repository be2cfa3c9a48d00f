// SPDX-License-Identifier: GPL-2.0
/*
 * Server side of the admin socket (protocol in common/admin.h).  Requests
 * come from root on this machine, so they are served synchronously with
 * short timeouts; only our own uid or root may connect.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "admin.h"
#include "authd.h"
#include "log.h"
#include "secfile.h"

int authd_admin_listen(struct authd *a)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int ret;

	if (strlen(a->cfg.admin_sock) >= sizeof(sun.sun_path)) {
		log_err("admin socket path too long: %s", a->cfg.admin_sock);
		return -ENAMETOOLONG;
	}
	strcpy(sun.sun_path, a->cfg.admin_sock);
	a->afd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->afd < 0)
		return -errno;
	unlink(a->cfg.admin_sock);
	old = umask(077);
	ret = bind(a->afd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret || listen(a->afd, 64)) {
		log_err("admin socket %s: %s", a->cfg.admin_sock, strerror(errno));
		return -errno;
	}
	return 0;
}

static void reply(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void reply_str(int fd, const char *s)
{
	reply(fd, s, strlen(s));
}

static void list_clients(struct authd *a, int fd)
{
	char line[160];

	reply_str(fd, "ok\n");
	for (size_t b = 0; b < a->nbuckets; b++)
		for (struct client *c = a->buckets[b]; c; c = c->next) {
			snprintf(line, sizeof(line), "%s %s\n", c->name,
				 c->revoked ? "revoked" : "active");
			reply_str(fd, line);
		}
}

static void status(struct authd *a, int fd)
{
	char buf[1536], addr[64];
	uint64_t now = authd_now_ms(), lease = 0;

	if (a->threat_lease_until > now)
		lease = a->threat_lease_until - now;
	roam_addr_format(&a->pool[a->cur.server], addr, sizeof(addr));
	snprintf(buf, sizeof(buf),
		 "ok\nepoch %llu\nepoch_start_ms %llu\nepoch_end_ms %llu\nserver %u\n"
		 "server_addr %s\nthreat %s\nthreat_by %s\nthreat_lease_ms %llu\n"
		 "released %llu\nchain_len %llu\n"
		 "clients %zu\nsessions %zu\nconnections %zu\npreauth %zu\n"
		 "preauth_evicted %llu\nprefix_refused %llu\nsessions_refused %llu\n"
		 "fd_pauses %llu\nhook_failures %llu\n"
		 "watchers %zu\nwatchers_refused %llu\nwatchers_dropped %llu\n",
		 (unsigned long long)a->cur.index, (unsigned long long)a->cur.start_ms,
		 (unsigned long long)a->nxt.start_ms, a->cur.server, addr,
		 roam_threat_name(a->threat),
		 a->threat != ROAM_THREAT_HIGH ? "-" : a->threat_manual ? "operator" : "lease",
		 (unsigned long long)lease, (unsigned long long)a->released,
		 (unsigned long long)a->chain.n, a->nclients, a->nsubscribed, a->nconns,
		 a->npreauth, (unsigned long long)a->preauth_evicted,
		 (unsigned long long)a->prefix_refused,
		 (unsigned long long)a->sessions_refused, (unsigned long long)a->fd_pauses,
		 (unsigned long long)a->hook_failures, a->nwatchers,
		 (unsigned long long)a->watchers_refused,
		 (unsigned long long)a->watchers_dropped);
	reply_str(fd, buf);
}

/* True if fd was kept (a revocation watcher): the caller leaves it open. */
static bool handle(struct authd *a, int fd, const char *line, size_t len)
{
	struct roam_admin_req r;
	const char *why = NULL;
	char buf[512], *pem;
	size_t pl;
	int ret;

	if (roam_admin_parse(line, len, &r, &why)) {
		snprintf(buf, sizeof(buf), "error: %s\n", why);
		reply_str(fd, buf);
		return false;
	}
	switch (r.cmd) {
	case ROAM_ADMIN_CLIENT_ADD:
	case ROAM_ADMIN_CLIENT_RENEW:
		ret = authd_client_issue(a, r.name, r.cmd == ROAM_ADMIN_CLIENT_RENEW,
					 r.csr[0] ? r.csr : NULL, &pem, &pl, &why);
		if (!ret) {
			reply_str(fd, "ok\n");
			reply(fd, pem, pl);
			roam_file_free(pem, pl);
		}
		break;
	case ROAM_ADMIN_CLIENT_REVOKE:
		ret = authd_client_revoke(a, r.name, &why);
		break;
	case ROAM_ADMIN_CLIENT_LIST:
		list_clients(a, fd);
		return false;
	case ROAM_ADMIN_THREAT:
		ret = authd_threat_request(a, r.level, r.lease_ms, authd_now_ms());
		why = "cannot record the threat level";
		break;
	case ROAM_ADMIN_STATUS:
		status(a, fd);
		return false;
	case ROAM_ADMIN_WATCH_REVOKED:
		ret = authd_watch_add(a, fd, &why);
		if (!ret)
			return true;
		break;
	default:
		ret = -EINVAL;
		why = "unknown request";
	}
	if (ret) {
		snprintf(buf, sizeof(buf), "error: %s\n", why);
		reply_str(fd, buf);
	} else if (r.cmd != ROAM_ADMIN_CLIENT_ADD && r.cmd != ROAM_ADMIN_CLIENT_RENEW) {
		reply_str(fd, "ok\n");
	}
	return false;
}

void authd_admin_accept(struct authd *a)
{
	struct timeval tv = { .tv_sec = 2 };
	char line[ROAM_ADMIN_LINE_MAX + 2];
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	size_t len = 0;
	ssize_t n;
	int fd;

	while ((fd = accept4(a->afd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) ||
		    (cred.uid != 0 && cred.uid != geteuid())) {
			log_warn("admin: refused a request from uid %u", (unsigned int)cred.uid);
			reply_str(fd, "error: permission denied\n");
			close(fd);
			continue;
		}
		len = 0;
		while (len < sizeof(line) - 1 && !memchr(line, '\n', len)) {
			n = read(fd, line + len, sizeof(line) - 1 - len);
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		if (!memchr(line, '\n', len)) {
			log_warn("admin: request without a newline or longer than %d bytes",
				 ROAM_ADMIN_LINE_MAX);
			reply_str(fd, "error: malformed request\n");
		} else {
			len = (size_t)((char *)memchr(line, '\n', len) - line);
			line[len] = 0;
			log_info("admin: %s", line);
			if (handle(a, fd, line, len))
				continue;
		}
		close(fd);
	}
}

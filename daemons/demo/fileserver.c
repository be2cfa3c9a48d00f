// SPDX-License-Identifier: GPL-2.0
/*
 * roam-fileserver: the demo service (the paper's FTP server).  Serves the
 * regular files of one directory to "GET NAME OFFSET" requests
 * (common/fileproto.h), from OFFSET to the end, with sendfile().
 *
 * It knows little of roaming: roamd starts it on the active server and
 * stops it (SIGTERM) once the transition window after a roam has closed,
 * which is what cleans the old server's state.  When roamd hands it a
 * handoff socket (ROAM_HANDOFF_FD, lib/handoff.h) it also exports its live
 * connections with their state on request and adopts the ones another
 * server exported, so a transfer continues where it was.  One process,
 * one epoll loop, nonblocking sockets.  Exit 0 on SIGTERM/SIGINT, 1 on a runtime
 * error, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fileproto.h"
#include "handoff.h"
#include "log.h"
#include "parse.h"
#include "schedule.h"

#define REQ_TIMEOUT_MS	5000
#define CHUNK		(64 * 1024)

struct conn {
	int fd, file;
	bool sending;
	char peer[64];
	char in[RFILE_LINE_MAX];
	size_t in_len;
	char hdr[RFILE_LINE_MAX + 1];
	size_t hdr_len, hdr_off;
	off_t off, end;
	uint64_t deadline_ms;
	char name[RFILE_NAME_MAX + 1];
};

struct server {
	int epfd, lfd, sigfd, dirfd;
	struct roam_ho *ho;		/* NULL: no handoff */
	bool export_req;
	unsigned int nconns, max_conns;
	struct conn **conns;
	bool stop;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void conn_close(struct server *s, struct conn *c, const char *why)
{
	if (why)
		log_info("%s: %s", c->peer, why);
	/* Also for a connection handed over: roamd holds its own copy. */
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	if (c->file >= 0)
		close(c->file);
	for (unsigned int i = 0; i < s->nconns; i++)
		if (s->conns[i] == c) {
			s->conns[i] = s->conns[--s->nconns];
			break;
		}
	free(c);
}

/* The whole file's digest, so a client that resumed can check the result. */
static int file_sha256(int fd, off_t size, uint8_t out[32])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	static char buf[CHUNK];
	off_t off = 0;
	ssize_t n;
	int ret = -EIO;

	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		goto out;
	while (off < size) {
		n = pread(fd, buf, sizeof(buf), off);
		if (n <= 0)
			goto out;
		EVP_DigestUpdate(md, buf, (size_t)n);
		off += n;
	}
	if (EVP_DigestFinal_ex(md, out, NULL))
		ret = 0;
out:
	EVP_MD_CTX_free(md);
	return ret;
}

static void set_error(struct conn *c, unsigned int code, const char *text)
{
	struct rfile_resp r = { .code = code };
	int n;

	snprintf(r.text, sizeof(r.text), "%s", text);
	n = rfile_resp_format(c->hdr, sizeof(c->hdr), &r);
	c->hdr_len = n > 0 ? (size_t)n : 0;
	log_warn("%s: %s %s: %u %s", c->peer, "request", c->name[0] ? c->name : "-",
		 code, text);
}

/* A complete request line: open the file and prepare the header. */
static void start_reply(struct server *s, struct conn *c, const struct rfile_req *q)
{
	struct rfile_resp r = { .ok = true };
	struct stat st;
	int n;

	snprintf(c->name, sizeof(c->name), "%s", q->name);
	c->file = openat(s->dirfd, q->name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (c->file < 0 || fstat(c->file, &st) || !S_ISREG(st.st_mode))
		return set_error(c, RFILE_NOT_FOUND, "no such file");
	if (q->offset > (uint64_t)st.st_size)
		return set_error(c, RFILE_BAD_OFFSET, "offset beyond the end of the file");
	if (file_sha256(c->file, st.st_size, r.sha256))
		return set_error(c, RFILE_NOT_FOUND, "cannot read the file");
	r.size = (uint64_t)st.st_size;
	r.offset = q->offset;
	n = rfile_resp_format(c->hdr, sizeof(c->hdr), &r);
	if (n < 0)
		return set_error(c, RFILE_BAD_REQUEST, "cannot answer");
	c->hdr_len = (size_t)n;
	c->off = (off_t)q->offset;
	c->end = st.st_size;
	log_info("%s: GET %s from %llu: %llu bytes", c->peer, q->name,
		 (unsigned long long)q->offset,
		 (unsigned long long)(r.size - q->offset));
}

static void on_readable(struct server *s, struct conn *c)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
	struct rfile_req q;
	const char *why;
	ssize_t n;
	int ret;

	n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return conn_close(s, c, "closed before a request");
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	ret = rfile_req_parse(c->in, c->in_len, &q, &why);
	if (!ret)
		return;
	if (ret < 0) {
		/* Strict: say why once, then hang up. */
		set_error(c, RFILE_BAD_REQUEST, why);
		c->end = c->off = 0;
	} else {
		start_reply(s, c, &q);
	}
	c->sending = true;
	epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void on_writable(struct server *s, struct conn *c)
{
	ssize_t n;

	while (c->hdr_off < c->hdr_len) {
		n = write(c->fd, c->hdr + c->hdr_off, c->hdr_len - c->hdr_off);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			return conn_close(s, c, "peer went away");
		c->hdr_off += (size_t)n;
	}
	while (c->off < c->end) {
		n = sendfile(c->fd, c->file, &c->off, CHUNK);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			char why[RFILE_NAME_MAX + 64];

			snprintf(why, sizeof(why), "closed by peer at byte %lld of %s",
				 (long long)c->off, c->name);
			return conn_close(s, c, why);
		}
	}
	conn_close(s, c, c->file >= 0 && c->end ? "sent to the end" : NULL);
}

static void on_accept(struct server *s)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct conn *c;
	int fd;

	while ((fd = accept4(s->lfd, (struct sockaddr *)&sin, &sl,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (s->nconns >= s->max_conns || !(c = calloc(1, sizeof(*c)))) {
			log_warn("connection limit %u reached; refusing", s->max_conns);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->file = -1;
		c->deadline_ms = mono_ms() + REQ_TIMEOUT_MS;
		inet_ntop(AF_INET, &sin.sin_addr, c->peer, sizeof(c->peer));
		snprintf(c->peer + strlen(c->peer), sizeof(c->peer) - strlen(c->peer),
			 ":%u", ntohs(sin.sin_port));
		s->conns[s->nconns++] = c;
		epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd,
			  &(struct epoll_event){ .events = EPOLLIN, .data.ptr = c });
		sl = sizeof(sin);
	}
}

static void expire(struct server *s)
{
	uint64_t now = mono_ms();

	for (unsigned int i = s->nconns; i-- > 0;) {
		struct conn *c = s->conns[i];

		if (!c->sending && now > c->deadline_ms)
			conn_close(s, c, "no request in time");
	}
}

/* ---- Live handoff (lib/handoff.h) ---- */

static void peer_name(struct conn *c)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if (getpeername(c->fd, (struct sockaddr *)&sin, &sl) || sin.sin_family != AF_INET) {
		snprintf(c->peer, sizeof(c->peer), "?");
		return;
	}
	inet_ntop(AF_INET, &sin.sin_addr, c->peer, sizeof(c->peer));
	snprintf(c->peer + strlen(c->peer), sizeof(c->peer) - strlen(c->peer),
		 ":%u", ntohs(sin.sin_port));
}

static int conn_export(struct server *s, struct conn *c)
{
	struct rfile_state st = {
		.reply = c->sending, .off = (uint64_t)c->off, .end = (uint64_t)c->end,
		.in_len = c->in_len, .hdr_len = c->hdr_len, .hdr_off = c->hdr_off,
	};
	uint8_t buf[RFILE_STATE_MAX];
	int n;

	if (c->sending) {
		/* Only a file being sent needs its name on the other side. */
		if (c->file >= 0 && c->off < c->end)
			snprintf(st.name, sizeof(st.name), "%s", c->name);
		memcpy(st.hdr, c->hdr, c->hdr_len);
		st.in_len = 0;
	} else {
		st.off = st.end = 0;
		st.hdr_len = st.hdr_off = 0;
		memcpy(st.in, c->in, c->in_len);
	}
	n = rfile_state_encode(buf, sizeof(buf), &st);
	if (n < 0)
		return n;
	return roam_ho_export(s->ho, c->fd, buf, (size_t)n);
}

/* EXPORT: every connection goes to roamd; one that cannot stays here. */
static void export_all(struct server *s)
{
	uint32_t sent = 0;
	int ret;

	for (unsigned int i = s->nconns; i-- > 0;) {
		struct conn *c = s->conns[i];

		ret = conn_export(s, c);
		if (ret) {
			log_warn("%s: cannot hand over (%s): keeping it", c->peer, strerror(-ret));
			continue;
		}
		sent++;
		log_debug("%s: handed over at byte %lld", c->peer, (long long)c->off);
		conn_close(s, c, NULL);
	}
	ret = roam_ho_done(s->ho, sent);
	log_info("handed %u connections over to roamd%s", sent, ret ? " (DONE lost)" : "");
}

/* ADOPT: a connection another server's file server was serving. */
static void adopt(struct server *s, int fd, const uint8_t *state, size_t len)
{
	struct rfile_state st;
	struct conn *c;
	struct stat sb;

	if (rfile_state_decode(state, len, &st) || s->nconns >= s->max_conns ||
	    !(c = calloc(1, sizeof(*c)))) {
		log_warn("cannot adopt a connection (bad state or limit %u)", s->max_conns);
		close(fd);
		return;
	}
	c->fd = fd;
	c->file = -1;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	peer_name(c);
	s->conns[s->nconns++] = c;
	c->sending = st.reply;
	c->deadline_ms = mono_ms() + REQ_TIMEOUT_MS;
	memcpy(c->in, st.in, st.in_len);
	c->in_len = st.in_len;
	memcpy(c->hdr, st.hdr, st.hdr_len);
	c->hdr_len = st.hdr_len;
	c->hdr_off = st.hdr_off;
	c->off = (off_t)st.off;
	c->end = (off_t)st.end;
	snprintf(c->name, sizeof(c->name), "%s", st.name);
	if (c->off < c->end) {
		/* The same file must be here, at least as long. */
		c->file = st.name[0] ? openat(s->dirfd, st.name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
				     : -1;
		if (c->file < 0 || fstat(c->file, &sb) || !S_ISREG(sb.st_mode) ||
		    sb.st_size < c->end)
			return conn_close(s, c, "cannot resume: the file is not here");
	}
	epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &(struct epoll_event){
		.events = c->sending ? EPOLLOUT : EPOLLIN, .data.ptr = c });
	log_info("%s: adopted%s%s at byte %lld", c->peer, c->name[0] ? ", " : "", c->name,
		 (long long)c->off);
}

static void on_handoff(struct server *s)
{
	struct roam_ho_msg *m = malloc(sizeof(*m));
	int ret;

	if (!m)
		return;
	while (!(ret = roam_ho_recv(s->ho, m))) {
		if (m->type == ROAM_HO_EXPORT)
			s->export_req = true;	/* after this batch of events */
		else
			adopt(s, m->fd, m->state, m->state_len);
	}
	free(m);
	if (ret == -EAGAIN)
		return;
	/* roamd went away or spoke nonsense: serve on without handoff. */
	log_warn("handoff socket: %s; handoff off", strerror(-ret));
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, roam_ho_fd(s->ho), NULL);
	roam_ho_close(s->ho);
	s->ho = NULL;
}

static int listen_on(struct server *s, const char *spec)
{
	struct roam_addr a;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	if (roam_addr_parse(spec, &a) || a.family != 4) {
		fprintf(stderr, "roam-fileserver: bad listen address '%s' (want A.B.C.D:PORT)\n", spec);
		return -EINVAL;
	}
	memcpy(&sin.sin_addr, a.addr, 4);
	sin.sin_port = htons(a.port);
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		return -errno;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	/* roamd may start us just before the address is up. */
	setsockopt(s->lfd, IPPROTO_IP, IP_FREEBIND, &(int){ 1 }, sizeof(int));
	if (bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(s->lfd, 128)) {
		log_err("cannot listen on %s: %s", spec, strerror(errno));
		return -errno;
	}
	log_info("serving on %s", spec);
	return 0;
}

static int run(struct server *s)
{
	struct epoll_event evs[64];
	int n;

	while (!s->stop) {
		n = epoll_wait(s->epfd, evs, 64, 1000);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;

			if (p == &s->lfd) {
				on_accept(s);
			} else if (p == &s->ho) {
				if (s->ho)
					on_handoff(s);
			} else if (p == &s->sigfd) {
				log_info("stopping: closing %u connections", s->nconns);
				s->stop = true;
			} else {
				struct conn *c = p;

				if (c->sending)
					on_writable(s, c);
				else
					on_readable(s, c);
				/* c may be gone now; the rest of evs never names it twice. */
			}
		}
		/* Here, as it frees connections the batch may still name. */
		if (s->export_req && s->ho)
			export_all(s);
		s->export_req = false;
		expire(s);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: roam-fileserver -l ADDR:PORT -d DIR [-m MAXCONNS] [-v|-q]\n"
"  -l, --listen ADDR:PORT   address to serve on (the pool address)\n"
"  -d, --dir DIR            serve the regular files of DIR\n"
"  -m, --max-conns N        [256]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "dir", required_argument, NULL, 'd' },
		{ "max-conns", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server s = { .epfd = -1, .lfd = -1, .sigfd = -1, .max_conns = 256 };
	const char *listen_spec = NULL, *dir = NULL;
	sigset_t mask;
	int o, ret;

	roam_log_prog = "roam-fileserver";
	while ((o = getopt_long(argc, argv, "l:d:m:vqh", opts, NULL)) != -1) {
		switch (o) {
		case 'l': listen_spec = optarg; break;
		case 'd': dir = optarg; break;
		case 'm':
			if (parse_u32(optarg, 1, 65536, &s.max_conns)) {
				usage(stderr);
				return 2;
			}
			break;
		case 'v': roam_log_level = ROAM_LOG_DEBUG; break;
		case 'q': roam_log_level = ROAM_LOG_WARN; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!listen_spec || !dir || optind != argc) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	s.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.dirfd < 0) {
		log_err("%s: %s", dir, strerror(errno));
		return 1;
	}
	s.conns = calloc(s.max_conns, sizeof(*s.conns));
	s.sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	s.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!s.conns || s.sigfd < 0 || s.epfd < 0 || listen_on(&s, listen_spec))
		return 1;
	epoll_ctl(s.epfd, EPOLL_CTL_ADD, s.lfd,
		  &(struct epoll_event){ .events = EPOLLIN, .data.ptr = &s.lfd });
	epoll_ctl(s.epfd, EPOLL_CTL_ADD, s.sigfd,
		  &(struct epoll_event){ .events = EPOLLIN, .data.ptr = &s.sigfd });
	s.ho = roam_ho_open();
	if (s.ho)
		epoll_ctl(s.epfd, EPOLL_CTL_ADD, roam_ho_fd(s.ho),
			  &(struct epoll_event){ .events = EPOLLIN, .data.ptr = &s.ho });
	else if (errno != ENOENT)
		log_warn("%s: %s; serving without handoff", ROAM_HO_ENV, strerror(errno));
	ret = run(&s);
	while (s.nconns)
		conn_close(&s, s.conns[0], NULL);
	free(s.conns);
	close(s.lfd);
	close(s.epfd);
	close(s.sigfd);
	close(s.dirfd);
	roam_ho_close(s.ho);
	if (ret)
		log_err("event loop: %s", strerror(-ret));
	return ret ? 1 : 0;
}

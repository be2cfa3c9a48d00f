// SPDX-License-Identifier: GPL-2.0
/*
 * The live handoff end to end with the real file server, in a private
 * network namespace, without roam.ko (so both servers share 127.0.0.1
 * and the connections keep their address; roamd's parts are called
 * directly, as its handoff thread does):
 *
 *   client 1: GET big 0, reads slowly ----+
 *   client 2: "GET bi" (half a request) --+--> 127.0.0.1:9000
 *                                              roam-fileserver A  (old)
 *        ho A --EXPORT--> A --CONN fd+state--> ho A: freeze, close
 *        ho A ==TLS 1.3, PSK K_mig, 127.0.0.1:7444==> ho B: restore at
 *        127.0.0.1:9000 --ADOPT--> roam-fileserver B (listens on :9001)
 *
 * First with no connection negotiated (they stay with A and keep
 * working), then negotiated: both move, A is stopped, and client 1 gets
 * the rest of the file byte-exact, client 2 finishes its request and
 * gets its reply.  Needs root (TCP_REPAIR); prints TAP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../roamd/hoxfer.h"
#include "fileproto.h"
#include "hex.h"
#include "log.h"
#include "tap.h"

#define FILE_SIZE	(8u << 20)
#define SVC_PORT	9000
#define B_PORT		9001
#define CHAN_PORT	7444

static uint8_t *file;
static char dir[] = "/tmp/roam-handoff-e2e.XXXXXX";

static void lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
}

static struct sockaddr_in sin_lo(uint16_t port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

/* roam-fileserver with a handoff socket; *ho gets roamd's end. */
static pid_t start_server(const char *bin, uint16_t port, int *ho)
{
	char listen[32], num[16];
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	snprintf(num, sizeof(num), "%d", sv[1]);
	pid = fork();
	if (!pid) {
		fcntl(sv[1], F_SETFD, 0);
		setenv(ROAM_HO_ENV, num, 1);
		execl(bin, bin, "-l", listen, "-d", dir, "-q", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	*ho = sv[0];
	/* Up when it accepts. */
	for (int i = 0; i < 200; i++) {
		struct sockaddr_in a = sin_lo(port);
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		int ok = !connect(fd, (struct sockaddr *)&a, sizeof(a));

		close(fd);
		if (ok)
			return pid;
		usleep(10000);
	}
	return -1;
}

static int connect_to(uint16_t port, int rcvbuf)
{
	struct sockaddr_in a = sin_lo(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	/* Small, so the server's queues fill and a transfer is mid-way. */
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read exactly n bytes (10 s at most), or until EOF with n = SIZE_MAX. */
static ssize_t read_n(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 10000) <= 0)
			return -ETIMEDOUT;
		r = read(fd, buf + got, n - got);
		if (r == 0)
			break;
		if (r < 0)
			return -errno;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* The header line, byte by byte (it ends the first newline). */
static int read_header(int fd, struct rfile_resp *r)
{
	char line[RFILE_LINE_MAX + 1];
	const char *why;
	size_t n = 0;

	while (n < RFILE_LINE_MAX) {
		if (read_n(fd, (uint8_t *)line + n, 1) != 1)
			return -EIO;
		if (line[n++] == '\n')
			break;
	}
	return rfile_resp_parse(line, n, r, &why) == (int)n ? 0 : -EBADMSG;
}

struct serve {
	struct ho *ho;
	int lfd;
};

static void *serve_main(void *arg)
{
	struct serve *s = arg;
	int fd;

	while ((fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		ho_serve(s->ho, fd);
	return NULL;
}

static struct ho *new_ho(const uint8_t *key, bool negotiated, bool receiver)
{
	struct ho_cfg c = { .timeout_ms = 5000, .assume_negotiated = negotiated,
			    .same_addr = receiver, .service_port = receiver ? SVC_PORT : 0 };
	char err[256];
	struct ho *h;

	memcpy(c.kmig, key, MIG_KEY_LEN);
	if (ho_new(&h, &c, err, sizeof(err))) {
		printf("# %s\n", err);
		return NULL;
	}
	return h;
}

static bool check_sha(const struct rfile_resp *r)
{
	uint8_t md[32];
	unsigned int n;

	return EVP_Digest(file, FILE_SIZE, md, &n, EVP_sha256(), NULL) &&
	       !memcmp(md, r->sha256, 32);
}

int main(void)
{
	char bin[PATH_MAX], path[PATH_MAX + 32];
	uint8_t key[MIG_KEY_LEN], *got;
	struct sockaddr_in chan = sin_lo(CHAN_PORT);
	struct ho *ho_a, *ho_a0, *ho_b;
	struct rfile_resp r1, r2;
	struct ho_stats sa, sb;
	int svc_a, svc_b, c1, c2, fd;
	uint64_t t0, stall;
	struct serve sv;
	pthread_t th;
	pid_t a, b;
	ssize_t n, n1;
	size_t have;
	FILE *f;

	signal(SIGPIPE, SIG_IGN);
	roam_log_prog = "handoff-e2e";
	if (getenv("V"))
		roam_log_level = ROAM_LOG_DEBUG;
	if (geteuid())
		tap_skip_all("needs root (TCP_REPAIR, a network namespace)");
	if (unshare(CLONE_NEWNET))
		tap_skip_all("cannot make a network namespace: %s", strerror(errno));
	n = readlink("/proc/self/exe", bin, sizeof(bin) - 32);
	if (n <= 0)
		tap_skip_all("where am I?");
	bin[n] = 0;
	*strrchr(bin, '/') = 0;
	snprintf(path, sizeof(path), "%s/../bin/roam-fileserver", bin);
	if (access(path, X_OK))
		tap_skip_all("%s not built", path);
	lo_up();
	tap_plan(11);

	/* The file: a pattern where any shift or loss shows. */
	file = malloc(FILE_SIZE);
	got = malloc(FILE_SIZE);
	for (uint32_t i = 0; i < FILE_SIZE; i++)
		file[i] = (uint8_t)((i * 2654435761u) >> 13 ^ i);
	if (!mkdtemp(dir))
		return 1;
	snprintf(bin, sizeof(bin), "%s/big", dir);
	f = fopen(bin, "w");
	if (!f || fwrite(file, 1, FILE_SIZE, f) != FILE_SIZE || fclose(f))
		return 1;

	a = start_server(path, SVC_PORT, &svc_a);
	b = start_server(path, B_PORT, &svc_b);
	tap_ok(a > 0 && b > 0, "two file servers with handoff sockets (A on :%u, B on :%u)",
	       SVC_PORT, B_PORT);
	memset(key, 0x5a, sizeof(key));
	ho_a0 = new_ho(key, false, false);
	ho_a = new_ho(key, true, false);
	ho_b = new_ho(key, false, true);
	if (!ho_a || !ho_a0 || !ho_b || a < 0 || b < 0)
		return 1;
	ho_set_service(ho_a0, fcntl(svc_a, F_DUPFD_CLOEXEC, 0));
	ho_set_service(ho_a, svc_a);
	ho_set_service(ho_b, svc_b);
	sv.ho = ho_b;
	sv.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(sv.lfd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (bind(sv.lfd, (struct sockaddr *)&chan, sizeof(chan)) || listen(sv.lfd, 4) ||
	    pthread_create(&th, NULL, serve_main, &sv))
		return 1;

	/* Client 1 mid-transfer, client 2 mid-request. */
	c1 = connect_to(SVC_PORT, 32768);
	c2 = connect_to(SVC_PORT, 0);
	if (c1 < 0 || c2 < 0 || write(c1, "GET big 0\n", 10) != 10 || write(c2, "GET bi", 6) != 6)
		return 1;
	have = 0;
	n = read_header(c1, &r1) ? -1 : read_n(c1, got, 1 << 20);
	tap_ok(n == 1 << 20 && r1.ok && r1.size == FILE_SIZE && check_sha(&r1),
	       "client 1: header and the first MiB from A");
	have = n > 0 ? (size_t)n : 0;
	usleep(200000);		/* A's send queue and client 1's receive queue fill up */

	/* Not negotiated: everything stays with A. */
	tap_ok(!ho_move_out(ho_a0, (struct sockaddr *)&chan, sizeof(chan)),
	       "a handoff with no connection negotiated completes");
	ho_get_stats(ho_a0, &sa);
	tap_ok(sa.exported == 2 && sa.kept == 2 && sa.moved == 0 && sa.lost == 0,
	       "both went back to A (exported %llu, kept %llu, moved %llu)",
	       (unsigned long long)sa.exported, (unsigned long long)sa.kept,
	       (unsigned long long)sa.moved);
	n = read_n(c1, got + have, 1 << 20);
	tap_ok(n == 1 << 20 && !memcmp(got, file, have + (size_t)n),
	       "client 1: the next MiB from A, byte-exact");
	have += n > 0 ? (size_t)n : 0;
	usleep(200000);

	/* Negotiated: both move to B; then A goes away. */
	t0 = ho_now_ms();
	tap_ok(!ho_move_out(ho_a, (struct sockaddr *)&chan, sizeof(chan)),
	       "the handoff to B completes");
	stall = ho_now_ms() - t0;
	ho_get_stats(ho_a, &sa);
	ho_get_stats(ho_b, &sb);
	tap_ok(sa.exported == 2 && sa.moved == 2 && sa.kept == 0 && sa.lost == 0 &&
	       sb.adopted == 2 && sb.in_failed == 0,
	       "2 connections moved and adopted (%llu ms from EXPORT to RESULT)",
	       (unsigned long long)stall);
	kill(a, SIGTERM);
	waitpid(a, NULL, 0);

	fd = connect_to(SVC_PORT, 0);
	tap_ok(fd < 0, "A is gone: nothing listens on :%u", SVC_PORT);
	if (fd >= 0)
		close(fd);
	n = read_n(c1, got + have, FILE_SIZE);
	n1 = read_n(c1, got, 1);
	tap_ok(n >= 0 && have + (size_t)n == FILE_SIZE && !memcmp(got, file, FILE_SIZE) && n1 == 0,
	       "client 1: the rest from B, byte-exact, then EOF (%zd bytes after the move)", n);
	n = -1;
	if (write(c2, "g 4194304\n", 10) == 10 && !read_header(c2, &r2))
		n = read_n(c2, got, FILE_SIZE);
	tap_ok(r2.ok && r2.offset == 4194304 && n == (ssize_t)(FILE_SIZE - 4194304) &&
	       !memcmp(got, file + 4194304, (size_t)n),
	       "client 2: the rest of its request on B, its reply byte-exact");
	ho_get_stats(ho_b, &sb);
	tap_ok(sb.in_sessions == 2 && sb.in_refused == 0,
	       "B: 2 sessions, none refused");

	close(c1);
	close(c2);
	kill(b, SIGTERM);
	waitpid(b, NULL, 0);
	shutdown(sv.lfd, SHUT_RDWR);
	pthread_join(th, NULL);
	close(sv.lfd);
	ho_free(ho_a);
	ho_free(ho_a0);
	ho_free(ho_b);
	snprintf(path, sizeof(path), "%s/big", dir);
	unlink(path);
	rmdir(dir);
	free(file);
	free(got);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A live TCP connection moved 10 times between two server namespaces
 * with lib/tcprepair.c, streaming both ways, byte-exact.
 *
 *   ns C (10.77.0.100)          ns S1 (10.77.0.1)      ns S2 (10.77.0.2)
 *        tun0                        tun0                   tun0
 *          \________________ this process _________________/
 *                 relay: the "wire" and the client's roam.ko
 *
 * The client's socket stays connected to 10.77.0.1.  The relay plays
 * roam.ko's part on the client (Documentation/roam-handoff.md): while a
 * move runs it holds the client's segments, and afterwards it rewrites
 * 10.77.0.1 <-> the current server's address with checksum updates, so
 * the restored socket lives in another namespace with another address.
 * Each move: hold, tcpr_freeze, encode, close, decode, tcpr_restore in
 * the other namespace beside its listener, tcpr_finish, release.
 *
 * Odd moves come with full queues (readers paused until nothing moves:
 * MB-sized send and receive queues, zero windows), even ones mid-stream
 * (data in flight, unacknowledged bytes refilled as sent).  Two more
 * moves drop the old server's segments still on the wire, to measure
 * what a loss of the bytes in flight costs a restored socket.
 *
 * Checked: every byte read is the byte written at that offset, totals
 * equal, no segment with RST on the relay, no socket error, no PAWS
 * drop and no RST sent in any namespace (nstat counters), the stall of
 * each move (from the freeze until the restored socket has both sent
 * data the client acknowledged and received the client's new data).
 * Needs root (namespaces, TUN, TCP_REPAIR).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <linux/tcp.h>	/* struct tcp_info with the byte counters */
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "tcprepair.h"

#define PORT		8080
#define MOVES		10
#define LOSS_MOVES	2
#define BUF_FORCE	(2 << 20)	/* SO_*BUFFORCE: 4 MB buffers */
#define MB		(1 << 20)
#define PKT_MAX		2048
#define HOLD_MAX	8192
#define TIMEOUT_MS	10000

enum { NS_C, NS_S1, NS_S2, NS_N };

static const char *const ns_addr[NS_N] = { "10.77.0.100", "10.77.0.1", "10.77.0.2" };
static struct {
	char name[32];
	int fd, tun;
	uint32_t addr;		/* network order */
} ns[NS_N];
static int orig_ns = -1;

/* The relay */
static int cur = NS_S1;		/* where the connection lives */
static bool hold, drop_old;	/* hold the client's segments; drop the old server's */
static int old_srv;
static struct {
	uint16_t len;
	uint8_t b[PKT_MAX];
} *held;
static unsigned int nheld;
static unsigned long rsts, dropped, other, hold_overflow, late_old;

/* The stream: byte i of each direction is pat(dir, i). */
static int c_fd = -1, s_fd = -1;
static uint64_t sw, cr, cw, sr;	/* server wrote, client read, client wrote, server read */
static bool readers = true, writers = true;

static uint8_t pat(uint32_t seed, uint64_t i)
{
	uint64_t x = (i + seed) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)(x >> 56 ^ x >> 29);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* ---------------------------------------------------------------------- */
/* Namespaces and TUN devices                                             */
/* ---------------------------------------------------------------------- */

static void cleanup(void)
{
	char cmd[256];
	int i;

	for (i = 0; i < NS_N; i++) {
		if (!ns[i].name[0])
			continue;
		if (ns[i].tun >= 0)
			close(ns[i].tun);
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", ns[i].name);
		if (system(cmd))
			printf("# could not delete %s\n", ns[i].name);
	}
}

static int enter(int i)
{
	return setns(i < 0 ? orig_ns : ns[i].fd, CLONE_NEWNET) ? -errno : 0;
}

static int setup(void)
{
	static const char *const tag[NS_N] = { "c", "s1", "s2" };
	struct ifreq ifr;
	char cmd[512], path[192];
	int i;

	orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	for (i = 0; i < NS_N; i++)
		ns[i].tun = -1;
	atexit(cleanup);
	for (i = 0; i < NS_N; i++) {
		snprintf(ns[i].name, sizeof(ns[i].name), "tcpmove-%s-%d", tag[i], getpid());
		snprintf(cmd, sizeof(cmd), "ip netns add %s", ns[i].name);
		if (system(cmd)) {
			ns[i].name[0] = 0;
			return -1;
		}
		snprintf(path, sizeof(path), "/run/netns/%s", ns[i].name);
		ns[i].fd = open(path, O_RDONLY | O_CLOEXEC);
		if (ns[i].fd < 0 || enter(i))
			return -1;
		/* The device is made in the namespace the opener is in. */
		ns[i].tun = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
		strcpy(ifr.ifr_name, "tun0");
		if (ns[i].tun < 0 || ioctl(ns[i].tun, TUNSETIFF, &ifr))
			return -1;
		inet_pton(AF_INET, ns_addr[i], &ns[i].addr);
		snprintf(cmd, sizeof(cmd),
			 "ip -n %1$s link set lo up && ip -n %1$s link set tun0 up mtu 1500 "
			 "txqueuelen 10000 && ip -n %1$s addr add %2$s/24 dev tun0",
			 ns[i].name, ns_addr[i]);
		if (system(cmd))
			return -1;
	}
	return enter(-1);
}

/* ---------------------------------------------------------------------- */
/* Relay                                                                  */
/* ---------------------------------------------------------------------- */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* RFC 1624: the checksum at p after a 32-bit word changed from o to n. */
static void csum_replace(uint8_t *p, const uint8_t *o, const uint8_t *n)
{
	uint32_t s = (uint16_t)~get16(p);

	s += (uint16_t)~get16(o) + (uint16_t)~get16(o + 2) + get16(n) + get16(n + 2);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	put16(p, (uint16_t)~s);
}

/* Rewrite the address at a (source or destination) to n. */
static void rewrite(uint8_t *pkt, size_t len, uint8_t *a, uint32_t n)
{
	size_t ihl = (pkt[0] & 0xf) * 4;
	uint8_t old[4];

	memcpy(old, a, 4);
	memcpy(a, &n, 4);
	csum_replace(pkt + 10, old, a);
	if (pkt[9] == IPPROTO_TCP && len >= ihl + 20)
		csum_replace(pkt + ihl + 16, old, a);
}

static bool tcp_pkt(const uint8_t *p, size_t len)
{
	return len >= 40 && (p[0] >> 4) == 4 && p[9] == IPPROTO_TCP &&
		len >= (size_t)(p[0] & 0xf) * 4 + 20;
}

static void to_server(uint8_t *p, size_t len)
{
	if (ns[cur].addr != ns[NS_S1].addr)
		rewrite(p, len, p + 16, ns[cur].addr);
	if (write(ns[cur].tun, p, len) < 0)
		dropped++;
}

static void from_client(uint8_t *p, size_t len)
{
	uint32_t dst;

	if (!tcp_pkt(p, len)) {
		other++;	/* not IPv4 TCP: IPv6 housekeeping */
		return;
	}
	memcpy(&dst, p + 16, 4);
	if (dst != ns[NS_S1].addr) {
		dropped++;
		return;
	}
	if (p[(p[0] & 0xf) * 4 + 13] & 0x04)
		rsts++;
	if (!hold) {
		to_server(p, len);
		return;
	}
	if (nheld == HOLD_MAX) {
		hold_overflow++;
		return;
	}
	held[nheld].len = len;
	memcpy(held[nheld++].b, p, len);
}

static void from_server(int i, uint8_t *p, size_t len)
{
	size_t ihl = (p[0] & 0xf) * 4;
	uint32_t src;

	if (!tcp_pkt(p, len)) {
		other++;
		return;
	}
	memcpy(&src, p + 12, 4);
	if (src != ns[i].addr) {
		dropped++;
		return;
	}
	if (p[ihl + 13] & 0x04)
		rsts++;
	if (i != cur) {
		late_old++;
		/* The bytes in flight from the old server, lost on the wire. */
		if (drop_old && len > ihl + (p[ihl + 12] >> 4) * 4u)
			return;
	}
	if (i != NS_S1)
		rewrite(p, len, p + 12, ns[NS_S1].addr);
	if (write(ns[NS_C].tun, p, len) < 0)
		dropped++;
}

static void release(void)
{
	unsigned int i;

	for (i = 0; i < nheld; i++)
		to_server(held[i].b, held[i].len);
	nheld = 0;
	hold = false;
}

/* Move what waits in the TUN devices; true if anything moved. */
static bool relay(void)
{
	uint8_t p[PKT_MAX];
	bool moved = false;
	int i, k;
	ssize_t n;

	/*
	 * The old server's segments first, all of them: they left before the
	 * new server's.  Reordered after them, they would be dropped by
	 * PAWS, the new server's TSval being ahead (a real path may do that).
	 */
	static const int order[2][NS_N] = { { NS_C, NS_S2, NS_S1 }, { NS_C, NS_S1, NS_S2 } };
	int j;

	for (j = 0; j < NS_N; j++)
		for (i = order[cur == NS_S2][j], k = 0;
		     k < (i == NS_C || i == cur ? 512 : 1 << 20); k++) {
			n = read(ns[i].tun, p, sizeof(p));
			if (n <= 0)
				break;
			moved = true;
			if (i == NS_C)
				from_client(p, n);
			else
				from_server(i, p, n);
		}
	return moved;
}

/* ---------------------------------------------------------------------- */
/* The stream                                                             */
/* ---------------------------------------------------------------------- */

static int xfer(int fd, uint32_t seed, uint64_t *off, bool wr)
{
	uint8_t buf[65536];
	size_t i;
	ssize_t r;
	int k;

	for (k = 0; k < 16; k++) {
		if (wr)
			for (i = 0; i < sizeof(buf); i++)
				buf[i] = pat(seed, *off + i);
		r = wr ? send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL) :
			recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN)
			return 0;
		if (r <= 0)
			return r ? -errno : -EPIPE;
		if (!wr)
			for (i = 0; i < (size_t)r; i++)
				if (buf[i] != pat(seed, *off + i))
					return -EILSEQ;
		*off += r;
	}
	return 0;
}

/* One round of the loop: relay, write, read.  <0 on a socket error. */
static int step(bool *moved)
{
	uint64_t before = sw + cr + cw + sr;
	struct pollfd p[NS_N];
	int i, ret = 0;

	for (i = 0; i < NS_N; i++)
		p[i] = (struct pollfd){ ns[i].tun, POLLIN, 0 };
	poll(p, NS_N, 1);
	*moved = relay();
	if (writers && ((ret = xfer(s_fd, 1, &sw, true)) || (ret = xfer(c_fd, 2, &cw, true))))
		return ret;
	if (readers && ((ret = xfer(c_fd, 1, &cr, false)) || (ret = xfer(s_fd, 2, &sr, false))))
		return ret;
	*moved |= sw + cr + cw + sr != before;
	return 0;
}

/* Run the loop for ms milliseconds, or until nothing moved for idle ms. */
static int run(double ms, double idle)
{
	double t = now_ms(), last = t;
	bool moved;
	int ret;

	while (now_ms() - t < ms) {
		if ((ret = step(&moved)))
			return ret;
		if (moved)
			last = now_ms();
		else if (idle > 0 && now_ms() - last > idle)
			break;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Counters                                                               */
/* ---------------------------------------------------------------------- */

/* A counter of /proc/net/{netstat,snmp} ("TcpExt", "PAWSEstab") in ns i. */
static long long counter(int i, const char *file, const char *grp, const char *name)
{
	char path[64], names[4096], vals[4096], *n, *v, *sn, *sv;
	size_t gl = strlen(grp);
	long long val = -1;
	FILE *f;

	if (enter(i))
		return -1;
	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", file);
	f = fopen(path, "r");
	while (f && fgets(names, sizeof(names), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(names, grp, gl) || names[gl] != ':')
			continue;
		n = strtok_r(names + gl + 1, " \n", &sn);
		v = strtok_r(vals + gl + 1, " \n", &sv);
		for (; n && v; n = strtok_r(NULL, " \n", &sn), v = strtok_r(NULL, " \n", &sv))
			if (!strcmp(n, name))
				val = atoll(v);
	}
	if (f)
		fclose(f);
	enter(-1);
	return val;
}

static long long counters[NS_N][3];

static void read_counters(long long out[NS_N][3])
{
	int i;

	for (i = 0; i < NS_N; i++) {
		out[i][0] = counter(i, "netstat", "TcpExt", "PAWSEstab");
		out[i][1] = counter(i, "snmp", "Tcp", "OutRsts");
		out[i][2] = counter(i, "netstat", "TcpExt", "TCPAbortOnData");
	}
}

/* ---------------------------------------------------------------------- */
/* Moves                                                                  */
/* ---------------------------------------------------------------------- */

struct move {
	double freeze_ms, stall_ms;
	uint32_t sndq, unsent, rcvq, retrans, retrans_before;
	unsigned long late;	/* the old server's segments relayed after the freeze */
};

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Segments already written into the TUN device are processed in softirq
 * after the write returns: wait until the socket stops changing, as
 * roam.ko's block must wait for packets past its hook.
 */
static void settle(int fd)
{
	struct tcp_info a, b;
	socklen_t l = sizeof(a);
	int k;

	memset(&a, 0, sizeof(a));
	getsockopt(fd, IPPROTO_TCP, TCP_INFO, &a, &l);
	for (k = 0; k < 100; k++) {
		usleep(1000);
		l = sizeof(b);
		memset(&b, 0, sizeof(b));
		getsockopt(fd, IPPROTO_TCP, TCP_INFO, &b, &l);
		if (a.tcpi_segs_in == b.tcpi_segs_in && a.tcpi_segs_out == b.tcpi_segs_out)
			return;
		a = b;
	}
}

/* What the sockets look like when a move hangs. */
static void diag(void)
{
	char cmd[1024];
	int i;

	for (i = 0; i < NS_N; i++) {
		snprintf(cmd, sizeof(cmd), "ip netns exec %s ss -tino 2>/dev/null | sed 's/^/# %s: /'; "
			 "ip netns exec %s nstat -az | awk '$2 != 0' | sed 's/^/# /' | tr '\\n' ' '; echo; "
			 "ip -s -n %s link show tun0 | sed 's/^/# /'",
			 ns[i].name, ns[i].name, ns[i].name, ns[i].name);
		if (system(cmd))
			printf("# ss failed\n");
	}
	printf("# relay: %lu held, %lu dropped, %lu late from the old server\n", (unsigned long)nheld, dropped, late_old);
}

/*
 * Move the server socket to the other namespace; then run until the
 * restored socket has had data acknowledged and received new data.
 */
static int move(struct move *m, char *err, size_t errlen)
{
	int next = cur == NS_S1 ? NS_S2 : NS_S1, fd, n, ret;
	struct sockaddr_in la = { .sin_family = AF_INET };
	struct tcpr_state st, st2;
	struct tcp_info ti;
	socklen_t tl;
	uint8_t *blob;
	double t0;
	bool moved;

	tl = sizeof(ti);
	if (getsockopt(s_fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0)
		m->retrans_before = ti.tcpi_total_retrans;
	m->late = late_old;
	t0 = now_ms();
	hold = true;
	settle(s_fd);
	if ((ret = tcpr_freeze(s_fd, &st, err, errlen)))
		return ret;
	close(s_fd);	/* at once, in repair mode: nothing on the wire */
	s_fd = -1;
	blob = malloc(tcpr_encoded_len(&st));
	n = blob ? tcpr_encode(&st, blob, tcpr_encoded_len(&st)) : -ENOMEM;
	tcpr_state_free(&st);
	if (n < 0) {
		free(blob);
		snprintf(err, errlen, "encode: %s", strerror(-n));
		return n;
	}
	ret = tcpr_decode(blob, n, &st2, NULL);
	free(blob);
	if (ret) {
		snprintf(err, errlen, "decode: %s", strerror(-ret));
		return ret;
	}
	m->freeze_ms = now_ms() - t0;
	m->sndq = st2.sndq_len;
	m->unsent = st2.unsent;
	m->rcvq = st2.rcvq_len;

	la.sin_addr.s_addr = ns[next].addr;
	if ((ret = enter(next)))
		goto out;
	fd = tcpr_restore(&st2, (struct sockaddr *)&la, sizeof(la), err, errlen);
	if (fd < 0) {
		ret = fd;
		enter(-1);
		goto out;
	}
	old_srv = cur;
	cur = next;
	ret = tcpr_finish(fd, &st2, err, errlen);
	enter(-1);
	s_fd = fd;
	if (ret)
		goto out;
	release();
	readers = true;

	for (;;) {
		if ((ret = step(&moved))) {
			snprintf(err, errlen, "after the move: %s", strerror(-ret));
			break;
		}
		tl = sizeof(ti);
		if (getsockopt(s_fd, IPPROTO_TCP, TCP_INFO, &ti, &tl)) {
			ret = -errno;
			break;
		}
		/* Acked beyond the refilled bytes in flight: new data went through. */
		if (ti.tcpi_bytes_acked > m->sndq - m->unsent && ti.tcpi_bytes_received) {
			m->stall_ms = now_ms() - t0;
			m->retrans = ti.tcpi_total_retrans;
			m->late = late_old - m->late;
			break;
		}
		if (now_ms() - t0 > TIMEOUT_MS) {
			diag();
			snprintf(err, errlen, "no progress %d ms after the freeze", TIMEOUT_MS);
			ret = -ETIMEDOUT;
			break;
		}
	}
out:
	tcpr_state_free(&st2);
	return ret;
}

static int connect_stream(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int l[NS_N] = { -1, -1, -1 }, i, one = 1, buf = BUF_FORCE;

	/* A listener on both servers: the restore binds beside it. */
	for (i = NS_S1; i <= NS_S2; i++) {
		sa.sin_addr.s_addr = ns[i].addr;
		if (enter(i))
			return -1;
		l[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		setsockopt(l[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(l[i], SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
		setsockopt(l[i], SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
		if (bind(l[i], (struct sockaddr *)&sa, sizeof(sa)) || listen(l[i], 4))
			return -1;
	}
	if (enter(NS_C))
		return -1;
	c_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	setsockopt(c_fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	setsockopt(c_fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	sa.sin_addr.s_addr = ns[NS_S1].addr;
	connect(c_fd, (struct sockaddr *)&sa, sizeof(sa));
	enter(-1);
	for (i = 0; i < 2000 && s_fd < 0; i++) {
		relay();
		s_fd = accept4(l[NS_S1], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (s_fd < 0)
			usleep(1000);
	}
	/* The listeners stay open (in S2 it is the one the restore shares). */
	return s_fd < 0 ? -1 : 0;
}

int main(void)
{
	struct move m[MOVES + LOSS_MOVES];
	long long after[NS_N][3];
	double stalls[MOVES];
	char err[256] = "";
	int i, ret;
	uint32_t min_sndq = UINT32_MAX, min_rcvq = UINT32_MAX, max_unacked = 0;

	if (geteuid())
		tap_skip_all("needs root (namespaces, TUN, TCP_REPAIR)");
	held = calloc(HOLD_MAX, sizeof(*held));
	if (!held || setup() || connect_stream()) {
		printf("# set-up failed: %s\n", strerror(errno));
		tap_plan(1);
		tap_ok(false, "namespaces, TUN relay and a connection");
		return tap_done();
	}
	tap_plan(9);
	read_counters(counters);
	for (i = 0, ret = 0; !ret && i < 50 && (cr < MB || sr < MB); i++)
		ret = run(100, 0);
	tap_ok(!ret && cr >= MB && sr >= MB, "stream both ways before the moves: %llu / %llu bytes",
	       (unsigned long long)cr, (unsigned long long)sr);

	for (i = 0; i < MOVES + LOSS_MOVES && !ret; i++) {
		bool full = i < MOVES && i % 2 == 0;

		if (full) {
			/* Full queues: nobody reads until nothing moves. */
			readers = false;
			ret = run(3000, 50);
		} else {
			ret = run(100, 0);
		}
		drop_old = i >= MOVES;
		if (!ret)
			ret = move(&m[i], err, sizeof(err));
		drop_old = false;
		if (ret) {
			printf("# move %d: %s\n", i + 1, err);
			break;
		}
		printf("# move %2d%s: send queue %7u (%7u unsent) receive queue %7u, freeze+transfer %.2f ms, stall %.2f ms, retransmits %u (old socket %u), old server's segments after the freeze %lu\n",
		       i + 1, full ? " full" : i >= MOVES ? " loss" : "     ", m[i].sndq, m[i].unsent,
		       m[i].rcvq, m[i].freeze_ms, m[i].stall_ms, m[i].retrans, m[i].retrans_before, m[i].late);
		if (i < MOVES) {
			stalls[i] = m[i].stall_ms;
			if (full) {
				min_sndq = m[i].sndq < min_sndq ? m[i].sndq : min_sndq;
				min_rcvq = m[i].rcvq < min_rcvq ? m[i].rcvq : min_rcvq;
			} else if (m[i].sndq - m[i].unsent > max_unacked) {
				max_unacked = m[i].sndq - m[i].unsent;
			}
		}
	}
	tap_ok(!ret && i == MOVES + LOSS_MOVES, "%d moves between two namespaces (%d with the bytes in flight lost)",
	       i, LOSS_MOVES);
	if (!ret) {
		qsort(stalls, MOVES, sizeof(stalls[0]), cmp_d);
		printf("# stall over %d moves: min %.2f ms, median %.2f ms, max %.2f ms\n", MOVES,
		       stalls[0], (stalls[MOVES / 2 - 1] + stalls[MOVES / 2]) / 2, stalls[MOVES - 1]);
		tap_ok(min_sndq >= MB && min_rcvq >= MB,
		       "full-queue moves carried MB-sized queues: send >= %u, receive >= %u bytes",
		       min_sndq, min_rcvq);
		tap_ok(max_unacked > 0, "mid-stream moves carried bytes in flight (up to %u unacknowledged)",
		       max_unacked);
	} else {
		tap_ok(false, "MB-sized queues");
		tap_ok(false, "bytes in flight");
	}

	/* The end: the writers stop, the readers get everything. */
	writers = false;
	readers = true;
	if (!ret)
		ret = run(TIMEOUT_MS, 500);
	tap_ok(!ret && cr == sw && sr == cw,
	       "byte-exact both ways: server->client %llu of %llu, client->server %llu of %llu (%s)",
	       (unsigned long long)cr, (unsigned long long)sw, (unsigned long long)sr,
	       (unsigned long long)cw, ret ? strerror(-ret) : "no socket error");
	tap_ok(!rsts, "no segment with RST on the wire (%lu)", rsts);
	read_counters(after);
	for (ret = 0, i = 0; i < NS_N; i++)
		ret |= after[i][0] != counters[i][0] || counters[i][0] < 0;
	tap_ok(!ret, "no PAWS drop (TcpExtPAWSEstab: client %lld, S1 %lld, S2 %lld)",
	       after[NS_C][0] - counters[NS_C][0], after[NS_S1][0] - counters[NS_S1][0],
	       after[NS_S2][0] - counters[NS_S2][0]);
	for (ret = 0, i = 0; i < NS_N; i++)
		ret |= after[i][1] != counters[i][1] || after[i][2] != counters[i][2];
	tap_ok(!ret, "no RST sent, no abort, in any namespace (TcpOutRsts, TcpExtTCPAbortOnData)");
	tap_ok(!hold_overflow && !dropped, "relay: nothing dropped (%lu), held segments fit (%lu over)",
	       dropped, hold_overflow);
	close(c_fd);
	close(s_fd);
	return tap_done();
}

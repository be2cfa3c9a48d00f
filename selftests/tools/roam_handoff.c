// SPDX-License-Identifier: GPL-2.0
/*
 * The live TCP handoff, end to end (selftests/roam_handoff.sh).
 *
 * serve: both server applications in one process.  Listens in namespace
 * A, accepts a stream connection (a deterministic byte pattern to the
 * client) and an echo connection, and every INTERVAL ms moves both to
 * the other server: block the 4-tuples in the old server's roam.ko,
 * freeze the sockets (lib/tcprepair), restore them in the other
 * namespace bound to its address, install them in its roam.ko as
 * MIGRATING with the MIGRATE bytes (lib/migkey, OpenSSL), leave repair
 * mode, forget them in the old server, and serve on; the move ends with
 * roam.ko's CONFIRMED events (the next one waits for them).  Prints one
 * line per move with its stall (block to the last CONFIRMED), and the
 * MIGRATE bytes it used (the test replays one of them).
 *
 *   roam_handoff serve -a NSPATH_A -A ADDR_A -b NSPATH_B -B ADDR_B -p PORT
 *                      -k KMIG_HEX -n MOVES -i INTERVAL_MS -s BYTES [-q MS]
 *
 * -q MS: the stream pauses MS before each move, so that the client has
 * acknowledged everything when the move begins and the first client
 * segment the new server sees answers its own data (with MIGRATE), not
 * a delayed ACK of the old server's.
 *
 * client: connects both, reads and checks the pattern, sends an echo
 * request every 10 ms and checks the answers; exits 0 only if every
 * byte arrived in order and no read or write failed.
 *
 *   roam_handoff client -d ADDR -p PORT -s BYTES
 *
 * forge: one TCP ACK with a MIGRATE option (20 bytes: orig, counter,
 * MAC, in hex) from a spoofed source, by raw socket.
 *
 *   roam_handoff forge -S SRC:PORT -D DST:PORT -m HEX40
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/roam.h>

#include "genl.h"
#include "hex.h"
#include "migkey.h"
#include "tcprepair.h"

#define NCONN	2	/* stream, echo */
#define REQ_LEN	16

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#include <stdarg.h>
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "roam_handoff: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint8_t pat(uint64_t i)
{
	return (uint8_t)(i * 7 + (i >> 8) * 13 + (i >> 16));
}

static int parse_ep(const char *s, struct sockaddr_in *sin)
{
	char buf[64], *c;

	snprintf(buf, sizeof(buf), "%s", s);
	c = strrchr(buf, ':');
	if (!c)
		return -1;
	*c = 0;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(atoi(c + 1));
	return inet_pton(AF_INET, buf, &sin->sin_addr) == 1 ? 0 : -1;
}

/* ------------------------------------------------------------ server */

/* A move whose CONFIRMED events are still awaited. */
struct pending {
	bool on;
	int moveno, from, to;
	uint64_t t0, t_frozen, t_restored;
};

struct srv {
	struct pending p;
	int ns[2];			/* namespace fds: A, B */
	struct in_addr addr[2];
	struct genl_sock gs[2];		/* roam family in each */
	struct genl_sock ev[2];		/* events group in each */
	uint16_t fam[2];
	uint16_t port;
	uint8_t kmig[MIG_KEY_LEN];
	int cur;			/* the namespace holding the sockets */
};

struct conn {
	int fd;
	struct sockaddr_in peer;
};

static void enter(struct srv *s, int i)
{
	if (setns(s->ns[i], CLONE_NEWNET) < 0)
		die("setns: %s", strerror(errno));
}

static void open_roam(struct srv *s, int i)
{
	struct genl_family fam;
	int ret, grp;

	enter(s, i);
	if (genl_open(&s->gs[i]) || genl_open(&s->ev[i]))
		die("genl_open");
	ret = genl_family_get(&s->gs[i], ROAM_GENL_NAME, &fam);
	if (ret < 0)
		die("roam family: %s", strerror(-ret));
	s->fam[i] = fam.id;
	grp = genl_family_mcgrp(&fam, ROAM_GENL_MCGRP_EVENTS);
	if (grp < 0 || genl_mcast_join(&s->ev[i], grp) < 0)
		die("cannot join the events group");
}

static struct nlmsghdr *req(struct srv *s, int i, uint8_t cmd)
{
	return genl_req(&s->gs[i], s->fam[i], cmd, ROAM_GENL_VERSION);
}

static void put_key(struct nlmsghdr *nlh, struct in_addr la, uint16_t lport,
		    const struct sockaddr_in *peer)
{
	mnl_attr_put_u32(nlh, ROAM_CONN_A_LADDR4, la.s_addr);
	mnl_attr_put_u16(nlh, ROAM_CONN_A_LPORT, htons(lport));
	mnl_attr_put_u32(nlh, ROAM_CONN_A_RADDR4, peer->sin_addr.s_addr);
	mnl_attr_put_u16(nlh, ROAM_CONN_A_RPORT, peer->sin_port);
}

struct entry {
	uint32_t id, counter;
	uint8_t cn[MIG_NONCE_LEN], sn[MIG_NONCE_LEN];
	uint32_t orig;
	int found;
};

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	const struct nlattr *t[ROAM_A_MAX + 1], *tb[ROAM_CONN_A_MAX + 1];
	static const enum mnl_attr_data_type pol[ROAM_CONN_A_MAX + 1] = {
		[ROAM_CONN_A_CLIENT_ID] = MNL_TYPE_U32,
		[ROAM_CONN_A_COUNTER] = MNL_TYPE_U32,
		[ROAM_CONN_A_ORIG4] = MNL_TYPE_U32,
	};
	struct entry *e = data;

	if (genl_attr_parse(nlh, top, t, ROAM_A_MAX) < 0 || !t[ROAM_A_CONN] ||
	    genl_attr_parse_nested(t[ROAM_A_CONN], pol, tb, ROAM_CONN_A_MAX) < 0)
		return -EBADMSG;
	if (!tb[ROAM_CONN_A_CLIENT_ID] || !tb[ROAM_CONN_A_COUNTER] ||
	    !tb[ROAM_CONN_A_ORIG4] || !tb[ROAM_CONN_A_C_NONCE] ||
	    !tb[ROAM_CONN_A_S_NONCE] ||
	    mnl_attr_get_payload_len(tb[ROAM_CONN_A_C_NONCE]) != MIG_NONCE_LEN ||
	    mnl_attr_get_payload_len(tb[ROAM_CONN_A_S_NONCE]) != MIG_NONCE_LEN)
		return -EBADMSG;
	e->id = mnl_attr_get_u32(tb[ROAM_CONN_A_CLIENT_ID]);
	e->counter = mnl_attr_get_u32(tb[ROAM_CONN_A_COUNTER]);
	e->orig = mnl_attr_get_u32(tb[ROAM_CONN_A_ORIG4]);
	memcpy(e->cn, mnl_attr_get_payload(tb[ROAM_CONN_A_C_NONCE]), MIG_NONCE_LEN);
	memcpy(e->sn, mnl_attr_get_payload(tb[ROAM_CONN_A_S_NONCE]), MIG_NONCE_LEN);
	e->found = 1;
	return 0;
}

static void conn_get(struct srv *s, int i, const struct sockaddr_in *peer,
		     struct entry *e)
{
	struct nlmsghdr *nlh = req(s, i, ROAM_CMD_CONN_GET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, ROAM_A_CONN);
	int ret;

	put_key(nlh, s->addr[i], s->port, peer);
	mnl_attr_nest_end(nlh, nest);
	memset(e, 0, sizeof(*e));
	ret = genl_dump(&s->gs[i], nlh, entry_cb, e);
	if (ret < 0 || !e->found)
		die("no roam.ko entry for the connection (not negotiated?): %s %s",
		    strerror(-ret), s->gs[i].extack);
}

static void conn_set(struct srv *s, int i, const struct sockaddr_in *peer,
		     uint8_t state, const struct entry *e, const uint8_t *migrate)
{
	struct nlmsghdr *nlh = req(s, i, ROAM_CMD_CONN_SET);
	struct nlattr *nest = mnl_attr_nest_start(nlh, ROAM_A_CONN);
	int ret;

	put_key(nlh, s->addr[i], s->port, peer);
	mnl_attr_put_u8(nlh, ROAM_CONN_A_STATE, state);
	if (e) {
		mnl_attr_put_u32(nlh, ROAM_CONN_A_CLIENT_ID, e->id);
		mnl_attr_put(nlh, ROAM_CONN_A_C_NONCE, MIG_NONCE_LEN, e->cn);
		mnl_attr_put(nlh, ROAM_CONN_A_S_NONCE, MIG_NONCE_LEN, e->sn);
	}
	if (migrate)
		mnl_attr_put(nlh, ROAM_CONN_A_MIGRATE, ROAM_MIG_MIGRATE_LEN, migrate);
	mnl_attr_nest_end(nlh, nest);
	ret = genl_doit(&s->gs[i], nlh, NULL, NULL);
	if (ret < 0)
		die("CONN_SET: %s (%s)", strerror(-ret), s->gs[i].extack);
}

static void conn_del(struct srv *s, int i, const struct sockaddr_in *peer)
{
	struct nlmsghdr *nlh = req(s, i, ROAM_CMD_CONN_DEL);
	struct nlattr *nest = mnl_attr_nest_start(nlh, ROAM_A_CONN);
	int ret;

	put_key(nlh, s->addr[i], s->port, peer);
	mnl_attr_nest_end(nlh, nest);
	ret = genl_doit(&s->gs[i], nlh, NULL, NULL);
	if (ret < 0)
		die("CONN_DEL: %s (%s)", strerror(-ret), s->gs[i].extack);
}

struct confirm {
	int n;
	uint64_t stall_ns;	/* the largest */
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type pol[ROAM_CONN_A_MAX + 1] = {
		[ROAM_CONN_A_STALL_NS] = MNL_TYPE_U64,
	};
	const struct nlattr *t[ROAM_A_MAX + 1], *tb[ROAM_CONN_A_MAX + 1];
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct confirm *c = data;
	uint64_t v;

	if (g->cmd != ROAM_CMD_EVENT_CONN_CONFIRMED)
		return 0;
	if (genl_attr_parse(nlh, top, t, ROAM_A_MAX) < 0 || !t[ROAM_A_CONN] ||
	    genl_attr_parse_nested(t[ROAM_A_CONN], pol, tb, ROAM_CONN_A_MAX) < 0 ||
	    !tb[ROAM_CONN_A_STALL_NS])
		return -EBADMSG;
	v = mnl_attr_get_u64(tb[ROAM_CONN_A_STALL_NS]);
	if (v > c->stall_ns)
		c->stall_ns = v;
	c->n++;
	return 0;
}

static struct confirm conf;

/*
 * The events of the pending move, as they come (the main loop polls the
 * socket): the application goes on serving meanwhile, as it would with
 * roamd, so new data can carry MIGRATE before the client answers.
 */
static void confirm_events(struct srv *s)
{
	struct pending *p = &s->p;
	uint64_t t1;

	if (genl_recv(&s->ev[p->to], event_cb, &conf, NULL) < 0)
		die("event receive failed");
	if (conf.n < NCONN)
		return;
	t1 = now_ns();
	printf("move %d %s->%s stall_ms %.3f freeze_ms %.3f restore_ms %.3f kernel_stall_ms %.3f\n",
	       p->moveno, p->from ? "B" : "A", p->to ? "B" : "A", (t1 - p->t0) / 1e6,
	       (p->t_frozen - p->t0) / 1e6, (p->t_restored - p->t_frozen) / 1e6,
	       conf.stall_ns / 1e6);
	p->on = false;
}

static void move(struct srv *s, struct conn *cs, int moveno)
{
	int from = s->cur, to = !s->cur, i, ret;
	struct tcpr_state st[NCONN];
	struct entry e[NCONN];
	struct sockaddr_in local = { .sin_family = AF_INET };
	uint8_t migrate[NCONN][ROAM_MIG_MIGRATE_LEN];
	uint64_t t0, t_frozen, t_restored;
	char err[256], hex[HEX_LEN(ROAM_MIG_MIGRATE_LEN)];

	t0 = now_ns();
	for (i = 0; i < NCONN; i++) {
		conn_get(s, from, &cs[i].peer, &e[i]);
		conn_set(s, from, &cs[i].peer, ROAM_CONN_BLOCKED, NULL, NULL);
	}
	for (i = 0; i < NCONN; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		ret = tcpr_freeze(cs[i].fd, &st[i], err, sizeof(err));
		if (ret < 0)
			die("freeze: %s", err);
		close(cs[i].fd);
	}
	t_frozen = now_ns();
	enter(s, to);
	local.sin_addr = s->addr[to];
	local.sin_port = htons(s->port);
	for (i = 0; i < NCONN; i++) {
		struct mig_mac_input in = {
			.id = e[i].id,
			.client_addr = cs[i].peer.sin_addr,
			.client_port = ntohs(cs[i].peer.sin_port),
			.orig_addr = { e[i].orig },
			.server_port = s->port,
			.new_addr = s->addr[to],
			.counter = e[i].counter + 1,
		};
		uint8_t kc[MIG_KEY_LEN];
		uint32_t be;

		memcpy(in.c_nonce, e[i].cn, MIG_NONCE_LEN);
		memcpy(in.s_nonce, e[i].sn, MIG_NONCE_LEN);
		if (mig_client_key(s->kmig, e[i].id, kc) ||
		    mig_mac(kc, &in, migrate[i] + 8))
			die("MAC");
		memcpy(migrate[i], &e[i].orig, 4);
		be = htonl(in.counter);
		memcpy(migrate[i] + 4, &be, 4);
		cs[i].fd = tcpr_restore(&st[i], (struct sockaddr *)&local,
					sizeof(local), err, sizeof(err));
		if (cs[i].fd < 0)
			die("restore: %s", err);
		conn_set(s, to, &cs[i].peer, ROAM_CONN_MIGRATING, &e[i], migrate[i]);
		ret = tcpr_finish(cs[i].fd, &st[i], err, sizeof(err));
		if (ret < 0)
			die("finish: %s", err);
		tcpr_state_free(&st[i]);
		hex_encode(migrate[i], ROAM_MIG_MIGRATE_LEN, hex, sizeof(hex));
		printf("migrate %d conn %d cport %u counter %u new %s bytes %s\n",
		       moveno, i, ntohs(cs[i].peer.sin_port), e[i].counter + 1,
		       inet_ntoa(s->addr[to]), hex);
	}
	t_restored = now_ns();
	/* The old server forgets them at once. */
	for (i = 0; i < NCONN; i++)
		conn_del(s, from, &cs[i].peer);
	s->cur = to;
	fcntl(cs[0].fd, F_SETFL, O_NONBLOCK);
	s->p = (struct pending){ true, moveno, from, to, t0, t_frozen, t_restored };
	conf = (struct confirm){ 0, 0 };
}

static int serve(int argc, char **argv)
{
	static struct srv s;
	struct conn cs[NCONN];
	const char *nsp[2] = { NULL, NULL }, *kfile = NULL;
	uint64_t total = 0, sent = 0, next_move, start, duration;
	int moves = 0, interval = 200, quiet = 0, done_moves = 0, o, i, lfd, one = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char kbuf[2 * MIG_KEY_LEN + 2];
	bool stream_done = false;
	FILE *f;

	while ((o = getopt(argc, argv, "a:A:b:B:p:k:n:i:s:q:")) != -1) {
		switch (o) {
		case 'a': nsp[0] = optarg; break;
		case 'b': nsp[1] = optarg; break;
		case 'A': inet_pton(AF_INET, optarg, &s.addr[0]); break;
		case 'B': inet_pton(AF_INET, optarg, &s.addr[1]); break;
		case 'p': s.port = atoi(optarg); break;
		case 'k': kfile = optarg; break;
		case 'n': moves = atoi(optarg); break;
		case 'i': interval = atoi(optarg); break;
		case 's': total = strtoull(optarg, NULL, 0); break;
		case 'q': quiet = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!nsp[0] || !nsp[1] || !kfile || !s.port || !total)
		die("serve: missing arguments");
	f = fopen(kfile, "r");
	if (!f || !fgets(kbuf, sizeof(kbuf), f))
		die("cannot read %s", kfile);
	fclose(f);
	kbuf[2 * MIG_KEY_LEN] = 0;
	if (hex_decode(kbuf, s.kmig, MIG_KEY_LEN, 0))
		die("%s: want 64 hex digits", kfile);
	for (i = 0; i < 2; i++) {
		s.ns[i] = open(nsp[i], O_RDONLY | O_CLOEXEC);
		if (s.ns[i] < 0)
			die("%s: %s", nsp[i], strerror(errno));
	}
	open_roam(&s, 1);
	open_roam(&s, 0);
	s.cur = 0;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_addr = s.addr[0];
	sin.sin_port = htons(s.port);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 8))
		die("listen: %s", strerror(errno));
	printf("listening\n");
	fflush(stdout);
	memset(cs, 0, sizeof(cs));
	for (i = 0; i < NCONN; i++) {
		socklen_t len = sizeof(struct sockaddr_in);
		struct sockaddr_in peer;
		char type;
		int fd = accept(lfd, (struct sockaddr *)&peer, &len);

		if (fd < 0 || read(fd, &type, 1) != 1)
			die("accept: %s", strerror(errno));
		if (type != 'S' && type != 'E')
			die("bad connection type");
		cs[type == 'S' ? 0 : 1] = (struct conn){ fd, peer };
	}
	close(lfd);
	fcntl(cs[0].fd, F_SETFL, O_NONBLOCK);
	start = now_ns();
	next_move = start + (uint64_t)interval * 1000000;
	/* The stream is paced to last through every move, and a bit more. */
	duration = (uint64_t)(moves + 1) * interval * 1000000;

	for (;;) {
		uint64_t t = now_ns(), allowed;
		int64_t wait = (int64_t)(next_move - t) / 1000000;
		bool hush = quiet && !s.p.on && done_moves < moves && wait < quiet;
		uint8_t buf[65536];
		ssize_t n;

		allowed = t - start >= duration ? total :
			  (uint64_t)((double)total * (t - start) / duration);
		struct pollfd pfd[3] = {
			{ .fd = stream_done || hush || sent >= allowed ? -1 : cs[0].fd,
			  .events = POLLOUT },
			{ .fd = cs[1].fd, .events = POLLIN },
			{ .fd = s.p.on ? mnl_socket_get_fd(s.ev[s.p.to].nl) : -1,
			  .events = POLLIN },
		};

		/* Everything written and every move confirmed: the end. */
		if (!stream_done && sent == total && done_moves >= moves && !s.p.on) {
			shutdown(cs[0].fd, SHUT_WR);
			stream_done = true;
		}
		/*
		 * Generous: a client segment lost at the old server waits for
		 * the client's RTO, long and backed off on a loaded emulator.
		 */
		if (s.p.on && t - s.p.t_restored > 30000000000ull)
			die("move %d: %d of %d connections confirmed in 30 s",
			    s.p.moveno, conf.n, NCONN);
		/* The next move once this one is confirmed and its time came. */
		if (!s.p.on && done_moves < moves && wait <= 0) {
			move(&s, cs, ++done_moves);
			next_move = now_ns() + (uint64_t)interval * 1000000;
			continue;
		}
		if (poll(pfd, 3, 5) < 0)
			die("poll: %s", strerror(errno));
		if (pfd[2].revents & POLLIN)
			confirm_events(&s);
		if (pfd[0].revents & (POLLERR | POLLHUP))
			die("stream connection failed");
		if (pfd[0].revents & POLLOUT) {
			size_t len = allowed - sent < sizeof(buf) ? allowed - sent : sizeof(buf);

			for (size_t k = 0; k < len; k++)
				buf[k] = pat(sent + k);
			n = write(cs[0].fd, buf, len);
			if (n < 0 && errno != EAGAIN)
				die("stream write: %s", strerror(errno));
			if (n > 0)
				sent += n;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(cs[1].fd, buf, sizeof(buf));
			if (n < 0)
				die("echo read: %s", strerror(errno));
			if (n == 0)
				break;	/* the client has everything */
			if (write(cs[1].fd, buf, n) != n)
				die("echo write: %s", strerror(errno));
		}
	}
	printf("served %llu bytes, %d moves\n", (unsigned long long)sent, done_moves);
	for (i = 0; i < NCONN; i++)
		close(cs[i].fd);
	return 0;
}

/* ------------------------------------------------------------ client */

static int client(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	uint64_t total = 0, got = 0, echoes = 0, max_gap_ns = 0, last_rx;
	uint64_t next_req, seq = 0, eseq = 0;
	int o, fd[NCONN], i;
	uint8_t ebuf[REQ_LEN], rbuf[REQ_LEN];
	size_t eoff = 0;
	bool req_out = false;

	while ((o = getopt(argc, argv, "d:p:s:")) != -1) {
		switch (o) {
		case 'd': inet_pton(AF_INET, optarg, &dst.sin_addr); break;
		case 'p': dst.sin_port = htons(atoi(optarg)); break;
		case 's': total = strtoull(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	for (i = 0; i < NCONN; i++) {
		char type = i ? 'E' : 'S';

		fd[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd[i], (struct sockaddr *)&dst, sizeof(dst)) ||
		    write(fd[i], &type, 1) != 1)
			die("connect: %s", strerror(errno));
	}
	last_rx = now_ns();
	next_req = now_ns();
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fd[0], .events = POLLIN },
			{ .fd = fd[1], .events = POLLIN },
		};
		uint8_t buf[65536];
		ssize_t n;
		uint64_t t;

		if (!req_out && now_ns() >= next_req) {
			memset(ebuf, 0, sizeof(ebuf));
			memcpy(ebuf, &seq, sizeof(seq));
			if (write(fd[1], ebuf, REQ_LEN) != REQ_LEN)
				die("echo write: %s", strerror(errno));
			req_out = true;
			eoff = 0;
		}
		if (poll(pfd, 2, 10) < 0)
			die("poll: %s", strerror(errno));
		t = now_ns();
		if (pfd[0].revents) {
			n = read(fd[0], buf, sizeof(buf));
			if (n == 0 && got == total)
				break;	/* the server's FIN after the last byte */
			if (n <= 0)
				die("stream read %s after %llu bytes", n ? strerror(errno) : "EOF",
				    (unsigned long long)got);
			if (got + n > total)
				die("stream: more than %llu bytes", (unsigned long long)total);
			for (ssize_t k = 0; k < n; k++)
				if (buf[k] != pat(got + k))
					die("stream byte %llu wrong", (unsigned long long)(got + k));
			got += n;
			if (t - last_rx > max_gap_ns)
				max_gap_ns = t - last_rx;
			last_rx = t;
		}
		if (pfd[1].revents) {
			n = read(fd[1], rbuf + eoff, REQ_LEN - eoff);
			if (n <= 0)
				die("echo read: %s", n ? strerror(errno) : "EOF");
			eoff += n;
			if (eoff == REQ_LEN) {
				memcpy(&eseq, rbuf, sizeof(eseq));
				if (!req_out || eseq != seq ||
				    memcmp(rbuf, ebuf, REQ_LEN))
					die("echo %llu wrong", (unsigned long long)seq);
				echoes++;
				seq++;
				req_out = false;
				next_req = t + 10000000;
			}
		}
	}
	/* The last echo, so that closing leaves nothing unread (no RST). */
	while (req_out) {
		ssize_t n = read(fd[1], rbuf + eoff, REQ_LEN - eoff);

		if (n <= 0)
			die("echo read: %s", n ? strerror(errno) : "EOF");
		eoff += n;
		if (eoff == REQ_LEN) {
			if (memcmp(rbuf, ebuf, REQ_LEN))
				die("echo %llu wrong", (unsigned long long)seq);
			echoes++;
			req_out = false;
		}
	}
	printf("received %llu bytes ok, %llu echoes ok, longest gap %.1f ms\n",
	       (unsigned long long)got, (unsigned long long)echoes, max_gap_ns / 1e6);
	close(fd[1]);
	close(fd[0]);
	return 0;
}

/* ------------------------------------------------------------- forge */

static int forge(int argc, char **argv)
{
	struct sockaddr_in src, dst;
	uint8_t pkt[20 + 20 + 28], mig[ROAM_MIG_MIGRATE_LEN];
	struct iphdr *ip = (struct iphdr *)pkt;
	struct tcphdr *th = (struct tcphdr *)(pkt + 20);
	uint8_t *opt = pkt + 40;
	const char *m = NULL;
	uint32_t sum = 0;
	int o, fd, one = 1;
	struct {
		uint32_t s, d;
		uint8_t z, p;
		uint16_t len;
	} __attribute__((packed)) ph;

	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	while ((o = getopt(argc, argv, "S:D:m:")) != -1) {
		switch (o) {
		case 'S': if (parse_ep(optarg, &src)) die("bad -S"); break;
		case 'D': if (parse_ep(optarg, &dst)) die("bad -D"); break;
		case 'm': m = optarg; break;
		default: return 2;
		}
	}
	if (!m || hex_decode(m, mig, sizeof(mig), 0))
		die("-m wants 40 hex digits");
	memset(pkt, 0, sizeof(pkt));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(pkt));
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->saddr = src.sin_addr.s_addr;
	ip->daddr = dst.sin_addr.s_addr;
	th->source = src.sin_port;
	th->dest = dst.sin_port;
	th->seq = htonl(12345);
	th->ack_seq = htonl(54321);
	th->doff = (20 + 28) / 4;
	th->ack = 1;
	th->window = htons(1000);
	opt[0] = opt[1] = 1;
	opt[2] = 253;
	opt[3] = 26;
	opt[4] = 0x52;
	opt[5] = 0x4d;
	opt[6] = 3;
	opt[7] = 1;
	memcpy(opt + 8, mig, sizeof(mig));
	ph.s = ip->saddr;
	ph.d = ip->daddr;
	ph.z = 0;
	ph.p = IPPROTO_TCP;
	ph.len = htons(48);
	for (size_t k = 0; k < sizeof(ph); k += 2)
		sum += ((uint8_t *)&ph)[k] << 8 | ((uint8_t *)&ph)[k + 1];
	for (size_t k = 20; k < sizeof(pkt); k += 2)
		sum += pkt[k] << 8 | pkt[k + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	th->check = htons(~sum & 0xffff);
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("raw socket: %s", strerror(errno));
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		die("sendto: %s", strerror(errno));
	close(fd);
	return 0;
}

/* K_client for an id, in hex: what authd gives the client. */
static int kclient(int argc, char **argv)
{
	uint8_t kmig[MIG_KEY_LEN], kc[MIG_KEY_LEN];
	char buf[2 * MIG_KEY_LEN + 2], hex[HEX_LEN(MIG_KEY_LEN)];
	FILE *f;

	if (argc != 3)
		die("usage: roam_handoff kclient KMIG_HEX_FILE ID");
	f = fopen(argv[1], "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("cannot read %s", argv[1]);
	fclose(f);
	buf[2 * MIG_KEY_LEN] = 0;
	if (hex_decode(buf, kmig, MIG_KEY_LEN, 0) ||
	    mig_client_key(kmig, strtoul(argv[2], NULL, 0), kc))
		die("bad key");
	hex_encode(kc, MIG_KEY_LEN, hex, sizeof(hex));
	printf("%s\n", hex);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die("usage: roam_handoff serve|client|forge ...");
	if (!strcmp(argv[1], "serve"))
		return serve(argc - 1, argv + 1);
	if (!strcmp(argv[1], "client"))
		return client(argc - 1, argv + 1);
	if (!strcmp(argv[1], "kclient"))
		return kclient(argc - 1, argv + 1);
	if (!strcmp(argv[1], "forge"))
		return forge(argc - 1, argv + 1);
	die("unknown mode %s", argv[1]);
}

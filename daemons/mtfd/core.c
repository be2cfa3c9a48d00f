// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets, peers, keys and the message dispatch of mtfd.
 *
 * Interception (Documentation/mtf-control.md): HS_NONCE travels with the
 * IP Router Alert option (RFC 2113).  A gateway holds raw sockets with
 * IP_ROUTER_ALERT for UDP and for MTF_IPPROTO: the kernel hands them every
 * packet with the option it would forward, before the FORWARD hooks (so
 * before mtf.ko marks it), and forwards it no further.  What is not ours
 * is sent on unchanged but for the TTL.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/mtf.h>

#include "daemon.h"
#include "log.h"
#include "rapkt.h"

const char *const mtfd_stat_names[__ST_MAX] = {
	[ST_RX] = "rx", [ST_RX_BAD] = "rx_bad", [ST_RX_VERSION] = "rx_version",
	[ST_RX_LIMITED] = "rx_rate_limited", [ST_RX_UNEXPECTED] = "rx_unexpected",
	[ST_TX] = "tx", [ST_TX_ERR] = "tx_errors",
	[ST_REQ_SENT] = "victim_requests", [ST_REQ_ACKED] = "victim_acked",
	[ST_REQ_REFUSED] = "victim_refused", [ST_REQ_TIMEOUT] = "victim_timeouts",
	[ST_GW_REQUESTS] = "gw_requests", [ST_GW_REFUSED] = "gw_refused",
	[ST_GW_BUSY] = "gw_busy", [ST_GW_TEMP_FILTERS] = "gw_temp_filters",
	[ST_GW_HS_SENT] = "gw_handshakes", [ST_GW_INTERCEPTED] = "gw_intercepted",
	[ST_GW_PASSED_ON] = "gw_passed_on", [ST_GW_CONFIRMED] = "gw_confirmed",
	[ST_GW_ESCALATED] = "gw_escalated", [ST_GW_LOCAL] = "gw_local_filters",
	[ST_GW_WARNINGS_SENT] = "gw_warnings_sent", [ST_GW_LINKS_LEARNED] = "gw_links_learned",
	[ST_AG_REQUESTS] = "ag_requests", [ST_AG_NOT_ON_PATH] = "ag_not_on_path",
	[ST_AG_NONCES_SENT] = "ag_nonces_sent", [ST_AG_BAD_NONCE] = "ag_bad_nonce",
	[ST_AG_EXPIRED] = "ag_expired", [ST_AG_FILTERS] = "ag_filters",
	[ST_AG_STOP_SENT] = "ag_stop_sent", [ST_AG_STOP_ACKED] = "ag_stop_acked",
	[ST_AG_DISCONNECTED] = "ag_disconnected", [ST_AG_WARNINGS] = "ag_warnings",
	[ST_AG_RL_DECREASE] = "ag_rl_decrease", [ST_AG_RL_INCREASE] = "ag_rl_increase",
	[ST_AG_CANCELLED] = "ag_cancelled", [ST_AG_BUSY] = "ag_busy",
	[ST_HOST_STOPS] = "host_stops", [ST_HOST_REFUSED] = "host_refused",
	[ST_KERN_ERR] = "kernel_errors", [ST_RESYNCED] = "resynced_filters",
	[ST_KERN_EV_LOST] = "kernel_events_lost", [ST_V_SCANS] = "victim_scans",
	[ST_V_SCAN_OVER] = "victim_scan_over",
};

uint32_t mtfd_random_id(void)
{
	uint32_t id = 0;

	while (!id)
		if (RAND_bytes((unsigned char *)&id, sizeof(id)) != 1)
			abort();
	return id;
}

void mtfd_msg_init(struct mtf_ctl_msg *m, uint8_t type, uint32_t id)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->id = id;
}

bool mtfd_is_router_addr(const struct mtfd *d, const struct mtf_ctl_addr *a)
{
	for (unsigned int i = 0; i < d->cfg.n_router_addrs; i++)
		if (mtfd_addr_eq(&d->cfg.router_addrs[i], a))
			return true;
	return false;
}

/*
 * The nonce key of the period @back periods before the one holding
 * @wall_ms: derived from the secret file, so keys rotate without state
 * and survive a restart.
 */
void mtfd_key(struct mtfd *d, uint64_t wall_ms, int back,
	      uint8_t key[MTF_CTL_KEY_LEN])
{
	uint64_t period = wall_ms / d->cfg.key_period_ms - (uint64_t)back;

	if (mtf_ctl_key(d->secret, d->secret_len, period, key))
		abort();
}

int mtfd_send(struct mtfd *d, const struct mtf_ctl_addr *to,
	      const struct mtf_ctl_msg *m, bool router_alert)
{
	uint8_t buf[MTF_CTL_MAX];
	struct sockaddr_in sin;
	char a[64];
	int n;

	n = mtf_ctl_encode(m, buf, sizeof(buf));
	if (n < 0) {
		log_err("cannot encode %s: %s", mtf_ctl_type_name(m->type), strerror(-n));
		d->stats[ST_TX_ERR]++;
		return n;
	}
	mtfd_addr_to_sin(to, d->cfg.port, &sin);
	if (sendto(router_alert ? d->ra_tx : d->udp, buf, (size_t)n, 0,
		   (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		log_warn("send %s to %s: %s", mtf_ctl_type_name(m->type),
			 mtfd_addr_str(to, a, sizeof(a)), strerror(errno));
		d->stats[ST_TX_ERR]++;
		return -errno;
	}
	log_debug("sent %s id %08x to %s", mtf_ctl_type_name(m->type), m->id,
		  mtfd_addr_str(to, a, sizeof(a)));
	d->stats[ST_TX]++;
	return 0;
}

/* ------------------------------------------------------------ peers -- */

#define PEER_PROBE	8

/*
 * Open addressing over a power-of-two table, probing PEER_PROBE slots:
 * O(1) per message.  A full window gives its least recently heard peer's
 * slot to the newcomer (a spoofed flood evicts itself, mostly).
 */
static struct peer *peer_get(struct mtfd *d, const struct mtf_ctl_addr *a,
			     uint64_t now)
{
	unsigned int mask = d->n_peers - 1, h = (unsigned int)mtfd_addr_hash(a);
	struct peer *p, *victim = NULL;

	for (unsigned int k = 0; k < PEER_PROBE; k++) {
		p = &d->peers[(h + k) & mask];
		if (p->used && mtfd_addr_eq(&p->addr, a))
			return p;
		if (!p->used) {
			if (!victim || victim->used)
				victim = p;
		} else if (!victim || (victim->used && p->last_ms < victim->last_ms)) {
			victim = p;
		}
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->addr = *a;
	victim->tokens = d->cfg.peer_burst;
	victim->last_ms = now;
	return victim;
}

/* A token bucket per peer: a flood of requests costs a table lookup. */
bool mtfd_peer_allow(struct mtfd *d, const struct mtf_ctl_addr *a)
{
	uint64_t now = mtfd_now_ms();
	struct peer *p = peer_get(d, a, now);

	p->tokens += (double)(now - p->last_ms) * d->cfg.peer_rate / 1000.0;
	if (p->tokens > d->cfg.peer_burst)
		p->tokens = d->cfg.peer_burst;
	p->last_ms = now;
	p->rx++;
	if (p->tokens < 1) {
		p->limited++;
		return false;
	}
	p->tokens -= 1;
	return true;
}

static void peer_bad(struct mtfd *d, const struct mtf_ctl_addr *a)
{
	peer_get(d, a, mtfd_now_ms())->bad++;
}

/* ---------------------------------------------------------- sockets -- */

static int udp_open(struct mtfd *d, bool bind_port, bool router_alert)
{
	static const uint8_t ra[4] = { 0x94, 0x04, 0x00, 0x00 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Our address, also as the source: peers check who answers. */
	memcpy(&sin.sin_addr, d->cfg.self.addr, 4);
	if (bind_port) {
		sin.sin_port = htons(d->cfg.port);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	}
	if (router_alert && setsockopt(fd, IPPROTO_IP, IP_OPTIONS, ra, sizeof(ra)) < 0)
		goto err;
	if (bind_port) {
		/* A burst of requests waits in the socket, not on the floor. */
		int rcvbuf = 4 << 20;

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		goto err;
	return fd;
err:
	one = -errno;
	close(fd);
	return one;
}

/* Only packets with IP options (the router alert) reach userspace. */
static int attach_options_filter(int fd)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x0f),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 5, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]),
				   .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int raw_ra_open(int proto)
{
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (attach_options_filter(fd) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ROUTER_ALERT, &one, sizeof(one)) < 0) {
		one = -errno;
		close(fd);
		return one;
	}
	return fd;
}

int mtfd_sockets_open(struct mtfd *d)
{
	int one = 1;

	d->udp = udp_open(d, true, false);
	if (d->udp < 0) {
		log_err("cannot bind UDP port %u: %s", d->cfg.port, strerror(-d->udp));
		return d->udp;
	}
	d->ra_tx = udp_open(d, false, true);
	if (d->ra_tx < 0) {
		log_err("cannot open the router-alert socket: %s", strerror(-d->ra_tx));
		return d->ra_tx;
	}
	if (!(d->cfg.roles & MTFD_ROLE_GATEWAY))
		return 0;
	d->raw_udp = raw_ra_open(IPPROTO_UDP);
	d->raw_mtf = d->raw_udp < 0 ? d->raw_udp : raw_ra_open(MTF_IPPROTO);
	d->raw_tx = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (d->raw_udp < 0 || d->raw_mtf < 0 || d->raw_tx < 0) {
		log_err("cannot open the interception sockets (IP_ROUTER_ALERT): %s",
			strerror(errno));
		return -EPERM;
	}
	setsockopt(d->raw_tx, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	return 0;
}

/* --------------------------------------------------------- dispatch -- */

static void dispatch(struct mtfd *d, const struct mtf_ctl_addr *from,
		     const struct mtf_ctl_msg *m)
{
	switch (m->type) {
	case MTF_CTL_FILTER_ACK:
	case MTF_CTL_HS_NONCE:		/* one nobody intercepted: ignored */
		if (d->cfg.roles & MTFD_ROLE_VICTIM) {
			victim_rx(d, from, m);
			return;
		}
		break;
	case MTF_CTL_FILTER_REQ:
	case MTF_CTL_HS_REQUEST:
	case MTF_CTL_HS_REPLY:
	case MTF_CTL_HS_CONFIRM:
	case MTF_CTL_STOP_ACK:
	case MTF_CTL_WARNING:
	case MTF_CTL_RL_UPDATE:
	case MTF_CTL_CANCEL:
		if (d->cfg.roles & MTFD_ROLE_GATEWAY) {
			gateway_rx(d, from, m);
			return;
		}
		break;
	case MTF_CTL_STOP_REQ:
		if (d->cfg.roles & MTFD_ROLE_HOST) {
			host_rx(d, from, m);
			return;
		}
		break;
	}
	d->stats[ST_RX_UNEXPECTED]++;
}

static bool parse(struct mtfd *d, const struct mtf_ctl_addr *from,
		  const uint8_t *buf, size_t len, struct mtf_ctl_msg *m)
{
	const char *why = "";
	char a[64];

	if (len >= 1 && buf[0] != MTF_CTL_VERSION) {
		d->stats[ST_RX_VERSION]++;
		peer_bad(d, from);
		return false;
	}
	if (mtf_ctl_parse(buf, len, m, &why)) {
		d->stats[ST_RX_BAD]++;
		peer_bad(d, from);
		log_debug("bad message from %s: %s", mtfd_addr_str(from, a, sizeof(a)), why);
		return false;
	}
	return true;
}

void mtfd_udp_rx(struct mtfd *d)
{
	uint8_t buf[MTF_CTL_MAX + 1];
	struct sockaddr_in sin;
	struct mtf_ctl_addr from;
	struct mtf_ctl_msg m;
	socklen_t sl;
	ssize_t n;

	/* A bounded batch, so one busy socket cannot starve the others. */
	for (int i = 0; i < 64; i++) {
		sl = sizeof(sin);
		n = recvfrom(d->udp, buf, sizeof(buf), 0, (struct sockaddr *)&sin, &sl);
		if (n < 0)
			break;
		d->stats[ST_RX]++;
		mtfd_addr_from_sin(&from, &sin);
		if (!mtfd_peer_allow(d, &from)) {
			d->stats[ST_RX_LIMITED]++;
			continue;
		}
		if (parse(d, &from, buf, (size_t)n, &m))
			dispatch(d, &from, &m);
	}
	if (d->cfg.roles & MTFD_ROLE_GATEWAY)
		gateway_flush(d);
}

static uint16_t ip_csum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* Not ours: on its way, as the kernel would have forwarded it. */
static void pass_on(struct mtfd *d, uint8_t *pkt, size_t len)
{
	struct iphdr *iph = (struct iphdr *)pkt;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	if (iph->ttl <= 1)
		return;
	iph->ttl--;
	iph->check = 0;
	iph->check = ip_csum(pkt, iph->ihl * 4u);
	sin.sin_addr.s_addr = iph->daddr;
	if (sendto(d->raw_tx, pkt, len, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		d->stats[ST_TX_ERR]++;
	else
		d->stats[ST_GW_PASSED_ON]++;
}

/*
 * A forwarded packet with the router alert: IPv4, maybe an MTF path
 * header, UDP to the control port, a control message.
 */
void mtfd_raw_rx(struct mtfd *d, int fd)
{
	uint8_t pkt[65536];
	struct mtf_ctl_addr from;
	struct mtf_ctl_msg m;
	struct mtfd_ra ra;
	const char *why;
	ssize_t n;

	for (int i = 0; i < 64; i++) {
		n = recv(fd, pkt, sizeof(pkt), 0);
		if (n < 0)
			return;
		if ((size_t)n < sizeof(struct iphdr))
			continue;
		/* Ours (a pending request's nonce) whatever the sender's rate:
		 * an off-path flood through its gateway must not starve it. */
		if (!mtfd_ra_payload(pkt, (size_t)n, d->cfg.port, &ra)) {
			mtfd_addr_set_v4(&from, ra.saddr);
			d->stats[ST_RX]++;
			if (!mtf_ctl_parse(pkt + ra.off, ra.len, &m, &why) &&
			    gateway_intercept(d, &from, &m))
				continue;
		}
		/* Forwarding in userspace costs: alerts over a sender's rate
		 * are dropped here. */
		mtfd_addr_set_v4(&from, ((struct iphdr *)pkt)->saddr);
		if (!mtfd_peer_allow(d, &from)) {
			d->stats[ST_RX_LIMITED]++;
			continue;
		}
		pass_on(d, pkt, (size_t)n);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * mtf_filters_install: install N synthetic drop filters in the current
 * namespace with bulk FILTER_ADD messages and report the rate, to measure
 * the kernel side of a bulk add without a CLI's text parsing in front.
 *
 *   mtf_filters_install N [K] [DST] [MSG_KB] [TIMEOUT_MS] [FIRST]
 *
 * Filters FIRST (default 0) .. FIRST + N - 1; filter i: K slots (default 2), slot j = (10.200.0.0 + i, mark i ^ j),
 * destination DST (default 10.0.2.1), src "*", permanent unless
 * TIMEOUT_MS.  Messages hold up to MSG_KB KiB (default 256) of filters;
 * each is acknowledged before the next.  Prints one line:
 *   installed N filters in S s: R filters/s (M messages)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/mtf.h>

static struct mnl_socket *nl;
static unsigned int seq, portid;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* Send @nlh, wait for its ACK; negative errno on failure. */
static int talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static char buf[65536];
	ssize_t n;
	int ret;

	nlh->nlmsg_seq = ++seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, n, seq, portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static struct nlmsghdr *msg_start(char *buf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static int put_filter(struct nlmsghdr *nlh, size_t size, unsigned long i,
		      unsigned int k, uint32_t dst, uint32_t timeout)
{
	struct nlattr *f, *slots, *slot;
	unsigned int j;

	f = mnl_attr_nest_start_check(nlh, size, MTF_A_FILTER);
	if (!f)
		return -1;
	slots = mnl_attr_nest_start_check(nlh, size, MTF_FILTER_A_SLOTS);
	if (!slots)
		goto cancel;
	for (j = 0; j < k; j++) {
		slot = mnl_attr_nest_start_check(nlh, size, MTF_A_SLOT);
		if (!slot ||
		    !mnl_attr_put_u32_check(nlh, size, MTF_SLOT_A_ADDR4,
					    htonl(0x0ac80000 + i)) ||
		    !mnl_attr_put_u32_check(nlh, size, MTF_SLOT_A_MARK,
					    htonl(i ^ j)))
			goto cancel;
		mnl_attr_nest_end(nlh, slot);
	}
	mnl_attr_nest_end(nlh, slots);
	if (!mnl_attr_put_u32_check(nlh, size, MTF_FILTER_A_DST4, dst) ||
	    !mnl_attr_put_u32_check(nlh, size, MTF_FILTER_A_TIMEOUT_MS, timeout))
		goto cancel;
	mnl_attr_nest_end(nlh, f);
	return 0;
cancel:
	mnl_attr_nest_cancel(nlh, f);
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long n, i = 0, msgs = 0;
	unsigned int k = argc > 2 ? atoi(argv[2]) : 2;
	const char *dsts = argc > 3 ? argv[3] : "10.0.2.1";
	size_t size = (argc > 4 ? atoi(argv[4]) : 256) * 1024;
	uint32_t timeout = argc > 5 ? atoi(argv[5]) : 0;
	unsigned long first = argc > 6 ? strtoul(argv[6], NULL, 0) : 0;
	int one = 1;
	struct nlmsghdr *nlh;
	struct in_addr dst;
	uint16_t fam = 0;
	int sndbuf, ret;
	char *buf;
	double t0;

	if (argc < 2 || !k || k > MTF_MAX_SLOTS || inet_pton(AF_INET, dsts, &dst) != 1) {
		fprintf(stderr, "usage: mtf_filters_install N [K] [DST] [MSG_KB] [TIMEOUT_MS] [FIRST]\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	buf = malloc(size);
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!buf || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);
	/*
	 * Without CAP_ACK an error echoes the whole 256 KiB request, which
	 * the receive buffer truncates (libmnl: ENOSPC); EXT_ACK for the
	 * kernel's message.
	 */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	/* A message must fit the socket's send buffer. */
	sndbuf = size * 2;
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));

	nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MTF_GENL_NAME);
	if (talk(nlh, family_cb, &fam) || !fam) {
		fprintf(stderr, "family %s not found (module loaded?)\n", MTF_GENL_NAME);
		return 1;
	}

	t0 = now();
	while (i < n) {
		nlh = msg_start(buf, fam, MTF_CMD_FILTER_ADD);
		while (i < n && !put_filter(nlh, size, first + i, k, dst.s_addr, timeout))
			i++;
		ret = talk(nlh, NULL, NULL);
		if (ret) {
			fprintf(stderr, "FILTER_ADD after %lu filters: %s\n", i, strerror(-ret));
			return 1;
		}
		msgs++;
	}
	t0 = now() - t0;
	printf("installed %lu filters in %.3f s: %.0f filters/s (%lu messages)\n",
	       n, t0, n / t0, msgs);
	return 0;
}

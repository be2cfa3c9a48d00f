// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel boundary: network namespace, generic netlink socket, request
 * and reply loop.  Everything that parses bytes lives in nlmsg.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* setns() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "genl.h"

/*
 * Like ip -n: NAME is a file under /run/netns (ip netns add), or an
 * absolute path such as /proc/PID/ns/net.  Only the netlink socket needs
 * the namespace, so unlike ip we do not remount /sys.
 */
int genl_netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	if (name[0] == '/') {
		if (snprintf(path, sizeof(path), "%s", name) >= (int)sizeof(path))
			return -ENAMETOOLONG;
	} else {
		if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
		    !strcmp(name, ".."))
			return -EINVAL;
		if (snprintf(path, sizeof(path), "/run/netns/%s", name) >=
		    (int)sizeof(path))
			return -ENAMETOOLONG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int genl_open(struct genl_sock *gs)
{
	int one = 1;
	int ret;

	gs->extack[0] = '\0';
	gs->extack_off = -1;
	/* Not inherited by what a daemon runs (roamd's service). */
	gs->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!gs->nl)
		return -errno;
	/*
	 * Best effort: kernels before 4.12 lack extended ACK and still
	 * answer, only without a message.  CAP_ACK keeps the request from
	 * being echoed back in every error.
	 */
	mnl_socket_setsockopt(gs->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(gs->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(gs->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		mnl_socket_close(gs->nl);
		gs->nl = NULL;
		return ret;
	}
	gs->portid = mnl_socket_get_portid(gs->nl);
	gs->seq = time(NULL);
	return 0;
}

void genl_close(struct genl_sock *gs)
{
	if (gs->nl)
		mnl_socket_close(gs->nl);
	gs->nl = NULL;
}

/* Start a request in the socket's buffer; add attributes with mnl_attr_put*. */
struct nlmsghdr *genl_req(struct genl_sock *gs, uint16_t type, uint8_t cmd,
			  uint8_t version)
{
	return genl_msg_start(gs->req, type, 0, cmd, version);
}

static int genl_talk(struct genl_sock *gs, struct nlmsghdr *nlh,
		     genl_cb_t cb, void *data)
{
	ssize_t n;
	int ret = 0;

	gs->extack[0] = '\0';
	gs->extack_off = -1;
	nlh->nlmsg_seq = ++gs->seq;
	if (mnl_socket_sendto(gs->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(gs->nl, gs->rx, sizeof(gs->rx));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		ret = genl_process(gs, gs->rx, n, cb, data);
	} while (n < 0 || ret > 0);
	return ret;
}

/* One request, replies until the ACK. */
int genl_doit(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	return genl_talk(gs, nlh, cb, data);
}

/* A dump ends with NLMSG_DONE, so no ACK is asked for. */
int genl_dump(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data)
{
	nlh->nlmsg_flags |= NLM_F_DUMP;
	return genl_talk(gs, nlh, cb, data);
}

/*
 * Listen to a multicast group.  A larger receive buffer rides out bursts
 * of events while the reader is busy printing; best effort, as the
 * kernel caps it at rmem_max anyway.
 */
int genl_mcast_join(struct genl_sock *gs, uint32_t group)
{
	int rcvbuf = 4 << 20;

	setsockopt(mnl_socket_get_fd(gs->nl), SOL_SOCKET, SO_RCVBUF,
		   &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_setsockopt(gs->nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

/*
 * One receive, for listeners: the callback runs over every data message
 * in it.  The wait is a ppoll() with sigmask, so a signal the caller
 * blocks outside it cannot slip in between its check and our sleep:
 * -EINTR then.  -ENOBUFS when the kernel had to drop messages because
 * we were too slow.
 */
int genl_recv(struct genl_sock *gs, genl_cb_t cb, void *data,
	      const sigset_t *sigmask)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(gs->nl), .events = POLLIN };
	ssize_t n;
	int ret;

	if (ppoll(&pfd, 1, NULL, sigmask) < 0)
		return -errno;
	n = mnl_socket_recvfrom(gs->nl, gs->rx, sizeof(gs->rx));
	if (n < 0)
		return -errno;
	ret = genl_process(gs, gs->rx, n, cb, data);
	return ret < 0 ? ret : 0;
}

/* -ENOENT when no such family exists, e.g. the module is not loaded. */
int genl_family_get(struct genl_sock *gs, const char *name,
		    struct genl_family *fam)
{
	struct nlmsghdr *nlh;
	int ret;

	if (strlen(name) >= GENL_NAMSIZ)
		return -ENAMETOOLONG;
	memset(fam, 0, sizeof(*fam));
	nlh = genl_req(gs, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	ret = genl_doit(gs, nlh, genl_family_parse, fam);
	if (ret < 0)
		return ret;
	return fam->id ? 0 : -EBADMSG;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink over libmnl, shared by mtfctl and roamctl.
 *
 * genl.c is the kernel boundary (namespace, socket, send and receive);
 * nlmsg.c only looks at bytes, so tests and fuzzers run it without a
 * kernel.  Every function returns 0 (or a count) or a negative errno and
 * prints nothing: printing is the CLI's business.
 */
#ifndef TOOLS_GENL_H
#define TOOLS_GENL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#define GENL_MAX_MCGRPS	8
#define GENL_EXTACK_LEN	256
#define GENL_REQ_SIZE	8192
/* Large enough that the kernel never truncates a dump message. */
#define GENL_RX_SIZE	32768

struct genl_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint32_t version;
	uint32_t maxattr;
	unsigned int n_mcgrps;
	struct {
		char name[GENL_NAMSIZ];
		uint32_t id;
	} mcgrps[GENL_MAX_MCGRPS];
};

struct genl_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char extack[GENL_EXTACK_LEN];	/* kernel's message, "" if none */
	int32_t extack_off;		/* offset of the bad attribute in the
					 * request, -1 if the kernel named none */
	char req[GENL_REQ_SIZE] __attribute__((aligned(8)));
	char rx[GENL_RX_SIZE] __attribute__((aligned(8)));
};

/*
 * Called per data message; returns 0 to go on or a negative errno.  May
 * be NULL when no data is expected (a doit without reply).
 */
typedef int (*genl_cb_t)(const struct nlmsghdr *nlh, void *data);

/* genl.c: talks to the kernel. */
int genl_netns_enter(const char *name);
int genl_open(struct genl_sock *gs);
void genl_close(struct genl_sock *gs);
int genl_family_get(struct genl_sock *gs, const char *name,
		    struct genl_family *fam);
struct nlmsghdr *genl_req(struct genl_sock *gs, uint16_t type, uint8_t cmd,
			  uint8_t version);
int genl_doit(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data);
int genl_dump(struct genl_sock *gs, struct nlmsghdr *nlh, genl_cb_t cb,
	      void *data);
int genl_mcast_join(struct genl_sock *gs, uint32_t group);
int genl_recv(struct genl_sock *gs, genl_cb_t cb, void *data,
	      const sigset_t *sigmask);

/* nlmsg.c: pure message handling. */
struct nlmsghdr *genl_msg_start(void *buf, uint16_t type, uint16_t flags,
				uint8_t cmd, uint8_t version);
int genl_process(struct genl_sock *gs, const void *buf, size_t len,
		 genl_cb_t cb, void *data);
int genl_attr_foreach(const void *buf, size_t len,
		      int (*fn)(const struct nlattr *attr, void *data),
		      void *data);
int genl_attr_parse(const struct nlmsghdr *nlh,
		    const enum mnl_attr_data_type *policy,
		    const struct nlattr **tb, unsigned int max);
int genl_attr_parse_nested(const struct nlattr *nest,
			   const enum mnl_attr_data_type *policy,
			   const struct nlattr **tb, unsigned int max);
int genl_family_parse(const struct nlmsghdr *nlh, void *fam);
int genl_family_mcgrp(const struct genl_family *fam, const char *name);

#endif

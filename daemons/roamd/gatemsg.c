// SPDX-License-Identifier: GPL-2.0
/*
 * roamd's messages to and from roam.ko (include/uapi/linux/roam.h), as
 * bytes only: the unit test builds them, parses them back, and feeds the
 * event parser what the kernel would send.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/roam.h>
#include <netinet/in.h>

#include "genl.h"
#include "roamd.h"
#include "roam_args.h"

/* Pool, service ports, window and attack threshold: once at start. */
void gatemsg_setup(struct nlmsghdr *nlh, const uint32_t *pool, unsigned int npool,
		   const uint32_t *ports, unsigned int nports, uint32_t window_ms,
		   uint32_t attack_pps)
{
	struct nlattr *gate, *list;

	gate = mnl_attr_nest_start(nlh, ROAM_A_GATE);
	list = mnl_attr_nest_start(nlh, ROAM_GATE_A_POOL);
	for (unsigned int i = 0; i < npool; i++)
		mnl_attr_put_u32(nlh, ROAM_GATE_A_ADDR4, pool[i]);
	mnl_attr_nest_end(nlh, list);
	list = mnl_attr_nest_start(nlh, ROAM_GATE_A_PORTS);
	for (unsigned int i = 0; i < nports; i++)
		mnl_attr_put_u32(nlh, ROAM_GATE_A_PORT, ports[i]);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_WINDOW_MS, window_ms);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_ATTACK_PPS, attack_pps);
	mnl_attr_nest_end(nlh, gate);
}

/* The roam itself: a new active address opens the transition window. */
void gatemsg_activate(struct nlmsghdr *nlh, uint32_t addr, uint64_t epoch)
{
	struct nlattr *gate = mnl_attr_nest_start(nlh, ROAM_A_GATE);

	mnl_attr_put_u32(nlh, ROAM_GATE_A_ACTIVE4, addr);
	mnl_attr_put_u64(nlh, ROAM_GATE_A_EPOCH, epoch);
	mnl_attr_nest_end(nlh, gate);
}

void gatemsg_client(struct nlmsghdr *nlh, uint32_t addr, int state, uint64_t pps,
		    uint64_t bps)
{
	struct nlattr *c = mnl_attr_nest_start(nlh, ROAM_A_CLIENT);

	mnl_attr_put_u32(nlh, ROAM_CLIENT_A_ADDR4, addr);
	mnl_attr_put_u8(nlh, ROAM_CLIENT_A_STATE, (uint8_t)state);
	/* Rates only with ALLOWED: WARNED/BLOCKED keep the contract. */
	if (state == ROAM_CLIENT_ALLOWED) {
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_RATE_PPS, pps);
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_RATE_BPS, bps);
	}
	mnl_attr_nest_end(nlh, c);
}

/* -ENOENT for messages that are not events (ignored by the caller). */
int gatemsg_event_parse(const struct nlmsghdr *nlh, struct gate_event *e)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_GATE] = MNL_TYPE_NESTED,
		[ROAM_A_CLIENT] = MNL_TYPE_NESTED,
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type npol[ROAM_CONN_A_MAX + 1] = {
		[ROAM_CONN_A_RADDR4] = MNL_TYPE_U32,
		[ROAM_CONN_A_RPORT] = MNL_TYPE_U16,
		[ROAM_CONN_A_STALL_NS] = MNL_TYPE_U64,
	};
	static const enum mnl_attr_data_type cpol[ROAM_CLIENT_A_MAX + 1] = {
		[ROAM_CLIENT_A_ADDR4] = MNL_TYPE_U32,
		[ROAM_CLIENT_A_VIOLATIONS] = MNL_TYPE_U64,
	};
	static const enum mnl_attr_data_type gpol[ROAM_GATE_A_MAX + 1] = {
		[ROAM_GATE_A_DROP_RATE] = MNL_TYPE_U64,
	};
	const struct nlattr *tb[ROAM_A_MAX + 1], *ct[ROAM_CLIENT_A_MAX + 1],
		*gt[ROAM_GATE_A_MAX + 1], *nt[ROAM_CONN_A_MAX + 1];
	const struct genlmsghdr *gh;
	int ret;

	memset(e, 0, sizeof(*e));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	gh = mnl_nlmsg_get_payload(nlh);
	ret = genl_attr_parse(nlh, top, tb, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	e->cmd = gh->cmd;
	switch (gh->cmd) {
	case ROAM_CMD_EVENT_CLIENT_VIOLATION:
		if (!tb[ROAM_A_CLIENT])
			return -EBADMSG;
		ret = genl_attr_parse_nested(tb[ROAM_A_CLIENT], cpol, ct, ROAM_CLIENT_A_MAX);
		if (ret < 0 || !ct[ROAM_CLIENT_A_ADDR4])
			return -EBADMSG;
		e->addr = mnl_attr_get_u32(ct[ROAM_CLIENT_A_ADDR4]);
		if (ct[ROAM_CLIENT_A_VIOLATIONS])
			e->violations = mnl_attr_get_u64(ct[ROAM_CLIENT_A_VIOLATIONS]);
		return 0;
	case ROAM_CMD_EVENT_ATTACK:
		if (tb[ROAM_A_GATE]) {
			ret = genl_attr_parse_nested(tb[ROAM_A_GATE], gpol, gt, ROAM_GATE_A_MAX);
			if (ret < 0)
				return -EBADMSG;
			if (gt[ROAM_GATE_A_DROP_RATE])
				e->drop_rate = mnl_attr_get_u64(gt[ROAM_GATE_A_DROP_RATE]);
		}
		return 0;
	case ROAM_CMD_EVENT_CONN_CONFIRMED:
		if (!tb[ROAM_A_CONN] ||
		    genl_attr_parse_nested(tb[ROAM_A_CONN], npol, nt, ROAM_CONN_A_MAX) < 0 ||
		    !nt[ROAM_CONN_A_STALL_NS] || !nt[ROAM_CONN_A_RADDR4] || !nt[ROAM_CONN_A_RPORT])
			return -EBADMSG;
		e->stall_ns = mnl_attr_get_u64(nt[ROAM_CONN_A_STALL_NS]);
		e->raddr = mnl_attr_get_u32(nt[ROAM_CONN_A_RADDR4]);
		e->rport = ntohs(mnl_attr_get_u16(nt[ROAM_CONN_A_RPORT]));
		return 0;
	default:
		return -ENOENT;
	}
}

/* The gate's service ports, in roamctl's grammar (lib/roam_args.c). */
int gatemsg_ports_parse(const char *s, uint32_t *ports, unsigned int *n)
{
	return roam_parse_ports(s, ports, ROAMD_PORTS_MAX, n) ? -EINVAL : 0;
}

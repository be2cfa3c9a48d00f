// SPDX-License-Identifier: GPL-2.0
/*
 * roam.ko's server connection table as netlink messages (handoff_kern.c
 * sends them): pure, tested without a kernel (daemons/tests/handoff-test.c).
 * Attributes as include/uapi/linux/roam.h: addresses and ports in network
 * order, the MIGRATE bytes orig addr | be32 counter | MAC.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/roam.h>

#include "genl.h"
#include "hoxfer.h"

static void put_key(struct nlmsghdr *nlh, const struct hok_conn *c)
{
	uint32_t a;

	memcpy(&a, c->local.addr, 4);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_LADDR4, a);
	mnl_attr_put_u16(nlh, ROAM_CONN_A_LPORT, htons(c->local.port));
	memcpy(&a, c->peer.addr, 4);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_RADDR4, a);
	mnl_attr_put_u16(nlh, ROAM_CONN_A_RPORT, htons(c->peer.port));
}

void hokmsg_key(struct nlmsghdr *nlh, const struct hok_conn *c)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, ROAM_A_CONN);

	put_key(nlh, c);
	mnl_attr_nest_end(nlh, n);
}

void hokmsg_state(struct nlmsghdr *nlh, const struct hok_conn *c, int state)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, ROAM_A_CONN);

	put_key(nlh, c);
	mnl_attr_put_u8(nlh, ROAM_CONN_A_STATE, (uint8_t)state);
	mnl_attr_nest_end(nlh, n);
}

void hokmsg_migrating(struct nlmsghdr *nlh, const struct hok_conn *c,
		      const struct hochan_mig *mig, uint32_t counter,
		      const uint8_t mac[MIG_MAC_LEN])
{
	struct nlattr *n = mnl_attr_nest_start(nlh, ROAM_A_CONN);
	uint8_t m[ROAM_MIG_MIGRATE_LEN];
	uint32_t be = htonl(counter);

	memcpy(m, mig->orig_addr, 4);
	memcpy(m + 4, &be, 4);
	memcpy(m + 8, mac, MIG_MAC_LEN);
	put_key(nlh, c);
	mnl_attr_put_u8(nlh, ROAM_CONN_A_STATE, ROAM_CONN_MIGRATING);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_CLIENT_ID, mig->id);
	mnl_attr_put(nlh, ROAM_CONN_A_C_NONCE, ROAM_MIG_NONCE_LEN, mig->c_nonce);
	mnl_attr_put(nlh, ROAM_CONN_A_S_NONCE, ROAM_MIG_NONCE_LEN, mig->s_nonce);
	mnl_attr_put(nlh, ROAM_CONN_A_MIGRATE, sizeof(m), m);
	mnl_attr_nest_end(nlh, n);
}

void hokmsg_server(struct nlmsghdr *nlh, uint16_t port)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, ROAM_A_MIG), *p;

	mnl_attr_put_u8(nlh, ROAM_MIG_A_SERVER_ENABLE, 1);
	p = mnl_attr_nest_start(nlh, ROAM_MIG_A_SERVER_PORTS);
	mnl_attr_put_u16(nlh, ROAM_MIG_A_PORT, port);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, n);
}

/* A CONN_GET reply: what the next MAC needs, and the state. */
int hokmsg_parse(const struct nlmsghdr *nlh, struct hochan_mig *mig, int *state)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type pol[ROAM_CONN_A_MAX + 1] = {
		[ROAM_CONN_A_STATE] = MNL_TYPE_U8,
		[ROAM_CONN_A_CLIENT_ID] = MNL_TYPE_U32,
		[ROAM_CONN_A_C_NONCE] = MNL_TYPE_BINARY,
		[ROAM_CONN_A_S_NONCE] = MNL_TYPE_BINARY,
		[ROAM_CONN_A_ORIG4] = MNL_TYPE_U32,
		[ROAM_CONN_A_COUNTER] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[ROAM_A_MAX + 1], *c[ROAM_CONN_A_MAX + 1];
	uint32_t orig;

	memset(mig, 0, sizeof(*mig));
	if (genl_attr_parse(nlh, top, tb, ROAM_A_MAX) || !tb[ROAM_A_CONN] ||
	    genl_attr_parse_nested(tb[ROAM_A_CONN], pol, c, ROAM_CONN_A_MAX))
		return -EBADMSG;
	if (!c[ROAM_CONN_A_STATE] || !c[ROAM_CONN_A_CLIENT_ID] || !c[ROAM_CONN_A_ORIG4] ||
	    !c[ROAM_CONN_A_COUNTER] || !c[ROAM_CONN_A_C_NONCE] || !c[ROAM_CONN_A_S_NONCE] ||
	    mnl_attr_get_payload_len(c[ROAM_CONN_A_C_NONCE]) != ROAM_MIG_NONCE_LEN ||
	    mnl_attr_get_payload_len(c[ROAM_CONN_A_S_NONCE]) != ROAM_MIG_NONCE_LEN)
		return -EBADMSG;
	*state = mnl_attr_get_u8(c[ROAM_CONN_A_STATE]);
	mig->flags = HOCHAN_F_NEGOTIATED;
	mig->id = mnl_attr_get_u32(c[ROAM_CONN_A_CLIENT_ID]);
	memcpy(mig->c_nonce, mnl_attr_get_payload(c[ROAM_CONN_A_C_NONCE]), 8);
	memcpy(mig->s_nonce, mnl_attr_get_payload(c[ROAM_CONN_A_S_NONCE]), 8);
	orig = mnl_attr_get_u32(c[ROAM_CONN_A_ORIG4]);
	memcpy(mig->orig_addr, &orig, 4);
	mig->counter = mnl_attr_get_u32(c[ROAM_CONN_A_COUNTER]);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* roam.ko's live handoff, client side (roam_mig.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "roam_mig.h"
#include "schedule.h"
#include "util.h"

struct roam_mig {
	struct genl_sock gs;
	struct genl_family fam;
};

static void put_ports(struct nlmsghdr *nlh, uint16_t type,
		      const uint16_t *ports, unsigned int n)
{
	struct nlattr *list = mnl_attr_nest_start(nlh, type);

	for (unsigned int i = 0; i < n; i++)
		mnl_attr_put_u16(nlh, ROAM_MIG_A_PORT, ports[i]);
	mnl_attr_nest_end(nlh, list);
}

void roam_mig_put_set(struct nlmsghdr *nlh, const struct roam_mig_set *s)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ROAM_A_MIG);

	if (s->has & ROAM_MIG_SET_ID)
		mnl_attr_put_u32(nlh, ROAM_MIG_A_CLIENT_ID, s->id);
	if (s->has & ROAM_MIG_SET_KEY)
		mnl_attr_put(nlh, ROAM_MIG_A_KEY, sizeof(s->key), s->key);
	if (s->has & ROAM_MIG_SET_POOL) {
		struct nlattr *list = mnl_attr_nest_start(nlh, ROAM_MIG_A_POOL);

		for (unsigned int j = 0; j < s->n_pool; j++)
			mnl_attr_put_u32(nlh, ROAM_MIG_A_ADDR4, s->pool[j]);
		mnl_attr_nest_end(nlh, list);
	}
	if (s->has & ROAM_MIG_SET_PORTS)
		put_ports(nlh, ROAM_MIG_A_PORTS, s->ports, s->n_ports);
	if (s->has & ROAM_MIG_SET_SPORTS)
		put_ports(nlh, ROAM_MIG_A_SERVER_PORTS, s->sports, s->n_sports);
	if (s->has & ROAM_MIG_SET_CLIENT)
		mnl_attr_put_u8(nlh, ROAM_MIG_A_CLIENT_ENABLE, s->client);
	if (s->has & ROAM_MIG_SET_SERVER)
		mnl_attr_put_u8(nlh, ROAM_MIG_A_SERVER_ENABLE, s->server);
	if (s->has & ROAM_MIG_SET_MAX)
		mnl_attr_put_u32(nlh, ROAM_MIG_A_CONN_MAX, s->conn_max);
	mnl_attr_nest_end(nlh, nest);
}

int roam_mig_open(struct roam_mig **mp, char *err, size_t errlen)
{
	struct roam_mig *m = calloc(1, sizeof(*m));
	int ret;

	*mp = NULL;
	if (!m)
		return -ENOMEM;
	ret = genl_open(&m->gs);
	if (ret) {
		snprintf(err, errlen, "netlink: %s", strerror(-ret));
		goto fail;
	}
	ret = genl_family_get(&m->gs, ROAM_GENL_NAME, &m->fam);
	if (ret == -ENOENT)
		snprintf(err, errlen, "the roam kernel module is not loaded (modprobe roam)");
	else if (ret)
		snprintf(err, errlen, "roam.ko's netlink family: %s", strerror(-ret));
	if (ret)
		goto fail;
	*mp = m;
	return 0;
fail:
	roam_mig_close(m);
	return ret;
}

void roam_mig_close(struct roam_mig *m)
{
	if (!m)
		return;
	genl_close(&m->gs);
	free(m);
}

int roam_mig_set(struct roam_mig *m, const struct roam_mig_set *s,
		 char *err, size_t errlen)
{
	struct nlmsghdr *nlh = genl_req(&m->gs, m->fam.id, ROAM_CMD_MIG_SET,
					ROAM_GENL_VERSION);
	int ret;

	roam_mig_put_set(nlh, s);
	ret = genl_doit(&m->gs, nlh, NULL, NULL);
	explicit_bzero(m->gs.req, sizeof(m->gs.req));
	if (ret == -EPERM)
		snprintf(err, errlen, "roam.ko refused the handoff settings: "
			 "CAP_NET_ADMIN needed (run as root)");
	else if (ret)
		snprintf(err, errlen, "roam.ko refused the handoff settings: %s%s%s",
			 strerror(-ret), m->gs.extack[0] ? ": " : "", m->gs.extack);
	return ret;
}

int roam_mig_client_on(struct roam_mig *m, uint32_t id,
		       const uint8_t key[ROAM_MIG_KEY_LEN],
		       const struct roam_addr *pool, unsigned int n_pool,
		       char *err, size_t errlen)
{
	struct roam_mig_set s = {
		.has = ROAM_MIG_SET_ID | ROAM_MIG_SET_KEY | ROAM_MIG_SET_POOL |
		       ROAM_MIG_SET_PORTS | ROAM_MIG_SET_CLIENT,
		.id = id, .client = 1,
	};
	int ret;

	memcpy(s.key, key, ROAM_MIG_KEY_LEN);
	for (unsigned int i = 0; i < n_pool && s.n_pool < ROAM_POOL_MAX; i++) {
		unsigned int j;

		if (pool[i].family != 4)
			continue;
		memcpy(&s.pool[s.n_pool++], pool[i].addr, 4);
		for (j = 0; j < s.n_ports && s.ports[j] != pool[i].port; j++)
			;
		if (j == s.n_ports) {
			if (s.n_ports == ROAM_PORTS_MAX) {
				snprintf(err, errlen, "the pool has more than %d service ports",
					 ROAM_PORTS_MAX);
				ret = -E2BIG;
				goto out;
			}
			s.ports[s.n_ports++] = pool[i].port;
		}
	}
	if (!s.n_pool) {
		snprintf(err, errlen, "the pool has no IPv4 server (the handoff is IPv4 only)");
		ret = -EAFNOSUPPORT;
		goto out;
	}
	ret = roam_mig_set(m, &s, err, errlen);
out:
	explicit_bzero(s.key, sizeof(s.key));
	return ret;
}

struct find {
	struct roam_mig_cconn want, *out;
	int found;
};

static int find_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type policy[ROAM_CONN_A_MAX + 1] = {
		[ROAM_CONN_A_LADDR4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_LPORT]	= MNL_TYPE_U16,
		[ROAM_CONN_A_RADDR4]	= MNL_TYPE_U32,
		[ROAM_CONN_A_RPORT]	= MNL_TYPE_U16,
		[ROAM_CONN_A_STATE]	= MNL_TYPE_U8,
		[ROAM_CONN_A_COUNTER]	= MNL_TYPE_U32,
		[ROAM_CONN_A_CUR4]	= MNL_TYPE_U32,
	};
	const struct nlattr *t[ROAM_A_MAX + 1], *tb[ROAM_CONN_A_MAX + 1];
	struct find *f = data;
	struct roam_mig_cconn c = { 0 };
	int ret;

	ret = genl_attr_parse(nlh, top, t, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	if (!t[ROAM_A_CONN])
		return 0;
	ret = genl_attr_parse_nested(t[ROAM_A_CONN], policy, tb, ROAM_CONN_A_MAX);
	if (ret < 0)
		return ret;
	if (!tb[ROAM_CONN_A_LADDR4] || !tb[ROAM_CONN_A_LPORT] ||
	    !tb[ROAM_CONN_A_RADDR4] || !tb[ROAM_CONN_A_RPORT])
		return -EBADMSG;
	c.laddr = mnl_attr_get_u32(tb[ROAM_CONN_A_LADDR4]);
	c.raddr = mnl_attr_get_u32(tb[ROAM_CONN_A_RADDR4]);
	c.lport = ntohs(mnl_attr_get_u16(tb[ROAM_CONN_A_LPORT]));
	c.rport = ntohs(mnl_attr_get_u16(tb[ROAM_CONN_A_RPORT]));
	if (c.laddr != f->want.laddr || c.raddr != f->want.raddr ||
	    c.lport != f->want.lport || c.rport != f->want.rport)
		return 0;
	if (tb[ROAM_CONN_A_STATE])
		c.state = mnl_attr_get_u8(tb[ROAM_CONN_A_STATE]);
	if (tb[ROAM_CONN_A_COUNTER])
		c.counter = mnl_attr_get_u32(tb[ROAM_CONN_A_COUNTER]);
	c.cur = tb[ROAM_CONN_A_CUR4] ? mnl_attr_get_u32(tb[ROAM_CONN_A_CUR4]) : c.raddr;
	*f->out = c;
	f->found = 1;
	return 0;
}

int roam_mig_cconn_find(struct roam_mig *m, uint32_t laddr, uint16_t lport,
			uint32_t raddr, uint16_t rport, struct roam_mig_cconn *out)
{
	struct find f = {
		.want = { .laddr = laddr, .raddr = raddr, .lport = lport, .rport = rport },
		.out = out,
	};
	struct nlmsghdr *nlh = genl_req(&m->gs, m->fam.id, ROAM_CMD_CCONN_GET,
					ROAM_GENL_VERSION);
	int ret;

	/* A dump of the whole table: the kernel filters none for clients. */
	ret = genl_dump(&m->gs, nlh, find_cb, &f);
	if (ret < 0)
		return ret;
	return f.found ? 0 : -ENOENT;
}

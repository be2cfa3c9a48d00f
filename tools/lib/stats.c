// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>

#include "genl.h"
#include "stats.h"

struct stats_ctx {
	const struct stats_names *sn;
	struct stats *st;
};

static int stats_cb(const struct nlattr *attr, void *data)
{
	struct stats_ctx *c = data;
	uint16_t id = mnl_attr_get_type(attr);
	bool known = id < c->sn->n && c->sn->names[id];

	if (id == 0 || id == c->sn->pad || id == c->sn->reserved)
		return 0;
	/*
	 * Counters are u64 by the uapi.  A known one of another size is a
	 * broken message; an unknown one may be something newer: skip it.
	 */
	if (mnl_attr_get_payload_len(attr) != sizeof(uint64_t))
		return known ? -EBADMSG : 0;
	if (c->st->n == STATS_MAX)
		return -E2BIG;
	c->st->e[c->st->n].id = id;
	c->st->e[c->st->n++].val = mnl_attr_get_u64(attr);
	return 0;
}

int stats_parse(const struct nlattr *nest, const struct stats_names *sn,
		struct stats *st)
{
	struct stats_ctx c = { sn, st };

	st->n = 0;
	return genl_attr_foreach(mnl_attr_get_payload(nest),
				 mnl_attr_get_payload_len(nest), stats_cb, &c);
}

const char *stats_name(const struct stats_names *sn, uint16_t id,
		       char *buf, size_t len)
{
	if (id < sn->n && sn->names[id])
		return sn->names[id];
	snprintf(buf, len, "stat%u", id);
	return buf;
}

void stats_out(struct out *o, const char *key, const struct stats *st,
	       const struct stats_names *sn)
{
	char buf[16];
	unsigned int i;

	out_obj_begin(o, key);
	for (i = 0; i < st->n; i++)
		out_u64(o, stats_name(sn, st->e[i].id, buf, sizeof(buf)),
			st->e[i].val);
	out_obj_end(o);
}

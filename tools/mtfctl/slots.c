// SPDX-License-Identifier: GPL-2.0
/*
 * Slot lists, the part of a path that filters match on: a nest of
 * MTF_A_SLOT nests, oldest router first.  On the command line a list is
 * ADDR/MARK,ADDR/MARK,... (or the "ADDR/MARK > ADDR/MARK" that path show
 * prints, when quoted).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "genl.h"
#include "mtfctl.h"

static int parse_slot(const char *s, size_t n, struct mtf_slot *slot,
		      struct mtf_perr *e)
{
	char word[64], *mark;
	uint32_t addr;

	if (n == 0)
		return mtf_perr(e, "invalid path: empty slot");
	if (n >= sizeof(word))
		return mtf_perr(e, "invalid path slot '%.*s'", (int)n, s);
	memcpy(word, s, n);
	word[n] = '\0';
	mark = strchr(word, '/');
	if (!mark)
		return mtf_perr(e, "invalid path slot '%s': want ADDR/MARK", word);
	*mark++ = '\0';
	memset(slot, 0, sizeof(*slot));
	if (mtf_parse_ip4(word, &addr, "slot address", e) < 0 ||
	    mtf_parse_mark(mark, &slot->mark, e) < 0)
		return -EINVAL;
	memcpy(slot->addr, &addr, sizeof(addr));
	return 0;
}

int mtf_parse_slots(const char *s, struct mtf_slots *sl, struct mtf_perr *e)
{
	const char *end;
	size_t n;

	sl->n = 0;
	for (;;) {
		s += strspn(s, " \t");
		end = s + strcspn(s, ",>");
		n = end - s;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (sl->n == MTF_MAX_SLOTS)
			return mtf_perr(e, "invalid path: more than %u slots",
					MTF_MAX_SLOTS);
		if (parse_slot(s, n, &sl->s[sl->n], e) < 0)
			return -EINVAL;
		sl->n++;
		if (!*end)
			return 0;
		s = end + 1;
	}
}

/* Into a message of at most size bytes; -EMSGSIZE leaves it unchanged. */
int mtf_slots_put(struct nlmsghdr *nlh, size_t size, uint16_t type,
		  const struct mtf_slots *sl)
{
	struct nlattr *nest, *slot;
	uint32_t addr;
	unsigned int i;

	nest = mnl_attr_nest_start_check(nlh, size, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < sl->n; i++) {
		slot = mnl_attr_nest_start_check(nlh, size, MTF_A_SLOT);
		memcpy(&addr, sl->s[i].addr, sizeof(addr));
		if (!slot || sl->s[i].v6 ||
		    !mnl_attr_put_u32_check(nlh, size, MTF_SLOT_A_ADDR4, addr) ||
		    !mnl_attr_put_u32_check(nlh, size, MTF_SLOT_A_MARK,
					    sl->s[i].mark)) {
			mnl_attr_nest_cancel(nlh, nest);
			return sl->s[i].v6 ? -EAFNOSUPPORT : -EMSGSIZE;
		}
		mnl_attr_nest_end(nlh, slot);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int slot_cb(const struct nlattr *attr, void *data)
{
	static const enum mnl_attr_data_type policy[MTF_SLOT_A_MAX + 1] = {
		[MTF_SLOT_A_ADDR4]	= MNL_TYPE_U32,
		[MTF_SLOT_A_ADDR6]	= MNL_TYPE_BINARY,
		[MTF_SLOT_A_MARK]	= MNL_TYPE_U32,
	};
	const struct nlattr *tb[MTF_SLOT_A_MAX + 1];
	struct mtf_slots *sl = data;
	struct mtf_slot *s;
	int ret;

	/* Only slots live in a slot list; anything newer is skipped. */
	if (mnl_attr_get_type(attr) != MTF_A_SLOT)
		return 0;
	if (sl->n == MTF_MAX_SLOTS)
		return -EBADMSG;
	ret = genl_attr_parse_nested(attr, policy, tb, MTF_SLOT_A_MAX);
	if (ret < 0)
		return ret;
	s = &sl->s[sl->n];
	memset(s, 0, sizeof(*s));
	if (!tb[MTF_SLOT_A_MARK] ||
	    (tb[MTF_SLOT_A_ADDR6] &&
	     mnl_attr_get_payload_len(tb[MTF_SLOT_A_ADDR6]) != 16))
		return -EBADMSG;
	s->mark = mnl_attr_get_u32(tb[MTF_SLOT_A_MARK]);
	if (tb[MTF_SLOT_A_ADDR4]) {
		memcpy(s->addr, mnl_attr_get_payload(tb[MTF_SLOT_A_ADDR4]), 4);
	} else if (tb[MTF_SLOT_A_ADDR6]) {
		memcpy(s->addr, mnl_attr_get_payload(tb[MTF_SLOT_A_ADDR6]), 16);
		s->v6 = true;
	} else {
		return -EBADMSG;
	}
	sl->n++;
	return 0;
}

int mtf_slots_parse(const struct nlattr *nest, struct mtf_slots *sl)
{
	sl->n = 0;
	return genl_attr_foreach(mnl_attr_get_payload(nest),
				 mnl_attr_get_payload_len(nest), slot_cb, sl);
}

static const char *slot_addr(const struct mtf_slot *s, char *buf)
{
	return inet_ntop(s->v6 ? AF_INET6 : AF_INET, s->addr, buf,
			 INET6_ADDRSTRLEN);
}

void mtf_slots_print(FILE *fp, const struct mtf_slots *sl, const char *sep)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < sl->n; i++)
		fprintf(fp, "%s%s/0x%08x", i ? sep : "",
			slot_addr(&sl->s[i], buf), ntohl(sl->s[i].mark));
}

/* JSON: [{"addr": "10.0.1.254", "mark": "0x1a2b3c4d"}, ...] */
void mtf_slots_out(struct out *o, const char *key, const struct mtf_slots *sl)
{
	char buf[INET6_ADDRSTRLEN], mark[11];
	unsigned int i;

	out_arr_begin(o, key);
	for (i = 0; i < sl->n; i++) {
		out_obj_begin(o, NULL);
		out_str(o, "addr", slot_addr(&sl->s[i], buf));
		snprintf(mark, sizeof(mark), "0x%08x", ntohl(sl->s[i].mark));
		out_str(o, "mark", mark);
		out_obj_end(o);
	}
	out_arr_end(o);
}

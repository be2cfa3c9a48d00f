// SPDX-License-Identifier: GPL-2.0
/*
 * Replies that carry entries (DEV_GET, PATH_GET, FILTER_GET dumps, the
 * path rate event): every MTF_A_DEV, MTF_A_PATH or MTF_A_FILTER nest of a
 * message goes to the consumer, so it does not matter whether the kernel
 * packs one entry per message or several.
 */
#include <errno.h>
#include <stdio.h>

#include "mtfctl.h"

struct dump_walk {
	struct mtf_dump *d;
	union {
		struct mtf_dev dev;
		struct mtf_path_ent path;
		struct mtf_filter_ent filter;
	} u;
};

static int entry_cb(const struct nlattr *attr, void *data)
{
	struct dump_walk *w = data;
	struct mtf_dump *d = w->d;
	int ret;

	switch (mnl_attr_get_type(attr)) {
	case MTF_A_DEV:
		if (!d->dev)
			return 0;
		ret = mtf_dev_parse_nest(attr, &w->u.dev);
		ret = ret < 0 ? ret : d->dev(d->arg, &w->u.dev);
		break;
	case MTF_A_PATH:
		if (!d->path)
			return 0;
		ret = mtf_path_parse_nest(attr, &w->u.path);
		ret = ret < 0 ? ret : d->path(d->arg, &w->u.path);
		break;
	case MTF_A_FILTER:
		if (!d->filter)
			return 0;
		ret = mtf_filter_parse_nest(attr, &w->u.filter);
		ret = ret < 0 ? ret : d->filter(d->arg, &w->u.filter);
		break;
	default:
		/* Attributes of other kinds, or newer: not ours to judge. */
		return 0;
	}
	d->n += ret == 0;
	return ret;
}

/* genl_cb_t; dump is a struct mtf_dump. */
int mtf_dump_parse(const struct nlmsghdr *nlh, void *dump)
{
	struct dump_walk w = { .d = dump };
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		w.d->intr = true;
	if (len < GENL_HDRLEN)
		return -EBADMSG;
	return genl_attr_foreach((const char *)mnl_nlmsg_get_payload(nlh) +
				 GENL_HDRLEN, len - GENL_HDRLEN, entry_cb, &w);
}

/* After a dump that the kernel flagged NLM_F_DUMP_INTR. */
void mtf_dump_warn(struct cli *cli, const struct mtf_dump *d)
{
	if (d->intr)
		fprintf(stderr, "%s: warning: the table changed during the dump; entries may be missing or repeated\n",
			cli->prog->name);
}

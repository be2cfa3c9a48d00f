// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary bytes as a line of a batch file.  The line is
 * split into words and parsed as a filter add spec, a filter del key,
 * config set and dev set arguments.  What parses must build into a
 * message and parse back to the same filter: a spec the tool accepts
 * is one the kernel's policy accepts, byte for byte.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../mtfctl/mtfctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct mtf_filter_ent *in, bool del)
{
	static char buf[4096] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = genl_msg_start(buf, 0x20, 0, del ?
					      MTF_CMD_FILTER_DEL : MTF_CMD_FILTER_ADD, 1);
	struct mtf_filter_ent back, fr = *in, *f = &fr;
	bool unmarked = MTF_HAS(f, MTF_FILTER_A_IIF);
	const struct nlattr *a;

	/* A name is resolved to an index before sending (batch.c). */
	if (unmarked && !f->iif)
		f->iif = 7;
	if (mtf_filter_put(nlh, sizeof(buf), f) < 0)
		__builtin_trap();
	a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	/* Exactly one of a path suffix and an interface (kernel policy). */
	if (unmarked == MTF_HAS(f, MTF_FILTER_A_SLOTS) ||
	    (unmarked ? !f->iif || f->slots.n : !f->slots.n))
		__builtin_trap();
	if (mtf_filter_parse_nest(a, &back) < 0 || back.has != f->has ||
	    back.iif != f->iif ||
	    back.slots.n != f->slots.n || f->slots.n > MTF_MAX_SLOTS ||
	    memcmp(back.slots.s, f->slots.s, f->slots.n * sizeof(f->slots.s[0])) ||
	    back.dst != f->dst || back.src != f->src || back.action != f->action ||
	    back.rate_pps != f->rate_pps || back.rate_bps != f->rate_bps ||
	    back.timeout_ms != f->timeout_ms || back.owner != f->owner ||
	    back.cookie_len != f->cookie_len ||
	    memcmp(back.cookie, f->cookie, f->cookie_len) ||
	    (MTF_HAS(f, MTF_FILTER_A_SRC4) && back.src_plen != f->src_plen))
		__builtin_trap();
	/* The cookie's policy: 1..MTF_FILTER_COOKIE_MAX bytes. */
	if (MTF_HAS(f, MTF_FILTER_A_COOKIE) &&
	    (!f->cookie_len || f->cookie_len > MTF_FILTER_COOKIE_MAX))
		__builtin_trap();
	/* What the kernel's policy takes: the uapi limits, and a rate for
	 * rate-limit. */
	if (!del && f->action == MTF_FILTER_RATELIMIT && !f->rate_pps && !f->rate_bps)
		__builtin_trap();
	if (f->rate_pps > MTF_FILTER_RATE_PPS_MAX ||
	    f->timeout_ms > MTF_FILTER_TIMEOUT_MS_MAX)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[1024], copy[1024], *argv[CLI_MAX_WORDS];
	struct mtf_filter_ent f;
	struct mtf_perr e;
	struct mtf_dev d;
	struct mtf_cfg c;
	int argc, del;

	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	for (del = 0; del < 2; del++) {
		memcpy(copy, line, size + 1);
		argc = cli_tokenize(copy, argv, CLI_MAX_WORDS);
		if (argc < 0)
			return 0;
		if (!mtf_filter_args(argc, argv, del, &f, &e))
			roundtrip(&f, del);
		else if (!memchr(e.msg, '\0', sizeof(e.msg)))
			__builtin_trap();
	}
	memcpy(copy, line, size + 1);
	argc = cli_tokenize(copy, argv, CLI_MAX_WORDS);
	mtf_cfg_args(argc, argv, &c, &e);
	memset(&d, 0, sizeof(d));
	mtf_dev_args(argc, argv, &d, &e);
	if (d.flags & ~d.mask)
		__builtin_trap();
	return 0;
}

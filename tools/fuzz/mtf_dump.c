// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary bytes as the kernel's answer to mtfctl dev show,
 * path show, filter show or as a monitor event: genl_process() (framing,
 * DONE, errors with extack), mtf_dump_parse() and every entry parser,
 * then the text and JSON printers over what was parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../mtfctl/mtfctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;
static struct out o;

static int dev(void *arg, const struct mtf_dev *d)
{
	(void)arg;
	if (strnlen(d->ifname, sizeof(d->ifname)) == sizeof(d->ifname))
		__builtin_trap();
	mtf_dev_print(sink, d);
	mtf_dev_out(&o, d);
	return out_list_elem(&o);
}

static int path(void *arg, const struct mtf_path_ent *p)
{
	(void)arg;
	if (p->slots.n > MTF_MAX_SLOTS)
		__builtin_trap();
	mtf_path_print(sink, p);
	mtf_path_out(&o, p);
	return out_list_elem(&o);
}

static int filter(void *arg, const struct mtf_filter_ent *f)
{
	(void)arg;
	if (f->slots.n > MTF_MAX_SLOTS || f->src_plen > 32)
		__builtin_trap();
	mtf_filter_print(sink, f);
	mtf_filter_out(&o, f);
	return out_list_elem(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct genl_sock gs;
	struct mtf_dump d = { dev, path, filter, NULL, 0, false };

	if (!sink)
		sink = fopen("/dev/null", "w");
	out_init(&o, sink, true, size & 1);
	out_list_begin(&o);
	gs.seq = 0;	/* 0: accept any sequence number and port id */
	gs.portid = 0;
	genl_process(&gs, data, size, mtf_dump_parse, &d);
	out_list_end(&o, false);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the topology file (Documentation/mtfd-topology.md), as an
 * operator or a configuration tool writes it.  A refused file must say
 * where; an accepted one must answer a warning query and a path query
 * (small limits keep igraph's share of each run short).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_limits l;
	struct mtf_ctl_addr out[4], a, b;
	struct topo_path p[4];
	struct topo *t;
	char err[256];
	char *buf;
	int rc;

	topo_limits_default(&l);
	l.max_gateways = 64;
	l.max_links = 256;
	l.max_prefixes = 64;
	l.max_homes = 128;
	l.cache_entries = 8;
	l.prune_above = 8;		/* the pruned search on most inputs */
	/* An exact copy: a read past the buffer is caught by ASan. */
	buf = malloc(size ? size : 1);
	t = topo_new(&l);
	if (!buf || !t)
		goto out;
	memcpy(buf, data, size);
	rc = topo_load_buf(t, buf, size, "fuzz", err, sizeof(err));
	if (rc && strncmp(err, "fuzz:", 5))
		__builtin_trap();
	/* Whatever was loaded, first gateway to last, with each prefix's gateway. */
	if (!mtfd_addr_parse("10.0.3.1", &a) && !mtfd_addr_parse("10.0.1.1", &b)) {
		struct topo_query q = { .self = &a, .attack_gw = &b, .k = 3 };

		rc = topo_warn_targets(t, &q, out, 4);
		if (rc > 64)
			__builtin_trap();
		rc = topo_k_paths(t, &a, &b, 4, p, 4);
		for (int i = 0; i < rc; i++)
			if (!p[i].len || p[i].len > TOPO_PATH_MAX ||
			    mtfd_addr_cmp(&p[i].hop[0], &a) || mtfd_addr_cmp(&p[i].hop[p[i].len - 1], &b))
				__builtin_trap();
		topo_learn_path(t, out, rc > 0 && rc <= 4 ? (unsigned int)rc : 0);
	}
out:
	topo_free(t);
	free(buf);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The prefixes a warning names when the attack's source is unknown
 * (spoofed): the stub networks both the attack gateway and the warned
 * gateway serve, i.e. the multihomed origin the attack can move from.
 */
#include <errno.h>

#include "topo-int.h"

int topo_shared_prefixes(const struct topo *t, const struct mtf_ctl_addr *a,
			 const struct mtf_ctl_addr *b, struct mtfd_prefix *out,
			 unsigned int out_max)
{
	uint32_t ga = topo_gw_find(t, a), gb = topo_gw_find(t, b);
	unsigned int n = 0;

	if (ga == TOPO_NONE || gb == TOPO_NONE)
		return -ENOENT;
	for (uint32_t h = t->gw[ga].first_home; h != TOPO_NONE; h = t->home[h].next_gw) {
		uint32_t stub = t->home[h].stub;

		for (uint32_t o = t->stub[stub].first_home; o != TOPO_NONE;
		     o = t->home[o].next_stub) {
			if (t->home[o].gw != gb)
				continue;
			if (n < out_max)
				out[n] = t->stub[stub].p;
			n++;
			break;
		}
	}
	return (int)n;
}

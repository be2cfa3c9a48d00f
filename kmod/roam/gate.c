// SPDX-License-Identifier: GPL-2.0
/*
 * The gate's configuration: the server pool, the service ports, the
 * active and previous server.  The packet path (hooks.c) never locks: it
 * reads one RCU-published snapshot, which writers replace whole.
 */

#include <linux/slab.h>
#include <linux/sort.h>

#include "gate.h"
#include "netns.h"

struct roam_gate *roam_gate_alloc(void)
{
	struct roam_gate *gate = kzalloc(sizeof(*gate), GFP_KERNEL);

	if (!gate)
		return NULL;
	gate->window_ms = ROAM_WINDOW_MS_DEFAULT;
	gate->client_max = ROAM_CLIENT_MAX_DEFAULT;
	return gate;
}

void roam_gate_free(struct roam_gate *gate)
{
	kfree(gate);
}

/*
 * Binary search: at most six probes for ROAM_POOL_MAX addresses, the cost
 * every packet to a non-pool address pays on a firewall.  The order is
 * that of the raw big-endian words; any total order will do.
 */
bool roam_gate_in_pool(const struct roam_gate *gate, __be32 addr)
{
	u32 key = (__force u32)addr;
	int lo = 0, hi = gate->n_pool - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		u32 v = (__force u32)gate->sorted[mid];

		if (v == key)
			return true;
		if (v < key)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

static int cmp_be32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

void roam_gate_set_pool(struct roam_gate *gate, const __be32 *addrs, u8 n)
{
	memcpy(gate->pool, addrs, n * sizeof(*addrs));
	memcpy(gate->sorted, addrs, n * sizeof(*addrs));
	sort(gate->sorted, n, sizeof(*addrs), cmp_be32, NULL);
	gate->n_pool = n;
	/* A previous server that left the pool is no longer special. */
	if (gate->prev && !roam_gate_in_pool(gate, gate->prev))
		gate->prev = 0;
}

/*
 * A roam: the old active address becomes the previous one, accepted for
 * window_ms more so that packets in flight and clients a little behind
 * the schedule are not cut off.  A window of 0 closes it at once.  An
 * old active address that has just left the pool (one GATE_SET with a
 * new pool and a new active address) is forgotten instead.
 */
void roam_gate_set_active(struct roam_gate *gate, __be32 addr)
{
	if (addr == gate->active)
		return;
	gate->prev = roam_gate_in_pool(gate, gate->active) ? gate->active : 0;
	gate->prev_until = jiffies + msecs_to_jiffies(gate->window_ms);
	gate->active = addr;
}

void roam_gate_publish(struct roam_net *rn, struct roam_gate *gate)
{
	struct roam_gate *old;

	old = rcu_replace_pointer(rn->gate, gate, lockdep_is_held(&rn->lock));
	kfree_rcu(old, rcu);
}

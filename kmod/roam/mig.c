// SPDX-License-Identifier: GPL-2.0
/*
 * Live TCP handoff: per-namespace life cycle, the CONFIRMED events and
 * the collector of entries that no FIN or RST will ever remove (SYNs
 * never answered, connections closed a while ago).
 */

#include <crypto/hash.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "mig.h"
#include "netlink.h"
#include "netns.h"

bool roam_mig_in_pool(const struct roam_mig_cfg *cfg, __be32 addr)
{
	int i;

	for (i = 0; i < cfg->n_pool; i++)
		if (cfg->pool[i] == addr)
			return true;
	return false;
}

/* No ports configured: every port. */
bool roam_mig_port_in(const __be16 *ports, u8 n, __be16 port)
{
	int i;

	if (!n)
		return true;
	for (i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

/* A FIN one way; both ways: the entry lingers a little, then goes. */
void roam_mig_fin(unsigned long *fin, int bit, unsigned long *expires)
{
	if (test_bit(bit, fin))
		return;
	set_bit(bit, fin);
	if (test_bit(bit == ROAM_FIN_OUT ? ROAM_FIN_IN : ROAM_FIN_OUT, fin))
		WRITE_ONCE(*expires, (jiffies + ROAM_MIG_CLOSE_LINGER) ?: 1);
}

/* Packet path: a connection confirmed; the work item tells userspace. */
void roam_mig_event_confirmed(struct roam_net *rn,
			      const struct roam_sconn_key *key, u64 stall_ns)
{
	struct roam_mig *m = &rn->mig;
	struct roam_mig_event ev = { .key = *key, .stall_ns = stall_ns };
	bool queued;

	spin_lock(&m->ev_lock);
	queued = kfifo_put(&m->ev, ev);
	spin_unlock(&m->ev_lock);
	if (queued)
		schedule_work(&m->ev_work);
	else
		roam_stats_inc(rn->stats, ROAM_STAT_MIG_EVENT_LOST, 1);
}

static void ev_work_fn(struct work_struct *work)
{
	struct roam_mig *m = container_of(work, struct roam_mig, ev_work);
	struct roam_net *rn = container_of(m, struct roam_net, mig);
	struct roam_mig_event ev;

	for (;;) {
		spin_lock_bh(&m->ev_lock);
		if (!kfifo_get(&m->ev, &ev)) {
			spin_unlock_bh(&m->ev_lock);
			break;
		}
		spin_unlock_bh(&m->ev_lock);
		roam_mig_nl_notify_confirmed(rn->net, &ev);
		cond_resched();
	}
}

static void gc_work_fn(struct work_struct *work)
{
	struct roam_mig *m = container_of(to_delayed_work(work),
					  struct roam_mig, gc_work);

	roam_cconns_gc(&m->cconns);
	roam_sconns_gc(&m->sconns);
	/* Idle while both tables are empty; an insertion kicks it again. */
	if (READ_ONCE(m->cconns.n) || READ_ONCE(m->sconns.n))
		schedule_delayed_work(&m->gc_work, ROAM_MIG_GC_PERIOD);
}

/* After an insertion: pending already is the common case, and cheap. */
void roam_mig_gc_kick(struct roam_net *rn)
{
	if (!delayed_work_pending(&rn->mig.gc_work))
		schedule_delayed_work(&rn->mig.gc_work, ROAM_MIG_GC_PERIOD);
}

int roam_mig_init(struct roam_net *rn)
{
	struct roam_mig *m = &rn->mig;
	struct roam_mig_cfg *cfg;
	int ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->conn_max = ROAM_MIG_CONN_MAX_DEFAULT;
	RCU_INIT_POINTER(m->cfg, cfg);
	RCU_INIT_POINTER(m->tfm, NULL);
	spin_lock_init(&m->ev_lock);
	INIT_KFIFO(m->ev);
	INIT_WORK(&m->ev_work, ev_work_fn);
	INIT_DEFERRABLE_WORK(&m->gc_work, gc_work_fn);
	ret = roam_cconns_init(&m->cconns);
	if (ret)
		goto err_cfg;
	ret = roam_sconns_init(&m->sconns);
	if (ret)
		goto err_cconns;
	return 0;

err_cconns:
	roam_cconns_destroy(&m->cconns);
err_cfg:
	kfree(cfg);
	return ret;
}

/* Namespace exit, after the hooks are gone and a grace period. */
void roam_mig_exit(struct roam_net *rn)
{
	struct roam_mig *m = &rn->mig;
	struct crypto_shash *tfm;

	cancel_work_sync(&m->ev_work);
	cancel_delayed_work_sync(&m->gc_work);
	roam_cconns_destroy(&m->cconns);
	roam_sconns_destroy(&m->sconns);
	kfree(rcu_dereference_protected(m->cfg, 1));
	tfm = rcu_dereference_protected(m->tfm, 1);
	if (tfm)
		crypto_free_shash(tfm);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Events to userspace (ROAM_GENL_MCGRP_EVENTS).  They never leave from the
 * packet path: building and multicasting a netlink message allocates and
 * walks the listeners, which a softirq flooded by an attacker should not
 * do.  The packet path only records what happened (a client address in a
 * small queue, a per-CPU counter); work items turn that into messages.
 */

#include <linux/jiffies.h>

#include "event.h"
#include "gate.h"
#include "netlink.h"
#include "netns.h"

/*
 * Packet path.  The lock is taken once per client and state setting (the
 * caller's ROAM_CLIENT_F_VIOLATED bit), never per packet.  False when the
 * queue is full.
 */
bool roam_event_violation(struct roam_net *rn, __be32 addr)
{
	struct roam_events *ev = &rn->events;
	bool queued;

	spin_lock_bh(&ev->lock);
	queued = kfifo_put(&ev->viol, addr);
	spin_unlock_bh(&ev->lock);
	if (queued)
		schedule_work(&ev->viol_work);
	return queued;
}

static void viol_work_fn(struct work_struct *work)
{
	struct roam_events *ev = container_of(work, struct roam_events,
					      viol_work);
	struct roam_net *rn = container_of(ev, struct roam_net, events);
	struct roam_client_info info;
	__be32 addr;

	for (;;) {
		spin_lock_bh(&ev->lock);
		if (!kfifo_get(&ev->viol, &addr)) {
			spin_unlock_bh(&ev->lock);
			break;
		}
		spin_unlock_bh(&ev->lock);
		/* Deleted meanwhile: still worth telling, by address. */
		if (!roam_client_get(&rn->clients, addr, &info)) {
			memset(&info, 0, sizeof(info));
			info.addr = addr;
		}
		roam_nl_notify_violation(rn->net, &info);
		cond_resched();
	}
}

/*
 * Once a second: the rate of packets dropped for an inactive address,
 * from the per-CPU counter the packet path keeps anyway, so detection
 * costs the packet path nothing.  Deferrable: an idle CPU is not woken
 * for it, and a CPU under attack is not idle.
 */
static void attack_work_fn(struct work_struct *work)
{
	struct roam_events *ev = container_of(to_delayed_work(work),
					      struct roam_events, attack_work);
	struct roam_net *rn = container_of(ev, struct roam_net, events);
	unsigned long now = jiffies, dt = now - ev->attack_last;
	const struct roam_gate *gate;
	u32 threshold;
	__be32 active;
	u64 drops, rate = 0;
	u64 epoch;

	drops = roam_stats_read_one(rn->stats, ROAM_STAT_DROP_INACTIVE);
	/* The first sample, or one after a pause, is only a baseline. */
	if (ev->attack_last && dt && dt <= 3 * HZ)
		rate = div64_u64((drops - ev->attack_last_drops) * HZ, dt);
	ev->attack_last = now;
	ev->attack_last_drops = drops;

	rcu_read_lock();
	gate = rcu_dereference(rn->gate);
	threshold = gate->n_pool ? gate->attack_pps : 0;
	active = gate->active;
	epoch = gate->epoch;
	rcu_read_unlock();
	if (!threshold) {
		/* Switched off: stop; roam_attack_kick() starts us again. */
		ev->attack_last = 0;
		return;
	}
	if (rate > threshold && (!ev->attack_last_event ||
				 time_after_eq(now, ev->attack_last_event + HZ))) {
		ev->attack_last_event = now;
		roam_stats_inc_bh(rn->stats, ROAM_STAT_ATTACK_EVENTS);
		roam_nl_notify_attack(rn->net, rate, threshold, active, epoch);
	}
	schedule_delayed_work(&ev->attack_work, HZ);
}

/* After a gate change: make sure the detector runs if it should. */
void roam_attack_kick(struct roam_net *rn)
{
	/* Pending or running: it reads the new gate itself. */
	schedule_delayed_work(&rn->events.attack_work, HZ);
}

void roam_events_init(struct roam_net *rn)
{
	struct roam_events *ev = &rn->events;

	spin_lock_init(&ev->lock);
	INIT_KFIFO(ev->viol);
	INIT_WORK(&ev->viol_work, viol_work_fn);
	INIT_DEFERRABLE_WORK(&ev->attack_work, attack_work_fn);
	ev->attack_last = 0;
	ev->attack_last_event = 0;
}

/* Namespace exit, after the hooks are gone: nothing queues any more. */
void roam_events_stop(struct roam_net *rn)
{
	cancel_work_sync(&rn->events.viol_work);
	/* Also stops it re-arming itself. */
	cancel_delayed_work_sync(&rn->events.attack_work);
}

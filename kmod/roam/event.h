/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_EVENT_H
#define _ROAM_EVENT_H

#include <linux/kfifo.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct roam_net;

/* Violations waiting for the work item; more are retried later. */
#define ROAM_EVENT_QUEUE	256

struct roam_events {
	/* Addresses of clients that violated their contract. */
	spinlock_t lock;
	DECLARE_KFIFO(viol, __be32, ROAM_EVENT_QUEUE);
	struct work_struct viol_work;
	/* Attack detector: samples DROP_INACTIVE once a second. */
	struct delayed_work attack_work;
	u64 attack_last_drops;
	unsigned long attack_last;	/* jiffies of that sample */
	unsigned long attack_last_event;	/* jiffies; 0: none yet */
};

void roam_events_init(struct roam_net *rn);
void roam_events_stop(struct roam_net *rn);
bool roam_event_violation(struct roam_net *rn, __be32 addr);
void roam_attack_kick(struct roam_net *rn);

#endif /* _ROAM_EVENT_H */

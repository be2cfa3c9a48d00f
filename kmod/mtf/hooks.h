/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_HOOKS_H
#define _MTF_HOOKS_H

#include <linux/types.h>

struct net;

int mtf_hooks_update(struct net *net);
bool mtf_hooks_up(struct net *net);
void mtf_hooks_net_pre_exit(struct net *net);
void mtf_hooks_stop(void);

#endif /* _MTF_HOOKS_H */

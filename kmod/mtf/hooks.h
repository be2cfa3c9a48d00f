/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_HOOKS_H
#define _MTF_HOOKS_H

struct net;

int mtf_hooks_register(struct net *net);
void mtf_hooks_unregister(struct net *net);
void mtf_hooks_net_exit(struct net *net);

#endif /* _MTF_HOOKS_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_HOOKS_H
#define _ROAM_HOOKS_H

struct net;

int roam_hooks_register(struct net *net);
void roam_hooks_unregister(struct net *net);

#endif /* _ROAM_HOOKS_H */

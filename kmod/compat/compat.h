/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, force-included into every object of every
 * module (see the modules' Kbuild) so that the sources themselves carry no
 * version #ifdefs.  Supported: the 6.1 and 6.12 long-term kernels.
 */
#ifndef _KMOD_COMPAT_H
#define _KMOD_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "kernels older than 6.1 are not supported"
#endif

#include <net/net_namespace.h>

/* skb_gso_segment() moved from <linux/netdevice.h> to <net/gso.h> in 6.4. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#include <net/gso.h>
#endif

/*
 * A namespace's cookie identifies it to userspace (the same value as
 * SO_NETNS_COOKIE).  Since 5.14 it is a plain u64 set once at namespace
 * creation; 6.1 and 6.12 both have it, so this is the place to adapt
 * should it change again.
 */
static inline u64 compat_net_cookie(const struct net *net)
{
	return net->net_cookie;
}

#endif /* _KMOD_COMPAT_H */

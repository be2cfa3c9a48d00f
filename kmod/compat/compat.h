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

/* <asm/unaligned.h> became <linux/unaligned.h> in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
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

/*
 * The attributes of a dump request, parsed and validated by the genetlink
 * core against the op's policy, for the op's .start: 6.6 ("genetlink: use
 * struct genl_info for dumps") moved them from genl_dumpit_info.attrs
 * into a struct genl_info.  Macros: <net/genetlink.h> is the user's.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define compat_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define compat_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * A cache of its own, never merged with others of the same size (its
 * figures in /proc/slabinfo are then its own): SLAB_NO_MERGE from 6.5,
 * before that only a constructor keeps a cache out of merging.
 */
#include <linux/slab.h>
#ifdef SLAB_NO_MERGE
#define COMPAT_SLAB_NO_MERGE	SLAB_NO_MERGE
#define compat_slab_no_merge_ctor	NULL
#else
#define COMPAT_SLAB_NO_MERGE	0
static inline void compat_slab_no_merge_ctor(void *obj)
{
}
#endif

#endif /* _KMOD_COMPAT_H */

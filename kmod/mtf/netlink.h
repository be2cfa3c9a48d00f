/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_NETLINK_H
#define _MTF_NETLINK_H

/* Handlers in other files build their replies with it. */
extern struct genl_family mtf_genl_family;

int mtf_genl_init(void);
void mtf_genl_uninit(void);

#endif /* _MTF_NETLINK_H */

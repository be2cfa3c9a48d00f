/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_NETLINK_H
#define _MTF_NETLINK_H

int mtf_genl_init(void);
void mtf_genl_uninit(void);

#endif /* _MTF_NETLINK_H */

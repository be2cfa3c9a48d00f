/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_NETLINK_H
#define _ROAM_NETLINK_H

int roam_genl_init(void);
void roam_genl_uninit(void);

#endif /* _ROAM_NETLINK_H */

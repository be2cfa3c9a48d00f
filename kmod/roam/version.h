/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_VERSION_H
#define _ROAM_VERSION_H

#define ROAM_VERSION "0.1.0"

#endif /* _ROAM_VERSION_H */

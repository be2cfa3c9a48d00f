/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ROAM_VERSION_H
#define _ROAM_VERSION_H

/* From scripts/version through Kbuild (MTF_ROAM_VERSION), else the release. */
#ifdef MTF_ROAM_VERSION
#define ROAM_VERSION MTF_ROAM_VERSION
#else
#define ROAM_VERSION "0.1.0"
#endif

#endif /* _ROAM_VERSION_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_VERSION_H
#define _MTF_VERSION_H

/* From scripts/version through Kbuild (MTF_ROAM_VERSION), else the release. */
#ifdef MTF_ROAM_VERSION
#define MTF_VERSION MTF_ROAM_VERSION
#else
#define MTF_VERSION "0.1.0"
#endif

#endif /* _MTF_VERSION_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_VERSION_H
#define _MTF_VERSION_H

#define MTF_VERSION "0.1.0"

#endif /* _MTF_VERSION_H */

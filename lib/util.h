/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TOOLS_UTIL_H
#define TOOLS_UTIL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Overridden from the build when it knows better (git describe). */
#ifndef TOOLS_VERSION
#define TOOLS_VERSION "0.1.0"
#endif

#endif

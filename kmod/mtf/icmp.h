/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_ICMP_H
#define _MTF_ICMP_H

#include "netns.h"

struct sk_buff;

void mtf_icmp_unquote(struct mtf_net *mn, struct sk_buff *skb);

#endif /* _MTF_ICMP_H */

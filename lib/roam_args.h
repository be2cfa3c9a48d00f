/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roam.ko's words on a command line (roamctl) or in a daemon's options
 * (roamd --ports): addresses, protocol/port lists, rates, client states.
 */
#ifndef ROAM_ARGS_H
#define ROAM_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* Command-line words to values; 0 or -EINVAL / -ERANGE. */
int roam_parse_addr(const char *s, uint32_t *be);
int roam_parse_addr_list(const char *s, uint32_t *addrs, unsigned int max,
			 unsigned int *n);
int roam_parse_ports(const char *s, uint32_t *ports, unsigned int max,
		     unsigned int *n);
int roam_parse_u64(const char *s, uint64_t max, uint64_t *v);
int roam_parse_bps(const char *s, uint64_t *bps);
int roam_parse_state(const char *s, uint8_t *state);
const char *roam_state_name(uint8_t state);
void roam_format_addr(uint32_t be, char *buf, size_t len);
void roam_format_ports(const uint32_t *ports, unsigned int n, char *buf,
		       size_t len);
void roam_format_addrs(const uint32_t *addrs, unsigned int n, char *buf,
		       size_t len);

#endif

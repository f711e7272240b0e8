/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KAME's ipsec_set_policy(3) for AF_KAME sockets: policy strings to the
 * struct kame_key_sockpolicy buffers that IPV6_IPSEC_POLICY takes
 * (uapi/linux/kame_key.h), and back. See ipsec_set_policy(3).
 */
#ifndef KAME_TOOLS_IPSEC_POLICY_H
#define KAME_TOOLS_IPSEC_POLICY_H

/*
 * "DIR ACTION [REQUEST...]" (len bytes of policy, which needs no NUL) to
 * a malloc'd buffer for setsockopt; NULL on error (ipsec_strerror()).
 */
char *ipsec_set_policy(const char *policy, int len);
/* The length of such a buffer (setsockopt's optlen), -1 if not one. */
int ipsec_get_policylen(const char *buf);
/*
 * A buffer as a malloc'd policy string, its requests after delim (" "
 * when NULL); NULL on error (ipsec_strerror()).
 */
char *ipsec_dump_policy(const char *buf, const char *delim);
/* What the last call of the three above failed on. */
const char *ipsec_strerror(void);

#endif

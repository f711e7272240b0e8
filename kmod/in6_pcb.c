// SPDX-License-Identifier: GPL-2.0
/*
 * What every AF_KAME socket shares (KAME's in6_pcb.c / in6_src.c): socket
 * addresses in and out of userland, and the interface a destination goes
 * out of.
 *
 * Userland always sees the plain form of an address plus sin6_scope_id;
 * the embedded zone (bytes 2-3) exists inside the kernel only.
 */
#include <net/sock.h>
#include "kame.h"

/* Parse and check a socket address from userland (plain form). */
int kame_sockaddr_in(const struct sockaddr *uaddr, int len,
		     struct in6_addr *addr, u32 *scope, __be16 *port)
{
	const struct sockaddr_kame *sa = (const struct sockaddr_kame *)uaddr;

	if (len < (int)sizeof(*sa))
		return -EINVAL;
	if (sa->sin6_family != kame_family)
		return -EAFNOSUPPORT;
	*addr = sa->sin6_addr;
	if (kame_in6_is_scoped(addr) && addr->s6_addr16[1])
		return -EINVAL;	/* the embedded form never comes in */
	*scope = kame_in6_is_scoped(addr) ? sa->sin6_scope_id : 0;
	*port = sa->sin6_port;
	return 0;
}

/* Fill a socket address for userland from an embedded-form address. */
void kame_sockaddr_out(struct sockaddr_kame *sa, const struct in6_addr *addr,
		       __be16 port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin6_family = kame_family;
	sa->sin6_port = port;
	sa->sin6_addr = *addr;
	if (kame_in6_is_scoped(addr)) {
		sa->sin6_scope_id = ntohs(addr->s6_addr16[1]);
		sa->sin6_addr.s6_addr16[1] = 0;
	}
}

/* The interface for a scoped address: scope id, bound one, the only one. */
struct kame_if *kame_zone_if(struct kame_net *kn, u32 scope,
				    int bound_if)
{
	struct kame_if *kif, *only = NULL;
	int n = 0;

	list_for_each_entry_rcu(kif, &kn->ifs, list) {
		if (scope || bound_if) {
			if (kif->dev->ifindex == (scope ?: bound_if))
				return kif;
			continue;
		}
		only = kif;
		n++;
	}
	return n == 1 ? only : NULL;
}

/*
 * Output interface for dst (embedded form on return), from the routing
 * table (kame_rt_output_if()). Caller holds RCU.
 */
struct kame_if *kame_route_if(struct kame_net *kn, struct in6_addr *dst,
			      u32 scope, int bound_if, int *err)
{
	return kame_rt_output_if(kn, dst, scope, bound_if, err);
}

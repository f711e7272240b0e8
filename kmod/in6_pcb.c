// SPDX-License-Identifier: GPL-2.0
/*
 * What every AF_KAME socket shares (KAME's in6_pcb.c / in6_src.c): socket
 * addresses in and out of userland, the interface a destination goes out
 * of, and the source and options of one packet a socket sends.
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

/*
 * The interface for a scoped address: scope id, bound one, the only one.
 * Caller holds RCU or RTNL.
 */
struct kame_if *kame_zone_if(struct kame_net *kn, u32 scope,
				    int bound_if)
{
	struct kame_if *kif, *only = NULL;
	int n = 0;

	list_for_each_entry_rcu(kif, &kn->ifs, list, lockdep_rtnl_is_held()) {
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

/* An attached interface by index, or NULL. Caller holds RCU or RTNL. */
struct kame_if *kame_if_by_index(struct kame_net *kn, int ifindex)
{
	struct kame_if *kif;

	list_for_each_entry_rcu(kif, &kn->ifs, list, lockdep_rtnl_is_held())
		if (kif->dev->ifindex == ifindex)
			return kif;
	return NULL;
}

/*
 * The outgoing interface (RFC 3542 6.7): the IPV6_PKTINFO index (ancillary,
 * else sticky), IPV6_MULTICAST_IF for a multicast destination, the zone
 * of the destination or of the bound address, the link the destination
 * is on. A scope id that names another interface than the one asked for
 * is EINVAL.
 */
static struct kame_if *pkt_route(struct kame_sock *ks,
				 const struct in6_pktinfo *pi,
				 struct in6_addr *dst, u32 scope, int *err)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	int oif = pi->ipi6_ifindex;

	if (oif < 0) {
		*err = -EINVAL;
		return NULL;
	}
	if (oif && !kame_if_by_index(kn, oif)) {
		*err = -ENXIO;
		return NULL;
	}
	if (!oif && IN6_IS_ADDR_MULTICAST(dst))
		oif = READ_ONCE(ks->mcast_if);
	if (!oif)
		oif = ks->bound_if;
	if (oif && scope && scope != oif) {
		*err = -EINVAL;
		return NULL;
	}
	return kame_route_if(kn, dst, scope, oif, err);
}

/*
 * The source (KAME notes 1.6.1): the IPV6_PKTINFO address, which must be
 * a usable address of the node in the zone of the outgoing interface;
 * else the bound address; else the one source selection picks.
 */
static int pkt_source(struct kame_sock *ks, const struct in6_pktinfo *pi,
		      struct kame_ip6_pkt *p)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	const struct kame_ifaddr *ifa;

	if (!ipv6_addr_any(&pi->ipi6_addr)) {
		p->src = pi->ipi6_addr;
		if (kame_in6_is_scoped(&p->src) && p->src.s6_addr16[1])
			return -EINVAL;
		if (IN6_IS_ADDR_MULTICAST(&p->src))
			return -EADDRNOTAVAIL;
		kame_in6_setscope(&p->src, p->kif->dev->ifindex);
		ifa = kame_ifa_lookup(kn, &p->src);
		return ifa && kame_ifa_usable(ifa) ? 0 : -EADDRNOTAVAIL;
	}
	if (!ipv6_addr_any(&ks->laddr) && !IN6_IS_ADDR_MULTICAST(&ks->laddr)) {
		p->src = ks->laddr;
		return 0;
	}
	ifa = kame_in6_select_src(p->kif, &p->dst);
	if (!ifa)
		return -EADDRNOTAVAIL;
	p->src = ifa->addr;
	return 0;
}

/*
 * Route, source and options of one packet from sk to dst (plain form,
 * zone in scope), from the socket's sticky options and the ancillary
 * data c of its sendmsg (NULL: none). Caller holds RCU and the socket
 * lock; p->kif is good until rcu_read_unlock().
 */
int kame_ip6_pkt_setup(struct sock *sk, const struct kame_ip6_cmsg *c,
		       const struct in6_addr *dst, u32 scope, u8 proto,
		       struct kame_ip6_pkt *p)
{
	struct kame_sock *ks = kame_sk(sk);
	const struct in6_pktinfo *pi = &ks->pktinfo;
	int err = 0;

	if (c && c->has_pktinfo)
		pi = &c->pktinfo;
	memset(p, 0, sizeof(*p));
	p->dst = *dst;
	p->kif = pkt_route(ks, pi, &p->dst, scope, &err);
	if (!p->kif)
		return err;
	err = pkt_source(ks, pi, p);
	if (err)
		return err;
	p->tx.proto = proto;
	p->tx.hlim = c && c->hlim >= 0 ? c->hlim :
		     kame_ip6_sock_hlim(ks, p->kif, &p->dst);
	p->tx.tclass = c && c->tclass >= 0 ? c->tclass : READ_ONCE(ks->tclass);
	p->tx.dontfrag = c && c->dontfrag >= 0 ? c->dontfrag :
			 READ_ONCE(ks->dontfrag);
	p->tx.mloop = READ_ONCE(ks->mcast_loop);
	return 0;
}

/*
 * kame_ip6_output() for a socket's packet: a datagram refused for
 * IPV6_DONTFRAG also queues an IPV6_PATHMTU notice (RFC 3542 11.3).
 */
int kame_ip6_sock_output(struct sock *sk, struct sk_buff *skb,
			 struct kame_ip6_pkt *p)
{
	u32 mtu = READ_ONCE(p->kif->dev->mtu);
	bool too_big = p->tx.dontfrag &&
		       skb->len + sizeof(struct ipv6hdr) > mtu &&
		       skb->len <= IPV6_MAXPLEN;
	int err;

	err = kame_ip6_output(p->kif, skb, &p->src, &p->dst, &p->tx);
	if (err == -EMSGSIZE && too_big)
		kame_ip6_notify_pmtu(sk, &p->dst, mtu);
	return err;
}

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
 * The local address of a bind (KAME's in6_pcbbind() and rip6_bind()):
 * addr (plain form, its zone in scope) becomes the embedded form and
 * *bound_if its zone (0: unscoped). It must be ::, a multicast address
 * when mcast is true, or an address of the node with none of the flags
 * bad (KAME_BIND_UNUSABLE at least): else EADDRNOTAVAIL. A scoped
 * address whose zone cannot be told is EINVAL.
 */
int kame_in6_bind_addr(struct kame_net *kn, struct in6_addr *addr, u32 scope,
		       u32 bad, bool mcast, int *bound_if)
{
	const struct kame_ifaddr *ifa;
	struct kame_if *kif;
	int err = 0;

	*bound_if = 0;
	if (ipv6_addr_any(addr))
		return 0;
	rcu_read_lock();
	if (kame_in6_is_scoped(addr)) {
		kif = kame_zone_if(kn, scope, 0);
		if (!kif) {
			err = -EINVAL;
			goto out;
		}
		*bound_if = kif->dev->ifindex;
		kame_in6_setscope(addr, *bound_if);
	}
	if (IN6_IS_ADDR_MULTICAST(addr)) {
		err = mcast ? 0 : -EADDRNOTAVAIL;
		goto out;
	}
	ifa = kame_ifa_lookup(kn, addr);
	if (!ifa || (READ_ONCE(ifa->flags) & bad))
		err = -EADDRNOTAVAIL;
out:
	rcu_read_unlock();
	return err;
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
	ifa = kame_in6_selectsrc(p->kif, &p->dst, true,
				 READ_ONCE(ks->srcprefs));
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
	p->tx.confirm = c && c->confirm;
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

	p->tx.sk = sk;	/* its IPsec policy */
	err = kame_ip6_output(p->kif, skb, &p->src, &p->dst, &p->tx);
	if (err == -EMSGSIZE && too_big)
		kame_ip6_notify_pmtu(sk, &p->dst, mtu);
	return err;
}

/*
 * The socket calls UDP and raw sockets share (KAME's in6_pcb.c and the
 * common parts of udp6_usrreq.c / raw_ip6.c). A raw socket's ports are
 * always 0.
 */

/*
 * Take ks off its table (under lock) and free the socket. Marked dead
 * (sock_orphan()) before its receive queue is emptied: the input queues
 * nothing on a dead socket (udp6_deliver() checks under the queue's
 * lock), so the purge is the last one; kame_sock_destruct() empties the
 * queue again when the last reference goes, whatever held it.
 */
int kame_in6_pcbdetach(struct socket *sock, spinlock_t *lock)
{
	struct sock *sk = sock->sk;
	struct kame_sock *ks;

	if (!sk)
		return 0;
	ks = kame_sk(sk);
	spin_lock_bh(lock);
	if (ks->hashed) {
		hlist_del(&ks->node);
		ks->hashed = false;
	}
	spin_unlock_bh(lock);
	kame_ip6_sock_release(sk);
	sock_orphan(sk);
	sock->sk = NULL;
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

/*
 * sk_destruct of every AF_KAME socket, when the last reference is gone
 * (a UDP socket's after a grace period: SOCK_RCU_FREE): nothing stays on
 * its queues, and what UDP reserved goes back to the protocol.
 */
void kame_sock_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
	kame_ip6_sock_free_ipsec(kame_sk(sk));
	sk_mem_reclaim_final(sk);
	WARN_ON_ONCE(atomic_read(&sk->sk_rmem_alloc));
	WARN_ON_ONCE(sk->sk_forward_alloc);
}

/* KAME's in6_setsockaddr() / in6_setpeeraddr(). */
int kame_in6_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct kame_sock *ks = kame_sk(sock->sk);
	struct sockaddr_kame *sa = (struct sockaddr_kame *)uaddr;

	if (peer) {
		if (!ks->connected)
			return -ENOTCONN;
		kame_sockaddr_out(sa, &ks->faddr, ks->fport);
	} else {
		kame_sockaddr_out(sa, &ks->laddr, ks->lport);
	}
	return sizeof(*sa);
}

int kame_in6_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;

	how++;	/* SHUT_RD (0) -> RCV_SHUTDOWN (1), ... */
	if (how <= 0 || how > SHUTDOWN_MASK)
		return -EINVAL;
	lock_sock(sk);
	if (sock->state != SS_CONNECTED) {
		release_sock(sk);
		return -ENOTCONN;
	}
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	sk->sk_state_change(sk);
	release_sock(sk);
	return 0;
}

/*
 * The destination of a send: msg_name, or the connected peer (dst in the
 * plain form, its zone in *scope).
 */
int kame_in6_send_dest(struct kame_sock *ks, struct msghdr *msg,
		       struct in6_addr *dst, u32 *scope, __be16 *port)
{
	if (msg->msg_name)
		return kame_sockaddr_in(msg->msg_name, msg->msg_namelen, dst,
					scope, port);
	if (!ks->connected)
		return -EDESTADDRREQ;
	*dst = ks->faddr;
	*port = ks->fport;
	*scope = kame_in6_is_scoped(dst) ? ntohs(dst->s6_addr16[1]) : 0;
	kame_in6_clearscope(dst);
	return 0;
}

/*
 * Copy the payload from msg into the page fragments of skb, summing it
 * into *csum on the way.
 */
static int kame_in6_copy_frags(struct sk_buff *skb, struct msghdr *msg,
			       __wsum *csum)
{
	u32 p_off, p_len, copied;
	unsigned int pos = 0;
	struct page *page;
	int i;

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		skb_frag_foreach_page(f, skb_frag_off(f), skb_frag_size(f),
				      page, p_off, p_len, copied) {
			u8 *va = kmap_local_page(page);
			__wsum c = 0;
			bool ok;

			ok = csum_and_copy_from_iter_full(va + p_off, p_len, &c,
							  &msg->msg_iter);
			kunmap_local(va);
			if (!ok)
				return -EFAULT;
			*csum = csum_block_add(*csum, c, pos);
			pos += p_len;
		}
	}
	return 0;
}

/*
 * A packet for len bytes of the message after an upper-layer header of
 * hlen bytes (left for the caller to fill), with headroom for IPv6. With
 * csum, the payload's checksum is summed while it is copied (one pass over
 * the data instead of two) and returned there; such a payload larger than
 * a page goes into page fragments, which kame_ip6_fragment() then shares
 * among the fragments instead of copying it a second time.
 */
int kame_in6_send_alloc(struct sock *sk, struct msghdr *msg,
			unsigned int hlen, size_t len, struct sk_buff **skbp,
			__wsum *csum)
{
	unsigned int head = MAX_HEADER + sizeof(struct ipv6hdr);
	size_t paged = csum && len > PAGE_SIZE ? len : 0;
	struct sk_buff *skb;
	int err;

	skb = sock_alloc_send_pskb(sk, head + hlen + len - paged, paged,
				   msg->msg_flags & MSG_DONTWAIT, &err,
				   PAGE_ALLOC_COSTLY_ORDER);
	if (!skb)
		return err;
	skb_reserve(skb, head);
	skb_reset_transport_header(skb);
	skb_put(skb, hlen);
	if (csum)
		*csum = 0;
	if (paged) {
		skb->data_len = paged;
		skb->len += paged;
		err = kame_in6_copy_frags(skb, msg, csum);
	} else if (csum) {
		err = csum_and_copy_from_iter_full(skb_put(skb, len), len, csum,
						   &msg->msg_iter) ? 0 : -EFAULT;
	} else {
		err = memcpy_from_msg(skb_put(skb, len), msg, len);
	}
	if (err) {
		kfree_skb(skb);
		return err;
	}
	*skbp = skb;
	return 0;
}

/*
 * Receive one queued datagram: msg_name gets its source with the arrival
 * interface as sin6_scope_id (and, for UDP, the source port the input
 * kept in KAME_DGRAM_CB), then the requested ancillary data: SO_TIMESTAMP*
 * (the socket layer's, at SOL_SOCKET) before the RFC 3542 ones.
 */
int kame_in6_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		     int flags)
{
	struct sock *sk = sock->sk;
	DECLARE_SOCKADDR(struct sockaddr_kame *, sa, msg->msg_name);
	struct sk_buff *skb;
	struct in6_addr from;
	size_t copied;
	int err;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return -EOPNOTSUPP;
	err = kame_ip6_recv_pmtu(sk, msg, len);
	if (err != -EAGAIN)
		return err;
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = min_t(size_t, len, skb->len);
	if (copied < skb->len)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (!err && sa) {
		from = ipv6_hdr(skb)->saddr;
		kame_in6_setscope(&from, skb->skb_iif);
		kame_sockaddr_out(sa, &from, sock->type == SOCK_DGRAM ?
				  KAME_DGRAM_CB(skb)->sport : 0);
		msg->msg_namelen = sizeof(*sa);
	}
	if (!err) {
		sock_recv_timestamp(msg, sk, skb);
		kame_ip6_recv_ctl(sk, msg, skb);
		err = flags & MSG_TRUNC ? skb->len : copied;
	}
	skb_free_datagram(sk, skb);
	return err;
}

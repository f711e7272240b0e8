// SPDX-License-Identifier: GPL-2.0
/*
 * SOL_IPV6 socket options that every AF_KAME socket type shares (KAME's
 * ip6_ctloutput() and ip6_setpktopts() in ip6_output.c), with Linux's
 * option numbers, and the RFC 3542 ancillary data of sendmsg and recvmsg.
 * A socket type handles its own options first (raw: IPV6_CHECKSUM,
 * ICMP6_FILTER) and passes the rest here. Unknown options: -ENOPROTOOPT;
 * an option value shorter than the option: -EINVAL. Getters of integer
 * options write min(*optlen, sizeof(int)) bytes as Linux does; getters of
 * structures want the whole structure.
 *
 * Locking: integer options are single words (READ_ONCE/WRITE_ONCE); the
 * sticky IPV6_PKTINFO and the IPV6_RECV* flags change under the socket
 * lock; group memberships under RTNL (in6_mcast.c); the IPsec policies
 * (IPV6_IPSEC_POLICY) under the socket lock, read under RCU.
 */
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <net/sock.h>
#include <uapi/linux/kame_key.h>
#include "kame.h"

void kame_ip6_sock_init(struct kame_sock *ks)
{
	ks->hops = -1;
	ks->mcast_hops = -1;
	ks->mcast_loop = 1;
	INIT_LIST_HEAD(&ks->mships);
}

/* Close: leave the groups, drop a pending IPV6_PATHMTU notice. */
void kame_ip6_sock_release(struct sock *sk)
{
	struct kame_sock *ks = kame_sk(sk);

	kame_ip6_mc_sock_release(ks);
	kfree_skb(xchg(&ks->rxpmtu, NULL));
}

static u8 ip6_rxo_bit(int optname)
{
	switch (optname) {
	case IPV6_RECVPKTINFO:
		return KAME_RXO_PKTINFO;
	case IPV6_RECVHOPLIMIT:
		return KAME_RXO_HOPLIMIT;
	case IPV6_RECVTCLASS:
		return KAME_RXO_TCLASS;
	case IPV6_RECVPATHMTU:
		return KAME_RXO_PATHMTU;
	}
	return 0;
}

/*
 * Is pi a valid IPV6_PKTINFO: an attached interface (or 0), and an
 * address (or ::) of the node that may be a source (not tentative,
 * duplicated or anycast: EADDRNOTAVAIL) in that interface's zone, or in
 * any zone when the index is 0. Caller holds RCU.
 */
static int ip6_pktinfo_check(struct kame_net *kn, const struct in6_pktinfo *pi)
{
	const struct kame_ifaddr *ifa = NULL;
	struct in6_addr a = pi->ipi6_addr;
	struct kame_if *kif = NULL;

	if (pi->ipi6_ifindex < 0)
		return -EINVAL;
	if (pi->ipi6_ifindex) {
		kif = kame_if_by_index(kn, pi->ipi6_ifindex);
		if (!kif)
			return -ENXIO;
	}
	if (ipv6_addr_any(&a))
		return 0;
	if (kame_in6_is_scoped(&a) && a.s6_addr16[1])
		return -EINVAL;	/* the embedded form never comes in */
	if (kif || !kame_in6_is_scoped(&a)) {
		if (kif)
			kame_in6_setscope(&a, kif->dev->ifindex);
		ifa = kame_ifa_lookup(kn, &a);
	} else {
		list_for_each_entry_rcu(kif, &kn->ifs, list) {
			kame_in6_setscope(&a, kif->dev->ifindex);
			ifa = kame_ifa_find(kif, &a);
			if (ifa && kame_ifa_usable(ifa))
				break;
		}
	}
	return ifa && kame_ifa_usable(ifa) ? 0 : -EADDRNOTAVAIL;
}

/* Sticky IPV6_PKTINFO; a zero length or an all-zero value clears it. */
static int ip6_set_pktinfo(struct sock *sk, sockptr_t optval,
			   unsigned int optlen)
{
	struct kame_net *kn = kame_net(sock_net(sk));
	struct in6_pktinfo pi = { };
	int err;

	if (optlen && optlen < sizeof(pi))
		return -EINVAL;
	if (optlen && copy_from_sockptr(&pi, optval, sizeof(pi)))
		return -EFAULT;
	rcu_read_lock();
	err = ip6_pktinfo_check(kn, &pi);
	rcu_read_unlock();
	if (err)
		return err;
	lock_sock(sk);
	kame_sk(sk)->pktinfo = pi;
	release_sock(sk);
	return 0;
}

/*
 * IPV6_IPSEC_POLICY (uapi/linux/kame_key.h): kame_ipsec.ko validates the
 * policy; the socket keeps its own copy, one per direction, entrust being
 * no copy at all. The old one goes after a grace period (the data path
 * reads it under RCU).
 */
static int ip6_set_ipsec_policy(struct sock *sk, sockptr_t optval,
				unsigned int optlen)
{
	const struct kame_key_sockpolicy *h;
	struct kame_sockpol *pol, *old;
	int i, err;

	if (!kame_ipsec_loaded())
		return -ENOPROTOOPT;
	if (optlen < sizeof(*h) || optlen > KAME_KEY_SOCKPOL_MAXLEN)
		return -EINVAL;
	pol = kmalloc(struct_size(pol, data, optlen), GFP_KERNEL_ACCOUNT);
	if (!pol)
		return -ENOMEM;
	pol->len = optlen;
	if (copy_from_sockptr(pol->data, optval, optlen)) {
		kfree(pol);
		return -EFAULT;
	}
	err = kame_ipsec_sockpol_check(sock_net(sk), pol);
	if (err) {
		kfree(pol);
		return err;
	}
	h = (const struct kame_key_sockpolicy *)pol->data;
	i = h->dir == KAME_KEY_DIR_IN ? KAME_SOCKPOL_IN : KAME_SOCKPOL_OUT;
	if (h->action == KAME_KEY_ACTION_ENTRUST) {
		kfree(pol);
		pol = NULL;
	}
	lock_sock(sk);
	old = rcu_replace_pointer(kame_sk(sk)->ipsec_pol[i], pol,
				  lockdep_sock_is_held(sk));
	release_sock(sk);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* The socket's policies go with it (its destructor). */
void kame_ip6_sock_free_ipsec(struct kame_sock *ks)
{
	struct kame_sockpol *pol;
	int i;

	for (i = 0; i < ARRAY_SIZE(ks->ipsec_pol); i++) {
		pol = rcu_replace_pointer(ks->ipsec_pol[i], NULL, true);
		if (pol)
			kfree_rcu(pol, rcu);
	}
}

/* IPV6_MULTICAST_IF: an attached interface, or 0 for none. */
static int ip6_set_mcast_if(struct sock *sk, int val)
{
	struct kame_net *kn = kame_net(sock_net(sk));
	bool ok;

	if (val < 0)
		return -EINVAL;
	if (val) {
		rcu_read_lock();
		ok = kame_if_by_index(kn, val);
		rcu_read_unlock();
		if (!ok)
			return -ENXIO;
	}
	WRITE_ONCE(kame_sk(sk)->mcast_if, val);
	return 0;
}

/* IPV6_ADDR_PREFERENCES (RFC 5014): merged into the socket's (in6_src.c) */
static int ip6_set_srcprefs(struct sock *sk, int val)
{
	struct kame_sock *ks = kame_sk(sk);
	u8 prefs;
	int err;

	lock_sock(sk);
	err = kame_in6_srcprefs_set(ks->srcprefs, val, &prefs);
	if (!err)
		WRITE_ONCE(ks->srcprefs, prefs);
	release_sock(sk);
	return err;
}

static int ip6_set_int(struct sock *sk, int optname, int val)
{
	struct kame_sock *ks = kame_sk(sk);
	u8 bit = ip6_rxo_bit(optname);

	if (bit) {
		lock_sock(sk);
		ks->rxopts = val ? ks->rxopts | bit : ks->rxopts & ~bit;
		release_sock(sk);
		return 0;
	}
	switch (optname) {
	case IPV6_UNICAST_HOPS:
	case IPV6_MULTICAST_HOPS:
		if (val < -1 || val > 255)
			return -EINVAL;
		if (optname == IPV6_UNICAST_HOPS)
			WRITE_ONCE(ks->hops, val);
		else
			WRITE_ONCE(ks->mcast_hops, val);
		return 0;
	case IPV6_MULTICAST_IF:
		return ip6_set_mcast_if(sk, val);
	case IPV6_MULTICAST_LOOP:
		if (val < -1 || val > 1)
			return -EINVAL;
		WRITE_ONCE(ks->mcast_loop, val != 0);	/* -1: default 1 */
		return 0;
	case IPV6_TCLASS:
		if (val < -1 || val > 255)
			return -EINVAL;
		WRITE_ONCE(ks->tclass, val < 0 ? 0 : val);	/* RFC 3542 6.5 */
		return 0;
	case IPV6_DONTFRAG:
		WRITE_ONCE(ks->dontfrag, val != 0);
		return 0;
	case IPV6_V6ONLY:
		/* there is no IPv4 behind this stack */
		return val ? 0 : -EINVAL;
	case IPV6_ADDR_PREFERENCES:
		return ip6_set_srcprefs(sk, val);
	}
	return -ENOPROTOOPT;
}

static bool ip6_is_int_opt(int optname)
{
	switch (optname) {
	case IPV6_UNICAST_HOPS:
	case IPV6_MULTICAST_HOPS:
	case IPV6_MULTICAST_IF:
	case IPV6_MULTICAST_LOOP:
	case IPV6_TCLASS:
	case IPV6_DONTFRAG:
	case IPV6_V6ONLY:
	case IPV6_ADDR_PREFERENCES:
		return true;
	}
	return ip6_rxo_bit(optname);
}

/*
 * IPV6_HOPLIMIT is ancillary data only (RFC 3542 6.3 removed the sticky
 * form) and IPV6_PATHMTU can only be read: both are ENOPROTOOPT here.
 */
int kame_ip6_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			unsigned int optlen)
{
	int val;

	switch (optname) {
	case IPV6_ADD_MEMBERSHIP:
	case IPV6_DROP_MEMBERSHIP:
	case MCAST_JOIN_GROUP:
	case MCAST_LEAVE_GROUP:
		return kame_ip6_mc_setsockopt(sk, optname, optval, optlen);
	case MCAST_JOIN_SOURCE_GROUP:
	case MCAST_LEAVE_SOURCE_GROUP:
	case MCAST_BLOCK_SOURCE:
	case MCAST_UNBLOCK_SOURCE:
		return kame_ip6_msf_setsockopt(sk, optname, optval, optlen);
	case MCAST_MSFILTER:
		return kame_ip6_msfilter_set(sk, optval, optlen);
	case IPV6_PKTINFO:
		return ip6_set_pktinfo(sk, optval, optlen);
	case IPV6_IPSEC_POLICY:
		return ip6_set_ipsec_policy(sk, optval, optlen);
	}
	if (!ip6_is_int_opt(optname))
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	return ip6_set_int(sk, optname, val);
}

/* An integer option: min(*optlen, sizeof(int)) bytes, as Linux does. */
static int ip6_opt_put_int(char __user *optval, int __user *optlen, int val)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/* A structure option: the whole structure, else EINVAL. */
static int ip6_opt_put(char __user *optval, int __user *optlen,
		       const void *val, int size)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < size)
		return -EINVAL;
	if (put_user(size, optlen) || copy_to_user(optval, val, size))
		return -EFAULT;
	return 0;
}

/*
 * IPV6_PATHMTU of a connected socket: there is no path MTU cache yet, so
 * the link MTU of the interface the destination goes out of.
 */
static int ip6_get_pathmtu(struct sock *sk, char __user *optval,
			   int __user *optlen)
{
	struct kame_sock *ks = kame_sk(sk);
	struct kame_net *kn = kame_net(sock_net(sk));
	struct ip6_mtuinfo mi = { };
	struct in6_addr dst;
	struct kame_if *kif;
	u32 scope = 0;
	int err = 0;

	lock_sock(sk);
	if (!ks->connected) {
		release_sock(sk);
		return -ENOTCONN;
	}
	dst = ks->faddr;
	release_sock(sk);
	kame_sockaddr_out((struct sockaddr_kame *)&mi.ip6m_addr, &dst, 0);
	if (kame_in6_is_scoped(&dst))
		scope = ntohs(dst.s6_addr16[1]);
	kame_in6_clearscope(&dst);
	rcu_read_lock();
	kif = kame_route_if(kn, &dst, scope, ks->bound_if, &err);
	if (kif)
		mi.ip6m_mtu = READ_ONCE(kif->dev->mtu);
	rcu_read_unlock();
	if (!kif)
		return err;
	return ip6_opt_put(optval, optlen, &mi, sizeof(mi));
}

/*
 * getsockopt IPV6_IPSEC_POLICY: the buffer names the direction (KAME's
 * way); the policy as set, or entrust.
 */
static int ip6_get_ipsec_policy(struct sock *sk, char __user *optval,
				int __user *optlen)
{
	struct kame_key_sockpolicy h;
	u8 buf[KAME_KEY_SOCKPOL_MAXLEN];
	const struct kame_sockpol *pol;
	unsigned int n = sizeof(h);
	int len;

	if (!kame_ipsec_loaded())
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(h))
		return -EINVAL;
	if (copy_from_user(&h, optval, sizeof(h)))
		return -EFAULT;
	if (h.dir != KAME_KEY_DIR_IN && h.dir != KAME_KEY_DIR_OUT)
		return -EINVAL;
	rcu_read_lock();
	pol = rcu_dereference(kame_sk(sk)->ipsec_pol[h.dir == KAME_KEY_DIR_IN ?
						     KAME_SOCKPOL_IN :
						     KAME_SOCKPOL_OUT]);
	if (pol && pol->len <= sizeof(buf)) {
		n = pol->len;
		memcpy(buf, pol->data, n);
	} else {
		h.action = KAME_KEY_ACTION_ENTRUST;
		h.nreq = 0;
		h.reserved = 0;
		memcpy(buf, &h, n);
	}
	rcu_read_unlock();
	return ip6_opt_put(optval, optlen, buf, n);
}

int kame_ip6_getsockopt(struct sock *sk, int optname, char __user *optval,
			int __user *optlen)
{
	struct kame_sock *ks = kame_sk(sk);
	struct in6_pktinfo pi;
	u8 bit = ip6_rxo_bit(optname);
	int val;

	if (bit)
		return ip6_opt_put_int(optval, optlen,
				       !!(READ_ONCE(ks->rxopts) & bit));
	switch (optname) {
	case IPV6_UNICAST_HOPS:
		val = READ_ONCE(ks->hops);
		break;
	case IPV6_MULTICAST_HOPS:
		val = READ_ONCE(ks->mcast_hops);
		break;
	case IPV6_MULTICAST_IF:
		val = READ_ONCE(ks->mcast_if);
		break;
	case IPV6_MULTICAST_LOOP:
		val = READ_ONCE(ks->mcast_loop);
		break;
	case IPV6_TCLASS:
		val = READ_ONCE(ks->tclass);
		break;
	case IPV6_DONTFRAG:
		val = READ_ONCE(ks->dontfrag);
		break;
	case IPV6_V6ONLY:
		val = 1;
		break;
	case IPV6_ADDR_PREFERENCES:
		val = kame_in6_srcprefs_get(READ_ONCE(ks->srcprefs));
		break;
	case IPV6_PKTINFO:
		lock_sock(sk);
		pi = ks->pktinfo;
		release_sock(sk);
		return ip6_opt_put(optval, optlen, &pi, sizeof(pi));
	case IPV6_PATHMTU:
		return ip6_get_pathmtu(sk, optval, optlen);
	case IPV6_IPSEC_POLICY:
		return ip6_get_ipsec_policy(sk, optval, optlen);
	case MCAST_MSFILTER:
		return kame_ip6_msfilter_get(sk, optval, optlen);
	default:
		return -ENOPROTOOPT;
	}
	return ip6_opt_put_int(optval, optlen, val);
}

/* The hop limit a packet from ks to dst gets (RFC 3542 6.3 order). */
u8 kame_ip6_sock_hlim(const struct kame_sock *ks, const struct kame_if *kif,
		      const struct in6_addr *dst)
{
	int v;

	if (IN6_IS_ADDR_MULTICAST(dst)) {
		v = READ_ONCE(ks->mcast_hops);
		return v >= 0 ? v : 1;
	}
	v = READ_ONCE(ks->hops);
	return v >= 0 ? v : READ_ONCE(kif->curhlim);
}

static int ip6_cmsg_int(const struct cmsghdr *cmsg, int min, int max,
			int *val)
{
	if (cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EINVAL;
	memcpy(val, CMSG_DATA(cmsg), sizeof(int));
	return *val < min || *val > max ? -EINVAL : 0;
}

/*
 * The SOL_IPV6 ancillary data of a sendmsg (RFC 3542): IPV6_PKTINFO,
 * IPV6_HOPLIMIT and IPV6_TCLASS (-1..255, -1: the default),
 * IPV6_DONTFRAG (0 or 1). Another SOL_IPV6 type or a malformed item:
 * -EINVAL; other levels are ignored. The values are checked when the
 * packet is set up (kame_ip6_pkt_setup()). MSG_CONFIRM is noted too.
 */
int kame_ip6_cmsg_parse(struct msghdr *msg, struct kame_ip6_cmsg *c)
{
	struct cmsghdr *cmsg;
	int err;

	memset(c, 0, sizeof(*c));
	c->hlim = -1;
	c->tclass = -1;
	c->dontfrag = -1;
	c->confirm = msg->msg_flags & MSG_CONFIRM;
	if (!msg->msg_controllen)
		return 0;
	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			return -EINVAL;
		if (cmsg->cmsg_level != SOL_IPV6)
			continue;
		switch (cmsg->cmsg_type) {
		case IPV6_PKTINFO:
			if (cmsg->cmsg_len != CMSG_LEN(sizeof(c->pktinfo)))
				return -EINVAL;
			memcpy(&c->pktinfo, CMSG_DATA(cmsg), sizeof(c->pktinfo));
			c->has_pktinfo = true;
			err = 0;
			break;
		case IPV6_HOPLIMIT:
			err = ip6_cmsg_int(cmsg, -1, 255, &c->hlim);
			break;
		case IPV6_TCLASS:
			err = ip6_cmsg_int(cmsg, -1, 255, &c->tclass);
			break;
		case IPV6_DONTFRAG:
			err = ip6_cmsg_int(cmsg, 0, 1, &c->dontfrag);
			break;
		default:
			err = -EINVAL;
		}
		if (err)
			return err;
	}
	return 0;
}

/*
 * The ancillary data the socket asked for with IPV6_RECVPKTINFO (the
 * destination, plain, and the arrival interface), IPV6_RECVHOPLIMIT and
 * IPV6_RECVTCLASS, from the IPv6 header of skb (its network header) and
 * skb->skb_iif, which the input sets to the arrival interface.
 */
void kame_ip6_recv_ctl(struct sock *sk, struct msghdr *msg,
		       const struct sk_buff *skb)
{
	u8 rx = READ_ONCE(kame_sk(sk)->rxopts);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	int v;

	if (rx & KAME_RXO_PKTINFO) {
		struct in6_pktinfo pi = { .ipi6_addr = ip6->daddr,
					  .ipi6_ifindex = skb->skb_iif };

		kame_in6_clearscope(&pi.ipi6_addr);
		put_cmsg(msg, SOL_IPV6, IPV6_PKTINFO, sizeof(pi), &pi);
	}
	if (rx & KAME_RXO_HOPLIMIT) {
		v = ip6->hop_limit;
		put_cmsg(msg, SOL_IPV6, IPV6_HOPLIMIT, sizeof(v), &v);
	}
	if (rx & KAME_RXO_TCLASS) {
		v = (ntohl(*(const __be32 *)ip6) >> 20) & 0xff;
		put_cmsg(msg, SOL_IPV6, IPV6_TCLASS, sizeof(v), &v);
	}
}

/*
 * RFC 3542 11.3: with IPV6_RECVPATHMTU, a datagram too big for the path
 * MTU leaves a notice (struct ip6_mtuinfo) that the next recvmsg returns
 * as IPV6_PATHMTU ancillary data with no payload. One notice is kept, the
 * newest.
 */
void kame_ip6_notify_pmtu(struct sock *sk, const struct in6_addr *dst,
			  u32 mtu)
{
	struct kame_sock *ks = kame_sk(sk);
	struct ip6_mtuinfo *mi;
	struct sk_buff *skb;

	if (!(READ_ONCE(ks->rxopts) & KAME_RXO_PATHMTU))
		return;
	skb = alloc_skb(sizeof(*mi), GFP_ATOMIC);
	if (!skb)
		return;
	mi = skb_put_zero(skb, sizeof(*mi));
	kame_sockaddr_out((struct sockaddr_kame *)&mi->ip6m_addr, dst, 0);
	mi->ip6m_mtu = mtu;
	kfree_skb(xchg(&ks->rxpmtu, skb));
}

/* recvmsg of a pending IPV6_PATHMTU notice: 0, or -EAGAIN when none. */
int kame_ip6_recv_pmtu(struct sock *sk, struct msghdr *msg, size_t len)
{
	struct kame_sock *ks = kame_sk(sk);
	DECLARE_SOCKADDR(struct sockaddr_kame *, sa, msg->msg_name);
	struct ip6_mtuinfo *mi;
	struct sk_buff *skb;

	if (!READ_ONCE(ks->rxpmtu) ||
	    !(READ_ONCE(ks->rxopts) & KAME_RXO_PATHMTU))
		return -EAGAIN;
	skb = xchg(&ks->rxpmtu, NULL);
	if (!skb)
		return -EAGAIN;
	mi = (struct ip6_mtuinfo *)skb->data;
	put_cmsg(msg, SOL_IPV6, IPV6_PATHMTU, sizeof(*mi), mi);
	if (sa) {
		memcpy(sa, &mi->ip6m_addr, sizeof(*sa));
		msg->msg_namelen = sizeof(*sa);
	}
	consume_skb(skb);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Raw IPv6 sockets (KAME's raw_ip6.c): socket(AF_KAME, SOCK_RAW, proto)
 * for any protocol 0-255, with BSD semantics (no IPV6_HDRINCL). Output
 * puts an IPv6 header with next header proto on the message the
 * application gives; input hands every matching socket a copy of each
 * ICMPv6 message and of each packet whose next header the kernel has no
 * protocol for, without the IPv6 header. A socket of protocol 0 matches
 * every such packet. ICMPv6 sockets filter by type (ICMP6_FILTER) and their
 * checksum is always computed; other sockets ask for one with
 * IPV6_CHECKSUM.
 *
 * Locking: kn->raw_lock (BH) protects the table and, for every socket on
 * it, the addresses and the ICMPv6 filter; the socket lock serializes a
 * socket's own calls.
 */
#include <linux/icmpv6.h>
#include "compat.h"
#include <net/ip6_checksum.h>
#include <net/sock.h>
#include "kame.h"

static inline void rip6stat_inc(struct kame_net *kn, enum kame_rip6stat_id i)
{
	this_cpu_inc(kn->rip6stat->cnt[i]);
}

void kame_raw6_init_sock(struct sock *sk)
{
	struct kame_raw_sock *rs = kame_raw_sk(sk);
	struct kame_net *kn = kame_net(sock_net(sk));

	rs->cksum = -1;
	memset(&rs->filter, 0, sizeof(rs->filter));	/* pass all */
	spin_lock_bh(&kn->raw_lock);
	hlist_add_head(&rs->ks.node, &kn->raw_hash[sk->sk_protocol & 0xff]);
	rs->ks.hashed = true;
	spin_unlock_bh(&kn->raw_lock);
}

static int kame_raw_release(struct socket *sock)
{
	if (!sock->sk)
		return 0;
	return kame_in6_pcbdetach(sock, &kame_net(sock_net(sock->sk))->raw_lock);
}

/*
 * KAME's rip6_bind(): the address must be a usable unicast address of
 * the node (not anycast, tentative, duplicated or deprecated), or ::.
 * The port is ignored. A raw socket may be bound again.
 */
static int kame_raw_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct sock *sk = sock->sk;
	struct kame_sock *ks = kame_sk(sk);
	struct kame_net *kn = kame_net(sock_net(sk));
	struct in6_addr addr;
	int bound_if;
	__be16 port;
	u32 scope;
	int err;

	err = kame_sockaddr_in(uaddr, len, &addr, &scope, &port);
	if (err)
		return err;
	err = kame_in6_bind_addr(kn, &addr, scope,
				 KAME_BIND_UNUSABLE | KAME_ADDR_F_DEPRECATED,
				 false, &bound_if);
	if (err)
		return err;
	lock_sock(sk);
	spin_lock_bh(&kn->raw_lock);
	ks->laddr = addr;
	ks->bound_if = bound_if;
	spin_unlock_bh(&kn->raw_lock);
	release_sock(sk);
	return 0;
}

/* KAME's rip6_connect(): only packets from the peer are received. */
static int kame_raw_connect(struct socket *sock, struct sockaddr *uaddr,
			    int len, int flags)
{
	struct sock *sk = sock->sk;
	struct kame_sock *ks = kame_sk(sk);
	struct kame_net *kn = kame_net(sock_net(sk));
	struct in6_addr dst = in6addr_any;
	struct kame_if *kif = NULL;
	bool unspec;
	__be16 port;
	u32 scope;
	int err = 0;

	unspec = len >= (int)sizeof(sa_family_t) &&
		 uaddr->sa_family == AF_UNSPEC;
	if (!unspec) {
		err = kame_sockaddr_in(uaddr, len, &dst, &scope, &port);
		if (err)
			return err;
	}
	lock_sock(sk);
	if (!unspec) {
		rcu_read_lock();
		kif = kame_route_if(kn, &dst, scope, ks->bound_if, &err);
		rcu_read_unlock();
		if (!kif)
			goto out;
	}
	spin_lock_bh(&kn->raw_lock);
	ks->faddr = dst;
	ks->connected = !unspec;
	spin_unlock_bh(&kn->raw_lock);
	sock->state = unspec ? SS_UNCONNECTED : SS_CONNECTED;
out:
	release_sock(sk);
	return err;
}

/* Put the upper-layer checksum of the message at skb->data at off. */
static void raw6_cksum(struct sk_buff *skb, u8 proto, int off,
		       const struct in6_addr *src, const struct in6_addr *dst)
{
	struct in6_addr s = *src, d = *dst;
	__sum16 sum;

	kame_in6_clearscope(&s);
	kame_in6_clearscope(&d);
	put_unaligned(0, (__sum16 *)(skb->data + off));
	sum = csum_ipv6_magic(&s, &d, skb->len, proto,
			      csum_partial(skb->data, skb->len, 0));
	if (!sum && proto == IPPROTO_UDP)
		sum = CSUM_MANGLED_0;
	put_unaligned(sum, (__sum16 *)(skb->data + off));
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * KAME's rip6_output(): the interface, source and options of the packet
 * come from kame_ip6_pkt_setup() (sticky options and ancillary data).
 */
static int kame_raw_sendmsg(struct socket *sock, struct msghdr *msg,
			    size_t len)
{
	struct sock *sk = sock->sk;
	struct kame_raw_sock *rs = kame_raw_sk(sk);
	struct kame_sock *ks = &rs->ks;
	struct kame_net *kn = kame_net(sock_net(sk));
	u8 proto = sk->sk_protocol;
	struct sk_buff *skb = NULL;
	struct kame_ip6_cmsg c;
	struct kame_ip6_pkt p;
	struct in6_addr dst;
	__be16 port;
	u32 scope = 0;
	int off, err;

	if (len > IPV6_MAXPLEN)
		return -EMSGSIZE;
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	off = proto == IPPROTO_ICMPV6 ?
	      (int)offsetof(struct icmp6hdr, icmp6_cksum) : READ_ONCE(rs->cksum);
	if (off >= 0 && len < (size_t)off + 2)
		return -EINVAL;	/* no room for the checksum */
	err = kame_ip6_cmsg_parse(msg, &c);
	if (err)
		return err;
	lock_sock(sk);
	/* sin6_port is ignored */
	err = kame_in6_send_dest(ks, msg, &dst, &scope, &port);
	if (!err)
		err = kame_in6_send_alloc(sk, msg, 0, len, &skb, NULL);
	if (err)
		goto out;

	rcu_read_lock();
	err = kame_ip6_pkt_setup(sk, &c, &dst, scope, proto, &p);
	if (err)
		goto out_rcu;
	if (off >= 0)
		raw6_cksum(skb, proto, off, &p.src, &p.dst);
	rip6stat_inc(kn, KAME_RIP6S_OPACKETS);
	if (proto == IPPROTO_ICMPV6)
		kame_icmp6_outstat(kn, skb->data[0]);
	err = kame_ip6_sock_output(sk, skb, &p);
	skb = NULL;
	/* errors the sender is told, as KAME's; an IPsec discard too */
	if (err != -EMSGSIZE && err != -ENETUNREACH && err != -EHOSTUNREACH &&
	    err != -EACCES)
		err = 0;
out_rcu:
	rcu_read_unlock();
out:
	release_sock(sk);
	kfree_skb(skb);
	return err ?: len;
}

static int raw6_get_int(sockptr_t optval, unsigned int optlen, int *val)
{
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(val, optval, sizeof(*val)))
		return -EFAULT;
	return 0;
}

/* ICMP6_FILTER (RFC 3542 3.2) at level SOL_ICMPV6, ICMPv6 sockets only. */
static int raw6_set_filter(struct sock *sk, int optname, sockptr_t optval,
			   unsigned int optlen)
{
	struct kame_net *kn = kame_net(sock_net(sk));
	struct icmp6_filter f;

	if (sk->sk_protocol != IPPROTO_ICMPV6)
		return -EOPNOTSUPP;
	if (optname != ICMPV6_FILTER)
		return -ENOPROTOOPT;
	if (optlen < sizeof(f))
		return -EINVAL;
	if (copy_from_sockptr(&f, optval, sizeof(f)))
		return -EFAULT;
	spin_lock_bh(&kn->raw_lock);
	kame_raw_sk(sk)->filter = f;
	spin_unlock_bh(&kn->raw_lock);
	return 0;
}

/*
 * IPV6_CHECKSUM (RFC 3542 3.1): an even offset, or -1 for none. The
 * kernel always computes the ICMPv6 checksum, so ICMPv6 sockets refuse it.
 */
static int raw6_set_cksum(struct sock *sk, sockptr_t optval,
			  unsigned int optlen)
{
	int val, err;

	err = raw6_get_int(optval, optlen, &val);
	if (err)
		return err;
	if (sk->sk_protocol == IPPROTO_ICMPV6 || val < -1 ||
	    (val > 0 && (val & 1)))
		return -EINVAL;
	WRITE_ONCE(kame_raw_sk(sk)->cksum, val);
	return 0;
}

static int kame_raw_setsockopt(struct socket *sock, int level, int optname,
			       sockptr_t optval, unsigned int optlen)
{
	if (level == SOL_ICMPV6)
		return raw6_set_filter(sock->sk, optname, optval, optlen);
	if (level != SOL_IPV6)
		return -ENOPROTOOPT;
	if (optname == IPV6_CHECKSUM)
		return raw6_set_cksum(sock->sk, optval, optlen);
	return kame_ip6_setsockopt(sock->sk, optname, optval, optlen);
}

static int raw6_put(char __user *optval, int __user *optlen, const void *v,
		    int size)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < size)
		return -EINVAL;
	if (put_user(size, optlen) || copy_to_user(optval, v, size))
		return -EFAULT;
	return 0;
}

static int kame_raw_getsockopt(struct socket *sock, int level, int optname,
			       char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct kame_net *kn = kame_net(sock_net(sk));
	struct icmp6_filter f;
	int val;

	if (level == SOL_ICMPV6) {
		if (sk->sk_protocol != IPPROTO_ICMPV6)
			return -EOPNOTSUPP;
		if (optname != ICMPV6_FILTER)
			return -ENOPROTOOPT;
		spin_lock_bh(&kn->raw_lock);
		f = kame_raw_sk(sk)->filter;
		spin_unlock_bh(&kn->raw_lock);
		return raw6_put(optval, optlen, &f, sizeof(f));
	}
	if (level != SOL_IPV6)
		return -ENOPROTOOPT;
	if (optname != IPV6_CHECKSUM)
		return kame_ip6_getsockopt(sk, optname, optval, optlen);
	val = sk->sk_protocol == IPPROTO_ICMPV6 ?
	      (int)offsetof(struct icmp6hdr, icmp6_cksum) :
	      READ_ONCE(kame_raw_sk(sk)->cksum);
	return raw6_put(optval, optlen, &val, sizeof(val));
}

/* One packet as raw input sees it. */
struct raw6_in {
	struct kame_if *kif;
	struct sk_buff *skb;
	const struct kame_ip6ctx *c;	/* its IPsec history */
	s8 spd;				/* the SPD's answer: -1 not yet */
	bool spd_done;			/* the caller had the SPD's yes */
	int refused;			/* copies IPsec refused */
	struct in6_addr src, dst;	/* embedded form */
	unsigned int off, len;		/* the upper-layer message */
	u8 nxt;
	u8 type;			/* ICMPv6 type */
	s8 sum_ok;			/* -1: not computed yet */
};

/* IPV6_CHECKSUM on input: the field must be inside and the sum right. */
static bool raw6_cksum_ok(struct raw6_in *in, int off)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(in->skb);

	rip6stat_inc(in->kif->kn, KAME_RIP6S_ISUM);
	if (in->len < (unsigned int)off + 2)
		return false;
	if (in->sum_ok < 0)
		in->sum_ok = skb_csum_unnecessary(in->skb) ||
			     !csum_ipv6_magic(&ip6->saddr, &ip6->daddr, in->len,
					      in->nxt,
					      skb_checksum(in->skb, in->off,
							   in->len, 0));
	return in->sum_ok;
}

/* Queue a copy of the message to sk. Under raw_lock. */
static void raw6_deliver(struct raw6_in *in, struct sock *sk)
{
	struct kame_net *kn = in->kif->kn;
	struct sk_buff *c = skb_clone(in->skb, GFP_ATOMIC);

	if (!c || !pskb_pull(c, in->off)) {
		rip6stat_inc(kn, KAME_RIP6S_FULLSOCK);
		kfree_skb(c);
		return;
	}
	skb_reset_transport_header(c);
	c->skb_iif = in->kif->dev->ifindex;
	if (sock_queue_rcv_skb(sk, c) < 0) {
		rip6stat_inc(kn, KAME_RIP6S_FULLSOCK);
		kfree_skb(c);
	}
}

/* Offer the packet to the sockets of one hash chain. Under raw_lock. */
static int raw6_chain_input(struct raw6_in *in, struct hlist_head *head)
{
	struct kame_raw_sock *rs;
	struct kame_sock *ks;
	int n = 0;

	hlist_for_each_entry(ks, head, node) {
		rs = container_of(ks, struct kame_raw_sock, ks);
		if (!ipv6_addr_any(&ks->laddr) &&
		    !ipv6_addr_equal(&ks->laddr, &in->dst))
			continue;
		if (ks->connected && !ipv6_addr_equal(&ks->faddr, &in->src))
			continue;
		if (ks->sk.sk_protocol == IPPROTO_ICMPV6 &&
		    (rs->filter.data[in->type >> 5] & (1U << (in->type & 31))))
			continue;
		if (rs->cksum >= 0 && !raw6_cksum_ok(in, rs->cksum)) {
			rip6stat_inc(in->kif->kn, KAME_RIP6S_BADSUM);
			continue;
		}
		if (!kame_ipsec_sock_input_ok(in->kif->kn, in->skb, in->c, ks,
					      in->spd_done ? NULL : &in->spd)) {
			in->refused++;
			continue;
		}
		n++;
		raw6_deliver(in, &ks->sk);
	}
	return n;
}

/*
 * KAME's rip6_input(): every raw socket of protocol c->nxt or 0 whose
 * bound address, peer, ICMPv6 filter, checksum option and IPsec policy
 * (its own, else the SPD's unless spd_done) accept the packet gets a copy
 * of the message at c->off. Returns how many sockets took it, or -1 when
 * IPsec refused it (to every socket that would have taken it, or, with
 * no such socket and !spd_done, the SPD: counted by the module, not as
 * rip6s_nosock); skb (IPv6 header at skb->data) is left to the caller.
 */
int kame_rip6_input(struct kame_if *kif, struct sk_buff *skb,
		    const struct kame_ip6ctx *c, bool spd_done)
{
	struct kame_net *kn = kif->kn;
	unsigned int off = c->off;
	u8 nxt = c->nxt;
	struct raw6_in in = { .kif = kif, .skb = skb, .off = off,
			      .len = skb->len - off, .nxt = nxt,
			      .sum_ok = -1, .c = c, .spd = -1,
			      .spd_done = spd_done };
	int n;

	rip6stat_inc(kn, KAME_RIP6S_IPACKETS);
	in.src = ipv6_hdr(skb)->saddr;
	in.dst = ipv6_hdr(skb)->daddr;
	kame_in6_setscope(&in.src, kif->dev->ifindex);
	kame_in6_setscope(&in.dst, kif->dev->ifindex);
	if (nxt == IPPROTO_ICMPV6 && skb_copy_bits(skb, off, &in.type, 1))
		in.type = 0;
	spin_lock_bh(&kn->raw_lock);
	n = raw6_chain_input(&in, &kn->raw_hash[nxt]);
	if (nxt)
		n += raw6_chain_input(&in, &kn->raw_hash[0]);
	spin_unlock_bh(&kn->raw_lock);
	if (!n && (in.refused ||
		   (!spd_done && !kame_ipsec_input_ok(kn, skb, c))))
		return -1;
	if (!n) {
		rip6stat_inc(kn, KAME_RIP6S_NOSOCK);
		if (IN6_IS_ADDR_MULTICAST(&in.dst))
			rip6stat_inc(kn, KAME_RIP6S_NOSOCKMCAST);
	}
	return n;
}

/* .family is set at load time from the module parameter */
struct proto_ops kame_raw_ops __ro_after_init = {
	.owner = THIS_MODULE,
	.release = kame_raw_release,
	.bind = kame_raw_bind,
	.connect = kame_raw_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = kame_in6_getname,
	.poll = datagram_poll,
	.ioctl = sock_no_ioctl,
	.listen = sock_no_listen,
	.shutdown = kame_in6_shutdown,
	.setsockopt = kame_raw_setsockopt,
	.getsockopt = kame_raw_getsockopt,
	.sendmsg = kame_raw_sendmsg,
	.recvmsg = kame_in6_recvmsg,
	.mmap = sock_no_mmap,
};

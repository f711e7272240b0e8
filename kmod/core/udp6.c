// SPDX-License-Identifier: GPL-2.0
/*
 * UDP over the KAME stack (KAME's udp6_usrreq.c / in6_pcb.c): a per
 * namespace table of bound sockets, bind/connect/send/receive, and input
 * demultiplexing. RFC 8200 8.1: the checksum is mandatory.
 *
 * The table: every bound socket is on two chains of its namespace. By
 * port (kn->udp_hash, KAME_UDP_HASH_SIZE chains) for binding, the port
 * checks and "kame sock show"; by local address and port
 * (kn->udp_hash2, KAME_UDP_HASH2_SIZE chains, a jhash of both that does
 * not depend on the namespace) for the input, which looks up the chain of
 * the destination and the chain of :: under RCU alone: no lock per
 * datagram. A socket that connect() moves to another chain may lead a
 * walk of its old chain into its new one: the chains end in nulls markers
 * (their index) and the unicast lookup starts again when it ends on
 * another chain's. UDP sockets are freed after a grace period (SOCK_RCU_FREE),
 * so a socket the input found stays there until it is done; a closing
 * one takes no more datagrams (udp6_deliver()). At most
 * net.inet6.udp6.maxreuse sockets share an address and port, which bounds
 * what one lookup walks beyond hash collisions.
 *
 * Locking: kn->udp_lock (BH) serializes changes of the table and of the
 * addresses and ports of hashed sockets (the input reads them under RCU);
 * the socket lock serializes a socket's own calls.
 */
#include <linux/filter.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist_nulls.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include <net/sock.h>
#include "kame.h"

#define UDP6_PORT_FIRST	49152
#define UDP6_PORT_LAST	65535
#define UDP6_MAXREUSE	128	/* default of net.inet6.udp6.maxreuse */

/* A UDP socket: the common part and its chain by address and port. */
struct kame_udp_sock {
	struct kame_sock ks;		/* ks.node: kn->udp_hash, by port */
	struct hlist_nulls_node addr_node;	/* kn->udp_hash2; RCU */
};

static inline struct kame_udp_sock *kame_udp_sk(struct kame_sock *ks)
{
	return container_of(ks, struct kame_udp_sock, ks);
}

static u32 udp6_hash_seed __read_mostly;

static inline void udp6stat_inc(struct kame_net *kn, enum kame_udp6stat_id i)
{
	this_cpu_inc(kn->udp6stat->cnt[i]);
}

static struct hlist_head *udp6_port_chain(struct kame_net *kn, u16 port)
{
	return &kn->udp_hash[port & (KAME_UDP_HASH_SIZE - 1)];
}

/* The chain of local address a (embedded form) and port. */
static struct hlist_nulls_head *udp6_addr_chain(struct kame_net *kn,
						const struct in6_addr *a,
						__be16 port)
{
	u32 h = jhash2(a->s6_addr32, 4, udp6_hash_seed ^ (__force u32)port);

	return &kn->udp_hash2[h & (KAME_UDP_HASH2_SIZE - 1)];
}

/*
 * The chains a datagram to addr and port looks at: that of the address
 * and that of ::, or only one when they are the same. Returns how many.
 */
static int udp6_lookup_chains(struct kame_net *kn, const struct in6_addr *addr,
			      __be16 port, struct hlist_nulls_head **c)
{
	c[0] = udp6_addr_chain(kn, addr, port);
	c[1] = udp6_addr_chain(kn, &in6addr_any, port);
	return c[0] == c[1] ? 1 : 2;
}

static bool udp6_addr_overlap(const struct kame_sock *a,
			      const struct kame_sock *b)
{
	return ipv6_addr_any(&a->laddr) || ipv6_addr_any(&b->laddr) ||
	       ipv6_addr_equal(&a->laddr, &b->laddr);
}

/*
 * Can ks take port next to the sockets already on it? Those whose address
 * overlaps its own (either is ::, or they are equal) would share it: each
 * of them must allow that (SO_REUSEADDR on both, or SO_REUSEPORT on both
 * with the same owner), and with ks they may be at most
 * net.inet6.udp6.maxreuse. Returns 0 or -EADDRINUSE. Under udp_lock.
 */
static int udp6_port_check(struct kame_net *kn, struct kame_sock *ks,
			   u16 port)
{
	u32 max = READ_ONCE(kn->udp_maxreuse), n = 1;
	struct kame_sock *o;

	hlist_for_each_entry(o, udp6_port_chain(kn, port), node) {
		if (ntohs(o->lport) != port || !udp6_addr_overlap(o, ks))
			continue;
		if (!(o->sk.sk_reuse && ks->sk.sk_reuse) &&
		    !(o->sk.sk_reuseport && ks->sk.sk_reuseport &&
		      uid_eq(sock_i_uid(&o->sk), sock_i_uid(&ks->sk))))
			return -EADDRINUSE;
		if (++n > max)
			return -EADDRINUSE;
	}
	return 0;
}

/* Hash ks on port (0: an ephemeral one). Returns 0 or -EADDRINUSE. */
static int udp6_hash(struct kame_net *kn, struct kame_sock *ks, u16 port)
{
	u32 n = UDP6_PORT_LAST - UDP6_PORT_FIRST + 1, i, start;
	int err = 0;

	spin_lock_bh(&kn->udp_lock);
	if (port) {
		err = udp6_port_check(kn, ks, port);
	} else {
		start = get_random_u32_below(n);
		for (i = 0; i < n; i++) {
			port = UDP6_PORT_FIRST + (start + i) % n;
			if (!udp6_port_check(kn, ks, port))
				break;
		}
		if (i == n)
			err = -EADDRINUSE;
	}
	if (!err) {
		ks->lport = htons(port);
		hlist_add_head(&ks->node, udp6_port_chain(kn, port));
		/* publishes the address and port written before */
		hlist_nulls_add_head_rcu(&kame_udp_sk(ks)->addr_node,
					 udp6_addr_chain(kn, &ks->laddr,
							 ks->lport));
		ks->hashed = true;
		sock_prot_inuse_add(kn->net, &kame_udp_prot, 1);
	}
	spin_unlock_bh(&kn->udp_lock);
	return err;
}

/*
 * Change the local address of ks (connect, disconnect) and move it to the
 * chain of the new one (see the top of the file for the walks that
 * follow it there). Under udp_lock.
 */
static void udp6_set_laddr(struct kame_net *kn, struct kame_sock *ks,
			   const struct in6_addr *a)
{
	struct kame_udp_sock *us = kame_udp_sk(ks);
	struct hlist_nulls_head *to;

	if (!ks->hashed) {
		ks->laddr = *a;
		return;
	}
	to = udp6_addr_chain(kn, a, ks->lport);
	if (to == udp6_addr_chain(kn, &ks->laddr, ks->lport)) {
		ks->laddr = *a;
		return;
	}
	hlist_nulls_del_rcu(&us->addr_node);
	ks->laddr = *a;
	hlist_nulls_add_head_rcu(&us->addr_node, to);
}

/* Take ks off the table (close). */
static void udp6_unhash(struct kame_net *kn, struct kame_sock *ks)
{
	spin_lock_bh(&kn->udp_lock);
	if (ks->hashed) {
		hlist_del(&ks->node);
		hlist_nulls_del_rcu(&kame_udp_sk(ks)->addr_node);
		ks->hashed = false;
		sock_prot_inuse_add(kn->net, &kame_udp_prot, -1);
	}
	spin_unlock_bh(&kn->udp_lock);
}

/*
 * Does binding port need CAP_NET_BIND_SERVICE? Linux's rule for its own
 * sockets (inet_port_requires_bind_service()): ports below the
 * namespace's net.ipv4.ip_unprivileged_port_start, or below 1024 on a
 * kernel without that setting.
 */
static bool udp6_port_privileged(struct net *net, u16 port)
{
#if defined(KAME_HAVE_IP_PROT_SOCK) && defined(CONFIG_SYSCTL)
	return port < READ_ONCE(net->ipv4.sysctl_ip_prot_sock);
#else
	return port < PROT_SOCK;
#endif
}

static int kame_udp_bind(struct socket *sock, struct sockaddr *uaddr,
			 int len)
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
	/* in the user namespace that owns the socket's network namespace */
	if (port && udp6_port_privileged(sock_net(sk), ntohs(port)) &&
	    !ns_capable(sock_net(sk)->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	lock_sock(sk);
	if (ks->hashed) {
		err = -EINVAL;
		goto out;
	}
	err = kame_in6_bind_addr(kn, &addr, scope, KAME_BIND_UNUSABLE, true,
				 &bound_if);
	if (err)
		goto out;
	ks->laddr = addr;
	ks->bound_if = bound_if;
	err = udp6_hash(kn, ks, ntohs(port));
	if (err) {
		ks->laddr = in6addr_any;
		ks->bound_if = 0;
	}
out:
	release_sock(sk);
	return err;
}

static int kame_udp_connect(struct socket *sock, struct sockaddr *uaddr,
			    int len, int flags)
{
	struct sock *sk = sock->sk;
	struct kame_sock *ks = kame_sk(sk);
	struct kame_net *kn = kame_net(sock_net(sk));
	const struct kame_ifaddr *ifa;
	struct in6_addr dst, src = in6addr_any;
	struct kame_if *kif;
	__be16 port;
	u32 scope;
	int err;

	if (len >= (int)sizeof(sa_family_t) && uaddr->sa_family == AF_UNSPEC) {
		lock_sock(sk);
		spin_lock_bh(&kn->udp_lock);
		WRITE_ONCE(ks->connected, false);
		ks->faddr = in6addr_any;
		WRITE_ONCE(ks->fport, 0);
		if (ks->laddr_auto)
			udp6_set_laddr(kn, ks, &in6addr_any);
		ks->laddr_auto = false;
		spin_unlock_bh(&kn->udp_lock);
		sock->state = SS_UNCONNECTED;
		release_sock(sk);
		return 0;
	}
	err = kame_sockaddr_in(uaddr, len, &dst, &scope, &port);
	if (err)
		return err;
	if (!port)
		return -EINVAL;
	lock_sock(sk);
	if (!ks->hashed) {
		err = udp6_hash(kn, ks, 0);
		if (err)
			goto out;
	}
	rcu_read_lock();
	kif = kame_route_if(kn, &dst, scope, ks->bound_if, &err);
	/* an unbound socket takes the source a send would use (in6_pcbconnect) */
	if (kif && ipv6_addr_any(&ks->laddr)) {
		ifa = kame_in6_selectsrc(kif, &dst, true,
					 READ_ONCE(ks->srcprefs));
		if (ifa)
			src = ifa->addr;
		else
			err = -EADDRNOTAVAIL;
	}
	rcu_read_unlock();
	if (!kif || err)
		goto out;
	spin_lock_bh(&kn->udp_lock);
	if (!ipv6_addr_any(&src)) {
		udp6_set_laddr(kn, ks, &src);
		ks->laddr_auto = true;
	}
	ks->faddr = dst;
	WRITE_ONCE(ks->fport, port);
	WRITE_ONCE(ks->connected, true);
	spin_unlock_bh(&kn->udp_lock);
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* Fill the UDP header; pcsum is the payload's sum, taken while copying. */
static void udp6_seal(struct sk_buff *skb, __be16 sport, __be16 dport,
		      const struct in6_addr *src, const struct in6_addr *dst,
		      __wsum pcsum)
{
	struct udphdr *uh = udp_hdr(skb);
	struct in6_addr s = *src, d = *dst;

	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	kame_in6_clearscope(&s);
	kame_in6_clearscope(&d);
	uh->check = csum_ipv6_magic(&s, &d, skb->len, IPPROTO_UDP,
				    csum_partial(uh, sizeof(*uh), pcsum));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

static int kame_udp_sendmsg(struct socket *sock, struct msghdr *msg,
			    size_t len)
{
	struct sock *sk = sock->sk;
	struct kame_sock *ks = kame_sk(sk);
	struct kame_net *kn = kame_net(sock_net(sk));
	struct sk_buff *skb = NULL;
	struct kame_ip6_cmsg c;
	struct kame_ip6_pkt p;
	struct in6_addr dst;
	__wsum pcsum;
	__be16 port;
	u32 scope = 0;
	int err;

	if (len > IPV6_MAXPLEN - sizeof(struct udphdr))
		return -EMSGSIZE;
	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = kame_ip6_cmsg_parse(msg, &c);
	if (err)
		return err;
	lock_sock(sk);
	err = kame_in6_send_dest(ks, msg, &dst, &scope, &port);
	if (!err && !port)
		err = -EINVAL;	/* msg_name without a port */
	if (!err && !ks->hashed)
		err = udp6_hash(kn, ks, 0);
	if (!err)
		err = kame_in6_send_alloc(sk, msg, sizeof(struct udphdr), len,
					  &skb, &pcsum);
	if (err)
		goto out;

	rcu_read_lock();
	err = kame_ip6_pkt_setup(sk, &c, &dst, scope, IPPROTO_UDP, &p);
	if (err)
		goto out_rcu;
	udp6_seal(skb, ks->lport, port, &p.src, &p.dst, pcsum);
	udp6stat_inc(kn, KAME_UDP6S_OPACKETS);
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

/*
 * Best socket for a unicast datagram (KAME's in6_pcblookup()): a match of
 * the bound address scores 2, of the connected peer 4; the newest socket
 * wins a tie. Caller holds RCU; the socket is good until it drops it.
 */
static struct kame_sock *udp6_lookup(struct kame_net *kn, struct kame_if *kif,
				     const struct in6_addr *src, __be16 sport,
				     const struct in6_addr *dst, __be16 dport)
{
	struct kame_sock *ks, *best;
	int score, best_score, bound, i, n;
	struct hlist_nulls_head *c[2];
	struct hlist_nulls_node *pos;
	struct kame_udp_sock *us;

	n = udp6_lookup_chains(kn, dst, dport, c);
again:
	best = NULL;
	best_score = -1;
	for (i = 0; i < n; i++) {
		hlist_nulls_for_each_entry_rcu(us, pos, c[i], addr_node) {
			ks = &us->ks;
			if (READ_ONCE(ks->lport) != dport)
				continue;
			bound = READ_ONCE(ks->bound_if);
			if (bound && bound != kif->dev->ifindex)
				continue;
			score = 0;
			if (!ipv6_addr_any(&ks->laddr)) {
				if (!ipv6_addr_equal(&ks->laddr, dst))
					continue;
				score += 2;
			}
			if (READ_ONCE(ks->connected)) {
				if (READ_ONCE(ks->fport) != sport ||
				    !ipv6_addr_equal(&ks->faddr, src))
					continue;
				score += 4;
			}
			if (score > best_score) {
				best = ks;
				best_score = score;
			}
		}
		/* led into another chain by a socket that moved */
		if (get_nulls_value(pos) != c[i] - kn->udp_hash2)
			goto again;
	}
	return best;
}

/*
 * Memory of queued datagrams (Linux's UDP accounting): each one is
 * charged by its truesize to the socket's sk_rmem_alloc, against
 * SO_RCVBUF, and to the protocol's memory_allocated, in whole pages
 * reserved ahead in sk_forward_alloc (sk_rmem_schedule() style), against
 * udp6_mem (the sysctl_mem of the protocol: over its hard limit nothing
 * more is queued). /proc/net/protocols shows the pages in use.
 * sk_forward_alloc changes under the receive queue's lock only, both when
 * a datagram is queued (the input) and when it is freed (recvmsg, close).
 */
static atomic_long_t udp6_memory_allocated;
#ifdef KAME_HAVE_PER_CPU_FW_ALLOC
static DEFINE_PER_CPU(int, udp6_memory_per_cpu_fw_alloc);
#endif
static long udp6_mem[3] __read_mostly;		/* pages */
static int udp6_rmem_min __read_mostly = PAGE_SIZE;
static int udp6_wmem_min __read_mostly = PAGE_SIZE;

/* Linux's defaults for its own UDP (udp_init()): from the free memory */
void kame_udp6_mem_init(void)
{
	unsigned long limit = max(nr_free_buffer_pages() / 8, 128UL);

	udp6_mem[0] = limit / 4 * 3;
	udp6_mem[1] = limit;
	udp6_mem[2] = udp6_mem[0] * 2;
}

/* The destructor of a queued datagram: its memory goes back. */
static void udp6_rfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	struct sk_buff_head *q = &sk->sk_receive_queue;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	sk_forward_alloc_add(sk, skb->truesize);
	atomic_sub(skb->truesize, &sk->sk_rmem_alloc);
	/* whole pages back; when more is queued, not for every datagram */
	if (skb_queue_empty(q) ||
	    sk->sk_forward_alloc >= READ_ONCE(sk->sk_rcvbuf) >> 2)
		sk_mem_reclaim(sk);
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * Queue a datagram on ks (KAME's sbappendaddr()); consumes skb. The
 * socket may be closing: kame_in6_pcbdetach() marks it dead
 * (sock_orphan()) before it empties the receive queue, and the check
 * here is made under the queue's lock, so a datagram is either queued
 * before that purge, which frees it, or not queued at all. Nothing is
 * left on the queue of a closed socket. Called with BH off (the input).
 */
static void udp6_deliver(struct kame_net *kn, struct kame_sock *ks,
			 struct sk_buff *skb)
{
	struct sock *sk = &ks->sk;
	struct sk_buff_head *q = &sk->sk_receive_queue;
	int size, fwd;

	if (sk_filter(sk, skb))		/* SO_ATTACH_FILTER refused it */
		goto drop;
	if (atomic_read(&sk->sk_rmem_alloc) >= READ_ONCE(sk->sk_rcvbuf))
		goto full;
	skb_orphan(skb);	/* a looped datagram still has its sender */
	skb->dev = NULL;
	size = skb->truesize;
	spin_lock_bh(&q->lock);
	if (sock_flag(sk, SOCK_DEAD)) {
		spin_unlock_bh(&q->lock);
		goto drop;
	}
	fwd = sk->sk_forward_alloc;
	if (size > fwd && !__sk_mem_schedule(sk, size - fwd, SK_MEM_RECV)) {
		spin_unlock_bh(&q->lock);
		goto full;
	}
	sk_forward_alloc_add(sk, -size);
	atomic_add(size, &sk->sk_rmem_alloc);
	skb->sk = sk;
	skb->destructor = udp6_rfree;
	sock_skb_set_dropcount(sk, skb);
	__skb_queue_tail(q, skb);
	spin_unlock_bh(&q->lock);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return;
full:
	udp6stat_inc(kn, KAME_UDP6S_FULLSOCK);
drop:
	atomic_inc(&sk->sk_drops);
	kfree_skb(skb);
}

/*
 * A multicast datagram goes to every socket on the port (and bound to the
 * group or to ::) that joined the group on the arrival interface, as
 * FreeBSD's udp6_input() does since its multicast filters: a socket that
 * did not join does not get it. Each socket's IPsec policy (or the SPD,
 * asked once) decides for its copy. KAME_IN_POLVIO when every socket
 * refused it.
 */
static int udp6_mcast_input(struct kame_net *kn, struct kame_if *kif,
			    struct sk_buff *skb, const struct kame_ip6ctx *c,
			    const struct in6_addr *src,
			    const struct in6_addr *dst, __be16 dport)
{
	int ifindex = kif->dev->ifindex, bound, i, n, found = 0, refused = 0;
	struct hlist_nulls_head *ch[2];
	struct hlist_nulls_node *pos;
	struct kame_udp_sock *us;
	struct kame_sock *ks;
	struct sk_buff *clone;
	s8 spd = -1;

	rcu_read_lock();
	n = udp6_lookup_chains(kn, dst, dport, ch);
	for (i = 0; i < n; i++) {
		hlist_nulls_for_each_entry_rcu(us, pos, ch[i], addr_node) {
			ks = &us->ks;
			bound = READ_ONCE(ks->bound_if);
			if (READ_ONCE(ks->lport) != dport ||
			    (bound && bound != ifindex) ||
			    (!ipv6_addr_any(&ks->laddr) &&
			     !ipv6_addr_equal(&ks->laddr, dst)) ||
			    !kame_ip6_mc_member(ks, ifindex, dst, src))
				continue;
			found++;
			if (!kame_ipsec_sock_input_ok(kn, skb, c, ks, &spd)) {
				refused++;
				continue;
			}
			clone = skb_clone(skb, GFP_ATOMIC);
			if (clone) {
				__skb_pull(clone, c->off + sizeof(struct udphdr));
				udp6_deliver(kn, ks, clone);
			}
		}
	}
	if (!found && !kame_ipsec_input_ok(kn, skb, c))
		refused = found = 1;
	rcu_read_unlock();
	if (!found)
		udp6stat_inc(kn, KAME_UDP6S_NOPORTMCAST);
	if (found && refused == found) {
		kfree_skb(skb);
		return KAME_IN_POLVIO;
	}
	consume_skb(skb);
	return 0;
}

/*
 * KAME's udp6_input(). skb->data is the IPv6 header, c->off the UDP
 * header; consumes skb. KAME_IN_POLVIO when IPsec refused it (the
 * socket's policy, or the SPD for a socket without one or no socket).
 */
int kame_udp6_input(struct kame_if *kif, struct sk_buff *skb,
		    const struct kame_ip6ctx *c)
{
	struct kame_net *kn = kif->kn;
	unsigned int off = c->off;
	const struct ipv6hdr *ip6;
	struct in6_addr src, dst;
	struct kame_sock *ks;
	struct udphdr *uh;
	unsigned int ulen;
	s8 spd = -1;

	if (!pskb_may_pull(skb, off + sizeof(*uh))) {
		udp6stat_inc(kn, KAME_UDP6S_HDROPS);
		goto drop;
	}
	uh = (struct udphdr *)(skb->data + off);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len - off) {
		udp6stat_inc(kn, KAME_UDP6S_BADLEN);
		goto drop;
	}
	if (pskb_trim_rcsum(skb, off + ulen)) {
		udp6stat_inc(kn, KAME_UDP6S_HDROPS);
		goto drop;
	}
	ip6 = ipv6_hdr(skb);
	uh = (struct udphdr *)(skb->data + off);
	if (!uh->check) {
		udp6stat_inc(kn, KAME_UDP6S_NOSUM);
		goto drop;
	}
	if (!skb_csum_unnecessary(skb) &&
	    csum_ipv6_magic(&ip6->saddr, &ip6->daddr, ulen, IPPROTO_UDP,
			    skb_checksum(skb, off, ulen, 0))) {
		udp6stat_inc(kn, KAME_UDP6S_BADSUM);
		goto drop;
	}
	udp6stat_inc(kn, KAME_UDP6S_IPACKETS);
	src = ip6->saddr;
	dst = ip6->daddr;
	kame_in6_setscope(&src, kif->dev->ifindex);
	kame_in6_setscope(&dst, kif->dev->ifindex);
	skb->skb_iif = kif->dev->ifindex;
	KAME_DGRAM_CB(skb)->sport = uh->source;
	skb_set_transport_header(skb, off);

	if (IN6_IS_ADDR_MULTICAST(&dst))
		return udp6_mcast_input(kn, kif, skb, c, &src, &dst,
					uh->dest);
	rcu_read_lock();
	ks = udp6_lookup(kn, kif, &src, uh->source, &dst, uh->dest);
	if (!ks) {
		rcu_read_unlock();
		if (!kame_ipsec_input_ok(kn, skb, c))
			goto polvio;
		udp6stat_inc(kn, KAME_UDP6S_NOPORT);
		kame_icmp6_error(kif, skb, ICMPV6_DEST_UNREACH,
				 ICMPV6_PORT_UNREACH, 0);
		return 0;
	}
	if (!kame_ipsec_sock_input_ok(kn, skb, c, ks, &spd)) {
		rcu_read_unlock();
		goto polvio;
	}
	__skb_pull(skb, off + sizeof(*uh));
	udp6_deliver(kn, ks, skb);
	rcu_read_unlock();
	return 0;

polvio:
	/* the IPsec module counted it (ipsec6 in_polvio) */
	kfree_skb(skb);
	return KAME_IN_POLVIO;
drop:
	kfree_skb(skb);
	return 0;
}

/*
 * KAME's udp6_ctlinput(): an ICMPv6 error quotes a datagram this node sent
 * from src:sport to dst:dport (embedded form). Every connected socket of
 * that conversation gets the error (a positive errno) in sk_err: SO_ERROR,
 * or the next send or receive. Unconnected sockets are not told. Returns the sockets told.
 */
int kame_udp6_ctlinput(struct kame_if *kif, const struct in6_addr *src,
		       __be16 sport, const struct in6_addr *dst, __be16 dport,
		       int err)
{
	struct kame_net *kn = kif->kn;
	struct hlist_nulls_head *c[2];
	struct hlist_nulls_node *pos;
	struct kame_udp_sock *us;
	struct kame_sock *ks;
	int i, nc, n = 0;

	rcu_read_lock();
	nc = udp6_lookup_chains(kn, src, sport, c);
	for (i = 0; i < nc; i++) {
		hlist_nulls_for_each_entry_rcu(us, pos, c[i], addr_node) {
			ks = &us->ks;
			if (READ_ONCE(ks->lport) != sport ||
			    !READ_ONCE(ks->connected) ||
			    READ_ONCE(ks->fport) != dport ||
			    !ipv6_addr_equal(&ks->faddr, dst) ||
			    (!ipv6_addr_any(&ks->laddr) &&
			     !ipv6_addr_equal(&ks->laddr, src)) ||
			    sock_flag(&ks->sk, SOCK_DEAD))
				continue;
			WRITE_ONCE(ks->sk.sk_err, err);
			sk_error_report(&ks->sk);
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}

static int kame_udp_setsockopt(struct socket *sock, int level, int optname,
			       sockptr_t optval, unsigned int optlen)
{
	int val;

	if (level == SOL_SOCKET && optname != SO_REUSEPORT)
		return sock_setsockopt(sock, level, optname, optval, optlen);
	if (level == SOL_IPV6)
		return kame_ip6_setsockopt(sock->sk, optname, optval, optlen);
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	/*
	 * The core takes SO_REUSEPORT for inet sockets only; where it lets
	 * a family see SOL_SOCKET options we take it here.
	 */
	lock_sock(sock->sk);
	sock->sk->sk_reuseport = !!val;
	release_sock(sock->sk);
	return 0;
}

static int kame_udp_getsockopt(struct socket *sock, int level, int optname,
			       char __user *optval, int __user *optlen)
{
	if (level != SOL_IPV6)
		return -ENOPROTOOPT;
	return kame_ip6_getsockopt(sock->sk, optname, optval, optlen);
}

static int kame_udp_release(struct socket *sock)
{
	struct kame_net *kn;

	if (!sock->sk)
		return 0;
	kn = kame_net(sock_net(sock->sk));
	udp6_unhash(kn, kame_sk(sock->sk));
	return kame_in6_pcbdetach(sock, &kn->udp_lock);
}

/* .family is set at load time from the module parameter */
struct proto_ops kame_udp_ops __ro_after_init = {
	.owner = THIS_MODULE,
	.release = kame_udp_release,
	.bind = kame_udp_bind,
	.connect = kame_udp_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = kame_in6_getname,
	.poll = datagram_poll,
	.ioctl = sock_no_ioctl,
	.listen = sock_no_listen,
	.shutdown = kame_in6_shutdown,
	.setsockopt = kame_udp_setsockopt,
	.getsockopt = kame_udp_getsockopt,
	.sendmsg = kame_udp_sendmsg,
	.recvmsg = kame_in6_recvmsg,
	.mmap = sock_no_mmap,
};

struct proto kame_udp_prot = {
	.name = "KAME-UDP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct kame_udp_sock),
	.memory_allocated = &udp6_memory_allocated,
#ifdef KAME_HAVE_PER_CPU_FW_ALLOC
	.per_cpu_fw_alloc = &udp6_memory_per_cpu_fw_alloc,
#endif
	.sysctl_mem = udp6_mem,
	.sysctl_rmem = &udp6_rmem_min,
	.sysctl_wmem = &udp6_wmem_min,
};

void kame_udp6_init_sock(struct sock *sk)
{
	/* the input finds sockets under RCU alone */
	sock_set_flag(sk, SOCK_RCU_FREE);
#ifdef SOCK_CUSTOM_SOCKOPT
	/* SOL_SOCKET options come to kame_udp_setsockopt (SO_REUSEPORT) */
	set_bit(SOCK_CUSTOM_SOCKOPT, &sk->sk_socket->flags);
#endif
}

int kame_udp6_init_net(struct kame_net *kn)
{
	unsigned int i;

	net_get_random_once(&udp6_hash_seed, sizeof(udp6_hash_seed));
	spin_lock_init(&kn->udp_lock);
	kn->udp_maxreuse = UDP6_MAXREUSE;
	kn->udp_hash = kvcalloc(KAME_UDP_HASH_SIZE, sizeof(*kn->udp_hash),
				GFP_KERNEL);
	kn->udp_hash2 = kvcalloc(KAME_UDP_HASH2_SIZE, sizeof(*kn->udp_hash2),
				 GFP_KERNEL);
	if (!kn->udp_hash || !kn->udp_hash2) {
		kame_udp6_exit_net(kn);
		return -ENOMEM;
	}
	/* each chain ends in its own index (udp6_lookup) */
	for (i = 0; i < KAME_UDP_HASH2_SIZE; i++)
		INIT_HLIST_NULLS_HEAD(&kn->udp_hash2[i], i);
	return 0;
}

/* The namespace's sockets are gone: each held a reference to it. */
void kame_udp6_exit_net(struct kame_net *kn)
{
	kvfree(kn->udp_hash);
	kvfree(kn->udp_hash2);
	kn->udp_hash = NULL;
	kn->udp_hash2 = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 (KAME's icmp6.c; RFC 4443): input validation and dispatch, echo
 * replies, errors reported to the sockets they concern, and the output
 * helpers the ND code uses. Raw ICMPv6 sockets get a copy of every message
 * that passes the length and checksum checks.
 */
#include <linux/icmpv6.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include "kame.h"

struct sk_buff *kame_icmp6_alloc(struct kame_if *kif, unsigned int len)
{
	unsigned int head = LL_RESERVED_SPACE(kif->dev) +
			    sizeof(struct ipv6hdr);
	struct sk_buff *skb;

	skb = alloc_skb(head + len + kif->dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, head);
	skb_reset_transport_header(skb);
	return skb;
}

/* Checksum the ICMPv6 message at skb->data and send it. */
int kame_icmp6_send_tx(struct kame_if *kif, struct sk_buff *skb,
		       const struct in6_addr *src, const struct in6_addr *dst,
		       const struct kame_ip6_txopts *tx)
{
	struct icmp6hdr *icmp = (struct icmp6hdr *)skb->data;
	struct in6_addr s = *src, d = *dst;

	kame_in6_clearscope(&s);
	kame_in6_clearscope(&d);
	icmp->icmp6_cksum = 0;
	icmp->icmp6_cksum = csum_ipv6_magic(&s, &d, skb->len, IPPROTO_ICMPV6,
					    csum_partial(skb->data, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	return kame_ip6_output(kif, skb, src, dst, tx);
}

int kame_icmp6_send(struct kame_if *kif, struct sk_buff *skb,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    u8 hlim)
{
	struct kame_ip6_txopts tx = { .proto = IPPROTO_ICMPV6, .hlim = hlim };

	return kame_icmp6_send_tx(kif, skb, src, dst, &tx);
}

static bool icmp6_csum_ok(struct sk_buff *skb, unsigned int off,
			  unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);

	if (skb_csum_unnecessary(skb))
		return true;
	return !csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, IPPROTO_ICMPV6,
				skb_checksum(skb, off, len, 0));
}

/* Answer an echo request (RFC 4443 4.2), also to multicast and anycast. */
static void icmp6_echo_reply(struct kame_if *kif, struct sk_buff *skb,
			     unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct in6_addr src = ip6->daddr, dst = ip6->saddr;
	const struct kame_ifaddr *ifa;
	struct icmp6hdr *rep;
	struct sk_buff *r;

	kame_in6_setscope(&src, kif->dev->ifindex);
	kame_in6_setscope(&dst, kif->dev->ifindex);
	rcu_read_lock();
	ifa = kame_ifa_lookup(kif->kn, &src);
	if (!ifa || (READ_ONCE(ifa->flags) & KAME_ADDR_F_ANYCAST))
		ifa = kame_in6_select_src(kif, &dst);
	if (ifa)
		src = ifa->addr;
	rcu_read_unlock();
	if (!ifa || (READ_ONCE(ifa->flags) & (KAME_ADDR_F_TENTATIVE |
					      KAME_ADDR_F_DUPLICATED)))
		return;

	r = kame_icmp6_alloc(kif, len);
	if (!r)
		return;
	rep = skb_put(r, len);
	if (skb_copy_bits(skb, off, rep, len)) {
		kfree_skb(r);
		return;
	}
	rep->icmp6_type = ICMPV6_ECHO_REPLY;
	rep->icmp6_code = 0;
	kame_icmp6_outstat(kif->kn, ICMPV6_ECHO_REPLY);
	kame_icmp6_send(kif, r, &src, &dst, kif->curhlim);
}

/*
 * Is skb an ICMPv6 error message or a redirect? Walks the header chain
 * (a bounded number of headers); a non-first fragment does not tell. An
 * ICMPv6 header that the chain puts past the end of an unfragmented
 * packet may be an error: no answer to it (RFC 4443 2.4 e.1; BSD's
 * icmp6_error drops it when it cannot pull the ICMPv6 header up). The
 * first fragment of a datagram may lack it, the rest of the datagram has
 * it (and earns a Parameter Problem code 3 for that, RFC 7112).
 */
static bool icmp6_is_error_or_redirect(const struct sk_buff *skb)
{
	unsigned int off = sizeof(struct ipv6hdr), n;
	u8 nxt = ipv6_hdr(skb)->nexthdr, buf[4];
	bool frag = false;
	const u8 *b;

	for (n = 0; n < 64; n++) {
		/* the type alone tells an ICMPv6 header, two bytes the others */
		b = skb_header_pointer(skb, off,
				       nxt == IPPROTO_ICMPV6 ? 1 :
				       nxt == NEXTHDR_FRAGMENT ? 4 : 2, buf);
		if (!b)
			return nxt == IPPROTO_ICMPV6 && !frag;
		switch (nxt) {
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
		case NEXTHDR_ROUTING:
			nxt = b[0];
			off += (b[1] + 1) * 8;
			break;
		case NEXTHDR_FRAGMENT:
			if ((b[2] << 8 | b[3]) & ~7)
				return false;
			frag = b[3] & 1;	/* more fragments follow */
			nxt = b[0];
			off += sizeof(struct frag_hdr);
			break;
		case IPPROTO_ICMPV6:
			return b[0] < 128 || b[0] == NDISC_REDIRECT;
		default:
			return false;
		}
	}
	return false;
}

/*
 * errppslimit errors per second per namespace (KAME notes 1.9); the
 * redirects a router sends share the budget, as in KAME.
 */
bool kame_icmp6_ratelimited(struct kame_net *kn)
{
	bool limited;

	spin_lock_bh(&kn->err_lock);
	if (time_after(jiffies, kn->err_window + HZ)) {
		kn->err_window = jiffies;
		kn->err_count = 0;
	}
	limited = kn->err_count >= READ_ONCE(kn->errppslimit);
	if (!limited)
		kn->err_count++;
	spin_unlock_bh(&kn->err_lock);
	return limited;
}

/*
 * KAME's icp6s_inhist[] and icp6s_outhist[]: the types with a counter of
 * their own (0: none; KAME_ICP6S_ERROR, 0, is never one of them).
 */
static const u8 icmp6_in_counter[256] = {
	[ICMPV6_DEST_UNREACH] = KAME_ICP6S_IN_DSTUNREACH,
	[ICMPV6_PKT_TOOBIG] = KAME_ICP6S_IN_PKTTOOBIG,
	[ICMPV6_TIME_EXCEED] = KAME_ICP6S_IN_TIMEEXCEED,
	[ICMPV6_PARAMPROB] = KAME_ICP6S_IN_PARAMPROB,
	[ICMPV6_ECHO_REQUEST] = KAME_ICP6S_IN_ECHO,
	[ICMPV6_ECHO_REPLY] = KAME_ICP6S_IN_ECHOREPLY,
	[ICMPV6_MGM_QUERY] = KAME_ICP6S_IN_MLDQUERY,
	[ICMPV6_MGM_REPORT] = KAME_ICP6S_IN_MLDREPORT,
	[ICMPV6_MGM_REDUCTION] = KAME_ICP6S_IN_MLDDONE,
	[NDISC_ROUTER_SOLICITATION] = KAME_ICP6S_IN_RS,
	[NDISC_ROUTER_ADVERTISEMENT] = KAME_ICP6S_IN_RA,
	[NDISC_NEIGHBOUR_SOLICITATION] = KAME_ICP6S_IN_NS,
	[NDISC_NEIGHBOUR_ADVERTISEMENT] = KAME_ICP6S_IN_NA,
	[NDISC_REDIRECT] = KAME_ICP6S_IN_REDIRECT,
	[ICMPV6_MLD2_REPORT] = KAME_ICP6S_IN_MLDV2REPORT,
};

static const u8 icmp6_out_counter[256] = {
	[ICMPV6_DEST_UNREACH] = KAME_ICP6S_OUT_DSTUNREACH,
	[ICMPV6_PKT_TOOBIG] = KAME_ICP6S_OUT_PKTTOOBIG,
	[ICMPV6_TIME_EXCEED] = KAME_ICP6S_OUT_TIMEEXCEED,
	[ICMPV6_PARAMPROB] = KAME_ICP6S_OUT_PARAMPROB,
	[ICMPV6_ECHO_REQUEST] = KAME_ICP6S_OUT_ECHO,
	[ICMPV6_ECHO_REPLY] = KAME_ICP6S_OUT_ECHOREPLY,
	[ICMPV6_MGM_QUERY] = KAME_ICP6S_OUT_MLDQUERY,
	[ICMPV6_MGM_REPORT] = KAME_ICP6S_OUT_MLDREPORT,
	[ICMPV6_MGM_REDUCTION] = KAME_ICP6S_OUT_MLDDONE,
	[NDISC_ROUTER_SOLICITATION] = KAME_ICP6S_OUT_RS,
	[NDISC_ROUTER_ADVERTISEMENT] = KAME_ICP6S_OUT_RA,
	[NDISC_NEIGHBOUR_SOLICITATION] = KAME_ICP6S_OUT_NS,
	[NDISC_NEIGHBOUR_ADVERTISEMENT] = KAME_ICP6S_OUT_NA,
	[NDISC_REDIRECT] = KAME_ICP6S_OUT_REDIRECT,
	[ICMPV6_MLD2_REPORT] = KAME_ICP6S_OUT_MLDV2REPORT,
};

/* KAME_ICP6S_ODST_UNREACH_*: Destination Unreachable by code */
static const u8 icmp6_unreach_counter[] = {
	[ICMPV6_NOROUTE] = KAME_ICP6S_ODST_UNREACH_NOROUTE,
	[ICMPV6_ADDR_UNREACH] = KAME_ICP6S_ODST_UNREACH_ADDR,
	[ICMPV6_PORT_UNREACH] = KAME_ICP6S_ODST_UNREACH_NOPORT,
};

/* icp6s_outhist of a message the node sends (raw sockets included). */
void kame_icmp6_outstat(struct kame_net *kn, u8 type)
{
	if (icmp6_out_counter[type])
		kame_icmp6stat_inc(kn, icmp6_out_counter[type]);
}

/* icp6s_inhist of a message received: each once, errors also in all. */
static void icmp6_instat(struct kame_net *kn, u8 type)
{
	kame_icmp6stat_inc(kn, icmp6_in_counter[type] ?: KAME_ICP6S_IN_OTHER);
	if (type < 128)
		kame_icmp6stat_inc(kn, KAME_ICP6S_IN_ERROR);
}

/*
 * KAME's icmp6_error(): answer the offending packet skb (IPv6 header at
 * skb->data, unchanged from the wire) with an error quoting as much of it
 * as fits in 1280 bytes (RFC 4443 2.4). Consumes skb.
 */
void kame_icmp6_error(struct kame_if *kif, struct sk_buff *skb, u8 type,
		      u8 code, u32 param)
{
	const unsigned int room = IPV6_MIN_MTU - sizeof(struct ipv6hdr) -
				  sizeof(struct icmp6hdr);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct kame_net *kn = kif->kn;
	struct in6_addr src = ip6->daddr, dst = ip6->saddr;
	const struct kame_ifaddr *ifa;
	bool mcast_ok = type == ICMPV6_PKT_TOOBIG ||
			(type == ICMPV6_PARAMPROB && code == ICMPV6_UNK_OPTION);
	struct icmp6hdr *h;
	unsigned int len;
	struct sk_buff *r;

	kame_icmp6stat_inc(kn, KAME_ICP6S_ERROR);
	if (icmp6_is_error_or_redirect(skb) ||
	    ((IN6_IS_ADDR_MULTICAST(&ip6->daddr) ||
	      skb->pkt_type != PACKET_HOST) && !mcast_ok) ||
	    ipv6_addr_any(&ip6->saddr) || IN6_IS_ADDR_MULTICAST(&ip6->saddr)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_CANTERROR);
		goto out;
	}
	if (kame_icmp6_ratelimited(kn)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_TOOFREQ);
		goto out;
	}
	kame_in6_setscope(&src, kif->dev->ifindex);
	kame_in6_setscope(&dst, kif->dev->ifindex);
	rcu_read_lock();
	ifa = kame_ifa_lookup(kn, &src);
	if (!ifa || (READ_ONCE(ifa->flags) & KAME_ADDR_F_ANYCAST))
		ifa = kame_in6_select_src(kif, &dst);
	if (ifa)
		src = ifa->addr;
	rcu_read_unlock();
	if (!ifa) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_CANTERROR);
		goto out;
	}

	len = min(skb->len, room);
	r = kame_icmp6_alloc(kif, sizeof(*h) + len);
	if (!r)
		goto out;
	h = skb_put(r, sizeof(*h) + len);
	h->icmp6_type = type;
	h->icmp6_code = code;
	h->icmp6_cksum = 0;
	h->icmp6_dataun.un_data32[0] = htonl(param);
	if (skb_copy_bits(skb, 0, h + 1, len)) {
		kfree_skb(r);
		goto out;
	}
	kame_icmp6_outstat(kn, type);
	if (type == ICMPV6_DEST_UNREACH &&
	    code < ARRAY_SIZE(icmp6_unreach_counter) &&
	    icmp6_unreach_counter[code])
		kame_icmp6stat_inc(kn, icmp6_unreach_counter[code]);
	kame_icmp6_send(kif, r, &src, &dst, kif->curhlim);
out:
	kfree_skb(skb);
}

/* -errno an error message means to a socket (as Linux maps them), or 0. */
static int icmp6_errno(u8 type, u8 code)
{
	static const u8 unreach[] = {
		[ICMPV6_NOROUTE] = ENETUNREACH,
		[ICMPV6_ADM_PROHIBITED] = EACCES,
		[ICMPV6_NOT_NEIGHBOUR] = EHOSTUNREACH,
		[ICMPV6_ADDR_UNREACH] = EHOSTUNREACH,
		[ICMPV6_PORT_UNREACH] = ECONNREFUSED,
		[ICMPV6_POLICY_FAIL] = EACCES,
		[ICMPV6_REJECT_ROUTE] = EACCES,
	};

	switch (type) {
	case ICMPV6_DEST_UNREACH:
		return code < ARRAY_SIZE(unreach) ? -unreach[code] : -EPROTO;
	case ICMPV6_PKT_TOOBIG:
		return -EMSGSIZE;
	case ICMPV6_TIME_EXCEED:
		return -EHOSTUNREACH;
	case ICMPV6_PARAMPROB:
		return -EPROTO;
	}
	return 0;
}

/*
 * KAME's icmp6_notify_error(): the error quotes a packet this node sent
 * (source ours, destination the peer) from the IPv6 header on. Walk its
 * header chain to the upper layer and tell that protocol (UDP: the
 * connected sockets of the conversation). Raw sockets have seen the
 * message itself. Returns whether a socket was told.
 */
static bool icmp6_notify_error(struct kame_if *kif, struct sk_buff *skb,
			       unsigned int off)
{
	const struct icmp6hdr *icmp = (const void *)(skb->data + off);
	unsigned int q = off + sizeof(*icmp);
	struct in6_addr src, dst;
	struct ipv6hdr ip6buf;
	const struct ipv6hdr *ip6;
	const u8 *b;
	u8 nxt, buf[8];
	__be16 ports[2];
	int err;

	err = icmp6_errno(icmp->icmp6_type, icmp->icmp6_code);
	ip6 = skb_header_pointer(skb, q, sizeof(*ip6), &ip6buf);
	if (!err || !ip6)
		return false;
	src = ip6->saddr;
	dst = ip6->daddr;
	kame_in6_setscope(&src, kif->dev->ifindex);
	kame_in6_setscope(&dst, kif->dev->ifindex);
	nxt = ip6->nexthdr;
	q += sizeof(*ip6);
	/* each turn moves on by 8 bytes or more: bounded by the quote */
	for (;;) {
		b = skb_header_pointer(skb, q, sizeof(buf), buf);
		if (!b)
			return false;
		switch (nxt) {
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
		case NEXTHDR_ROUTING:
			nxt = b[0];
			q += (b[1] + 1) * 8;
			break;
		case NEXTHDR_AUTH:
			nxt = b[0];
			q += (b[1] + 2) * 4;
			break;
		case NEXTHDR_FRAGMENT:
			if ((b[2] << 8 | b[3]) & ~7)
				return false;	/* not the first fragment */
			nxt = b[0];
			q += sizeof(struct frag_hdr);
			break;
		case IPPROTO_UDP:
			/* the whole UDP header, as KAME's udp6_ctlinput() */
			memcpy(ports, b, sizeof(ports));
			return kame_udp6_ctlinput(kif, &src, ports[0], &dst,
						  ports[1], -err) > 0;
		default:
			return false;
		}
	}
}

/*
 * The ICMPv6 message starts at the transport header and runs to the end of
 * the IPv6 payload. Consumes skb.
 */
int kame_icmp6_input(struct kame_if *kif, struct sk_buff *skb,
		     const struct kame_ip6ctx *c)
{
	struct kame_net *kn = kif->kn;
	unsigned int off = skb_transport_offset(skb);
	unsigned int len = skb->len - off;
	const struct icmp6hdr *icmp;
	bool taken;

	if (len < sizeof(*icmp) || !pskb_may_pull(skb, off + len)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_TOOSHORT);
		goto drop;
	}
	if (!icmp6_csum_ok(skb, off, len)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_CHECKSUM);
		goto drop;
	}
	icmp = (const struct icmp6hdr *)(skb->data + off);
	icmp6_instat(kn, icmp->icmp6_type);
	/* an error message quotes at least an IPv6 header (RFC 4443 2.4) */
	if (icmp->icmp6_type < 128 &&
	    len < sizeof(*icmp) + sizeof(struct ipv6hdr)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_TOOSHORT);
		goto drop;
	}
	/*
	 * a copy for the raw sockets, before the kernel's own processing;
	 * the SPD has let the message in, a socket's own policy may refuse
	 * its copy
	 */
	taken = kame_rip6_input(kif, skb, c, true) > 0;
	switch (icmp->icmp6_type) {
	case ICMPV6_ECHO_REQUEST:
		if (icmp->icmp6_code) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_BADCODE);
			goto drop;
		}
		icmp6_echo_reply(kif, skb, off, len);
		goto consumed;
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
		if (icmp->icmp6_code) {
			kame_icmp6stat_inc(kn, icmp->icmp6_type ==
					   NDISC_NEIGHBOUR_SOLICITATION ?
					   KAME_ICP6S_BADNS : KAME_ICP6S_BADNA);
			goto drop;
		}
		if (icmp->icmp6_type == NDISC_NEIGHBOUR_SOLICITATION)
			kame_nd6_ns_input(kif, skb, off, len);
		else
			kame_nd6_na_input(kif, skb, off, len);
		return 0;
	case NDISC_ROUTER_SOLICITATION:
		kame_nd6_rs_input(kif, skb, off, len);
		return 0;
	case NDISC_ROUTER_ADVERTISEMENT:
		kame_nd6_ra_input(kif, skb, off, len);
		return 0;
	case NDISC_REDIRECT:
		kame_nd6_redirect_input(kif, skb, off, len);
		return 0;
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case ICMPV6_MLD2_REPORT:
		kame_mld_input(kif, skb, off, len);
		return 0;
	default:
		if (icmp->icmp6_type < 128 && icmp6_notify_error(kif, skb, off))
			taken = true;
		goto nosock;
	}
nosock:
	if (taken)
		goto consumed;
	kame_icmp6stat_inc(kn, KAME_ICP6S_NOSOCK);
drop:
	kfree_skb(skb);
	return 0;
consumed:
	consume_skb(skb);
	return 0;
}

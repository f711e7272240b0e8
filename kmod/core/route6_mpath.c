// SPDX-License-Identifier: GPL-2.0
/*
 * Multipath routes (KAME's RADIX_MPATH): several gateway routes on one
 * prefix, each flagged KAME_RTF_MPATH, kept on the prefix's node in the
 * trie like any other routes of that prefix (route6.c). A lookup finds the
 * first of them as before; the output (and forwarding) path then picks one
 * by a hash of the packet's flow, weighted:
 *   - the flow label, source and destination when the label is not zero
 *     (RFC 6438: the label alone names the flow),
 *   - else source, destination, next header and the ports of UDP and TCP
 *     (none for a fragment or another protocol),
 * keyed with a random secret per namespace, so that the same flow always
 * takes the same next hop while the set does not change, and others
 * cannot steer their flows onto one path.
 *
 * Reachability (RFC 4861 7.3, RFC 4191's "probably reachable" first): when
 * the neighbor cache gives up on a next hop (address resolution or the
 * unicast probes failed: kame_rt_mpath_unreach()), the route is marked. A
 * marked next hop is skipped while another next hop is not, as long as its
 * neighbor entry is being resolved again, or for the hold (the knob
 * net.inet6.ip6.mpath_failhold, in seconds) while it has none; an entry that became reachable (or stale: an NA or packet from
 * the neighbor) ends the skipping. After the hold, one flow probes it.
 * When every next hop is marked the hash picks among all.
 */
#include <linux/siphash.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "route6.h"

#define RT_MP_DEFAULT_MAX	16		/* knob: ip6.maxnexthops */
#define RT_MP_DEFAULT_HOLD	30		/* s, knob: ip6.mpath_failhold */

#define rt_deref(kn, p)							\
	rcu_dereference_check(p, lockdep_is_held(&(kn)->rt_lock) ||	\
			      lockdep_rtnl_is_held())

void kame_rt_mpath_init_net(struct kame_net *kn)
{
	INIT_LIST_HEAD(&kn->rt_mpath);
	get_random_bytes(&kn->rt_mp_key, sizeof(kn->rt_mp_key));
	kn->rt_maxnexthops = RT_MP_DEFAULT_MAX;
	kn->rt_mp_failhold = RT_MP_DEFAULT_HOLD;
}

/*
 * The flow of a packet whose IPv6 header is at skb->data (the forwarding
 * path): addresses copied to src and dst, which fl then points to. Ports
 * only when UDP or TCP follows the IPv6 header directly.
 */
void kame_rt_flow_skb(const struct sk_buff *skb, struct in6_addr *src,
		      struct in6_addr *dst, struct kame_flow *fl)
{
	const struct ipv6hdr *ip6 = (const struct ipv6hdr *)skb->data;
	__be16 ports[2], *p;

	memset(fl, 0, sizeof(*fl));
	*src = ip6->saddr;
	*dst = ip6->daddr;
	fl->src = src;
	fl->dst = dst;
	fl->label = *(const __be32 *)ip6 & htonl(0x000fffff);
	fl->proto = ip6->nexthdr;
	if (fl->proto != IPPROTO_UDP && fl->proto != IPPROTO_TCP)
		return;
	p = skb_header_pointer(skb, sizeof(*ip6), sizeof(ports), ports);
	if (p) {
		fl->sport = p[0];
		fl->dport = p[1];
	}
}
EXPORT_SYMBOL_GPL(kame_rt_flow_skb);

/*
 * The flow of a packet being sent: the payload of protocol proto (the
 * whole datagram, before any fragmentation) at skb->data. Sockets set no
 * flow label.
 */
void kame_rt_flow_out(const struct sk_buff *skb, const struct in6_addr *src,
		      const struct in6_addr *dst, u8 proto,
		      struct kame_flow *fl)
{
	__be16 ports[2], *p;

	memset(fl, 0, sizeof(*fl));
	fl->src = src;
	fl->dst = dst;
	fl->proto = proto;
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return;
	p = skb_header_pointer(skb, 0, sizeof(ports), ports);
	if (p) {
		fl->sport = p[0];
		fl->dport = p[1];
	}
}

/* The hash of a flow (NULL: nothing known, 0). */
u32 kame_rt_flowhash(const struct kame_net *kn, const struct kame_flow *fl)
{
	struct {
		struct in6_addr src, dst;
		__be32 label;
		__be16 sport, dport;
		u32 proto;
	} k;

	if (!fl)
		return 0;
	memset(&k, 0, sizeof(k));
	if (fl->src)
		k.src = *fl->src;
	if (fl->dst)
		k.dst = *fl->dst;
	if (fl->label) {
		k.label = fl->label;	/* RFC 6438: the label names the flow */
	} else {
		k.proto = fl->proto;
		if (fl->proto == IPPROTO_UDP || fl->proto == IPPROTO_TCP) {
			k.sport = fl->sport;
			k.dport = fl->dport;
		}
	}
	return (u32)siphash(&k, sizeof(k), &kn->rt_mp_key);
}

/*
 * Did rt's next hop fail, and not come back since? After the hold, the
 * next flow hashed to it tries it again: the one packet that makes its
 * neighbor entry; while that entry is INCOMPLETE the others still skip it.
 */
static bool rt_mp_failed(const struct kame_net *kn, const struct kame_rt *rt,
			 u64 now)
{
	u64 failed = READ_ONCE(rt->mp_failed);
	u64 hold = (u64)READ_ONCE(kn->rt_mp_failhold) * HZ;
	u8 state;

	if (!failed)
		return false;
	state = kame_nd6_state(rt->kif, &rt->gw);
	if (state == KAME_ND_INCOMPLETE)
		return true;
	return state == KAME_ND_NOSTATE &&
	       time_before64(now, failed + hold);
}

/*
 * The next hop of flow fl among the multipath routes of the node of first
 * (the route kame_rt_lookup() found). Caller holds RCU.
 */
const struct kame_rt *kame_rt_mpath_select(struct kame_net *kn,
					   const struct kame_rt *first,
					   const struct kame_flow *fl)
{
	u32 total = 0, good = 0, pick, hash = kame_rt_flowhash(kn, fl);
	u64 now = get_jiffies_64();
	const struct kame_rt *rt;
	bool all;

	for (rt = first; rt; rt = rt_deref(kn, rt->next)) {
		if (!(rt->flags & KAME_RTF_MPATH))
			continue;
		total += rt->weight;
		if (!rt_mp_failed(kn, rt, now))
			good += rt->weight;
	}
	all = !good;
	pick = reciprocal_scale(hash, all ? total : good);
	for (rt = first; rt; rt = rt_deref(kn, rt->next)) {
		if (!(rt->flags & KAME_RTF_MPATH) ||
		    (!all && rt_mp_failed(kn, rt, now)))
			continue;
		if (pick < rt->weight)
			return rt;
		pick -= rt->weight;
	}
	return first;	/* the set changed under us */
}

/*
 * The neighbor cache gave up on gw on kif (nd6.c): mark the next hops of
 * multipath routes through it.
 */
void kame_rt_mpath_unreach(struct kame_if *kif, const struct in6_addr *gw)
{
	struct kame_net *kn = kif->kn;
	u64 now = get_jiffies_64() ?: 1;
	struct kame_rt *rt;

	spin_lock_bh(&kn->rt_lock);
	list_for_each_entry(rt, &kn->rt_mpath, mp)
		if (rt->kif == kif && ipv6_addr_equal(&rt->gw, gw))
			WRITE_ONCE(rt->mp_failed, now);
	spin_unlock_bh(&kn->rt_lock);
}

/*
 * Add the n next hops of a multipath route for pfx/plen (embedded form,
 * masked), checked by the caller: all or none. RTNL.
 */
int kame_rt_mpath_add(struct kame_net *kn, const struct in6_addr *pfx,
		      u8 plen, const struct kame_rt_nh *nhs, unsigned int n,
		      struct netlink_ext_ack *extack)
{
	unsigned int i;
	int err = 0;

	if (kame_rt_mpath_count(kn, pfx, plen)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the prefix has a multipath route already");
		return -EEXIST;
	}
	for (i = 0; i < n && !err; i++)
		err = kame_rt_add_weight(kn, pfx, plen, nhs[i].kif,
					 &nhs[i].gw,
					 KAME_RTF_STATIC | KAME_RTF_MPATH, NULL,
					 nhs[i].weight, extack);
	if (err && i > 1)
		kame_rt_mpath_del(kn, pfx, plen);
	return err;
}

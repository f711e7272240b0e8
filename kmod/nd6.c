// SPDX-License-Identifier: GPL-2.0
/*
 * The neighbor cache (KAME's nd6.c): our own table of llinfo_nd6 entries,
 * keyed by (interface, address), with the NUD state machine of RFC 4861 7.3
 * and a bounded hold queue per INCOMPLETE entry.
 *
 * Locking: kn->nd_lock (BH) protects the hash table and every entry. An
 * entry's timer runs its state machine; an entry is freed either by its
 * own timer or by kame_nd6_purge() after del_timer_sync().
 */
#include <linux/etherdevice.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "kame.h"

#define ND6_MAX_MULTICAST_SOLICIT	3
#define ND6_MAX_UNICAST_SOLICIT		3
#define ND6_DELAY_FIRST_PROBE_TIME	(5 * HZ)
#define ND6_MAXQUEUELEN			3	/* hold queue per entry */
#define ND6_DEFAULT_MAX			16384	/* knob: nd_max */

static struct hlist_head *nd_bucket(struct kame_net *kn, struct kame_if *kif,
				    const struct in6_addr *a)
{
	u32 h = jhash2(a->s6_addr32, 4, kif->dev->ifindex);

	return &kn->nd_hash[h >> (32 - KAME_ND_HASH_BITS)];
}

static struct kame_llinfo *nd_lookup(struct kame_net *kn, struct kame_if *kif,
				     const struct in6_addr *a)
{
	struct kame_llinfo *ln;

	hlist_for_each_entry(ln, nd_bucket(kn, kif, a), hnode)
		if (ln->kif == kif && ipv6_addr_equal(&ln->addr, a))
			return ln;
	return NULL;
}

static void nd_set_timer(struct kame_llinfo *ln, unsigned long delay)
{
	ln->expire = jiffies + delay;
	mod_timer(&ln->timer, ln->expire);
}

static struct kame_llinfo *nd_create(struct kame_net *kn, struct kame_if *kif,
				     const struct in6_addr *a)
{
	struct kame_llinfo *ln;

	if (kn->nd_count >= kn->nd_max)
		return NULL;
	ln = kzalloc(sizeof(*ln), GFP_ATOMIC);
	if (!ln)
		return NULL;
	ln->kif = kif;
	ln->addr = *a;
	ln->state = KAME_ND_NOSTATE;
	skb_queue_head_init(&ln->hold);
	timer_setup(&ln->timer, kame_nd6_timer, 0);
	hlist_add_head(&ln->hnode, nd_bucket(kn, kif, a));
	kn->nd_count++;
	return ln;
}

/* Unhash; the caller frees it (after the timer is known not to run). */
static void nd_unlink(struct kame_net *kn, struct kame_llinfo *ln)
{
	hlist_del(&ln->hnode);
	ln->dead = true;
	kn->nd_count--;
}

static void nd_free(struct kame_net *kn, struct kame_llinfo *ln)
{
	unsigned int n = skb_queue_len(&ln->hold);

	while (n--)
		kame_icmp6stat_inc(kn, KAME_ICP6S_ND_HOLDDROP);
	skb_queue_purge(&ln->hold);
	kfree(ln);
}

static u32 nd_reachable(struct kame_if *kif)
{
	/* RFC 4861 6.3.2: uniformly between 0.5 and 1.5 BaseReachableTime */
	u32 base = READ_ONCE(kif->basereachable);

	return base / 2 + get_random_u32_below(base + 1);
}

/* State machine on timer expiry (KAME's nd6_llinfo_timer). */
void kame_nd6_timer(struct timer_list *t)
{
	struct kame_llinfo *ln = from_timer(ln, t, timer);
	struct kame_if *kif = ln->kif;
	struct kame_net *kn = kif->kn;
	struct in6_addr target = ln->addr;
	bool probe = false, mcast = false, drop = false;

	spin_lock_bh(&kn->nd_lock);
	if (ln->dead) {
		spin_unlock_bh(&kn->nd_lock);
		return;
	}
	switch (ln->state) {
	case KAME_ND_INCOMPLETE:
		if (ln->asked < ND6_MAX_MULTICAST_SOLICIT) {
			ln->asked++;
			nd_set_timer(ln, msecs_to_jiffies(kif->retrans));
			probe = mcast = true;
		} else {
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_RESFAIL);
			drop = true;
		}
		break;
	case KAME_ND_REACHABLE:
		ln->state = KAME_ND_STALE;
		ln->expire = 0;
		break;
	case KAME_ND_DELAY:
		ln->state = KAME_ND_PROBE;
		ln->asked = 1;
		nd_set_timer(ln, msecs_to_jiffies(kif->retrans));
		probe = true;
		break;
	case KAME_ND_PROBE:
		if (ln->asked < ND6_MAX_UNICAST_SOLICIT) {
			ln->asked++;
			nd_set_timer(ln, msecs_to_jiffies(kif->retrans));
			probe = true;
		} else {
			drop = true;
		}
		break;
	}
	if (drop)
		nd_unlink(kn, ln);
	spin_unlock_bh(&kn->nd_lock);

	if (drop)
		nd_free(kn, ln);	/* our own timer: safe to free here */
	else if (probe)
		kame_nd6_ns_output(kif, mcast ? NULL : &target, &target, false);
}

/* Send skb (IPv6 header in place) to nexthop, resolving it first. */
int kame_nd6_resolve_output(struct kame_if *kif, struct sk_buff *skb,
			    const struct in6_addr *nexthop)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;
	u8 mac[ETH_ALEN];
	bool solicit = false;

	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, nexthop);
	if (!ln) {
		ln = nd_create(kn, kif, nexthop);
		if (!ln) {
			spin_unlock_bh(&kn->nd_lock);
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_RESFAIL);
			kfree_skb(skb);
			return -ENOBUFS;
		}
	}
	switch (ln->state) {
	case KAME_ND_NOSTATE:
		ln->state = KAME_ND_INCOMPLETE;
		ln->asked = 1;
		nd_set_timer(ln, msecs_to_jiffies(kif->retrans));
		solicit = true;
		fallthrough;
	case KAME_ND_INCOMPLETE:
		if (skb_queue_len(&ln->hold) >= ND6_MAXQUEUELEN) {
			kfree_skb(__skb_dequeue(&ln->hold));
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_HOLDDROP);
		}
		__skb_queue_tail(&ln->hold, skb);
		spin_unlock_bh(&kn->nd_lock);
		if (solicit)
			kame_nd6_ns_output(kif, NULL, nexthop, false);
		return 0;
	case KAME_ND_STALE:
		ln->state = KAME_ND_DELAY;
		ln->asked = 0;
		nd_set_timer(ln, ND6_DELAY_FIRST_PROBE_TIME);
		break;
	}
	ether_addr_copy(mac, ln->lladdr);
	spin_unlock_bh(&kn->nd_lock);
	return kame_ip6_xmit_ll(kif, skb, mac);
}

/*
 * Update the cache from a link-layer address option (RFC 4861 7.2.3 for
 * NS, 7.2.5 for NA; KAME's nd6_cache_lladdr and nd6_na_input). Packets
 * held for the entry leave once it has an address.
 */
void kame_nd6_cache_lladdr(struct kame_if *kif, const struct in6_addr *ip,
			   const u8 *lladdr, bool solicited, bool override,
			   bool is_na)
{
	struct kame_net *kn = kif->kn;
	struct sk_buff_head q;
	struct kame_llinfo *ln;
	struct sk_buff *skb;
	u8 mac[ETH_ALEN] = { };
	bool changed;

	__skb_queue_head_init(&q);
	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, ip);
	if (!ln) {
		if (is_na || !lladdr)	/* unsolicited NA: no new entry */
			goto out;
		ln = nd_create(kn, kif, ip);
		if (!ln)
			goto out;
	}
	if (ln->flags & KAME_ND_F_STATIC)
		goto out;
	changed = lladdr && (ln->state <= KAME_ND_INCOMPLETE ||
			     !ether_addr_equal(ln->lladdr, lladdr));
	if (ln->state <= KAME_ND_INCOMPLETE) {
		if (!lladdr)
			goto out;
		ether_addr_copy(ln->lladdr, lladdr);
		ln->asked = 0;
		if (is_na && solicited) {
			ln->state = KAME_ND_REACHABLE;
			nd_set_timer(ln, msecs_to_jiffies(nd_reachable(kif)));
		} else {
			ln->state = KAME_ND_STALE;
			del_timer(&ln->timer);
			ln->expire = 0;
		}
		skb_queue_splice_init(&ln->hold, &q);
	} else if (is_na && !override && changed) {
		if (ln->state == KAME_ND_REACHABLE) {
			ln->state = KAME_ND_STALE;
			del_timer(&ln->timer);
			ln->expire = 0;
		}
	} else {
		if (changed)
			ether_addr_copy(ln->lladdr, lladdr);
		if (is_na && solicited) {
			ln->state = KAME_ND_REACHABLE;
			ln->asked = 0;
			nd_set_timer(ln, msecs_to_jiffies(nd_reachable(kif)));
		} else if (changed) {
			ln->state = KAME_ND_STALE;
			del_timer(&ln->timer);
			ln->expire = 0;
		}
	}
	ether_addr_copy(mac, ln->lladdr);
out:
	spin_unlock_bh(&kn->nd_lock);
	while ((skb = __skb_dequeue(&q)))
		kame_ip6_xmit_ll(kif, skb, mac);
}

/* Remove every entry of kif (detach). Caller holds RTNL. */
void kame_nd6_purge(struct kame_if *kif)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;
	struct hlist_node *tmp;
	HLIST_HEAD(dead);
	unsigned int i;

	spin_lock_bh(&kn->nd_lock);
	for (i = 0; i < ARRAY_SIZE(kn->nd_hash); i++)
		hlist_for_each_entry_safe(ln, tmp, &kn->nd_hash[i], hnode)
			if (ln->kif == kif) {
				nd_unlink(kn, ln);
				hlist_add_head(&ln->hnode, &dead);
			}
	spin_unlock_bh(&kn->nd_lock);
	hlist_for_each_entry_safe(ln, tmp, &dead, hnode) {
		del_timer_sync(&ln->timer);
		nd_free(kn, ln);
	}
}

void kame_nd6_init_net(struct kame_net *kn)
{
	spin_lock_init(&kn->nd_lock);
	kn->nd_max = ND6_DEFAULT_MAX;
}

static int nd_fill(struct sk_buff *skb, struct kame_llinfo *ln,
		   struct netlink_callback *cb)
{
	struct in6_addr a = ln->addr;
	u32 expire = 0;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kame_genl_family, NLM_F_MULTI, KAME_CMD_ND_GET);
	if (!hdr)
		return -EMSGSIZE;
	kame_in6_clearscope(&a);
	if (ln->expire && time_after(ln->expire, jiffies))
		expire = DIV_ROUND_UP(ln->expire - jiffies, HZ);
	if (nla_put_u32(skb, KAME_ND_A_IFINDEX, ln->kif->dev->ifindex) ||
	    nla_put_in6_addr(skb, KAME_ND_A_ADDRESS, &a) ||
	    nla_put_u8(skb, KAME_ND_A_STATE, ln->state) ||
	    nla_put_u32(skb, KAME_ND_A_FLAGS, ln->flags) ||
	    nla_put_u32(skb, KAME_ND_A_EXPIRE, expire) ||
	    (ln->state > KAME_ND_INCOMPLETE &&
	     nla_put(skb, KAME_ND_A_LLADDR, ETH_ALEN, ln->lladdr))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Dump the cache; cb->args: bucket, index in bucket. */
int kame_nd6_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	unsigned long b, i;
	struct kame_llinfo *ln;

	spin_lock_bh(&kn->nd_lock);
	for (b = cb->args[0]; b < ARRAY_SIZE(kn->nd_hash); b++, cb->args[1] = 0) {
		i = 0;
		hlist_for_each_entry(ln, &kn->nd_hash[b], hnode) {
			if (i++ < cb->args[1])
				continue;
			if (nd_fill(skb, ln, cb)) {
				cb->args[0] = b;
				cb->args[1] = i - 1;
				goto out;
			}
		}
	}
	cb->args[0] = b;
out:
	spin_unlock_bh(&kn->nd_lock);
	return skb->len;
}

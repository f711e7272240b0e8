// SPDX-License-Identifier: GPL-2.0
/*
 * The neighbor cache (KAME's nd6.c): our own table of llinfo_nd6 entries,
 * keyed by (interface, address), with the NUD state machine of RFC 4861 7.3
 * and a bounded hold queue per INCOMPLETE entry.
 *
 * The table is a resizable hash (rhashtable), so lookups stay O(1) at any
 * size. It is bounded by net.inet6.icmp6.nd6_maxcache: when it is full a
 * new entry takes the place of the least recently used dynamic entry that
 * is not in use (near the old end of the LRU list), else of the least
 * recently used one; it is refused only when every entry is a manual one.
 * A per-namespace GC, every nd6_prune seconds while there are dynamic
 * entries, removes the STALE entries unused for nd6_gctimer seconds.
 * Static, temporary and proxy entries (manual ones) are on their own list
 * and never collected or evicted.
 *
 * Locking: kn->nd_lock (BH) protects the table's membership, the lists,
 * the count and every entry. An entry's timer runs its state machine.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/random.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "nd6.h"

#define ND6_DEFAULT_MAX		16384	/* knob: nd6_maxcache */
#define ND6_EVICT_SCAN		64	/* LRU entries looked at to evict */
#define ND6_GC_BATCH		1024	/* entries per GC lock hold */
#define ND6_GC_SCAN		(4 * ND6_GC_BATCH)	/* entries per GC run */

static struct kmem_cache *kame_nd_cachep;
static atomic_t kame_nd_live = ATOMIC_INIT(0);

const struct rhashtable_params kame_nd_params = {
	.key_len = sizeof(struct kame_nd_key),
	.key_offset = offsetof(struct kame_llinfo, key),
	.head_offset = offsetof(struct kame_llinfo, node),
	.automatic_shrinking = true,
};

static void nd_key(struct kame_nd_key *k, struct kame_if *kif,
		   const struct in6_addr *a)
{
	memset(k, 0, sizeof(*k));
	k->kif = kif;
	k->addr = *a;
}

static struct kame_llinfo *nd_lookup(struct kame_net *kn, struct kame_if *kif,
				     const struct in6_addr *a)
{
	struct kame_nd_key k;

	nd_key(&k, kif, a);
	return rhashtable_lookup_fast(&kn->nd_table, &k, kame_nd_params);
}

static void nd_free_rcu(struct rcu_head *head)
{
	struct kame_llinfo *ln = container_of(head, struct kame_llinfo, rcu);

	kmem_cache_free(kame_nd_cachep, ln);
	atomic_dec(&kame_nd_live);
}

static void nd_put(struct kame_llinfo *ln)
{
	if (refcount_dec_and_test(&ln->ref))
		call_rcu(&ln->rcu, nd_free_rcu);
}

static void nd_set_timer(struct kame_llinfo *ln, unsigned long delay)
{
	ln->expire = (jiffies + delay) ?: 1;
	if (!mod_timer(&ln->timer, ln->expire))
		refcount_inc(&ln->ref);
}

static void nd_stop_timer(struct kame_llinfo *ln)
{
	ln->expire = 0;
	if (del_timer(&ln->timer))
		nd_put(ln);	/* never the last: the caller holds one */
}

/*
 * The entry at pos of kn->nd_lru, or NULL at the GC's mark (a bare
 * list_head there, see kame_nd6_gc()).
 */
static struct kame_llinfo *nd_lru_entry(struct kame_net *kn,
					struct list_head *pos)
{
	if (pos == &kn->nd_gc_mark)
		return NULL;
	return list_entry(pos, struct kame_llinfo, lru);
}

/* The GC runs while there are dynamic entries. nd_lock held. */
static void nd_gc_kick(struct kame_net *kn)
{
	if (kn->nd_gc_on)
		return;
	kn->nd_gc_on = true;
	queue_delayed_work(system_power_efficient_wq, &kn->nd_gc_work,
			   (unsigned long)READ_ONCE(kn->nd_prune) * HZ);
}

static void nd_touch(struct kame_net *kn, struct kame_llinfo *ln)
{
	ln->used = jiffies;
	if (!(ln->flags & KAME_ND_F_MANUAL))
		list_move_tail(&ln->lru, &kn->nd_lru);
}

static bool nd_nud(const struct kame_if *kif)
{
	return READ_ONCE(kif->nd_flags) & KAME_NDIF_F_NUD;
}

static void nd_set_stale(struct kame_llinfo *ln)
{
	ln->state = KAME_ND_STALE;
	nd_stop_timer(ln);
}

static void nd_confirm(struct kame_llinfo *ln)
{
	struct kame_if *kif = ln->key.kif;

	ln->state = KAME_ND_REACHABLE;
	ln->asked = 0;
	if (nd_nud(kif))
		nd_set_timer(ln, msecs_to_jiffies(READ_ONCE(kif->reachable)));
	else
		nd_stop_timer(ln);
}

/* Reachability confirmed by ND itself (a solicited NA). */
static void nd_set_reachable(struct kame_llinfo *ln)
{
	ln->byhint = 0;
	nd_confirm(ln);
}

/*
 * The link-layer group of the solicited-node group of a proxied address:
 * its NS must reach us (RFC 4861 7.2.8). Atomic context is fine.
 */
static void nd_proxy_group(struct kame_llinfo *ln, bool join)
{
	const struct in6_addr *a = &ln->key.addr;
	u8 mac[ETH_ALEN] = { 0x33, 0x33, 0xff };

	memcpy(mac + 3, &a->s6_addr[13], 3);
	if (ln->key.kif->nolladdr)
		return;
	if (join)
		dev_mc_add(ln->key.kif->dev, mac);
	else
		dev_mc_del(ln->key.kif->dev, mac);
}

/*
 * The hold queues: at most nd6_maxqueuelen packets per entry and
 * nd6_maxholdbytes bytes (truesize) in all the namespace's entries, so
 * that unresolvable destinations cannot pin memory by the cache's size
 * times the queue's. Held packets stay charged to their sockets. nd_lock.
 */
static void nd_hold_put(struct kame_net *kn, struct kame_llinfo *ln,
			struct sk_buff *skb)
{
	ln->hold_bytes += skb->truesize;
	kn->nd_holdbytes += skb->truesize;
	__skb_queue_tail(&ln->hold, skb);
}

static struct sk_buff *nd_hold_get(struct kame_net *kn,
				   struct kame_llinfo *ln)
{
	struct sk_buff *skb = __skb_dequeue(&ln->hold);

	if (skb) {
		ln->hold_bytes -= skb->truesize;
		kn->nd_holdbytes -= skb->truesize;
	}
	return skb;
}

/* All of ln's held packets, moved to q. */
static void nd_hold_take(struct kame_net *kn, struct kame_llinfo *ln,
			 struct sk_buff_head *q)
{
	kn->nd_holdbytes -= ln->hold_bytes;
	ln->hold_bytes = 0;
	skb_queue_splice_tail_init(&ln->hold, q);
}

/*
 * Hold skb for ln: the entry's oldest packet goes when its queue is full;
 * skb itself when the namespace's bytes are all held (the solicitation
 * is sent all the same). Returns the packet to drop, if any.
 */
static struct sk_buff *nd_hold(struct kame_net *kn, struct kame_llinfo *ln,
			       struct sk_buff *skb)
{
	if (kn->nd_holdbytes + skb->truesize > READ_ONCE(kn->nd_maxholdbytes))
		return skb;
	nd_hold_put(kn, ln, skb);
	if (skb_queue_len(&ln->hold) > READ_ONCE(kn->nd_maxqueuelen))
		return nd_hold_get(kn, ln);
	return NULL;
}

/*
 * Take ln out of the table and lists and drop the table's reference. Its
 * held packets are dropped. A running timer callback holds its own
 * reference and sees ln->dead.
 */
static void nd_unlink(struct kame_net *kn, struct kame_llinfo *ln)
{
	unsigned int n = skb_queue_len(&ln->hold);
	struct sk_buff_head held;

	__skb_queue_head_init(&held);
	rhashtable_remove_fast(&kn->nd_table, &ln->node, kame_nd_params);
	list_del_init(&ln->lru);
	if (ln->flags & KAME_ND_F_PROXY)
		nd_proxy_group(ln, false);
	ln->dead = true;
	kn->nd_count--;
	this_cpu_dec(kn->nd6stat->cnt[KAME_ND6S_ENTRIES]);
	while (n--)
		kame_icmp6stat_inc(kn, KAME_ICP6S_ND_HOLDDROP);
	nd_hold_take(kn, ln, &held);
	__skb_queue_purge(&held);
	nd_stop_timer(ln);
	nd_put(ln);
}

/*
 * Is ln in use: referenced by more than the table (a pending or running
 * timer: REACHABLE with NUD, INCOMPLETE, DELAY, PROBE), or holding packets?
 * An entry that is not (STALE, or REACHABLE without NUD) goes without
 * losing anything but a link-layer address that NS or NA bring back.
 */
static bool nd_in_use(struct kame_llinfo *ln)
{
	return refcount_read(&ln->ref) > 1 || !skb_queue_empty(&ln->hold);
}

/*
 * Make room in a full cache, in bounded time: the least recently used
 * entry that is not in use among the oldest ND6_EVICT_SCAN of the LRU
 * list, else the least recently used one of all (an INCOMPLETE one drops
 * its held packets). A new entry is never refused for a full cache while
 * there is a dynamic entry: under a flood of new neighbors the oldest
 * ones go, and the neighbors in use stay at the recent end of the list.
 * Manual entries are never evicted.
 */
static bool nd_evict(struct kame_net *kn)
{
	struct kame_llinfo *ln, *victim = NULL;
	struct list_head *pos;
	int n = 0;

	list_for_each(pos, &kn->nd_lru) {
		ln = nd_lru_entry(kn, pos);
		if (!ln)
			continue;
		if (!victim)
			victim = ln;	/* the least recently used */
		if (!nd_in_use(ln)) {
			victim = ln;
			break;
		}
		if (++n >= ND6_EVICT_SCAN)
			break;
	}
	if (!victim)
		return false;	/* manual entries only */
	nd_unlink(kn, victim);
	kame_nd6stat_inc(kn, KAME_ND6S_EVICT);
	return true;
}

static void kame_nd6_timer(struct timer_list *t);

/* A new NOSTATE entry on the LRU list, or NULL (counted). nd_lock held. */
static struct kame_llinfo *nd_create(struct kame_net *kn, struct kame_if *kif,
				     const struct in6_addr *a)
{
	struct kame_llinfo *ln;

	if (kn->nd_count >= READ_ONCE(kn->nd_max) && !nd_evict(kn)) {
		kame_nd6stat_inc(kn, KAME_ND6S_CACHE_FULL);
		return NULL;
	}
	ln = kmem_cache_zalloc(kame_nd_cachep, GFP_ATOMIC);
	if (!ln)
		goto nomem;
	nd_key(&ln->key, kif, a);
	refcount_set(&ln->ref, 1);
	ln->state = KAME_ND_NOSTATE;
	skb_queue_head_init(&ln->hold);
	timer_setup(&ln->timer, kame_nd6_timer, 0);
	if (rhashtable_insert_fast(&kn->nd_table, &ln->node, kame_nd_params)) {
		kmem_cache_free(kame_nd_cachep, ln);
		goto nomem;
	}
	atomic_inc(&kame_nd_live);
	ln->used = jiffies;
	list_add_tail(&ln->lru, &kn->nd_lru);
	nd_gc_kick(kn);
	kn->nd_count++;
	this_cpu_inc(kn->nd6stat->cnt[KAME_ND6S_ENTRIES]);
	kame_nd6stat_inc(kn, KAME_ND6S_CREATED);
	return ln;
nomem:
	kame_nd6stat_inc(kn, KAME_ND6S_NOMEM);
	return NULL;
}

/* RFC 4861 6.3.2: uniformly between 0.5 and 1.5 BaseReachableTime. */
u32 kame_nd6_compute_rtime(u32 base)
{
	return base / 2 + get_random_u32_below(base + 1);
}

/* Change nd_flags bits atomically (softirq DAD against netlink). */
void kame_ndif_update(struct kame_if *kif, u32 mask, u32 val)
{
	u32 old, new;

	do {
		old = READ_ONCE(kif->nd_flags);
		new = (old & ~mask) | (val & mask);
	} while (cmpxchg(&kif->nd_flags, old, new) != old);
}

/* Per-interface defaults (KAME's nd6_ifattach). Caller holds RTNL. */
void kame_nd6_ifinfo_init(struct kame_if *kif)
{
	kif->nd_flags = KAME_NDIF_F_NUD;
	if (READ_ONCE(kif->kn->accept_rtadv))
		kif->nd_flags |= KAME_NDIF_F_ACCEPT_RTADV;
	if (READ_ONCE(kif->kn->auto_linklocal))
		kif->nd_flags |= KAME_NDIF_F_AUTO_LINKLOCAL;
	kif->reachable = kame_nd6_compute_rtime(kif->basereachable);
}

/*
 * One step of the state machine; returns what to send. When resolution
 * fails, the held packets move to unreach (RFC 4861 7.2.2). nd_lock held.
 */
static int nd_timer_step(struct kame_net *kn, struct kame_llinfo *ln,
			 struct sk_buff_head *unreach)
{
	struct kame_if *kif = ln->key.kif;
	unsigned long retrans = msecs_to_jiffies(READ_ONCE(kif->retrans));

	if (ln->flags & KAME_ND_F_TEMP)
		goto expired;
	switch (ln->state) {
	case KAME_ND_INCOMPLETE:
		if (ln->asked < READ_ONCE(kn->nd_mmaxtries)) {
			ln->asked++;
			nd_set_timer(ln, retrans);
			return 2;	/* multicast solicitation */
		}
		kame_icmp6stat_inc(kn, KAME_ICP6S_ND_RESFAIL);
		nd_hold_take(kn, ln, unreach);
		goto expired;
	case KAME_ND_REACHABLE:
		if (nd_nud(kif))
			nd_set_stale(ln);
		else
			ln->expire = 0;
		return 0;
	case KAME_ND_DELAY:
		if (!nd_nud(kif)) {
			nd_set_stale(ln);
			return 0;
		}
		ln->state = KAME_ND_PROBE;
		ln->asked = 1;
		nd_set_timer(ln, retrans);
		return 1;		/* unicast probe */
	case KAME_ND_PROBE:
		if (ln->asked < READ_ONCE(kn->nd_umaxtries)) {
			ln->asked++;
			nd_set_timer(ln, retrans);
			return 1;
		}
		goto expired;
	}
	return 0;
expired:
	nd_unlink(kn, ln);
	kame_nd6stat_inc(kn, KAME_ND6S_EXPIRED);
	return 0;
}

/* State machine on timer expiry (KAME's nd6_llinfo_timer). */
static void kame_nd6_timer(struct timer_list *t)
{
	struct kame_llinfo *ln = from_timer(ln, t, timer);
	struct kame_if *kif = ln->key.kif;
	struct kame_net *kn = kif->kn;
	struct in6_addr target = ln->key.addr;
	struct sk_buff_head unreach;
	struct sk_buff *skb;
	bool failed = false;
	int send = 0;
	u8 was;

	__skb_queue_head_init(&unreach);
	spin_lock_bh(&kn->nd_lock);
	/*
	 * Unlinked, or re-armed after this run was due; or early: the timer
	 * wheel cuts waits beyond about 48 days (HZ 250) short, and a
	 * temporary entry may live longer.
	 */
	if (!ln->dead && !timer_pending(&ln->timer)) {
		if (ln->expire && time_before(jiffies, ln->expire)) {
			nd_set_timer(ln, ln->expire - jiffies);
		} else {
			was = ln->state;
			send = nd_timer_step(kn, ln, &unreach);
			/* resolution or unicast probes failed */
			failed = ln->dead && !(ln->flags & KAME_ND_F_TEMP) &&
				 (was == KAME_ND_INCOMPLETE ||
				  was == KAME_ND_PROBE);
		}
	}
	spin_unlock_bh(&kn->nd_lock);

	if (failed)		/* multipath routes skip it (route6_mpath.c) */
		kame_rt_mpath_unreach(kif, &target);

	if (send)
		kame_nd6_ns_output(kif, send == 2 ? NULL : &target, &target,
				   false);
	/*
	 * RFC 4861 7.2.2: each packet held for an address that could not be
	 * resolved gets an address unreachable back to its source; ours
	 * loop back into our own input (kame_rt_loop()).
	 */
	while ((skb = __skb_dequeue(&unreach))) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_ND_HOLDDROP);
		kame_icmp6_error(kif, skb, ICMPV6_DEST_UNREACH,
				 ICMPV6_ADDR_UNREACH, 0);
	}
	nd_put(ln);			/* the pending timer's reference */
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
	nd_touch(kn, ln);
	if (kif->nolladdr && ln->state <= KAME_ND_INCOMPLETE) {
		/*
		 * A point-to-point link has no address to resolve (KAME's
		 * nd6_output): the entry starts STALE and NUD (if on) takes
		 * it through DELAY and unicast probes to REACHABLE.
		 */
		ln->state = KAME_ND_STALE;
		ln->asked = 0;
		nd_stop_timer(ln);
	}
	switch (ln->state) {
	case KAME_ND_NOSTATE:
		ln->state = KAME_ND_INCOMPLETE;
		ln->asked = 1;
		nd_set_timer(ln, msecs_to_jiffies(READ_ONCE(kif->retrans)));
		solicit = true;
		fallthrough;
	case KAME_ND_INCOMPLETE:
		skb = nd_hold(kn, ln, skb);
		spin_unlock_bh(&kn->nd_lock);
		if (skb) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_HOLDDROP);
			kfree_skb(skb);
		}
		if (solicit)
			kame_nd6_ns_output(kif, NULL, nexthop, false);
		return 0;
	case KAME_ND_STALE:
		if (ln->flags & KAME_ND_F_MANUAL || !nd_nud(kif))
			break;
		ln->state = KAME_ND_DELAY;
		ln->asked = 0;
		nd_set_timer(ln, READ_ONCE(kn->nd_delay) * HZ);
		break;
	}
	ether_addr_copy(mac, ln->lladdr);
	spin_unlock_bh(&kn->nd_lock);
	return kame_ip6_xmit_ll(kif, skb, mac);
}

/* Update an entry that has an address already (7.2.3, 7.2.5). */
static void nd_update(struct kame_llinfo *ln, const u8 *lladdr,
		      bool solicited, bool override, bool is_na)
{
	bool changed = lladdr && !ether_addr_equal(ln->lladdr, lladdr);

	if (is_na && !override && changed) {
		/* keep the address we have; a REACHABLE one is suspect */
		if (ln->state == KAME_ND_REACHABLE)
			nd_set_stale(ln);
		return;
	}
	if (changed)
		ether_addr_copy(ln->lladdr, lladdr);
	if (is_na && solicited)
		nd_set_reachable(ln);
	else if (changed)
		nd_set_stale(ln);
}

/*
 * Update the cache from a link-layer address option (RFC 4861 7.2.3 for
 * NS, 7.2.5 for NA; KAME's nd6_cache_lladdr and nd6_na_input). Packets
 * held for the entry leave once it has an address. is_router: the R flag
 * of an NA, or KAME_ND_ROUTER_KEEP.
 */
void kame_nd6_cache_lladdr(struct kame_if *kif, const struct in6_addr *ip,
			   const u8 *lladdr, bool solicited, bool override,
			   bool is_na, int is_router)
{
	struct kame_net *kn = kif->kn;
	struct sk_buff_head q;
	struct kame_llinfo *ln;
	struct sk_buff *skb;
	u8 mac[ETH_ALEN] = { };

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
	if (ln->flags & KAME_ND_F_MANUAL)
		goto out;
	nd_touch(kn, ln);
	if (ln->state <= KAME_ND_INCOMPLETE) {
		if (!lladdr)
			goto out;
		ether_addr_copy(ln->lladdr, lladdr);
		ln->asked = 0;
		if (is_na && solicited)
			nd_set_reachable(ln);
		else
			nd_set_stale(ln);
		nd_hold_take(kn, ln, &q);
	} else {
		nd_update(ln, lladdr, solicited, override, is_na);
	}
	if (is_router != KAME_ND_ROUTER_KEEP && (!lladdr || override ||
	    ether_addr_equal(ln->lladdr, lladdr))) {
		/* RFC 4861 7.2.5: the R flag updates IsRouter */
		if (is_router)
			ln->flags |= KAME_ND_F_ROUTER;
		else
			ln->flags &= ~KAME_ND_F_ROUTER;
	}
	ether_addr_copy(mac, ln->lladdr);
out:
	spin_unlock_bh(&kn->nd_lock);
	while ((skb = __skb_dequeue(&q)))
		kame_ip6_xmit_ll(kif, skb, mac);
}

/*
 * An upper layer saw forward progress with the neighbor ip on kif (KAME's
 * nd6_nud_hint(); here a send with MSG_CONFIRM): an entry with an address
 * becomes REACHABLE again without probes. Beyond
 * net.inet6.icmp6.nd6_maxnudhint hints in a row (0: no limit) with no
 * confirmation by a solicited NA, hints are ignored and NUD probes anyway.
 * Any context.
 */
void kame_nd6_nud_hint(struct kame_if *kif, const struct in6_addr *ip)
{
	u32 max = READ_ONCE(kif->kn->nd_maxnudhint);
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;

	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, ip);
	if (!ln || ln->state < KAME_ND_REACHABLE ||
	    (ln->flags & KAME_ND_F_MANUAL))
		goto out;
	if (max && ln->byhint >= max) {
		kame_nd6stat_inc(kn, KAME_ND6S_NUDHINT_IGNORED);
		goto out;
	}
	ln->byhint++;
	nd_confirm(ln);
	kame_nd6stat_inc(kn, KAME_ND6S_NUDHINT);
out:
	spin_unlock_bh(&kn->nd_lock);
}

/* The state of the entry of ip on kif, KAME_ND_NOSTATE when none. */
u8 kame_nd6_state(struct kame_if *kif, const struct in6_addr *ip)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;
	u8 state;

	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, ip);
	state = ln ? ln->state : KAME_ND_NOSTATE;
	spin_unlock_bh(&kn->nd_lock);
	return state;
}

/* The link-layer address of ip on kif, when its entry has one. */
bool kame_nd6_lladdr(struct kame_if *kif, const struct in6_addr *ip,
		     u8 *lladdr)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;
	bool found = false;

	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, ip);
	if (ln && ln->state > KAME_ND_INCOMPLETE) {
		ether_addr_copy(lladdr, ln->lladdr);
		found = true;
	}
	spin_unlock_bh(&kn->nd_lock);
	return found;
}

/* Is there a proxy entry for ip on kif? Its link-layer address, if so. */
bool kame_nd6_proxy_lookup(struct kame_if *kif, const struct in6_addr *ip,
			   u8 *lladdr)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;
	bool proxy = false;

	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, ip);
	if (ln && (ln->flags & KAME_ND_F_PROXY)) {
		ether_addr_copy(lladdr, ln->lladdr);
		proxy = true;
	}
	spin_unlock_bh(&kn->nd_lock);
	return proxy;
}

/*
 * Add a manual entry (ndp -s), replacing any entry for the address:
 * packets it held leave with the new link-layer address. lifetime: seconds
 * for a KAME_ND_F_TEMP entry.
 */
int kame_nd6_add_manual(struct kame_if *kif, const struct in6_addr *addr,
			const u8 *lladdr, u32 flags, u32 lifetime)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, addr);
	if (ln) {
		nd_hold_take(kn, ln, &q);
		nd_unlink(kn, ln);
	}
	ln = nd_create(kn, kif, addr);
	if (!ln) {
		spin_unlock_bh(&kn->nd_lock);
		__skb_queue_purge(&q);
		return -ENOBUFS;
	}
	list_move_tail(&ln->lru, &kn->nd_manual);
	ln->flags = flags;
	ln->state = KAME_ND_REACHABLE;
	ether_addr_copy(ln->lladdr, lladdr);
	if (flags & KAME_ND_F_TEMP)
		nd_set_timer(ln, (unsigned long)lifetime * HZ);
	if (flags & KAME_ND_F_PROXY)
		nd_proxy_group(ln, true);
	spin_unlock_bh(&kn->nd_lock);
	while ((skb = __skb_dequeue(&q)))
		kame_ip6_xmit_ll(kif, skb, lladdr);
	return 0;
}

/*
 * Is g (plain form) the solicited-node group of a proxied address on kif?
 * Only ff02::1:ffXX:XXXX (RFC 4291 2.7.1: 104 bits of prefix) is; another
 * group with the same low 24 bits is none of ours.
 */
bool kame_nd6_proxy_joined(struct kame_if *kif, const struct in6_addr *g)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;
	bool joined = false;

	if (g->s6_addr32[0] != htonl(0xff020000) || g->s6_addr32[1] ||
	    g->s6_addr32[2] != htonl(1) || g->s6_addr[12] != 0xff)
		return false;
	spin_lock_bh(&kn->nd_lock);
	list_for_each_entry(ln, &kn->nd_manual, lru)
		if (ln->key.kif == kif && (ln->flags & KAME_ND_F_PROXY) &&
		    !memcmp(&ln->key.addr.s6_addr[13], &g->s6_addr[13], 3)) {
			joined = true;
			break;
		}
	spin_unlock_bh(&kn->nd_lock);
	return joined;
}

int kame_nd6_del(struct kame_if *kif, const struct in6_addr *addr)
{
	struct kame_net *kn = kif->kn;
	struct kame_llinfo *ln;

	spin_lock_bh(&kn->nd_lock);
	ln = nd_lookup(kn, kif, addr);
	if (ln)
		nd_unlink(kn, ln);
	spin_unlock_bh(&kn->nd_lock);
	return ln ? 0 : -ENOENT;
}

/* Unlink up to ND6_GC_BATCH entries of list (of kif) onto dead. */
static bool nd_collect(struct kame_net *kn, struct list_head *list,
		       struct kame_if *kif, struct list_head *dead)
{
	struct list_head *pos, *tmp;
	struct kame_llinfo *ln;
	int n = 0;

	list_for_each_safe(pos, tmp, list) {
		ln = nd_lru_entry(kn, pos);
		if (!ln || (kif && ln->key.kif != kif))
			continue;
		if (++n > ND6_GC_BATCH)
			return true;
		refcount_inc(&ln->ref);
		nd_unlink(kn, ln);
		list_add(&ln->lru, dead);
	}
	return false;
}

/*
 * Remove the dynamic entries (and the manual ones too if manual) of kif,
 * or of every interface. Process context: waits for running timers, so
 * that nothing touches the namespace's state afterwards.
 */
void kame_nd6_flush(struct kame_net *kn, struct kame_if *kif, bool manual)
{
	struct kame_llinfo *ln, *tmp;
	LIST_HEAD(dead);
	bool more;

	do {
		spin_lock_bh(&kn->nd_lock);
		more = nd_collect(kn, &kn->nd_lru, kif, &dead);
		if (!more && manual)
			more = nd_collect(kn, &kn->nd_manual, kif, &dead);
		spin_unlock_bh(&kn->nd_lock);
		list_for_each_entry_safe(ln, tmp, &dead, lru) {
			del_timer_sync(&ln->timer);
			list_del(&ln->lru);
			nd_put(ln);
		}
		cond_resched();
	} while (more);
}

/*
 * KAME's nd6_defifindex (ndp -I): the interface a destination without a
 * route is sent out of as on-link, or NULL. Caller holds RCU or RTNL.
 */
struct kame_if *kame_nd6_defif(struct kame_net *kn)
{
	u32 idx = READ_ONCE(kn->nd_defifindex);

	return idx ? kame_if_by_index(kn, idx) : NULL;
}

/* Remove every entry of kif (detach). Caller holds RTNL. */
void kame_nd6_purge(struct kame_if *kif)
{
	struct kame_net *kn = kif->kn;

	kame_nd6_flush(kn, kif, true);
	if (READ_ONCE(kn->nd_defifindex) == kif->dev->ifindex)
		WRITE_ONCE(kn->nd_defifindex, 0);
}

/*
 * One batch of the GC walk, from the mark on: STALE entries unused for age
 * go, the others are stepped over. Returns the entries looked at; *done:
 * the walk reached an entry used more recently, or the end. nd_lock held.
 */
static int nd_gc_batch(struct kame_net *kn, unsigned long age, bool *done)
{
	struct list_head *mark = &kn->nd_gc_mark;
	struct kame_llinfo *ln;
	int n;

	for (n = 0; n < ND6_GC_BATCH; n++) {
		if (mark->next == &kn->nd_lru) {
			*done = true;
			break;
		}
		ln = list_entry(mark->next, struct kame_llinfo, lru);
		if (time_before(jiffies, ln->used + age)) {
			*done = true;
			break;
		}
		if (ln->state == KAME_ND_STALE) {
			nd_unlink(kn, ln);
			kame_nd6stat_inc(kn, KAME_ND6S_GC);
		} else {
			list_move(mark, &ln->lru);	/* the mark after ln */
		}
	}
	return n;
}

/*
 * The GC (FreeBSD's nd6_gctimer): STALE dynamic entries unused for
 * nd6_gctimer seconds go. The LRU list is in order of last use, so a pass
 * walks it from the old end and ends at the first entry used recently.
 * The walk is bounded: a run looks at ND6_GC_SCAN entries at most, in
 * batches of ND6_GC_BATCH under the lock. A mark in the list (a bare
 * list_head that the other walks of the list skip) keeps its place: the
 * entries before it have been looked at in this pass, and the next batch,
 * or the next run a tick later, goes on from there, so that old entries
 * that are not STALE (REACHABLE without NUD, INCOMPLETE, DELAY, PROBE)
 * are stepped over once per pass rather than walked again and again.
 * Entries used meanwhile move behind the mark, to the recent end. The work
 * runs only while there are dynamic entries (nd_gc_kick() starts it).
 */
static void kame_nd6_gc(struct work_struct *work)
{
	struct kame_net *kn = container_of(to_delayed_work(work),
					   struct kame_net, nd_gc_work);
	unsigned long age = (unsigned long)READ_ONCE(kn->nd_gctimer) * HZ;
	unsigned long delay = 1;
	bool done = false;
	int scan = 0;

	spin_lock_bh(&kn->nd_lock);
	if (list_empty(&kn->nd_gc_mark))	/* a new pass */
		list_add(&kn->nd_gc_mark, &kn->nd_lru);
	for (;;) {
		scan += nd_gc_batch(kn, age, &done);
		if (done || scan >= ND6_GC_SCAN)
			break;
		spin_unlock_bh(&kn->nd_lock);
		cond_resched();
		spin_lock_bh(&kn->nd_lock);
	}
	if (done) {
		list_del_init(&kn->nd_gc_mark);
		delay = (unsigned long)READ_ONCE(kn->nd_prune) * HZ;
	}
	kame_nd6stat_inc(kn, KAME_ND6S_GC_RUNS);
	if (list_empty(&kn->nd_lru))
		kn->nd_gc_on = false;	/* nd_gc_kick() starts it again */
	else
		queue_delayed_work(system_power_efficient_wq,
				   &kn->nd_gc_work, delay);
	spin_unlock_bh(&kn->nd_lock);
}

int kame_nd6_init_net(struct kame_net *kn)
{
	int err;

	spin_lock_init(&kn->nd_lock);
	INIT_LIST_HEAD(&kn->nd_lru);
	INIT_LIST_HEAD(&kn->nd_manual);
	kn->nd_max = ND6_DEFAULT_MAX;
	kn->nd_gctimer = 86400;		/* FreeBSD's nd6_gctimer */
	kn->nd_prune = 1;		/* KAME's nd6_prune */
	kn->nd_maxndopt = 10;		/* KAME's nd6_maxndopt */
	/* FreeBSD's 16, not KAME's 1: the fragments of one datagram fit */
	kn->nd_maxqueuelen = 16;
	kn->nd_maxholdbytes = 4 << 20;
	kn->nd_delay = 5;		/* DELAY_FIRST_PROBE_TIME */
	kn->nd_umaxtries = 3;		/* MAX_UNICAST_SOLICIT */
	kn->nd_mmaxtries = 3;		/* MAX_MULTICAST_SOLICIT */
	kn->nd_maxnudhint = 0;		/* KAME's nd6_maxnudhint */
	kn->nd6stat = alloc_percpu(struct kame_nd6stat);
	if (!kn->nd6stat)
		return -ENOMEM;
	err = rhashtable_init(&kn->nd_table, &kame_nd_params);
	if (err) {
		free_percpu(kn->nd6stat);
		return err;
	}
	INIT_DELAYED_WORK(&kn->nd_gc_work, kame_nd6_gc);
	INIT_LIST_HEAD(&kn->nd_gc_mark);
	return 0;
}

/* After every interface of the namespace was detached (purged). */
void kame_nd6_exit_net(struct kame_net *kn)
{
	cancel_delayed_work_sync(&kn->nd_gc_work);
	list_del_init(&kn->nd_gc_mark);
	/* timer callbacks of entries unlinked from softirq may still run */
	synchronize_rcu();
	kame_nd6_flush(kn, NULL, true);	/* nothing should be left */
	rhashtable_destroy(&kn->nd_table);
	free_percpu(kn->nd6stat);
}

int kame_nd6_init(void)
{
	kame_nd_cachep = kmem_cache_create("kame_nd6", sizeof(struct kame_llinfo),
					   0, SLAB_HWCACHE_ALIGN, NULL);
	return kame_nd_cachep ? 0 : -ENOMEM;
}

void kame_nd6_exit(void)
{
	rcu_barrier();		/* pending nd_free_rcu() */
	if (atomic_read(&kame_nd_live))
		pr_err("leak: %d neighbor cache entries left at unload\n",
		       atomic_read(&kame_nd_live));
	kmem_cache_destroy(kame_nd_cachep);
}

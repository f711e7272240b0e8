// SPDX-License-Identifier: GPL-2.0
/*
 * Redirects acted on (RFC 4861 8.3; KAME's icmp6_redirect_input() after
 * the checks of nd6_rtr.c): a host that accepts redirects
 * (net.inet6.icmp6.rediraccept, default 1 as FreeBSD) and does not
 * forward sends later packets for the destination to the target: a host
 * route flagged DYNAMIC (D) via the target, or without a gateway when the
 * target is the destination itself (it is on-link). The target's
 * link-layer address option updates the neighbor cache (a new or
 * changed entry is STALE). A router ignores redirects (icp6s_redir_ignored).
 *
 * The routes are kept in kn->redirects, at most net.inet6.icmp6.redirmax
 * of them (a redirect beyond counts in icp6s_redir_full), and go after
 * net.inet6.icmp6.redirtimeout seconds unless a redirect renews them. A
 * redirect arrives in softirq; the route is added by redir_work under
 * RTNL. Entries are removed under RTNL only (redir_work, detach).
 */
#include <linux/rtnetlink.h>
#include "kame.h"

struct kame_redirect {
	struct list_head list;		/* kn->redirects; redir_lock */
	int ifindex;
	struct in6_addr dst;		/* embedded form */
	struct in6_addr gw;		/* the target; == dst: on-link */
	u64 expire;			/* jiffies64 */
	bool dirty;			/* the route must be (re)made */
	bool rt_on;			/* redir_work made the route */
	struct in6_addr rt_gw;		/* ... through this target */
};

static u64 redir_expiry(struct kame_net *kn)
{
	return get_jiffies_64() + (u64)READ_ONCE(kn->redirtimeout) * HZ;
}

static struct kame_redirect *redir_find(struct kame_net *kn, int ifindex,
					const struct in6_addr *dst)
{
	struct kame_redirect *r;

	list_for_each_entry(r, &kn->redirects, list)
		if (r->ifindex == ifindex && ipv6_addr_equal(&r->dst, dst))
			return r;
	return NULL;
}

/* Record the redirect for redir_work. Softirq. */
static enum kame_icmp6stat_id redir_record(struct kame_if *kif,
					   const struct in6_addr *tgt,
					   const struct in6_addr *dst)
{
	struct kame_net *kn = kif->kn;
	struct kame_redirect *r;

	spin_lock_bh(&kn->redir_lock);
	r = redir_find(kn, kif->dev->ifindex, dst);
	if (!r) {
		if (kn->nredirects >= READ_ONCE(kn->redirmax)) {
			spin_unlock_bh(&kn->redir_lock);
			return KAME_ICP6S_REDIR_FULL;
		}
		r = kzalloc(sizeof(*r), GFP_ATOMIC);
		if (!r) {
			spin_unlock_bh(&kn->redir_lock);
			return KAME_ICP6S_REDIR_FULL;
		}
		r->ifindex = kif->dev->ifindex;
		r->dst = *dst;
		list_add_tail(&r->list, &kn->redirects);
		kn->nredirects++;
	}
	r->gw = *tgt;
	r->expire = redir_expiry(kn);
	r->dirty = true;
	spin_unlock_bh(&kn->redir_lock);
	mod_delayed_work(system_wq, &kn->redir_work, 0);
	return KAME_ICP6S_REDIR_ACCEPTED;
}

/*
 * A valid redirect on kif: target tgt for destination dst (plain form, as
 * in the message), lladdr the target's link-layer address option or NULL.
 * Softirq.
 */
void kame_nd6_redirect_accept(struct kame_if *kif, const struct in6_addr *tgt,
			      const struct in6_addr *dst, const u8 *lladdr)
{
	struct kame_net *kn = kif->kn;
	struct in6_addr t = *tgt, d = *dst;
	bool onlink = ipv6_addr_equal(tgt, dst);

	if (READ_ONCE(kn->forwarding) || !READ_ONCE(kn->rediraccept)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_REDIR_IGNORED);
		return;
	}
	kame_in6_setscope(&t, kif->dev->ifindex);
	kame_in6_setscope(&d, kif->dev->ifindex);
	/* RFC 4861 8.3: a target other than the destination is a router */
	if (lladdr && !kif->nolladdr)
		kame_nd6_cache_lladdr(kif, &t, lladdr, false, true, false,
				      onlink ? KAME_ND_ROUTER_KEEP : 1);
	kame_icmp6stat_inc(kn, redir_record(kif, &t, &d));
}

/*
 * Bring the table in line with one entry: take its old route away, add the
 * new one unless it expired. RTNL. Returns whether the route is there.
 */
static bool redir_apply(struct kame_net *kn, const struct kame_redirect *c,
			bool expired)
{
	struct net_device *dev = __dev_get_by_index(kn->net, c->ifindex);
	struct kame_if *kif = dev ? kame_if_find(kn, dev) : NULL;
	bool onlink = ipv6_addr_equal(&c->gw, &c->dst);

	if (!kif)
		return false;
	if (c->rt_on)
		kame_rt_del(kn, &c->dst, 128, kif,
			    ipv6_addr_equal(&c->rt_gw, &c->dst) ? NULL :
			    &c->rt_gw, NULL);
	if (expired || kame_rt_add(kn, &c->dst, 128, kif,
				   onlink ? NULL : &c->gw, KAME_RTF_DYNAMIC,
				   NULL, NULL))
		return false;
	kame_rt_set_expire(kif, &c->dst, 128, c->expire);
	return true;
}

/* The next entry to act on, copied to c; an expired one is unlinked. */
static struct kame_redirect *redir_next(struct kame_net *kn,
					struct kame_redirect *c, bool *expired)
{
	u64 now = get_jiffies_64();
	struct kame_redirect *r;

	spin_lock_bh(&kn->redir_lock);
	list_for_each_entry(r, &kn->redirects, list) {
		*expired = time_after_eq64(now, r->expire);
		if (!*expired && !r->dirty)
			continue;
		*c = *r;
		if (*expired) {
			list_del(&r->list);
			kn->nredirects--;
		}
		r->dirty = false;
		spin_unlock_bh(&kn->redir_lock);
		return r;
	}
	spin_unlock_bh(&kn->redir_lock);
	return NULL;
}

static void redir_work(struct work_struct *work)
{
	struct kame_net *kn = container_of(to_delayed_work(work),
					   struct kame_net, redir_work);
	struct kame_redirect *r, c;
	bool expired, on;

	rtnl_lock();
	while ((r = redir_next(kn, &c, &expired))) {
		on = redir_apply(kn, &c, expired);
		if (expired) {
			kfree(r);
			continue;
		}
		spin_lock_bh(&kn->redir_lock);
		r->rt_on = on;
		r->rt_gw = c.gw;
		spin_unlock_bh(&kn->redir_lock);
	}
	if (!list_empty(&kn->redirects))
		mod_delayed_work(system_wq, &kn->redir_work, HZ);
	rtnl_unlock();
}

void kame_redirect_init_net(struct kame_net *kn)
{
	spin_lock_init(&kn->redir_lock);
	INIT_LIST_HEAD(&kn->redirects);
	INIT_DELAYED_WORK(&kn->redir_work, redir_work);
	kn->rediraccept = 1;		/* FreeBSD's icmp6_rediraccept */
	kn->redirtimeout = 600;		/* FreeBSD's icmp6_redirtimeout */
	kn->redirmax = 256;
}

/* Forget the entries of kif; detach removes its routes. RTNL. */
void kame_redirect_ifdetach(struct kame_if *kif)
{
	struct kame_net *kn = kif->kn;
	struct kame_redirect *r, *tmp;

	spin_lock_bh(&kn->redir_lock);
	list_for_each_entry_safe(r, tmp, &kn->redirects, list)
		if (r->ifindex == kif->dev->ifindex) {
			list_del(&r->list);
			kn->nredirects--;
			kfree(r);
		}
	spin_unlock_bh(&kn->redir_lock);
}

/* After every interface was detached. */
void kame_redirect_exit_net(struct kame_net *kn)
{
	struct kame_redirect *r, *tmp;

	cancel_delayed_work_sync(&kn->redir_work);
	list_for_each_entry_safe(r, tmp, &kn->redirects, list) {
		list_del(&r->list);
		kfree(r);
	}
	kn->nredirects = 0;
}

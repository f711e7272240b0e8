// SPDX-License-Identifier: GPL-2.0
/*
 * The MLD listener (KAME's mld6.c): MLDv2 (RFC 3810) with the MLDv1
 * compatibility of RFC 3810 8 (RFC 2710), so that a router or a snooping
 * switch forwards the node the groups it listens to.
 *
 * Every group of an interface (struct kame_in6_multi) is reported but
 * ff02::1 and the interface-local ones (RFC 3810 6), with the filter
 * its users' merge to (in6_msf.c). A change of that state is reported
 * (RFC 3810 6.1) mld_robustness times mld_unsol_interval ms apart: a
 * mode change, joining an any-source group included (CHANGE_TO_EXCLUDE
 * {}), by CHANGE_TO_INCLUDE/EXCLUDE with the current sources, a change
 * of sources by ALLOW_NEW_SOURCES and BLOCK_OLD_SOURCES records, a new
 * change merged into those still being repeated. Leaving sends
 * CHANGE_TO_INCLUDE {} (BLOCK_OLD_SOURCES of an including group) as
 * often, an MLDv1 Done to ff02::2 once. Queries are answered after a
 * random delay up to their Maximum Response Delay: a general query by
 * one report of every group's current state (MODE_IS_INCLUDE or
 * MODE_IS_EXCLUDE with its sources), a group query by its group, a
 * group-and-source query by the queried sources the group wants
 * (MODE_IS_INCLUDE, nothing when none). Hearing an MLDv1 query switches
 * the interface to MLDv1 for the Older Version Querier Present Timeout
 * (RFC 3810 9.12), where sources are not reported: Reports and Dones
 * of the group as a whole.
 *
 * Messages go with hop limit 1 and a Router Alert option (RFC 2711, value
 * 0: MLD) from a link-local address of the interface, or from :: while it
 * has none that DAD is done with (RFC 3590).
 *
 * Locking: joins and leaves run under RTNL; queries arrive in softirq; a
 * delayed work per interface sends every report. The MLD fields of the
 * interface and of its groups are under kif->mld_lock; the groups list
 * is read under RCU. Reports are built under the lock and sent after it.
 */
#include <linux/icmpv6.h>
#include <linux/random.h>
#include <net/genetlink.h>
#include <net/ip6_checksum.h>
#include "kame.h"

#define MLD_V1_LEN		24	/* query, report, done (RFC 2710 3) */
#define MLD_V2_QUERY_MINLEN	28	/* RFC 3810 5.1 */
#define MLD_V2_HDR		8	/* report header */
#define MLD_V2_REC		20	/* record without sources */
#define MLD_HBH_LEN		8	/* Hop-by-Hop: Router Alert, PadN */
#define MLD_QI_DEFAULT		125000	/* ms, RFC 3810 9.2 */
#define MLD_QRI_DEFAULT		10000	/* ms, RFC 3810 9.3 */

enum {	/* record types, RFC 3810 5.2.12 */
	MLD_MODE_IS_INCLUDE = 1,	/* = KAME_MSF_INCLUDE */
	MLD_MODE_IS_EXCLUDE = 2,
	MLD_CHANGE_TO_INCLUDE = 3,	/* = KAME_MSF_* + 2 */
	MLD_CHANGE_TO_EXCLUDE = 4,
	MLD_ALLOW_NEW_SOURCES = 5,
	MLD_BLOCK_OLD_SOURCES = 6,
};

/*
 * A left group whose leave is still to be repeated: CHANGE_TO_INCLUDE {}
 * or, for a group that included sources, BLOCK_OLD_SOURCES of them.
 */
struct kame_mld_leave {
	struct list_head list;		/* kif->mld_leaves */
	struct in6_addr addr;		/* embedded form */
	u8 left;
	u8 rtype;
	unsigned long at;		/* jiffies */
	unsigned int n;
	struct in6_addr src[];
};

/* The destination of a built report, kept in skb->cb until it is sent. */
struct mld_cb {
	struct in6_addr dst;		/* embedded form */
};

#define MLD_CB(skb) ((struct mld_cb *)(skb)->cb)

/* Reported at all? Not ff02::1, nothing below link-local scope. */
static bool mld_reportable(const struct kame_if *kif,
			   const struct in6_addr *grp)
{
	struct in6_addr g = *grp;

	if (kif->lops || IN6_MC_SCOPE(grp) <= 1)
		return false;
	kame_in6_clearscope(&g);
	return !ipv6_addr_equal(&g, &in6addr_linklocal_allnodes);
}

static bool mld_v1(const struct kame_if *kif)
{
	return kif->mld_v1_until && time_before(jiffies, kif->mld_v1_until);
}

static bool mld_due(unsigned long at, unsigned long now)
{
	return time_after_eq(now, at);
}

/* Run the work no later than at. Under mld_lock. */
static void mld_sched(struct kame_if *kif, unsigned long at)
{
	unsigned long now = jiffies;

	if (kif->mld_dead)
		return;
	if (kif->mld_next && !time_before(at, kif->mld_next))
		return;
	kif->mld_next = at ?: 1;
	mod_delayed_work(system_wq, &kif->mld_work,
			 time_after(at, now) ? at - now : 0);
}

static unsigned long mld_unsol_delay(struct kame_net *kn)
{
	return msecs_to_jiffies(READ_ONCE(kn->mld_unsol_interval));
}

/*
 * The group joined on kif (its first user): a leave still repeated ends.
 * What is reported is the state change that follows. Under RTNL.
 */
void kame_mld_join(struct kame_if *kif, struct kame_in6_multi *inm)
{
	struct kame_mld_leave *l, *tmp;

	if (!mld_reportable(kif, &inm->addr))
		return;
	spin_lock_bh(&kif->mld_lock);
	/* a leave of the same group still repeated: the join ends it */
	list_for_each_entry_safe(l, tmp, &kif->mld_leaves, list) {
		if (ipv6_addr_equal(&l->addr, &inm->addr)) {
			list_del(&l->list);
			kif->mld_nleaves--;
			kfree(l);
		}
	}
	spin_unlock_bh(&kif->mld_lock);
}

static void mld_chg_free(struct kame_in6_multi *inm)
{
	kfree(inm->chg_allow);
	kfree(inm->chg_block);
	inm->chg_allow = NULL;
	inm->chg_block = NULL;
	inm->chg_nallow = 0;
	inm->chg_nblock = 0;
	inm->chg_to = false;
}

/* The last user of the group left: report the leave. Under RTNL. */
void kame_mld_leave(struct kame_if *kif, struct kame_in6_multi *inm)
{
	bool inc = inm->msf_mode == KAME_MSF_INCLUDE;
	unsigned int n = inc ? inm->msf_n : 0;
	struct kame_net *kn = kif->kn;
	struct kame_mld_leave *l = NULL;

	/* INCLUDE {}: a join that failed before it was ever reported */
	if (mld_reportable(kif, &inm->addr) && !kif->mld_dead && (!inc || n))
		l = kzalloc(struct_size(l, src, n), GFP_KERNEL);
	spin_lock_bh(&kif->mld_lock);
	inm->mld_gone = true;
	inm->mld_resp = false;
	kfree(inm->mld_srcs);
	inm->mld_srcs = NULL;
	mld_chg_free(inm);
	if (l && kif->mld_nleaves < READ_ONCE(kn->mld_maxleaves) &&
	    !kif->mld_dead) {
		l->addr = inm->addr;
		l->rtype = inc ? MLD_BLOCK_OLD_SOURCES : MLD_CHANGE_TO_INCLUDE;
		l->n = n;
		memcpy(l->src, inm->msf_src, n * sizeof(*l->src));
		l->left = mld_v1(kif) ? 1 : READ_ONCE(kn->mld_robustness);
		l->at = jiffies;
		list_add_tail(&l->list, &kif->mld_leaves);
		kif->mld_nleaves++;
		mld_sched(kif, l->at);
		l = NULL;
	}
	kfree(inm->msf_src);	/* the work skips a gone group */
	inm->msf_src = NULL;
	inm->msf_n = 0;
	spin_unlock_bh(&kif->mld_lock);
	kfree(l);
}

/*
 * The sources a change from (old, no) to (new, nn) in one mode newly
 * lets through (*x: INCLUDE new - old, EXCLUDE old - new) and newly
 * stops (*y), in arrays of room no + nn. -ENOMEM.
 */
static int mld_delta(u8 mode, const struct in6_addr *old, unsigned int no,
		     const struct in6_addr *new, unsigned int nn,
		     struct in6_addr **x, unsigned int *nx,
		     struct in6_addr **y, unsigned int *ny)
{
	bool inc = mode == KAME_MSF_INCLUDE;

	*x = kmalloc_array(no + nn + 1, sizeof(**x), GFP_KERNEL);
	*y = kmalloc_array(no + nn + 1, sizeof(**y), GFP_KERNEL);
	if (!*x || !*y) {
		kfree(*x);
		kfree(*y);
		return -ENOMEM;
	}
	*nx = inc ? kame_msf_combine(new, nn, NULL, 0, old, no, *x) :
		    kame_msf_combine(old, no, NULL, 0, new, nn, *x);
	*ny = inc ? kame_msf_combine(old, no, NULL, 0, new, nn, *y) :
		    kame_msf_combine(new, nn, NULL, 0, old, no, *y);
	return 0;
}

/*
 * Merge the newly allowed x and blocked y into the changes still being
 * repeated (RFC 3810 6.1): allow = (allow + x) - y, block = (block + y) -
 * x. false without memory. Under mld_lock.
 */
static bool mld_chg_merge(struct kame_in6_multi *inm,
			  const struct in6_addr *x, unsigned int nx,
			  const struct in6_addr *y, unsigned int ny)
{
	struct in6_addr *a, *b;

	a = kmalloc_array(inm->chg_nallow + nx + 1, sizeof(*a), GFP_ATOMIC);
	b = kmalloc_array(inm->chg_nblock + ny + 1, sizeof(*b), GFP_ATOMIC);
	if (!a || !b) {
		kfree(a);
		kfree(b);
		return false;
	}
	inm->chg_nallow = kame_msf_combine(inm->chg_allow, inm->chg_nallow,
					   x, nx, y, ny, a);
	inm->chg_nblock = kame_msf_combine(inm->chg_block, inm->chg_nblock,
					   y, ny, x, nx, b);
	kfree(inm->chg_allow);
	kfree(inm->chg_block);
	inm->chg_allow = a;
	inm->chg_block = b;
	return true;
}

/*
 * The merged filter of inm is now mode with sources src (n, sorted;
 * taken): report the change from the old one (RFC 3810 6.1). The first
 * state of a group is a change from INCLUDE {}. Under RTNL.
 */
void kame_mld_state_change(struct kame_if *kif, struct kame_in6_multi *inm,
			   u8 mode, struct in6_addr *src, unsigned int n)
{
	struct in6_addr *old = inm->msf_src, *x = NULL, *y = NULL;
	unsigned int no = inm->msf_n, nx = 0, ny = 0;
	bool same = mode == inm->msf_mode;
	bool pend = READ_ONCE(inm->chg_to);
	unsigned long now = jiffies;

	ASSERT_RTNL();
	if (same && n == no && (!n || !memcmp(src, old, n * sizeof(*src)))) {
		kfree(src);
		return;
	}
	/*
	 * A mode change still being repeated absorbs this one: it will
	 * carry the new state whole, so no difference is needed.
	 */
	if (same && !pend && mld_delta(mode, old, no, src, n, &x, &nx, &y, &ny))
		same = false;	/* no memory: the whole state instead */
	spin_lock_bh(&kif->mld_lock);
	inm->msf_mode = mode;
	inm->msf_src = src;
	inm->msf_n = n;
	if (mld_reportable(kif, &inm->addr) && !inm->mld_gone) {
		if (!same || pend || inm->chg_to ||
		    !mld_chg_merge(inm, x, nx, y, ny)) {
			mld_chg_free(inm);
			inm->chg_to = true;
		}
		inm->mld_unsol_left = READ_ONCE(kif->kn->mld_robustness);
		inm->mld_unsol_at = now;
		mld_sched(kif, now);
	}
	spin_unlock_bh(&kif->mld_lock);
	kfree(old);
	kfree(x);
	kfree(y);
}

/* The interface came up: report every group again (RFC 3810 6.1). */
void kame_mld_restart(struct kame_if *kif)
{
	struct kame_in6_multi *inm;
	unsigned long now = jiffies;
	u8 rv = READ_ONCE(kif->kn->mld_robustness);

	ASSERT_RTNL();
	spin_lock_bh(&kif->mld_lock);
	list_for_each_entry(inm, &kif->mcast, list) {
		if (inm->mld_gone || !mld_reportable(kif, &inm->addr))
			continue;
		mld_chg_free(inm);
		inm->chg_to = true;
		inm->mld_unsol_left = rv;
		inm->mld_unsol_at = now;
		mld_sched(kif, now);
	}
	spin_unlock_bh(&kif->mld_lock);
}

/* A link-local address of kif DAD is done with, else :: (RFC 3590). */
static void mld_src(struct kame_if *kif, struct in6_addr *src)
{
	const struct kame_ifaddr *ifa;

	*src = in6addr_any;
	rcu_read_lock();
	list_for_each_entry_rcu(ifa, &kif->addrs, list) {
		if (IN6_IS_ADDR_LINKLOCAL(&ifa->addr) &&
		    !(READ_ONCE(ifa->flags) & (KAME_ADDR_F_TENTATIVE |
					       KAME_ADDR_F_DUPLICATED))) {
			*src = ifa->addr;
			break;
		}
	}
	rcu_read_unlock();
}

/* Checksum the message, put the Hop-by-Hop header on it and send it. */
static void mld_send(struct kame_if *kif, struct sk_buff *skb,
		     const struct in6_addr *src)
{
	static const u8 hbh[MLD_HBH_LEN] = {
		IPPROTO_ICMPV6, 0,
		0x05, 2, 0, 0,	/* Router Alert, value 0: MLD (RFC 2711) */
		0x01, 0,	/* PadN */
	};
	struct kame_ip6_txopts tx = { .proto = NEXTHDR_HOP, .hlim = 1,
				      .ipsec_done = true };
	struct icmp6hdr *icmp = (struct icmp6hdr *)skb->data;
	struct in6_addr dst = MLD_CB(skb)->dst, s = *src, d = dst;
	u8 type = icmp->icmp6_type;

	kame_in6_clearscope(&s);
	kame_in6_clearscope(&d);
	icmp->icmp6_cksum = 0;
	icmp->icmp6_cksum = csum_ipv6_magic(&s, &d, skb->len, IPPROTO_ICMPV6,
					    csum_partial(skb->data, skb->len,
							 0));
	skb->ip_summed = CHECKSUM_NONE;
	memcpy(skb_push(skb, MLD_HBH_LEN), hbh, MLD_HBH_LEN);
	kame_icmp6_outstat(kif->kn, type);
	kame_ip6_output(kif, skb, src, &dst, &tx);
}

/* Reports being built by the work, sent once mld_lock is dropped. */
struct mld_build {
	struct kame_if *kif;
	struct sk_buff_head q;
	struct sk_buff *cur;		/* the MLDv2 report being filled */
	unsigned int room;		/* bytes an MLDv2 report may take */
	bool v1;
};

static struct sk_buff *mld_alloc(struct mld_build *b, unsigned int len,
				 const struct in6_addr *dst)
{
	struct sk_buff *skb;

	skb = kame_icmp6_alloc(b->kif, MLD_HBH_LEN + len);
	if (!skb) {
		kame_icmp6stat_inc(b->kif->kn, KAME_ICP6S_MLD_NOMEM);
		return NULL;
	}
	skb_reserve(skb, MLD_HBH_LEN);
	skb_reset_transport_header(skb);
	MLD_CB(skb)->dst = *dst;
	kame_in6_setscope(&MLD_CB(skb)->dst, b->kif->dev->ifindex);
	__skb_queue_tail(&b->q, skb);
	return skb;
}

/* An MLDv1 Report to the group, or a Done to all-routers. */
static void mld_v1_msg(struct mld_build *b, u8 rtype,
		       const struct in6_addr *grp)
{
	static const struct in6_addr allrouters = {
		.s6_addr = { 0xff, 0x02, [15] = 0x02 } };
	/* a leave: of the group, or of an including group's sources */
	bool done = rtype == MLD_CHANGE_TO_INCLUDE ||
		    rtype == MLD_BLOCK_OLD_SOURCES;
	struct sk_buff *skb;
	u8 *p;

	skb = mld_alloc(b, MLD_V1_LEN, done ? &allrouters : grp);
	if (!skb)
		return;
	p = skb_put_zero(skb, MLD_V1_LEN);
	p[0] = done ? ICMPV6_MGM_REDUCTION : ICMPV6_MGM_REPORT;
	memcpy(p + 8, grp, sizeof(*grp));
	kame_in6_clearscope((struct in6_addr *)(p + 8));
}

/* One record that fits a report. */
static void mld_record_one(struct mld_build *b, u8 rtype,
			   const struct in6_addr *grp,
			   const struct in6_addr *srcs, unsigned int nsrcs)
{
	static const struct in6_addr allmldv2 = {
		.s6_addr = { 0xff, 0x02, [15] = 0x16 } };
	unsigned int need = MLD_V2_REC + nsrcs * sizeof(*srcs);
	struct in6_addr *a;
	unsigned int i;
	u8 *p;

	if (b->cur && b->cur->len + need > b->room)
		b->cur = NULL;
	if (!b->cur) {
		b->cur = mld_alloc(b, b->room, &allmldv2);
		if (!b->cur)
			return;
		p = skb_put_zero(b->cur, MLD_V2_HDR);
		p[0] = ICMPV6_MLD2_REPORT;
	}
	p = skb_put_zero(b->cur, need);
	p[0] = rtype;
	put_unaligned_be16(nsrcs, p + 2);
	memcpy(p + 4, grp, sizeof(*grp));
	kame_in6_clearscope((struct in6_addr *)(p + 4));
	a = (struct in6_addr *)(p + MLD_V2_REC);
	memcpy(a, srcs, nsrcs * sizeof(*srcs));
	for (i = 0; i < nsrcs; i++)
		kame_in6_clearscope(&a[i]);
	/* the record count of the report */
	p = b->cur->data;
	put_unaligned_be16(get_unaligned_be16(p + 6) + 1, p + 6);
}

/*
 * A record of an MLDv2 report to ff02::16; a new report when full. A
 * record of more sources than a report holds is split, but an EXCLUDE
 * one is cut to what fits (RFC 3810 5.2.15).
 */
static void mld_record(struct mld_build *b, u8 rtype,
		       const struct in6_addr *grp,
		       const struct in6_addr *srcs, unsigned int nsrcs)
{
	unsigned int max = (b->room - MLD_V2_HDR - MLD_V2_REC) /
			   sizeof(*srcs);

	if (b->v1) {
		mld_v1_msg(b, rtype, grp);
		return;
	}
	if (nsrcs > max && (rtype == MLD_MODE_IS_EXCLUDE ||
			    rtype == MLD_CHANGE_TO_EXCLUDE))
		nsrcs = max;
	while (nsrcs > max) {
		mld_record_one(b, rtype, grp, srcs, max);
		srcs += max;
		nsrcs -= max;
	}
	mld_record_one(b, rtype, grp, srcs, nsrcs);
}

static void mld_next(unsigned long *next, unsigned long at)
{
	if (!*next || time_before(at, *next))
		*next = at ?: 1;
}

/*
 * The answer to a group-and-source query (RFC 3810 6.3): the queried
 * sources the group wants, kept in place in inm->mld_srcs, as
 * MODE_IS_INCLUDE; nothing when it wants none. Under mld_lock.
 */
static void mld_source_answer(struct mld_build *b, struct kame_in6_multi *inm)
{
	bool inc = inm->msf_mode == KAME_MSF_INCLUDE;
	unsigned int i, n = 0;

	for (i = 0; i < inm->mld_nsrcs; i++) {
		struct in6_addr s = inm->mld_srcs[i];

		kame_in6_setscope(&s, b->kif->dev->ifindex);
		if (kame_msf_has(inm->msf_src, inm->msf_n, &s) == inc)
			inm->mld_srcs[n++] = inm->mld_srcs[i];
	}
	if (n)
		mld_record(b, MLD_MODE_IS_INCLUDE, &inm->addr, inm->mld_srcs,
			   n);
}

/* The state change still to be repeated. Under mld_lock. */
static void mld_change(struct mld_build *b, struct kame_in6_multi *inm)
{
	if (b->v1) {	/* sources are not said: the group is there */
		mld_v1_msg(b, MLD_MODE_IS_EXCLUDE, &inm->addr);
		return;
	}
	if (inm->chg_to) {
		mld_record(b, inm->msf_mode + 2, &inm->addr, inm->msf_src,
			   inm->msf_n);
		return;
	}
	if (inm->chg_nallow)
		mld_record(b, MLD_ALLOW_NEW_SOURCES, &inm->addr,
			   inm->chg_allow, inm->chg_nallow);
	if (inm->chg_nblock)
		mld_record(b, MLD_BLOCK_OLD_SOURCES, &inm->addr,
			   inm->chg_block, inm->chg_nblock);
}

/* The due reports of one group. Under mld_lock. */
static void mld_group_due(struct mld_build *b, struct kame_in6_multi *inm,
			  bool gq, unsigned long now, unsigned long *next)
{
	struct kame_net *kn = b->kif->kn;

	if (gq || (inm->mld_resp && mld_due(inm->mld_resp_at, now))) {
		if (!gq && inm->mld_srcs)
			mld_source_answer(b, inm);
		else
			mld_record(b, inm->msf_mode, &inm->addr, inm->msf_src,
				   inm->msf_n);
		inm->mld_resp = false;
		kfree(inm->mld_srcs);
		inm->mld_srcs = NULL;
	} else if (inm->mld_resp) {
		mld_next(next, inm->mld_resp_at);
	}
	if (inm->mld_unsol_left && mld_due(inm->mld_unsol_at, now)) {
		mld_change(b, inm);
		if (!--inm->mld_unsol_left)
			mld_chg_free(inm);
		inm->mld_unsol_at = now + mld_unsol_delay(kn);
	}
	if (inm->mld_unsol_left)
		mld_next(next, inm->mld_unsol_at);
}

/* Leaves due. Under mld_lock. */
static void mld_leaves_due(struct mld_build *b, unsigned long now,
			   unsigned long *next)
{
	struct kame_if *kif = b->kif;
	struct kame_mld_leave *l, *tmp;

	list_for_each_entry_safe(l, tmp, &kif->mld_leaves, list) {
		if (mld_due(l->at, now)) {
			mld_record(b, l->rtype, &l->addr, l->src, l->n);
			if (!--l->left || b->v1) {
				list_del(&l->list);
				kif->mld_nleaves--;
				kfree(l);
				continue;
			}
			l->at = now + mld_unsol_delay(kif->kn);
		}
		mld_next(next, l->at);
	}
}

static void mld_work(struct work_struct *work)
{
	struct kame_if *kif = container_of(to_delayed_work(work),
					   struct kame_if, mld_work);
	struct mld_build b = { .kif = kif };
	unsigned long now = jiffies, next = 0;
	struct kame_in6_multi *inm;
	struct in6_addr src;
	struct sk_buff *skb;
	bool gq;

	__skb_queue_head_init(&b.q);
	/* IPv6 header, Hop-by-Hop header: the rest of the link MTU */
	b.room = max_t(int, READ_ONCE(kif->dev->mtu), IPV6_MIN_MTU) -
		 sizeof(struct ipv6hdr) - MLD_HBH_LEN;
	rcu_read_lock();
	spin_lock_bh(&kif->mld_lock);
	kif->mld_next = 0;
	b.v1 = mld_v1(kif);
	gq = kif->mld_gq && mld_due(kif->mld_gq_at, now);
	if (gq)
		kif->mld_gq = false;
	else if (kif->mld_gq)
		mld_next(&next, kif->mld_gq_at);
	list_for_each_entry_rcu(inm, &kif->mcast, list) {
		if (inm->mld_gone || !mld_reportable(kif, &inm->addr))
			continue;
		mld_group_due(&b, inm, gq, now, &next);
	}
	mld_leaves_due(&b, now, &next);
	if (next)
		mld_sched(kif, next);
	spin_unlock_bh(&kif->mld_lock);
	rcu_read_unlock();

	mld_src(kif, &src);
	while ((skb = __skb_dequeue(&b.q)))
		mld_send(kif, skb, &src);
}

/* The Maximum Response Delay of a query, ms (RFC 3810 5.1.3). */
static u32 mld_mrd(const u8 *q, bool v1)
{
	u16 c = get_unaligned_be16(q + 4);

	if (v1 || c < 0x8000)
		return c;
	return ((c & 0x0fff) | 0x1000) << (((c >> 12) & 7) + 3);
}

/* The Querier's Query Interval, ms (RFC 3810 5.1.9). */
static u32 mld_qqi(u8 c)
{
	if (c < 128)
		return c * 1000;
	return (((c & 0x0f) | 0x10) << (((c >> 4) & 7) + 3)) * 1000;
}

/* Is there a Router Alert option for MLD in a Hop-by-Hop header? */
static bool mld_router_alert(const struct sk_buff *skb)
{
	const u8 *h = skb->data + sizeof(struct ipv6hdr);
	unsigned int p, end;

	if (ipv6_hdr(skb)->nexthdr != NEXTHDR_HOP)
		return false;
	end = (h[1] + 1) * 8;	/* dest6.c has checked and pulled it */
	for (p = 2; p + 1 < end; ) {
		if (h[p] == 0) {	/* Pad1 */
			p++;
			continue;
		}
		if (h[p] == 0x05 && h[p + 1] == 2 && p + 4 <= end)
			return !h[p + 2] && !h[p + 3];
		p += 2 + h[p + 1];
	}
	return false;
}

/* The counter a query is dropped with, 0 if it is a good one. */
static int mld_query_check(const struct sk_buff *skb, const u8 *q,
			   unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct in6_addr *grp = (const struct in6_addr *)(q + 8);

	if (ip6->hop_limit != 1)
		return KAME_ICP6S_MLD_BADHLIM;
	if (!IN6_IS_ADDR_LINKLOCAL(&ip6->saddr))
		return KAME_ICP6S_MLD_BADSRC;
	if (!mld_router_alert(skb))
		return KAME_ICP6S_MLD_NORTALERT;
	if (len != MLD_V1_LEN && len < MLD_V2_QUERY_MINLEN)
		return KAME_ICP6S_MLD_BADLEN;
	if (len >= MLD_V2_QUERY_MINLEN &&
	    MLD_V2_QUERY_MINLEN + get_unaligned_be16(q + 26) *
	    sizeof(struct in6_addr) > len)
		return KAME_ICP6S_MLD_BADLEN;
	if (!ipv6_addr_any(grp) && !IN6_IS_ADDR_MULTICAST(grp))
		return KAME_ICP6S_MLD_BADGROUP;
	if (len >= MLD_V2_QUERY_MINLEN && ipv6_addr_any(grp) &&
	    get_unaligned_be16(q + 26))
		return KAME_ICP6S_MLD_BADGROUP;
	return 0;
}

/*
 * The queried sources join those of a pending answer (RFC 3810 6.2
 * rule 3); past mld_maxsrcs, or without memory, the whole group is
 * answered for. Under mld_lock.
 */
static void mld_add_srcs(struct kame_net *kn, struct kame_in6_multi *inm,
			 const u8 *s, unsigned int n)
{
	unsigned int max = READ_ONCE(kn->mld_maxsrcs), i, j, have;
	bool pending_group = inm->mld_resp && !inm->mld_srcs;
	struct in6_addr *a;

	if (pending_group)
		return;
	have = inm->mld_srcs ? inm->mld_nsrcs : 0;
	if (have + n > max)
		goto whole;
	a = krealloc(inm->mld_srcs, (have + n) * sizeof(*a), GFP_ATOMIC);
	if (!a)
		goto whole;
	for (i = 0; i < n; i++) {
		const struct in6_addr *x = (const struct in6_addr *)(s + 16 * i);

		for (j = 0; j < have; j++)
			if (ipv6_addr_equal(&a[j], x))
				break;
		if (j == have)
			a[have++] = *x;
	}
	inm->mld_srcs = a;
	inm->mld_nsrcs = have;
	return;
whole:
	kfree(inm->mld_srcs);
	inm->mld_srcs = NULL;
}

/* Answer group inm at the latest at. Under mld_lock. */
static void mld_answer(struct kame_if *kif, struct kame_in6_multi *inm,
		       unsigned long at)
{
	if (!inm->mld_resp || time_before(at, inm->mld_resp_at))
		inm->mld_resp_at = at;
	inm->mld_resp = true;
	mld_sched(kif, inm->mld_resp_at);
}

static unsigned long mld_delay(u32 ms)
{
	return jiffies + msecs_to_jiffies(get_random_u32() % (ms + 1));
}

/* A general query: every group, or in MLDv2 one report of all. */
static void mld_general_query(struct kame_if *kif, u32 mrd)
{
	struct kame_in6_multi *inm;
	unsigned long at = mld_delay(mrd);

	if (!mld_v1(kif)) {
		if (!kif->mld_gq || time_before(at, kif->mld_gq_at))
			kif->mld_gq_at = at;
		kif->mld_gq = true;
		mld_sched(kif, kif->mld_gq_at);
		return;
	}
	list_for_each_entry_rcu(inm, &kif->mcast, list) {
		if (inm->mld_gone || !mld_reportable(kif, &inm->addr))
			continue;
		kfree(inm->mld_srcs);
		inm->mld_srcs = NULL;
		mld_answer(kif, inm, mld_delay(mrd));
	}
}

static void mld_query(struct kame_if *kif, const u8 *q, unsigned int len)
{
	struct in6_addr grp = *(const struct in6_addr *)(q + 8);
	bool v1q = len == MLD_V1_LEN;
	u32 mrd = mld_mrd(q, v1q), nsrcs = 0;
	struct kame_in6_multi *inm;

	kame_icmp6stat_inc(kif->kn, v1q ? KAME_ICP6S_MLD_V1QUERY :
				    KAME_ICP6S_MLD_V2QUERY);
	spin_lock(&kif->mld_lock);
	if (v1q) {	/* RFC 3810 8.2.1: R * QI + QRI */
		kif->mld_v1_until = jiffies +
			msecs_to_jiffies(kif->mld_qrv * kif->mld_qi + mrd) ?: 1;
	} else {
		kif->mld_qrv = (q[24] & 7) ?: READ_ONCE(kif->kn->mld_robustness);
		kif->mld_qi = mld_qqi(q[25]) ?: MLD_QI_DEFAULT;
		nsrcs = get_unaligned_be16(q + 26);
	}
	if (ipv6_addr_any(&grp)) {
		mld_general_query(kif, mrd);
		goto out;
	}
	kame_in6_setscope(&grp, kif->dev->ifindex);
	list_for_each_entry_rcu(inm, &kif->mcast, list)
		if (ipv6_addr_equal(&inm->addr, &grp))
			break;
	if (list_entry_is_head(inm, &kif->mcast, list) || inm->mld_gone ||
	    !mld_reportable(kif, &inm->addr))
		goto out;	/* not ours: nothing to say */
	if (!nsrcs || mld_v1(kif)) {
		kfree(inm->mld_srcs);
		inm->mld_srcs = NULL;
	} else {
		mld_add_srcs(kif->kn, inm, q + MLD_V2_QUERY_MINLEN, nsrcs);
	}
	mld_answer(kif, inm, mld_delay(mrd));
out:
	spin_unlock(&kif->mld_lock);
}

/*
 * An MLDv1 Report of another listener: in MLDv1 mode the pending answer
 * for its group is not sent (RFC 2710 4). MLDv2 reports and Dones are
 * for routers.
 */
static void mld_v1_report(struct kame_if *kif, const u8 *m)
{
	struct in6_addr grp = *(const struct in6_addr *)(m + 8);
	struct kame_in6_multi *inm;

	kame_in6_setscope(&grp, kif->dev->ifindex);
	spin_lock(&kif->mld_lock);
	if (mld_v1(kif)) {
		list_for_each_entry_rcu(inm, &kif->mcast, list)
			if (ipv6_addr_equal(&inm->addr, &grp))
				inm->mld_resp = false;
	}
	spin_unlock(&kif->mld_lock);
}

/* MLD messages (ICMPv6 130, 131, 132, 143) of length len at off. */
void kame_mld_input(struct kame_if *kif, struct sk_buff *skb,
		    unsigned int off, unsigned int len)
{
	const u8 *m = skb->data + off;
	int bad;

	switch (m[0]) {
	case ICMPV6_MGM_QUERY:
		bad = len >= MLD_V1_LEN ? mld_query_check(skb, m, len) :
					  KAME_ICP6S_MLD_BADLEN;
		if (bad)
			goto drop;
		if (!kif->lops)
			mld_query(kif, m, len);
		break;
	case ICMPV6_MGM_REPORT:
		if (len < MLD_V1_LEN) {
			bad = KAME_ICP6S_MLD_BADLEN;
			goto drop;
		}
		mld_v1_report(kif, m);
		break;
	}
	consume_skb(skb);
	return;
drop:
	kame_icmp6stat_inc(kif->kn, bad);
	kfree_skb(skb);
}

void kame_mld_ifattach(struct kame_if *kif)
{
	spin_lock_init(&kif->mld_lock);
	INIT_DELAYED_WORK(&kif->mld_work, mld_work);
	INIT_LIST_HEAD(&kif->mld_leaves);
	kif->mld_qrv = READ_ONCE(kif->kn->mld_robustness);
	kif->mld_qi = MLD_QI_DEFAULT;
}

/*
 * Detach: no report any more (the groups are left without one), the work
 * stopped, the repeated leaves dropped. Under RTNL, first thing.
 */
void kame_mld_ifdetach(struct kame_if *kif)
{
	struct kame_mld_leave *l, *tmp;

	spin_lock_bh(&kif->mld_lock);
	kif->mld_dead = true;
	spin_unlock_bh(&kif->mld_lock);
	cancel_delayed_work_sync(&kif->mld_work);
	list_for_each_entry_safe(l, tmp, &kif->mld_leaves, list) {
		list_del(&l->list);
		kfree(l);
	}
	kif->mld_nleaves = 0;
}

/* netlink: KAME_CMD_MADDR_GET, kame maddr show */

const struct nla_policy kame_maddr_policy[KAME_MADDR_A_MAX + 1] = {
	[KAME_MADDR_A_IFINDEX] = { .type = NLA_U32 },
	[KAME_MADDR_A_GROUP ... KAME_MADDR_A_SOURCES] = {
		.type = NLA_REJECT, .reject_message = "read-only attribute" },
};

static u8 mld_state(struct kame_if *kif, struct kame_in6_multi *inm,
		    u32 *timer)
{
	unsigned long now = jiffies, at = 0;
	u8 st = KAME_MLD_S_IDLE;

	*timer = 0;
	if (!mld_reportable(kif, &inm->addr))
		return KAME_MLD_S_NOT_REPORTED;
	if (kif->mld_gq || inm->mld_resp) {
		st = KAME_MLD_S_DELAYING;
		at = inm->mld_resp ? inm->mld_resp_at : kif->mld_gq_at;
	}
	if (inm->mld_unsol_left) {
		st = KAME_MLD_S_REPORTING;
		if (!at || time_before(inm->mld_unsol_at, at))
			at = inm->mld_unsol_at;
	}
	if (at && time_after(at, now))
		*timer = jiffies_to_msecs(at - now);
	return st;
}

/* The merged filter's sources, plain form; stable under RTNL. */
static int maddr_sources(struct sk_buff *skb, struct kame_in6_multi *inm)
{
	struct nlattr *nest;
	struct in6_addr s;
	unsigned int i;

	if (!inm->msf_n)
		return 0;
	nest = nla_nest_start(skb, KAME_MADDR_A_SOURCES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < inm->msf_n; i++) {
		s = inm->msf_src[i];
		kame_in6_clearscope(&s);
		if (nla_put_in6_addr(skb, KAME_MADDR_SRC_A_ADDR, &s)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int maddr_fill(struct sk_buff *skb, struct netlink_callback *cb,
		      struct kame_if *kif, struct kame_in6_multi *inm)
{
	struct in6_addr g = inm->addr;
	unsigned int users = READ_ONCE(inm->users), socks = 0;
	const struct kame_mship *m;
	u32 timer;
	void *hdr;
	u8 st, v;

	kame_in6_clearscope(&g);
	spin_lock_bh(&kif->mld_lock);
	st = mld_state(kif, inm, &timer);
	v = mld_v1(kif) ? 1 : 2;
	spin_unlock_bh(&kif->mld_lock);
	/* the sockets' memberships change under RTNL, held by the dump */
	list_for_each_entry(m, &inm->mships, inm_list)
		socks++;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kame_genl_family, NLM_F_MULTI, KAME_CMD_MADDR_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KAME_MADDR_A_IFINDEX, kif->dev->ifindex) ||
	    nla_put_in6_addr(skb, KAME_MADDR_A_GROUP, &g) ||
	    nla_put_u32(skb, KAME_MADDR_A_USERS, users) ||
	    nla_put_u32(skb, KAME_MADDR_A_SOCKETS, socks) ||
	    nla_put_u8(skb, KAME_MADDR_A_MLD_STATE, st) ||
	    nla_put_u32(skb, KAME_MADDR_A_MLD_TIMER, timer) ||
	    nla_put_u8(skb, KAME_MADDR_A_MLD_VERSION, v) ||
	    nla_put_u8(skb, KAME_MADDR_A_MLD_MODE, inm->msf_mode) ||
	    maddr_sources(skb, inm)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Resumes at interface cb->args[0], group cb->args[1] of it. */
int kame_nl_maddr_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	struct nlattr **attrs = kame_dump_attrs(cb);
	struct kame_in6_multi *inm;
	struct kame_if *kif;
	u32 want = 0;
	long i, g;
	int err = 0;

	if (attrs[KAME_MADDR_A_IFINDEX])
		want = nla_get_u32(attrs[KAME_MADDR_A_IFINDEX]);
	rtnl_lock();
	i = 0;
	list_for_each_entry(kif, &kn->ifs, list) {
		if (i++ < cb->args[0])
			continue;
		if (want && kif->dev->ifindex != want) {
			cb->args[0] = i;
			continue;
		}
		g = 0;
		list_for_each_entry(inm, &kif->mcast, list) {
			if (g++ < cb->args[1])
				continue;
			err = maddr_fill(skb, cb, kif, inm);
			if (err)
				goto out;
			cb->args[1] = g;
		}
		cb->args[0] = i;
		cb->args[1] = 0;
	}
out:
	rtnl_unlock();
	return err && !skb->len ? err : skb->len;
}

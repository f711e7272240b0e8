// SPDX-License-Identifier: GPL-2.0
/*
 * The Security Association and Security Policy Databases of a network
 * namespace (KAME's key.c): SAs hashed by (destination, protocol, SPI)
 * for the input, by (source, destination, protocol) for the output, and
 * listed in creation order, policies in match order; readers under
 * RCU, writers under the namespace's lock; both bounded (sa_max, sp_max)
 * and charged to the memory cgroup of whoever adds. A timer walks the
 * SAs once a second for their time lifetimes, as KAME's
 * key_timehandler(): soft -> dying and an EXPIRE, hard -> dead, an
 * EXPIRE, and gone.
 */
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>
#include "ipsec.h"

static u32 ipsec_sa_hash(const struct in6_addr *dst, u8 proto, u32 spi)
{
	return jhash_3words(spi, proto, jhash2(dst->s6_addr32, 4, 0), 0) >>
	       (32 - IPSEC_SA_HASH_BITS);
}

/* The SAs between src and dst of proto are in this chain (pnode). */
struct hlist_head *ipsec_sa_pair(struct ipsec_net *in,
				 const struct in6_addr *src,
				 const struct in6_addr *dst, u8 proto)
{
	u32 h = jhash2(src->s6_addr32, 4, proto);

	h = jhash2(dst->s6_addr32, 4, h) >> (32 - IPSEC_SA_HASH_BITS);
	return &in->sa_phash[h];
}

/* The SA of (dst, proto, spi) that is not dead. Under RCU or the lock. */
struct ipsec_sa *ipsec_sa_lookup(struct ipsec_net *in,
				 const struct in6_addr *dst, u8 proto, u32 spi)
{
	struct ipsec_sa *sa;

	hlist_for_each_entry_rcu(sa, &in->sa_hash[ipsec_sa_hash(dst, proto,
								 spi)],
				 hnode, lockdep_is_held(&in->lock))
		if (sa->spi == spi && sa->proto == proto &&
		    ipv6_addr_equal(&sa->dst, dst) &&
		    READ_ONCE(sa->state) != KAME_KEY_STATE_DEAD)
			return sa;
	return NULL;
}

/*
 * The SA of an inbound AH, ESP or IPComp packet (proto, spi) for skb's
 * destination, mature or dying and ready, of the packet's source unless
 * the SA's is unspecified (RFC 4301 5.2: no other peer's SA will do).
 * NULL: none usable. Under RCU.
 */
struct ipsec_sa *ipsec_sa_lookup_in(struct ipsec_net *in,
				    const struct sk_buff *skb, u8 proto,
				    u32 spi)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct ipsec_sa *sa;

	sa = ipsec_sa_lookup(in, &ip6->daddr, proto, spi);
	if (!sa || READ_ONCE(sa->state) == KAME_KEY_STATE_LARVAL ||
	    !ipsec_sa_ready(sa) ||
	    (!ipv6_addr_any(&sa->src) &&
	     !ipv6_addr_equal(&sa->src, &ip6->saddr)))
		return NULL;
	return sa;
}

bool ipsec_spi_taken(struct ipsec_net *in, const struct in6_addr *dst,
		     u8 proto, u32 spi)
{
	return ipsec_sa_lookup(in, dst, proto, spi);
}

/*
 * The high half of the sequence number whose low half seql came in
 * (RFC 4303 A2.2): with ESN the receiver keeps the 64-bit top of its
 * window (tl, th) and takes the block of 2^32 numbers that puts seql at
 * or above the window's bottom. A window of 0 infers as one of
 * IPSEC_REPLAY_MAX. Without ESN: 0.
 */
u32 ipsec_seq_hi(struct ipsec_sa *sa, u32 seql)
{
	u32 w = sa->replay ? sa->replay : IPSEC_REPLAY_MAX;
	u64 top = READ_ONCE(sa->rtop);
	u32 th = top >> 32, tl = (u32)top, bottom = tl - (w - 1);

	if (!(sa->flags & KAME_KEY_F_ESN))
		return 0;
	if (tl >= w - 1)	/* the window lies in block th */
		return seql >= bottom ? th : th + 1;
	/* the window spans blocks th - 1 and th (none below block 0) */
	return seql >= bottom && th ? th - 1 : th;
}

/*
 * The anti-replay window of ESP and AH (RFC 4303 3.4.3 and A2, RFC 4302
 * 3.4.3): is seq (64 bits with ESN, its high half inferred by
 * ipsec_seq_hi()) new, and, with update, mark it seen. Checked before
 * the ICV (cheaply dropping replays), updated after it verified. The
 * bitmap has a bit for each of the last IPSEC_REPLAY_MAX numbers (seq
 * modulo its size), of which the window's size counts. With ESN the top
 * is kept even without a window: the inference needs it.
 */
bool ipsec_replay_check(struct ipsec_sa *sa, u64 seq, bool update)
{
	u32 win = sa->replay;
	bool ok = true;
	u64 top, diff;

	if (!win && !(sa->flags & KAME_KEY_F_ESN))
		return true;
	if (!seq)
		return false;
	spin_lock_bh(&sa->rlock);
	top = sa->rtop;
	if (seq > top) {
		if (update) {
			diff = seq - top;
			if (diff >= IPSEC_REPLAY_MAX)
				bitmap_zero(sa->rmap, IPSEC_REPLAY_MAX);
			else
				while (diff--)
					clear_bit(IPSEC_REPLAY_BIT(top + 1 + diff),
						  sa->rmap);
			WRITE_ONCE(sa->rtop, seq);
			set_bit(IPSEC_REPLAY_BIT(seq), sa->rmap);
		}
	} else if (win && (top - seq >= win ||
			   test_bit(IPSEC_REPLAY_BIT(seq), sa->rmap))) {
		ok = false;
	} else if (update) {
		set_bit(IPSEC_REPLAY_BIT(seq), sa->rmap);
	}
	spin_unlock_bh(&sa->rlock);
	return ok;
}

/*
 * The checks of AH's and ESP's input before the transform: the 64-bit
 * number of the low half seql (ESN, RFC 4303 A2.2) into *seq, not a
 * replay (the SA's replay counter too), then skb linear and writable.
 * 0, or the ipsec6 counter of the drop.
 */
int ipsec_input_seq(struct ipsec_sa *sa, struct sk_buff *skb, u32 seql,
		    u64 *seq)
{
	BUILD_BUG_ON(KAME_IPSEC6S_IN_SUCCESS != 0);	/* never a drop */
	*seq = (u64)ipsec_seq_hi(sa, seql) << 32 | seql;
	if (!ipsec_replay_check(sa, *seq, false)) {
		atomic64_inc(&sa->stat[KAME_KEY_SASTAT_REPLAY]);
		return KAME_IPSEC6S_IN_REPLAY;
	}
	if (skb_linearize_cow(skb))
		return KAME_IPSEC6S_IN_NOMEM;
	return 0;
}

/*
 * The sequence number of the SA's next packet, or 0 when the SA is used
 * up: without the cyclic flag it stops at the last number, 2^32 - 1, or
 * 2^64 - 1 with ESN (RFC 4303 3.3.3), and stays there.
 */
u64 ipsec_seq_next(struct ipsec_sa *sa)
{
	s64 last = U32_MAX, old;

	if (sa->flags & KAME_KEY_F_CYCSEQ)
		return atomic64_inc_return(&sa->seq);
	if (sa->flags & KAME_KEY_F_ESN)
		last = -1;	/* U64_MAX */
	old = atomic64_fetch_add_unless(&sa->seq, 1, last);
	return old == last ? 0 : old + 1;
}

/* An SA no reader can see any more: its transform and keys go. */
void ipsec_sa_free(struct ipsec_sa *sa)
{
	if (!sa)
		return;
	esp_destroy_state(sa);
	ipcomp_destroy_state(sa);
	ah_destroy_state(sa);
	kfree_sensitive(sa);
}

static void ipsec_sa_free_work(struct work_struct *w)
{
	ipsec_sa_free(container_of(to_rcu_work(w), struct ipsec_sa, rwork));
}

struct ipsec_sa *ipsec_sa_alloc(void)
{
	struct ipsec_sa *sa = kzalloc(sizeof(*sa), GFP_KERNEL_ACCOUNT);

	if (sa) {
		INIT_HLIST_NODE(&sa->hnode);
		INIT_HLIST_NODE(&sa->pnode);
		INIT_LIST_HEAD(&sa->list);
		INIT_RCU_WORK(&sa->rwork, ipsec_sa_free_work);
		spin_lock_init(&sa->rlock);
		refcount_set(&sa->ref, 1);	/* the SAD's */
		sa->created = ktime_get_real_seconds();
	}
	return sa;
}

void ipsec_sa_insert(struct ipsec_net *in, struct ipsec_sa *sa)
{
	lockdep_assert_held(&in->lock);
	hlist_add_head_rcu(&sa->hnode,
			   &in->sa_hash[ipsec_sa_hash(&sa->dst, sa->proto,
						      sa->spi)]);
	sa->serial = ++in->sa_serial;	/* before readers can see it */
	hlist_add_head_rcu(&sa->pnode,
			   ipsec_sa_pair(in, &sa->src, &sa->dst, sa->proto));
	list_add_tail_rcu(&sa->list, &in->sas);
	in->nsa++;
}

/*
 * Out of both tables; freed (keys wiped) after a grace period once no
 * transform in flight holds it.
 */
void ipsec_sa_unlink(struct ipsec_net *in, struct ipsec_sa *sa)
{
	lockdep_assert_held(&in->lock);
	hlist_del_rcu(&sa->hnode);
	hlist_del_rcu(&sa->pnode);
	list_del_rcu(&sa->list);
	in->nsa--;
	WRITE_ONCE(sa->state, KAME_KEY_STATE_DEAD);
	ipsec_sa_put(sa);	/* the SAD's reference */
}

/* The last reference gone: freed after a grace period (RCU readers). */
void ipsec_sa_put(struct ipsec_sa *sa)
{
	if (refcount_dec_and_test(&sa->ref))
		queue_rcu_work(ipsec_wq, &sa->rwork);
}

/* Every SA, or every SA of proto (proto < 0: all). */
void ipsec_key_flush(struct ipsec_net *in, int proto)
{
	struct ipsec_sa *sa, *tmp;

	lockdep_assert_held(&in->lock);
	list_for_each_entry_safe(sa, tmp, &in->sas, list)
		if (proto < 0 || sa->proto == proto)
			ipsec_sa_unlink(in, sa);
}

/*
 * Into the SPD: after every policy of the same or a lower priority
 * value (KAME: in order of insertion; ipsec-tools' prio as an option).
 */
void ipsec_sp_insert(struct ipsec_net *in, struct ipsec_sp *sp)
{
	struct ipsec_sp *p;

	lockdep_assert_held(&in->lock);
	list_for_each_entry(p, &in->sps, list) {
		if (p->priority > sp->priority) {
			list_add_tail_rcu(&sp->list, &p->list);
			goto done;
		}
	}
	list_add_tail_rcu(&sp->list, &in->sps);
done:
	in->nsp++;
	WRITE_ONCE(in->gen, in->gen + 1);
}

void ipsec_sp_unlink(struct ipsec_net *in, struct ipsec_sp *sp)
{
	lockdep_assert_held(&in->lock);
	list_del_rcu(&sp->list);
	in->nsp--;
	WRITE_ONCE(in->gen, in->gen + 1);
	kfree_rcu(sp, rcu);
}

static bool ipsec_sel_equal(const struct ipsec_sp *a, const struct ipsec_sp *b)
{
	return a->dir == b->dir && a->src_plen == b->src_plen &&
	       a->dst_plen == b->dst_plen && a->ulproto == b->ulproto &&
	       a->sport == b->sport && a->dport == b->dport &&
	       ipv6_addr_equal(&a->src, &b->src) &&
	       ipv6_addr_equal(&a->dst, &b->dst);
}

/* The policy with sel's selector and direction. Under the lock. */
struct ipsec_sp *ipsec_sp_find(struct ipsec_net *in, const struct ipsec_sp *sel)
{
	struct ipsec_sp *sp;

	list_for_each_entry(sp, &in->sps, list)
		if (ipsec_sel_equal(sp, sel))
			return sp;
	return NULL;
}

struct ipsec_sp *ipsec_sp_find_id(struct ipsec_net *in, u32 id)
{
	struct ipsec_sp *sp;

	list_for_each_entry(sp, &in->sps, list)
		if (sp->id == id)
			return sp;
	return NULL;
}

void ipsec_spd_flush(struct ipsec_net *in)
{
	struct ipsec_sp *sp, *tmp;

	lockdep_assert_held(&in->lock);
	list_for_each_entry_safe(sp, tmp, &in->sps, list)
		ipsec_sp_unlink(in, sp);
}

/* Has the time limit lft (seconds after since) passed at now? */
static bool ipsec_lft_past(u64 lft, time64_t since, time64_t now)
{
	return lft && since && now - since >= (s64)lft;
}

/* 1 for the soft limit, 2 for the hard one, 0 for neither. */
static int ipsec_sa_expired(const struct ipsec_sa *sa, time64_t now)
{
	u64 bytes = atomic64_read(&sa->bytes);

	if (ipsec_lft_past(sa->hard.addtime, sa->created, now) ||
	    ipsec_lft_past(sa->hard.usetime, sa->first_use, now) ||
	    (sa->hard.bytes && bytes >= sa->hard.bytes))
		return 2;
	if (ipsec_lft_past(sa->soft.addtime, sa->created, now) ||
	    ipsec_lft_past(sa->soft.usetime, sa->first_use, now) ||
	    (sa->soft.bytes && bytes >= sa->soft.bytes))
		return 1;
	return 0;
}

/*
 * KAME's key_timehandler(): once a second. A larval SA that has waited
 * longer than its hard add time (or a minute, KAME's key_larval_lifetime
 * of 30 s doubled for emulated hosts) goes.
 */
void ipsec_key_timer(struct work_struct *w)
{
	struct ipsec_net *in = container_of(to_delayed_work(w),
					    struct ipsec_net, timer);
	time64_t now = ktime_get_real_seconds();
	struct ipsec_sa *sa, *tmp;
	int e;

	spin_lock_bh(&in->lock);
	list_for_each_entry_safe(sa, tmp, &in->sas, list) {
		if (sa->state == KAME_KEY_STATE_LARVAL) {
			if (now - sa->created >= 60)
				ipsec_sa_unlink(in, sa);
			continue;
		}
		e = ipsec_sa_expired(sa, now);
		if (e == 2) {
			ipsec_key_expire(in, sa, true);
			ipsec_sa_unlink(in, sa);
		} else if (e == 1 && !sa->soft_sent) {
			sa->soft_sent = true;
			WRITE_ONCE(sa->state, KAME_KEY_STATE_DYING);
			ipsec_key_expire(in, sa, false);
		}
	}
	spin_unlock_bh(&in->lock);
	schedule_delayed_work(&in->timer, HZ);
}

int ipsec_key_init_net(struct ipsec_net *in, struct net *net)
{
	int i;

	spin_lock_init(&in->lock);
	for (i = 0; i < ARRAY_SIZE(in->sa_hash); i++) {
		INIT_HLIST_HEAD(&in->sa_hash[i]);
		INIT_HLIST_HEAD(&in->sa_phash[i]);
	}
	INIT_LIST_HEAD(&in->sas);
	INIT_LIST_HEAD(&in->sps);
	in->next_spid = 1;
	in->next_reqid = 0x4000;	/* above the manual unique:N */
	in->net = net;
	INIT_DELAYED_WORK(&in->timer, ipsec_key_timer);
	schedule_delayed_work(&in->timer, HZ);
	return 0;
}

void ipsec_key_exit_net(struct ipsec_net *in)
{
	cancel_delayed_work_sync(&in->timer);
	spin_lock_bh(&in->lock);
	ipsec_key_flush(in, -1);
	ipsec_spd_flush(in);
	spin_unlock_bh(&in->lock);
}

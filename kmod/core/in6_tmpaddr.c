// SPDX-License-Identifier: GPL-2.0
/*
 * Temporary addresses (RFC 8981, which obsoletes RFC 4941 and 3041;
 * KAME's in6_tmpifadd and regen_tmpaddr). With net.inet6.ip6.use_tempaddr
 * a prefix that gives the interface a SLAAC address (A flag, /64) also
 * gives it a temporary address: the prefix and a random interface
 * identifier, a new one per prefix and per address (3.3.1), not one of
 * the reserved identifiers of RFC 5453 nor one the interface has.
 *
 * Lifetimes (3.4): valid min(tempvltime - age, the public address's),
 * preferred min(temppltime - DESYNC_FACTOR - age, the public address's).
 * DESYNC_FACTOR is random in [0, MAX_DESYNC_FACTOR] per address, with
 * MAX_DESYNC_FACTOR = 0.4 * temppltime (3.8). A new temporary address
 * comes REGEN_ADVANCE seconds before the newest one would be deprecated:
 * REGEN_ADVANCE = 2 + TEMP_IDGEN_RETRIES * DupAddrDetectTransmits *
 * RetransTimer (3.8), 5 s by default. The old one stays, deprecated,
 * until its valid lifetime ends. None is made while temppltime is not
 * above REGEN_ADVANCE, or the public address is deprecated.
 *
 * A temporary address whose DAD fails is removed (nd6_temp_dadfail) and
 * another one made, TEMP_IDGEN_RETRIES (3) times in a row at most; then
 * the prefix gets none (nd6_temp_idgen_fail) until it is listed again.
 * A prefix holds at most net.inet6.ip6.tempaddr_max temporary addresses
 * (the oldest goes for a new one); without it the bound would be
 * tempvltime / (temppltime - MAX_DESYNC_FACTOR - REGEN_ADVANCE). When the
 * public address goes, its temporary addresses go with it.
 *
 * Under RTNL: from ra_work (nd6_prefix.c) and once a second from
 * rtr_work while the prefix is listed.
 */
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include "kame.h"

#define TEMP_IDGEN_RETRIES	3	/* RFC 8981 3.8 */
#define TEMP_IID_TRIES		16	/* random draws for a free identifier */
#define TEMP_PLEN		64

/* RFC 8981 3.8: seconds before deprecation a successor is made */
static u32 tmpaddr_regen_advance(const struct kame_if *kif)
{
	u32 dad = READ_ONCE(kif->dad_transmits) * READ_ONCE(kif->retrans);

	return 2 + DIV_ROUND_UP(TEMP_IDGEN_RETRIES * dad, 1000);
}

/*
 * RFC 5453: the subnet-router anycast identifier (all zero), the
 * reserved subnet anycast ones (fdff:ffff:ffff:ff80-ffff) and the
 * range 0200:5eff:fe00:0-ffff (proxy mobile IPv6 and reserved).
 */
static bool tmpaddr_iid_reserved(const u8 *id)
{
	static const u8 anycast[7] = { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 proxy[6] = { 0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00 };
	static const u8 zero[8];

	return !memcmp(id, zero, 8) ||
	       (!memcmp(id, anycast, 7) && id[7] >= 0x80) ||
	       !memcmp(id, proxy, 6);
}

/* Seconds since jiffies64 t, at most U32_MAX. */
static u32 tmpaddr_age(u64 t)
{
	u64 d = div_u64(get_jiffies_64() - t, HZ);

	return min_t(u64, d, U32_MAX);
}

static u32 tmpaddr_sub(u32 a, u32 b)
{
	return a > b ? a - b : 0;
}

/* 3.4 steps 3-7: a new temporary address of pr next to public. */
static void tmpaddr_create(struct kame_nd_prefix *pr,
			   const struct kame_ifaddr *public)
{
	struct kame_if *kif = pr->kif;
	struct kame_net *kn = kif->kn;
	u32 pl = READ_ONCE(kn->temppltime), vl = READ_ONCE(kn->tempvltime);
	u32 regen = tmpaddr_regen_advance(kif), desync;
	struct kame_ifaddr *ifa;
	struct in6_addr a;
	int i;

	if (pl <= regen)
		return;
	desync = get_random_u32() % (pl / 5 * 2 + 1);
	pl = min(pl - desync, kame_ifa_lft_left(public->preferred_until));
	vl = min(vl, kame_ifa_lft_left(public->valid_until));
	if (pl <= regen || !vl)
		return;
	for (i = 0; i < TEMP_IID_TRIES; i++) {
		ipv6_addr_prefix(&a, &pr->prefix, TEMP_PLEN);
		get_random_bytes(&a.s6_addr[8], 8);
		if (!tmpaddr_iid_reserved(&a.s6_addr[8]) &&
		    !kame_ifa_find(kif, &a))
			break;
	}
	if (i == TEMP_IID_TRIES ||
	    kame_ifa_add(kif, &a, TEMP_PLEN,
			 KAME_ADDR_F_AUTOCONF | KAME_ADDR_F_TEMPORARY,
			 vl, min(pl, vl), NULL))
		return;
	ifa = kame_ifa_find(kif, &a);
	if (ifa) {
		ifa->temp_created = get_jiffies_64();
		ifa->temp_desync = desync;
	}
}

/*
 * 3.4: a router advertisement gave the public address of pr these
 * lifetimes; its temporary addresses keep theirs from creation within
 * them (a deprecated one stays deprecated).
 */
void kame_tmpaddr_lft(struct kame_nd_prefix *pr, u32 valid, u32 preferred)
{
	struct kame_net *kn = pr->kif->kn;
	struct kame_ifaddr *ifa;
	u32 age, vl, pl;

	ASSERT_RTNL();
	list_for_each_entry(ifa, &pr->kif->addrs, list) {
		if (!(ifa->flags & KAME_ADDR_F_TEMPORARY) ||
		    !kame_prefix_ifa(ifa, &pr->prefix, pr->plen))
			continue;
		age = tmpaddr_age(ifa->temp_created);
		vl = tmpaddr_sub(READ_ONCE(kn->tempvltime), age);
		pl = tmpaddr_sub(READ_ONCE(kn->temppltime),
				 age + ifa->temp_desync);
		vl = min(vl, valid);
		pl = min3(pl, preferred, vl);
		if (READ_ONCE(ifa->flags) & KAME_ADDR_F_DEPRECATED)
			pl = 0;
		kame_ifa_set_lft(ifa, vl, pl);
	}
}

/* Is ifa (temporary) good for a while yet: no successor needed? */
static bool tmpaddr_fresh(const struct kame_ifaddr *ifa, u32 regen)
{
	u32 f = READ_ONCE(ifa->flags);

	if (f & KAME_ADDR_F_TENTATIVE)
		return true;
	if (f & KAME_ADDR_F_DEPRECATED)
		return false;
	return kame_ifa_lft_left(ifa->preferred_until) > regen;
}

static void tmpaddr_del_all(struct kame_nd_prefix *pr)
{
	struct kame_ifaddr *ifa, *tmp;

	list_for_each_entry_safe(ifa, tmp, &pr->kif->addrs, list)
		if ((ifa->flags & KAME_ADDR_F_TEMPORARY) &&
		    kame_prefix_ifa(ifa, &pr->prefix, pr->plen))
			kame_ifa_del(ifa);
}

/*
 * The temporary addresses of pr: out with the public address, another
 * one after a DAD failure or before the newest is deprecated.
 */
void kame_tmpaddr_update(struct kame_nd_prefix *pr)
{
	struct kame_ifaddr *ifa, *tmp, *public = NULL, *oldest = NULL;
	u32 regen = tmpaddr_regen_advance(pr->kif), n = 0, f;
	struct kame_net *kn = pr->kif->kn;
	bool fresh = false;

	ASSERT_RTNL();
	if (pr->plen != TEMP_PLEN)
		return;
	list_for_each_entry_safe(ifa, tmp, &pr->kif->addrs, list) {
		if (!kame_prefix_ifa(ifa, &pr->prefix, pr->plen))
			continue;
		f = READ_ONCE(ifa->flags);
		if (!(f & KAME_ADDR_F_TEMPORARY)) {
			if (!(f & KAME_ADDR_F_DUPLICATED))
				public = ifa;
			continue;
		}
		if (f & KAME_ADDR_F_DUPLICATED) {
			kame_ifa_del(ifa);
			kame_nd6stat_inc(kn, KAME_ND6S_TEMP_DADFAIL);
			pr->temp_retries++;
			continue;
		}
		if (!(f & KAME_ADDR_F_TENTATIVE) && tmpaddr_fresh(ifa, regen))
			pr->temp_retries = 0;	/* the newest passed DAD */
		if (!oldest)
			oldest = ifa;
		n++;
		fresh |= tmpaddr_fresh(ifa, regen);
	}
	if (!public) {
		tmpaddr_del_all(pr);
		return;
	}
	if (fresh || !READ_ONCE(kn->use_tempaddr) ||
	    (READ_ONCE(public->flags) & KAME_ADDR_F_DEPRECATED))
		return;
	if (pr->temp_retries >= TEMP_IDGEN_RETRIES) {
		if (pr->temp_retries == TEMP_IDGEN_RETRIES) {
			kame_nd6stat_inc(kn, KAME_ND6S_TEMP_IDGEN_FAIL);
			pr->temp_retries++;	/* counted once */
		}
		return;
	}
	if (oldest && n >= READ_ONCE(kn->temp_max))
		kame_ifa_del(oldest);
	tmpaddr_create(pr, public);
}

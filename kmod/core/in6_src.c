// SPDX-License-Identifier: GPL-2.0
/*
 * Source address selection (KAME's in6_src.c): the rules of RFC 6724
 * section 5 over the candidate addresses, with the policy table of
 * section 2.1 that ip6addrctl(8) manages. uapi/linux/kame.h documents the
 * netlink commands of the table.
 *
 * The table is a short list, changed under kn->addrsel_lock and read
 * under RCU (selection runs in softirq context too). Like KAME's, it
 * starts empty; the tools install the RFC 6724 default.
 */
#include <linux/in6.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "kame.h"

#define ADDRSEL_DEFAULT_MAX	256	/* net.inet6.ip6.addrctlpolicy_max */

/* One policy (KAME's struct in6_addrpolicy). */
struct kame_addrsel_pol {
	struct list_head list;		/* kn->addrsel; lock, RCU */
	struct in6_addr prefix;		/* masked */
	u8 plen;
	u32 preced;
	u32 label;
	atomic64_t use;
	struct rcu_head rcu;
};

/* What a lookup found: precedence and label. */
struct addrsel_attr {
	u32 preced;
	u32 label;
};

static bool addrsel_match(const struct in6_addr *a, const struct in6_addr *p,
			  unsigned int plen)
{
	struct in6_addr m;

	ipv6_addr_prefix(&m, a, plen);
	return ipv6_addr_equal(&m, p);
}

/*
 * The policy of addr (plain form): the longest match, the first added
 * among equal lengths; none gives precedence 0 and "not applicable".
 * Caller holds RCU.
 */
static struct addrsel_attr kame_addrsel_lookup(struct kame_net *kn,
					       const struct in6_addr *addr)
{
	struct addrsel_attr r = { 0, KAME_ADDRSEL_LABEL_NOTAPP };
	struct kame_addrsel_pol *pol, *best = NULL;

	list_for_each_entry_rcu(pol, &kn->addrsel, list)
		if ((!best || pol->plen > best->plen) &&
		    addrsel_match(addr, &pol->prefix, pol->plen))
			best = pol;
	if (best) {
		atomic64_inc(&best->use);
		r.preced = best->preced;
		r.label = best->label;
	}
	return r;
}

/*
 * The scope of an address (RFC 4007, RFC 6724 3.1): multicast carries
 * it; link-local and loopback are link-local, fec0::/10 site-local, the
 * rest global.
 */
static int addrsel_scope(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_MULTICAST(a))
		return IN6_MC_SCOPE(a);
	if (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_LOOPBACK(a))
		return IPV6_ADDR_SCOPE_LINKLOCAL;
	if (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0xc0)
		return IPV6_ADDR_SCOPE_SITELOCAL;
	return IPV6_ADDR_SCOPE_GLOBAL;
}

/* CommonPrefixLen of RFC 6724 2.2, up to the prefix length of the source */
static unsigned int addrsel_common(const struct in6_addr *a,
				   const struct in6_addr *b, unsigned int plen)
{
	unsigned int i, n = 0;

	for (i = 0; i < 16 && n < plen; i++) {
		u8 x = a->s6_addr[i] ^ b->s6_addr[i];

		if (x) {
			n += 8 - fls(x);
			break;
		}
		n += 8;
	}
	return min(n, plen);
}

/* A candidate source and what the rules compare of it. */
struct addrsel_cand {
	const struct kame_ifaddr *ifa;
	struct addrsel_attr pol;
	int scope;
	bool deprecated, oif, up, temporary;
	unsigned int common;
};

/* The destination as the rules see it. */
struct addrsel_dst {
	const struct in6_addr *addr;	/* embedded form */
	struct addrsel_attr pol;
	int scope;
};

/*
 * RFC 6724 section 5: is the new candidate c better than the best b so
 * far? Rules 1 (same address) and 4 (home addresses, no Mobile IPv6
 * here) are decided by the caller or not at all. Rule 7 prefers
 * temporary addresses with net.inet6.ip6.prefer_tempaddr (RFC 6724's
 * choice), public ones without (KAME's default), unless the socket's
 * RFC 5014 preference says otherwise (the caller's prefer_temp). KAME's
 * own rule, before rule 8: prefer addresses on interfaces that are up.
 */
static bool addrsel_better(const struct addrsel_cand *c,
			   const struct addrsel_cand *b,
			   const struct addrsel_dst *d, bool prefer_temp)
{
	/* rule 2: appropriate scope */
	if (c->scope != b->scope) {
		if (b->scope < c->scope)
			return b->scope < d->scope;
		return c->scope >= d->scope;
	}
	/* rule 3: avoid deprecated addresses */
	if (c->deprecated != b->deprecated)
		return !c->deprecated;
	/* rule 5: prefer the outgoing interface */
	if (c->oif != b->oif)
		return c->oif;
	/* rule 6: prefer a matching label */
	if (d->pol.label != KAME_ADDRSEL_LABEL_NOTAPP &&
	    (c->pol.label == d->pol.label) != (b->pol.label == d->pol.label))
		return c->pol.label == d->pol.label;
	/* rule 7: temporary addresses, or public ones */
	if (c->temporary != b->temporary)
		return c->temporary == prefer_temp;
	/* KAME: prefer addresses on interfaces that are up */
	if (c->up != b->up)
		return c->up;
	/* rule 8: longest matching prefix */
	return c->common > b->common;
}

static void addrsel_cand_fill(struct kame_net *kn, struct addrsel_cand *c,
			      const struct kame_ifaddr *ifa,
			      const struct kame_if *oif,
			      const struct addrsel_dst *d)
{
	struct in6_addr plain = ifa->addr;

	kame_in6_clearscope(&plain);
	c->ifa = ifa;
	c->pol = kame_addrsel_lookup(kn, &plain);
	c->scope = addrsel_scope(&plain);
	c->deprecated = READ_ONCE(ifa->flags) & KAME_ADDR_F_DEPRECATED;
	c->temporary = READ_ONCE(ifa->flags) & KAME_ADDR_F_TEMPORARY;
	c->oif = ifa->kif == oif;
	c->up = ifa->kif->dev->flags & IFF_UP;
	c->common = addrsel_common(&ifa->addr, d->addr, ifa->plen);
}

/*
 * RFC 5014 IPV6_ADDR_PREFERENCES, with Linux's flags (linux/in6.h): the
 * preferences a socket keeps are IPV6_PREFER_SRC_TMP or _PUBLIC (rule 7;
 * neither: _PUBTMP_DEFAULT, the knob net.inet6.ip6.prefer_tempaddr) and
 * _COA (rule 4; _HOME clears it). Without Mobile IPv6 there are no home
 * addresses, so HOME and COA change no choice; nor are there CGAs (RFC
 * 3972), so _CGA and _NONCGA are accepted and not kept. A group left out
 * of a set keeps its value.
 */
#define SRCPREF_TEMP	(IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_PUBLIC | \
			 IPV6_PREFER_SRC_PUBTMP_DEFAULT)
#define SRCPREF_MIP	(IPV6_PREFER_SRC_HOME | IPV6_PREFER_SRC_COA)
#define SRCPREF_CGA	(IPV6_PREFER_SRC_CGA | IPV6_PREFER_SRC_NONCGA)

/*
 * Set val over the preferences cur into *prefs. RFC 5014 section 5:
 * contradictory flags (two of one group) are EINVAL; so are flags RFC
 * 5014 does not define (Linux ignores those).
 */
int kame_in6_srcprefs_set(u8 cur, int val, u8 *prefs)
{
	u32 v = val, temp = v & SRCPREF_TEMP, mip = v & SRCPREF_MIP;

	if ((v & ~(SRCPREF_TEMP | SRCPREF_MIP | SRCPREF_CGA)) ||
	    hweight32(temp) > 1 || hweight32(mip) > 1 ||
	    hweight32(v & SRCPREF_CGA) > 1)
		return -EINVAL;
	if (temp)
		cur = (cur & ~(IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_PUBLIC)) |
		      (temp & (IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_PUBLIC));
	if (mip)
		cur = (cur & ~IPV6_PREFER_SRC_COA) |
		      (mip & IPV6_PREFER_SRC_COA);
	*prefs = cur;
	return 0;
}

/* The flags getsockopt reports: one of each group that is kept. */
int kame_in6_srcprefs_get(u8 prefs)
{
	int v;

	if (prefs & IPV6_PREFER_SRC_TMP)
		v = IPV6_PREFER_SRC_TMP;
	else if (prefs & IPV6_PREFER_SRC_PUBLIC)
		v = IPV6_PREFER_SRC_PUBLIC;
	else
		v = IPV6_PREFER_SRC_PUBTMP_DEFAULT;
	return v | (prefs & IPV6_PREFER_SRC_COA ? IPV6_PREFER_SRC_COA :
		    IPV6_PREFER_SRC_HOME);
}

/* Rule 7 for a socket's preferences: temporary addresses first? */
static bool addrsel_prefer_temp(struct kame_net *kn, u8 prefs)
{
	if (prefs & IPV6_PREFER_SRC_TMP)
		return true;
	if (prefs & IPV6_PREFER_SRC_PUBLIC)
		return false;
	return READ_ONCE(kn->prefer_tempaddr);
}

/*
 * The source address for dst (embedded form) sent out of kif: the best
 * usable address (not tentative, duplicated or anycast) by the rules of
 * RFC 6724, among those of kif or, with any_if, of every attached
 * interface, with the RFC 5014 preferences prefs of a socket (0: the
 * node's). An address never leaves its zone: a scoped destination
 * takes its source from kif only, and a link-local address of another
 * interface is never a candidate. Caller holds RCU or RTNL.
 */
const struct kame_ifaddr *kame_in6_selectsrc(struct kame_if *kif,
					     const struct in6_addr *dst,
					     bool any_if, u8 prefs)
{
	struct addrsel_cand best = { }, c;
	struct kame_net *kn = kif->kn;
	bool prefer_temp = addrsel_prefer_temp(kn, prefs);
	const struct kame_ifaddr *ifa;
	struct in6_addr plain = *dst;
	struct addrsel_dst d;
	struct kame_if *k;

	kame_in6_clearscope(&plain);
	rcu_read_lock();
	d.addr = dst;
	d.pol = kame_addrsel_lookup(kn, &plain);
	d.scope = addrsel_scope(&plain);
	if (kame_in6_is_scoped(dst))
		any_if = false;
	list_for_each_entry_rcu(k, &kn->ifs, list) {
		if (k != kif && (!any_if ||
				 (READ_ONCE(k->nd_flags) & KAME_NDIF_F_DISABLED)))
			continue;
		list_for_each_entry_rcu(ifa, &k->addrs, list) {
			/* nor of a detached prefix (004's model) */
			if (!kame_ifa_usable(ifa) ||
			    (READ_ONCE(ifa->flags) & KAME_ADDR_F_DETACHED) ||
			    (k != kif && kame_in6_is_scoped(&ifa->addr)))
				continue;
			/* rule 1: prefer the same address */
			if (ipv6_addr_equal(&ifa->addr, dst)) {
				best.ifa = ifa;
				goto out;
			}
			addrsel_cand_fill(kn, &c, ifa, kif, &d);
			if (!best.ifa ||
			    addrsel_better(&c, &best, &d, prefer_temp))
				best = c;
		}
	}
out:
	rcu_read_unlock();
	return best.ifa;
}

/* The policy table */

static void addrsel_mask_plen(const struct in6_addr *mask, int *plen)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < 16; i++) {
		u8 b = mask->s6_addr[i];

		if (b == 0xff) {
			n += 8;
			continue;
		}
		/* ones then zeros: b is 0x80, 0xc0, ... or 0 */
		if ((u8)(b | (b - 1)) != 0xff && b) {
			*plen = -1;
			return;
		}
		n += b ? 8 - __ffs(b) : 0;
		for (i++; i < 16; i++)
			if (mask->s6_addr[i]) {
				*plen = -1;
				return;
			}
		break;
	}
	*plen = n;
}

const struct nla_policy kame_addrsel_policy[KAME_ADDRSEL_A_MAX + 1] = {
	[KAME_ADDRSEL_A_PREFIX] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ADDRSEL_A_MASK] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ADDRSEL_A_PRECEDENCE] = { .type = NLA_U32 },
	[KAME_ADDRSEL_A_LABEL] = { .type = NLA_U32 },
	[KAME_ADDRSEL_A_USE] = { .type = NLA_REJECT,
				 .reject_message = "the use count is read-only" },
};

#define ADDRSEL_NONE	"this command takes no attribute"

const struct nla_policy kame_addrsel_none_policy[KAME_ADDRSEL_A_MAX + 1] = {
	[KAME_ADDRSEL_A_PREFIX] = { .type = NLA_REJECT,
				    .reject_message = ADDRSEL_NONE },
	[KAME_ADDRSEL_A_MASK] = { .type = NLA_REJECT,
				  .reject_message = ADDRSEL_NONE },
	[KAME_ADDRSEL_A_PRECEDENCE] = { .type = NLA_REJECT,
					.reject_message = ADDRSEL_NONE },
	[KAME_ADDRSEL_A_LABEL] = { .type = NLA_REJECT,
				   .reject_message = ADDRSEL_NONE },
	[KAME_ADDRSEL_A_USE] = { .type = NLA_REJECT,
				 .reject_message = ADDRSEL_NONE },
};

/* 0 when the request has attribute type, else EINVAL with msg */
#define addrsel_need(info, type, msg) ({				\
	int __e = 0;							\
	if (!(info)->attrs[type]) {					\
		NL_SET_ERR_MSG_MOD((info)->extack, msg);		\
		__e = -EINVAL;						\
	}								\
	__e;								\
})

/* PREFIX and MASK of a request: the masked prefix and its length. */
static int addrsel_nl_key(struct genl_info *info, struct in6_addr *prefix,
			  u8 *plenp)
{
	struct in6_addr mask;
	int err, plen;

	err = addrsel_need(info, KAME_ADDRSEL_A_PREFIX,
			   "KAME_ADDRSEL_A_PREFIX is required") ?:
	      addrsel_need(info, KAME_ADDRSEL_A_MASK,
			   "KAME_ADDRSEL_A_MASK is required");
	if (err)
		return err;
	mask = nla_get_in6_addr(info->attrs[KAME_ADDRSEL_A_MASK]);
	addrsel_mask_plen(&mask, &plen);
	if (plen < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KAME_ADDRSEL_A_MASK],
				    "the mask is not contiguous");
		return -EINVAL;
	}
	mask = nla_get_in6_addr(info->attrs[KAME_ADDRSEL_A_PREFIX]);
	ipv6_addr_prefix(prefix, &mask, plen);	/* no aliasing: it clears first */
	*plenp = plen;
	return 0;
}

/* The entry for prefix/plen, under kn->addrsel_lock. */
static struct kame_addrsel_pol *addrsel_find(struct kame_net *kn,
					     const struct in6_addr *prefix,
					     u8 plen)
{
	struct kame_addrsel_pol *pol;

	list_for_each_entry(pol, &kn->addrsel, list)
		if (pol->plen == plen && ipv6_addr_equal(&pol->prefix, prefix))
			return pol;
	return NULL;
}

int kame_nl_addrsel_new(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	struct kame_addrsel_pol *pol;
	struct in6_addr prefix;
	u8 plen;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info) ?:
	      addrsel_nl_key(info, &prefix, &plen) ?:
	      addrsel_need(info, KAME_ADDRSEL_A_PRECEDENCE,
			   "KAME_ADDRSEL_A_PRECEDENCE is required") ?:
	      addrsel_need(info, KAME_ADDRSEL_A_LABEL,
			   "KAME_ADDRSEL_A_LABEL is required");
	if (err)
		return err;
	if (nla_get_u32(tb[KAME_ADDRSEL_A_LABEL]) == KAME_ADDRSEL_LABEL_NOTAPP) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ADDRSEL_A_LABEL],
				    "label 0xffffffff (-1) means not applicable");
		return -EINVAL;
	}
	pol = kzalloc(sizeof(*pol), GFP_KERNEL_ACCOUNT);
	if (!pol)
		return -ENOMEM;
	pol->prefix = prefix;
	pol->plen = plen;
	pol->preced = nla_get_u32(tb[KAME_ADDRSEL_A_PRECEDENCE]);
	pol->label = nla_get_u32(tb[KAME_ADDRSEL_A_LABEL]);
	mutex_lock(&kn->addrsel_lock);
	if (addrsel_find(kn, &prefix, plen)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a policy for this prefix exists (delete it first)");
		err = -EEXIST;
	} else if (kn->addrsel_count >= READ_ONCE(kn->addrsel_max)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the policy table is full (net.inet6.ip6.addrctlpolicy_max)");
		err = -ENOBUFS;
	} else {
		list_add_tail_rcu(&pol->list, &kn->addrsel);
		kn->addrsel_count++;
		pol = NULL;
	}
	mutex_unlock(&kn->addrsel_lock);
	kfree(pol);
	return err;
}

static void addrsel_unlink(struct kame_net *kn, struct kame_addrsel_pol *pol)
{
	list_del_rcu(&pol->list);
	kn->addrsel_count--;
	kfree_rcu(pol, rcu);
}

int kame_nl_addrsel_del(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct kame_addrsel_pol *pol;
	struct in6_addr prefix;
	u8 plen;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info) ?:
	      addrsel_nl_key(info, &prefix, &plen);
	if (err)
		return err;
	if (info->attrs[KAME_ADDRSEL_A_PRECEDENCE] ||
	    info->attrs[KAME_ADDRSEL_A_LABEL]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "KAME_CMD_ADDRSEL_DEL takes the prefix and mask only");
		return -EINVAL;
	}
	mutex_lock(&kn->addrsel_lock);
	pol = addrsel_find(kn, &prefix, plen);
	if (pol)
		addrsel_unlink(kn, pol);
	mutex_unlock(&kn->addrsel_lock);
	if (!pol) {
		NL_SET_ERR_MSG_MOD(info->extack, "no policy for this prefix");
		return -ESRCH;
	}
	return 0;
}

static void addrsel_flush(struct kame_net *kn)
{
	struct kame_addrsel_pol *pol, *tmp;

	mutex_lock(&kn->addrsel_lock);
	list_for_each_entry_safe(pol, tmp, &kn->addrsel, list)
		addrsel_unlink(kn, pol);
	mutex_unlock(&kn->addrsel_lock);
}

int kame_nl_addrsel_flush(struct sk_buff *skb, struct genl_info *info)
{
	int err = kame_nl_admin(skb, info);

	if (!err)
		addrsel_flush(kame_net(genl_info_net(info)));
	return err;
}

static int addrsel_fill(struct sk_buff *skb, struct netlink_callback *cb,
			const struct kame_addrsel_pol *pol)
{
	struct in6_addr mask, ones;
	void *hdr;

	memset(&ones, 0xff, sizeof(ones));
	ipv6_addr_prefix(&mask, &ones, pol->plen);
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kame_genl_family, NLM_F_MULTI, KAME_CMD_ADDRSEL_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, KAME_ADDRSEL_A_PREFIX, &pol->prefix) ||
	    nla_put_in6_addr(skb, KAME_ADDRSEL_A_MASK, &mask) ||
	    nla_put_u32(skb, KAME_ADDRSEL_A_PRECEDENCE, pol->preced) ||
	    nla_put_u32(skb, KAME_ADDRSEL_A_LABEL, pol->label) ||
	    nla_put_u64_64bit(skb, KAME_ADDRSEL_A_USE,
			      atomic64_read(&pol->use), KAME_ADDRSEL_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: entries already sent. */
int kame_nl_addrsel_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	struct kame_addrsel_pol *pol;
	long idx = 0, start = cb->args[0];

	rcu_read_lock();
	list_for_each_entry_rcu(pol, &kn->addrsel, list) {
		if (idx++ < start)
			continue;
		if (addrsel_fill(skb, cb, pol)) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

void kame_addrsel_init_net(struct kame_net *kn)
{
	mutex_init(&kn->addrsel_lock);
	INIT_LIST_HEAD(&kn->addrsel);
	kn->addrsel_max = ADDRSEL_DEFAULT_MAX;
}

void kame_addrsel_exit_net(struct kame_net *kn)
{
	addrsel_flush(kn);
}

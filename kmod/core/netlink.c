// SPDX-License-Identifier: GPL-2.0
/*
 * The "kame" generic netlink family: the stack's control plane.
 * uapi/linux/kame.h documents every command and attribute.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "kame.h"


static const struct nla_policy kame_link_policy[KAME_LINK_A_MAX + 1] = {
	[KAME_LINK_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_LINK_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[KAME_LINK_A_NATIVE_SAVED] = NLA_POLICY_MAX(NLA_U8, 1),
	[KAME_LINK_A_MTU] = { .type = NLA_REJECT,
			      .reject_message = "read-only attribute" },
	[KAME_LINK_A_LLADDR] = { .type = NLA_REJECT,
				 .reject_message = "read-only attribute" },
	[KAME_LINK_A_FLAGS] = { .type = NLA_REJECT,
				.reject_message = "read-only attribute" },
	[KAME_LINK_A_RX_PACKETS] = { .type = NLA_REJECT,
				     .reject_message = "read-only attribute" },
};

static const struct nla_policy kame_stats_policy[KAME_STATS_A_MAX + 1] = {
	[KAME_STATS_A_GROUP] = NLA_POLICY_MAX(NLA_U32, KAME_STATS_MAX),
	[KAME_STATS_A_COUNTERS] = { .type = NLA_REJECT,
				    .reject_message = "read-only attribute" },
};

static const struct nla_policy kame_addr_policy[KAME_ADDR_A_MAX + 1] = {
	[KAME_ADDR_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_ADDR_A_ADDRESS] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ADDR_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[KAME_ADDR_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, KAME_ADDR_F_ANYCAST),
	[KAME_ADDR_A_VALID_LFT] = { .type = NLA_U32 },
	[KAME_ADDR_A_PREFERRED_LFT] = { .type = NLA_U32 },
};

/* ADDR_DEL names an address; ADDR_GET dumps may filter by interface. */
static const struct nla_policy kame_addr_del_policy[KAME_ADDR_A_MAX + 1] = {
	[KAME_ADDR_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_ADDR_A_ADDRESS] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ADDR_A_PREFIXLEN] = { .type = NLA_REJECT,
				    .reject_message = "only KAME_CMD_ADDR_NEW takes this attribute" },
	[KAME_ADDR_A_FLAGS] = { .type = NLA_REJECT,
				.reject_message = "only KAME_CMD_ADDR_NEW takes this attribute" },
	[KAME_ADDR_A_VALID_LFT] = { .type = NLA_REJECT,
				    .reject_message = "only KAME_CMD_ADDR_NEW takes this attribute" },
	[KAME_ADDR_A_PREFERRED_LFT] = { .type = NLA_REJECT,
					.reject_message = "only KAME_CMD_ADDR_NEW takes this attribute" },
};

static const struct nla_policy kame_addr_dump_policy[KAME_ADDR_A_MAX + 1] = {
	[KAME_ADDR_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_ADDR_A_ADDRESS] = { .type = NLA_REJECT,
				  .reject_message = "a dump filters by KAME_ADDR_A_IFINDEX only" },
	[KAME_ADDR_A_PREFIXLEN] = { .type = NLA_REJECT,
				    .reject_message = "a dump filters by KAME_ADDR_A_IFINDEX only" },
	[KAME_ADDR_A_FLAGS] = { .type = NLA_REJECT,
				.reject_message = "a dump filters by KAME_ADDR_A_IFINDEX only" },
	[KAME_ADDR_A_VALID_LFT] = { .type = NLA_REJECT,
				    .reject_message = "a dump filters by KAME_ADDR_A_IFINDEX only" },
	[KAME_ADDR_A_PREFERRED_LFT] = { .type = NLA_REJECT,
					.reject_message = "a dump filters by KAME_ADDR_A_IFINDEX only" },
};

static const struct nla_policy kame_sysctl_policy[KAME_SYSCTL_A_MAX_ATTR + 1] = {
	[KAME_SYSCTL_A_NAME] = { .type = NLA_NUL_STRING, .len = 63 },
	[KAME_SYSCTL_A_VALUE] = { .type = NLA_U32 },
	[KAME_SYSCTL_A_MIN] = { .type = NLA_REJECT,
				.reject_message = "read-only attribute" },
	[KAME_SYSCTL_A_MAX] = { .type = NLA_REJECT,
				.reject_message = "read-only attribute" },
};

static struct netlink_range_validation kame_nd_lifetime = {
	.min = 1, .max = 86400 * 365,
};

static const struct nla_policy kame_nd_policy[KAME_ND_A_MAX + 1] = {
	[KAME_ND_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_ND_A_ADDRESS] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ND_A_LLADDR] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[KAME_ND_A_STATE] = { .type = NLA_REJECT,
			      .reject_message = "read-only attribute" },
	[KAME_ND_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, KAME_ND_F_STATIC |
					    KAME_ND_F_PROXY | KAME_ND_F_TEMP),
	[KAME_ND_A_EXPIRE] = NLA_POLICY_FULL_RANGE(NLA_U32, &kame_nd_lifetime),
	[KAME_ND_A_ASKED] = { .type = NLA_REJECT,
			      .reject_message = "read-only attribute" },
};

/*
 * The policy checks reject unknown and malformed attributes; a repeated
 * attribute would silently win over the first, so refuse it here.
 */
int kame_nl_no_dups(struct genl_info *info)
{
	const struct nlattr *nla;
	unsigned long seen[BITS_TO_LONGS(64)] = { 0 };
	int rem;

	nla_for_each_attr(nla, nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
			  nlmsg_attrlen(info->nlhdr, GENL_HDRLEN), rem) {
		int type = nla_type(nla);

		if (type >= 64)
			continue;	/* policy validation rejected those */
		if (__test_and_set_bit(type, seen)) {
			NL_SET_ERR_MSG_ATTR(info->extack, nla,
					    "duplicate attribute");
			return -EINVAL;
		}
	}
	return 0;
}

int kame_nl_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (!netlink_ns_capable(skb, genl_info_net(info)->user_ns,
				CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "CAP_NET_ADMIN in the namespace's user namespace is required");
		return -EPERM;
	}
	return 0;
}

/* Exactly one of IFINDEX and IFNAME names an interface of this netns. */
static struct net_device *kame_nl_dev(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct net *net = genl_info_net(info);
	struct net_device *dev;

	if (!tb[KAME_LINK_A_IFINDEX] == !tb[KAME_LINK_A_IFNAME]) {
		if (tb[KAME_LINK_A_IFNAME])
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_LINK_A_IFNAME],
					    "give only one of KAME_LINK_A_IFINDEX and KAME_LINK_A_IFNAME");
		else
			NL_SET_ERR_MSG_MOD(info->extack,
					   "missing interface: KAME_LINK_A_IFINDEX or KAME_LINK_A_IFNAME is required");
		return ERR_PTR(-EINVAL);
	}
	if (tb[KAME_LINK_A_IFINDEX]) {
		dev = __dev_get_by_index(net, nla_get_u32(tb[KAME_LINK_A_IFINDEX]));
		if (!dev)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_LINK_A_IFINDEX],
					    "no interface with this index in the network namespace");
	} else {
		dev = __dev_get_by_name(net, nla_data(tb[KAME_LINK_A_IFNAME]));
		if (!dev)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_LINK_A_IFNAME],
					    "no interface with this name in the network namespace");
	}
	return dev ?: ERR_PTR(-ENODEV);
}

/*
 * The attached interface an ifindex attribute names: NULL when the
 * attribute is absent, an error pointer (with extack) when it names no
 * interface of this namespace or one not attached. Under RTNL.
 */
struct kame_if *kame_nl_kif_attr(struct genl_info *info, int attr)
{
	return kame_nl_kif_nla(genl_info_net(info), info->attrs[attr],
			       info->extack);
}

/* The attached interface of the u32 ifindex attribute nla, NULL if none. */
struct kame_if *kame_nl_kif_nla(struct net *net, const struct nlattr *nla,
				struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct kame_if *kif;

	if (!nla)
		return NULL;
	dev = __dev_get_by_index(net, nla_get_u32(nla));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "no interface with this index in the network namespace");
		return ERR_PTR(-ENODEV);
	}
	kif = kame_if_find(kame_net(net), dev);
	if (!kif) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "interface is not attached to the KAME stack");
		return ERR_PTR(-ENOENT);
	}
	return kif;
}

static struct kame_if *kame_nl_kif(struct genl_info *info)
{
	struct net_device *dev = kame_nl_dev(info);
	struct kame_if *kif;

	if (IS_ERR(dev))
		return ERR_CAST(dev);
	kif = kame_if_find(kame_net(genl_info_net(info)), dev);
	if (!kif) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "interface is not attached to the KAME stack");
		return ERR_PTR(-ENOENT);
	}
	return kif;
}

static int kame_nl_fill_link(struct sk_buff *skb, const struct kame_if *kif,
			     u32 portid, u32 seq, int flags,
			     struct netlink_callback *cb)
{
	const struct net_device *dev = kif->dev;
	u32 lflags = 0;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kame_genl_family, flags,
			  KAME_CMD_LINK_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (dev->flags & IFF_UP)
		lflags |= KAME_LINK_F_UP;
	if (netif_running(dev) && netif_carrier_ok(dev))
		lflags |= KAME_LINK_F_RUNNING;
	if (kif->nolladdr)
		lflags |= KAME_LINK_F_POINTOPOINT;
	if (nla_put_u32(skb, KAME_LINK_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, KAME_LINK_A_IFNAME, dev->name) ||
	    nla_put_u32(skb, KAME_LINK_A_MTU, READ_ONCE(dev->mtu)) ||
	    nla_put_u32(skb, KAME_LINK_A_FLAGS, lflags) ||
	    nla_put_u8(skb, KAME_LINK_A_NATIVE_SAVED, kif->native_saved) ||
	    nla_put_u64_64bit(skb, KAME_LINK_A_RX_PACKETS,
			      kame_stat_sum(kif->rx_packets, 0),
			      KAME_LINK_A_PAD) ||
	    (dev->addr_len && !kif->nolladdr &&
	     nla_put(skb, KAME_LINK_A_LLADDR, dev->addr_len, dev->dev_addr))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int kame_nl_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_if *kif;
	struct sk_buff *msg;
	int err;

	err = kame_nl_no_dups(info);
	if (err)
		return err;
	if (info->attrs[KAME_LINK_A_NATIVE_SAVED]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KAME_LINK_A_NATIVE_SAVED],
				    "attribute only valid when attaching");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	kif = kame_nl_kif(info);
	if (IS_ERR(kif))
		err = PTR_ERR(kif);
	else
		err = kame_nl_fill_link(msg, kif, info->snd_portid,
					info->snd_seq, 0, NULL);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int kame_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	long idx = 0, start = cb->args[0];
	struct kame_if *kif;
	int err = 0;

	rcu_read_lock();
	cb->seq = READ_ONCE(kn->gen);
	list_for_each_entry_rcu(kif, &kn->ifs, list) {
		if (idx++ < start)
			continue;
		err = kame_nl_fill_link(skb, kif, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return err == -EMSGSIZE && idx > start ? skb->len : (err ?: skb->len);
}

static int kame_nl_link_attach(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	u8 saved = 0;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	if (info->attrs[KAME_LINK_A_NATIVE_SAVED])
		saved = nla_get_u8(info->attrs[KAME_LINK_A_NATIVE_SAVED]);
	rtnl_lock();
	dev = kame_nl_dev(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = kame_in6_ifattach(kame_net(genl_info_net(info)), dev,
					saved, NULL, info->extack);
	rtnl_unlock();
	return err;
}

static int kame_nl_link_detach(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_if *kif;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	if (info->attrs[KAME_LINK_A_NATIVE_SAVED]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KAME_LINK_A_NATIVE_SAVED],
				    "attribute only valid when attaching");
		return -EINVAL;
	}
	rtnl_lock();
	kif = kame_nl_kif(info);
	if (IS_ERR(kif)) {
		err = PTR_ERR(kif);
	} else if (kif->lops) {
		/* attach could not give it back its module's ops */
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the device's module attached it: it stays attached while it exists");
		err = -EBUSY;
	} else {
		kame_in6_ifdetach(kif);
	}
	rtnl_unlock();
	return err;
}

/* kame_ipsec.ko's counters; an empty nest without the module */
static int kame_nl_put_ipsec_stats(struct sk_buff *msg, struct kame_net *kn)
{
	u64 v[__KAME_IPSEC6S_MAX];
	struct nlattr *nest;
	bool have;
	int i;

	have = kame_ipsec_stats(kn, v, ARRAY_SIZE(v));
	nest = nla_nest_start(msg, KAME_STATS_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; have && i < ARRAY_SIZE(v); i++)
		if (nla_put_u64_64bit(msg, i + 1, v[i], 0))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int kame_nl_put_stats(struct sk_buff *msg, struct kame_net *kn,
			     u32 group)
{
	const u64 __percpu *base;
	struct nlattr *nest;
	int i, n;

	if (group == KAME_STATS_IPSEC6)
		return kame_nl_put_ipsec_stats(msg, kn);
	if (group == KAME_STATS_ICMP6) {
		base = &kn->icmp6stat->cnt[0];
		n = __KAME_ICP6S_MAX;
	} else if (group == KAME_STATS_UDP6) {
		base = &kn->udp6stat->cnt[0];
		n = __KAME_UDP6S_MAX;
	} else if (group == KAME_STATS_ND6) {
		base = &kn->nd6stat->cnt[0];
		n = __KAME_ND6S_MAX;
	} else if (group == KAME_STATS_RIP6) {
		base = &kn->rip6stat->cnt[0];
		n = __KAME_RIP6S_MAX;
	} else {
		base = &kn->ip6stat->cnt[0];
		n = __KAME_IP6S_MAX;
	}
	nest = nla_nest_start(msg, KAME_STATS_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(msg, i + 1, kame_stat_sum(base, i), 0))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int kame_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct sk_buff *msg;
	u32 group;
	void *hdr;
	int err;

	err = kame_nl_no_dups(info);
	if (err)
		return err;
	if (!info->attrs[KAME_STATS_A_GROUP]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing KAME_STATS_A_GROUP");
		return -EINVAL;
	}
	group = nla_get_u32(info->attrs[KAME_STATS_A_GROUP]);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kame_genl_family, 0,
				KAME_CMD_STATS_GET);
	if (!hdr || nla_put_u32(msg, KAME_STATS_A_GROUP, group) ||
	    kame_nl_put_stats(msg, kn, group)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * A plain address from userland and its interface, turned into the
 * kernel's embedded form. Bytes 2-3 of a scoped address must be zero.
 */
static int kame_nl_addr(struct genl_info *info, struct kame_if **kifp,
			struct in6_addr *addr)
{
	struct nlattr **tb = info->attrs;

	if (!tb[KAME_ADDR_A_IFINDEX] || !tb[KAME_ADDR_A_ADDRESS]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "KAME_ADDR_A_IFINDEX and KAME_ADDR_A_ADDRESS are required");
		return -EINVAL;
	}
	*addr = nla_get_in6_addr(tb[KAME_ADDR_A_ADDRESS]);
	if (kame_in6_is_scoped(addr) && addr->s6_addr16[1]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ADDR_A_ADDRESS],
				    "scoped address with a zone embedded in bytes 2-3: give the plain address");
		return -EINVAL;
	}
	if (IN6_IS_ADDR_MULTICAST(addr) || IN6_IS_ADDR_UNSPECIFIED(addr) ||
	    IN6_IS_ADDR_LOOPBACK(addr) || IN6_IS_ADDR_V4MAPPED(addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ADDR_A_ADDRESS],
				    "not a unicast address an interface can have");
		return -EINVAL;
	}
	*kifp = kame_nl_kif_attr(info, KAME_ADDR_A_IFINDEX);
	if (IS_ERR(*kifp))
		return PTR_ERR(*kifp);
	kame_in6_setscope(addr, (*kifp)->dev->ifindex);
	return 0;
}

static int kame_nl_addr_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	u32 valid = KAME_LFT_INFINITY, preferred = KAME_LFT_INFINITY;
	struct kame_if *kif;
	struct in6_addr addr;
	u32 flags = 0;
	u8 plen = 64;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	if (tb[KAME_ADDR_A_VALID_LFT])
		valid = nla_get_u32(tb[KAME_ADDR_A_VALID_LFT]);
	if (tb[KAME_ADDR_A_PREFERRED_LFT])
		preferred = nla_get_u32(tb[KAME_ADDR_A_PREFERRED_LFT]);
	if (preferred > valid) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ADDR_A_PREFERRED_LFT],
				    "preferred lifetime is longer than the valid lifetime");
		return -EINVAL;
	}
	if (!valid) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ADDR_A_VALID_LFT],
				    "valid lifetime must not be 0");
		return -EINVAL;
	}
	if (tb[KAME_ADDR_A_PREFIXLEN])
		plen = nla_get_u8(tb[KAME_ADDR_A_PREFIXLEN]);
	if (tb[KAME_ADDR_A_FLAGS])
		flags = nla_get_u32(tb[KAME_ADDR_A_FLAGS]);
	rtnl_lock();
	err = kame_nl_addr(info, &kif, &addr);
	if (!err)
		err = kame_ifa_add(kif, &addr, plen, flags, valid, preferred,
				   info->extack);
	rtnl_unlock();
	return err;
}

static int kame_nl_addr_del(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_ifaddr *ifa;
	struct kame_if *kif;
	struct in6_addr addr;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	rtnl_lock();
	err = kame_nl_addr(info, &kif, &addr);
	if (!err) {
		ifa = kame_ifa_find(kif, &addr);
		if (ifa) {
			kame_ifa_del(ifa);
		} else {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "no such address on the interface");
			err = -EADDRNOTAVAIL;
		}
	}
	rtnl_unlock();
	return err;
}

static int kame_nl_fill_addr(struct sk_buff *skb, const struct kame_ifaddr *ifa,
			     struct netlink_callback *cb)
{
	struct in6_addr a = ifa->addr;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kame_genl_family, NLM_F_MULTI, KAME_CMD_ADDR_GET);
	if (!hdr)
		return -EMSGSIZE;
	kame_in6_clearscope(&a);
	if (nla_put_u32(skb, KAME_ADDR_A_IFINDEX, ifa->kif->dev->ifindex) ||
	    nla_put_in6_addr(skb, KAME_ADDR_A_ADDRESS, &a) ||
	    nla_put_u8(skb, KAME_ADDR_A_PREFIXLEN, ifa->plen) ||
	    nla_put_u32(skb, KAME_ADDR_A_FLAGS, READ_ONCE(ifa->flags)) ||
	    nla_put_u32(skb, KAME_ADDR_A_VALID_LFT,
			kame_ifa_lft_left(ifa->valid_until)) ||
	    nla_put_u32(skb, KAME_ADDR_A_PREFERRED_LFT,
			kame_ifa_lft_left(ifa->preferred_until))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: addresses already sent (a restart skips them). */
static int kame_nl_addr_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	struct nlattr **attrs = kame_dump_attrs(cb);
	struct nlattr *filter = attrs[KAME_ADDR_A_IFINDEX];
	long idx = 0, start = cb->args[0];
	struct kame_ifaddr *ifa;
	struct kame_if *kif;

	rcu_read_lock();
	list_for_each_entry_rcu(kif, &kn->ifs, list) {
		if (filter && kif->dev->ifindex != nla_get_u32(filter))
			continue;
		list_for_each_entry_rcu(ifa, &kif->addrs, list) {
			if (idx++ < start)
				continue;
			if (kame_nl_fill_addr(skb, ifa, cb)) {
				idx--;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static const struct genl_ops kame_genl_ops[] = {
	{
		.cmd = KAME_CMD_LINK_GET,
		.doit = kame_nl_link_get,
		.dumpit = kame_nl_link_dump,
		.policy = kame_link_policy,
		.maxattr = KAME_LINK_A_MAX,
	},
	{
		.cmd = KAME_CMD_LINK_ATTACH,
		.doit = kame_nl_link_attach,
		.policy = kame_link_policy,
		.maxattr = KAME_LINK_A_MAX,
	},
	{
		.cmd = KAME_CMD_LINK_DETACH,
		.doit = kame_nl_link_detach,
		.policy = kame_link_policy,
		.maxattr = KAME_LINK_A_MAX,
	},
	{
		.cmd = KAME_CMD_STATS_GET,
		.doit = kame_nl_stats_get,
		.policy = kame_stats_policy,
		.maxattr = KAME_STATS_A_MAX,
	},
	{
		.cmd = KAME_CMD_ADDR_GET,
		.dumpit = kame_nl_addr_dump,
		.policy = kame_addr_dump_policy,
		.maxattr = KAME_ADDR_A_MAX,
	},
	{
		.cmd = KAME_CMD_ADDR_NEW,
		.doit = kame_nl_addr_new,
		.policy = kame_addr_policy,
		.maxattr = KAME_ADDR_A_MAX,
	},
	{
		.cmd = KAME_CMD_ADDR_DEL,
		.doit = kame_nl_addr_del,
		.policy = kame_addr_del_policy,
		.maxattr = KAME_ADDR_A_MAX,
	},
	{
		.cmd = KAME_CMD_ND_GET,
		.start = kame_nd6_dump_start,
		.dumpit = kame_nd6_dump,
		.done = kame_nd6_dump_done,
		.policy = kame_nd_policy,
		.maxattr = KAME_ND_A_MAX,
	},
	{
		.cmd = KAME_CMD_SYSCTL_GET,
		.doit = kame_nl_sysctl_get,
		.dumpit = kame_nl_sysctl_dump,
		.policy = kame_sysctl_policy,
		.maxattr = KAME_SYSCTL_A_MAX_ATTR,
	},
	{
		.cmd = KAME_CMD_SYSCTL_SET,
		.doit = kame_nl_sysctl_set,
		.policy = kame_sysctl_policy,
		.maxattr = KAME_SYSCTL_A_MAX_ATTR,
	},
	{
		.cmd = KAME_CMD_ND_NEW,
		.doit = kame_nl_nd_new,
		.policy = kame_nd_policy,
		.maxattr = KAME_ND_A_MAX,
	},
	{
		.cmd = KAME_CMD_ND_DEL,
		.doit = kame_nl_nd_del,
		.policy = kame_nd_policy,
		.maxattr = KAME_ND_A_MAX,
	},
	{
		.cmd = KAME_CMD_ND_FLUSH,
		.doit = kame_nl_nd_flush,
		.policy = kame_nd_policy,
		.maxattr = KAME_ND_A_MAX,
	},
	{
		.cmd = KAME_CMD_NDIF_GET,
		.doit = kame_nl_ndif_get,
		.dumpit = kame_nl_ndif_dump,
		.policy = kame_ndif_policy,
		.maxattr = KAME_NDIF_A_MAX,
	},
	{
		.cmd = KAME_CMD_NDIF_SET,
		.doit = kame_nl_ndif_set,
		.policy = kame_ndif_policy,
		.maxattr = KAME_NDIF_A_MAX,
	},
	{
		.cmd = KAME_CMD_MADDR_GET,
		.dumpit = kame_nl_maddr_dump,
		.policy = kame_maddr_policy,
		.maxattr = KAME_MADDR_A_MAX,
	},
	{
		.cmd = KAME_CMD_SOCK_GET,
		.dumpit = kame_nl_sock_dump,
		.policy = kame_sock_policy,
		.maxattr = KAME_SOCK_A_MAX,
	},
	{
		.cmd = KAME_CMD_ROUTE_GET,
		.start = kame_nl_route_dump_start,
		.dumpit = kame_nl_route_dump,
		.done = kame_nl_route_dump_done,
		.policy = kame_route_dump_policy,
		.maxattr = KAME_ROUTE_A_MAX,
	},
	{
		.cmd = KAME_CMD_ROUTE_NEW,
		.doit = kame_nl_route_new,
		.policy = kame_route_policy,
		.maxattr = KAME_ROUTE_A_MAX,
	},
	{
		.cmd = KAME_CMD_ROUTE_DEL,
		.doit = kame_nl_route_del,
		.policy = kame_route_del_policy,
		.maxattr = KAME_ROUTE_A_MAX,
	},
	{
		.cmd = KAME_CMD_ADDRSEL_GET,
		.dumpit = kame_nl_addrsel_dump,
		.policy = kame_addrsel_none_policy,
		.maxattr = KAME_ADDRSEL_A_MAX,
	},
	{
		.cmd = KAME_CMD_ADDRSEL_NEW,
		.doit = kame_nl_addrsel_new,
		.policy = kame_addrsel_policy,
		.maxattr = KAME_ADDRSEL_A_MAX,
	},
	{
		.cmd = KAME_CMD_ADDRSEL_DEL,
		.doit = kame_nl_addrsel_del,
		.policy = kame_addrsel_policy,
		.maxattr = KAME_ADDRSEL_A_MAX,
	},
	{
		.cmd = KAME_CMD_ADDRSEL_FLUSH,
		.doit = kame_nl_addrsel_flush,
		.policy = kame_addrsel_none_policy,
		.maxattr = KAME_ADDRSEL_A_MAX,
	},
	{
		.cmd = KAME_CMD_DEFRTR_GET,
		.dumpit = kame_nl_defrtr_dump,
		.policy = kame_defrtr_policy,
		.maxattr = KAME_DEFRTR_A_MAX,
	},
	{
		.cmd = KAME_CMD_DEFRTR_FLUSH,
		.doit = kame_nl_defrtr_flush,
		.policy = kame_defrtr_policy,
		.maxattr = KAME_DEFRTR_A_MAX,
	},
	{
		.cmd = KAME_CMD_PREFIX_GET,
		.dumpit = kame_nl_prefix_dump,
		.policy = kame_prefix_policy,
		.maxattr = KAME_PREFIX_A_MAX,
	},
	{
		.cmd = KAME_CMD_PREFIX_FLUSH,
		.doit = kame_nl_prefix_flush,
		.policy = kame_prefix_policy,
		.maxattr = KAME_PREFIX_A_MAX,
	},
	{
		.cmd = KAME_CMD_DEFRTR_HARMONIZE,
		.doit = kame_nl_defrtr_harmonize,
		.policy = kame_defrtr_policy,
		.maxattr = KAME_DEFRTR_A_MAX,
	},
};

struct genl_family kame_genl_family __ro_after_init = {
	.name = KAME_GENL_NAME,
	.version = KAME_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = kame_genl_ops,
	.n_ops = ARRAY_SIZE(kame_genl_ops),
#ifdef KAME_HAVE_GENL_RESV_START_OP
	.resv_start_op = KAME_CMD_LINK_GET,
#endif
};

int kame_genl_init(void)
{
	return genl_register_family(&kame_genl_family);
}

void kame_genl_exit(void)
{
	genl_unregister_family(&kame_genl_family);
}

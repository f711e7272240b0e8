// SPDX-License-Identifier: GPL-2.0
/*
 * The stf link kind of rtnetlink (`ip link add stf0 type stf`, one per
 * namespace: KAME's stf cloner), its IFLA_INFO_DATA attributes (uapi
 * kame_stf.h documents each), and what the KAME stack asks of stf0: the
 * addresses it may have (KAME's stf_ioctl() SIOCSIFADDR rules) and the
 * output of its packets.
 */
#include <linux/ip.h>
#include <net/addrconf.h>
#include <net/rtnetlink.h>
#include "kmod/core/kame_family.h"
#include "if_stf.h"

static const struct nla_policy stf_policy[IFLA_STF_MAX + 1] = {
	[IFLA_STF_FLAGS]	= NLA_POLICY_MASK(NLA_U32, STF_F_ALL),
	[IFLA_STF_TTL]		= NLA_POLICY_MIN(NLA_U8, 1),
	[IFLA_STF_STATS]	= { .type = NLA_REJECT },
};

/* The extack message of a refused embedded IPv4 address (literals). */
static void stf_addr_msg(struct netlink_ext_ack *extack, int stat)
{
	switch (stat) {
	case IFLA_STF_STAT_RX_UNSPEC:
		NL_SET_ERR_MSG_MOD(extack,
				   "the IPv4 address in the 6to4 address is unspecified (0.0.0.0/8)");
		break;
	case IFLA_STF_STAT_RX_LOOPBACK:
		NL_SET_ERR_MSG_MOD(extack,
				   "the IPv4 address in the 6to4 address is loopback (127.0.0.0/8)");
		break;
	case IFLA_STF_STAT_RX_MULTICAST:
		NL_SET_ERR_MSG_MOD(extack,
				   "the IPv4 address in the 6to4 address is multicast (224.0.0.0/4)");
		break;
	case IFLA_STF_STAT_RX_PRIVATE:
		NL_SET_ERR_MSG_MOD(extack,
				   "the IPv4 address in the 6to4 address is private (RFC 1918) and stf0 does not have rfc1918");
		break;
	case IFLA_STF_STAT_RX_LINKLOCAL:
		NL_SET_ERR_MSG_MOD(extack,
				   "the IPv4 address in the 6to4 address is link-local (169.254.0.0/16)");
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack,
				   "the IPv4 address in the 6to4 address is a broadcast address");
	}
}

/*
 * KAME's SIOCSIFADDR on stf: a 6to4 address whose IPv4 address passes
 * the filters, with a prefix of at least the 6to4 /16.
 */
static int stf_addr_check(struct net_device *dev, const struct in6_addr *addr,
			  u8 plen, struct netlink_ext_ack *extack)
{
	struct kame_stf *s = netdev_priv(dev);
	int stat;

	if (!stf_is_6to4(addr)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "stf takes only 6to4 addresses (2002::/16)");
		return -EINVAL;
	}
	if (plen < 16) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a 6to4 prefix is at least 16 bits long");
		return -EINVAL;
	}
	stat = stf_check4(dev_net(dev), READ_ONCE(s->flags),
			  stf_embedded(addr));
	if (stat) {
		stf_addr_msg(extack, stat);
		return -EINVAL;
	}
	return 0;
}

static const struct kame_link_ops stf_kame_ops = {
	.output		= stf_output,
	.addr_check	= stf_addr_check,
};

static void stf_apply(struct kame_stf *s, struct nlattr *data[])
{
	if (!data)
		return;
	if (data[IFLA_STF_FLAGS])
		WRITE_ONCE(s->flags, nla_get_u32(data[IFLA_STF_FLAGS]));
	if (data[IFLA_STF_TTL])
		WRITE_ONCE(s->ttl, nla_get_u8(data[IFLA_STF_TTL]));
}

/* stf0 is KAME's from its creation (see gif_native_off() of gif). */
static void stf_native_off(struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (idev)
		WRITE_ONCE(idev->cnf.disable_ipv6, 1);
}

static int stf_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	struct stf_net *sn = stf_net(dev_net(dev));
	struct kame_stf *s = netdev_priv(dev);
	int err;

	if (rtnl_dereference(sn->stf)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "this namespace has its stf already (one per namespace)");
		return -EEXIST;
	}
	err = register_netdevice(dev);
	if (err)
		return err;
	stf_apply(s, data);
	stf_native_off(dev);
	err = kame_family_ifattach_ops(dev, &stf_kame_ops, extack);
	if (err) {
		unregister_netdevice(dev);	/* rtnetlink's free_netdev() copes */
		return err;
	}
	rcu_assign_pointer(sn->stf, s);
	return 0;
}

static int stf_changelink(struct net_device *dev, struct nlattr *tb[],
			  struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	stf_apply(netdev_priv(dev), data);
	return 0;
}

/* Input finds stf0 under RCU: unregistering waits for it (synchronize). */
static void stf_dellink(struct net_device *dev, struct list_head *head)
{
	RCU_INIT_POINTER(stf_net(dev_net(dev))->stf, NULL);
	unregister_netdevice_queue(dev, head);
}

static size_t stf_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +			/* FLAGS */
	       nla_total_size(sizeof(u8)) +			/* TTL */
	       nla_total_size(0) +				/* STATS */
	       IFLA_STF_STAT_MAX * nla_total_size_64bit(sizeof(u64));
}

static int stf_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct kame_stf *s = netdev_priv(dev);
	struct nlattr *nest;
	int i;

	if (nla_put_u32(skb, IFLA_STF_FLAGS, READ_ONCE(s->flags)) ||
	    nla_put_u8(skb, IFLA_STF_TTL, READ_ONCE(s->ttl)))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, IFLA_STF_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = IFLA_STF_STAT_TX_DOWN; i < IFLA_STF_STAT_PAD; i++)
		if (nla_put_u64_64bit(skb, i, atomic_long_read(&s->stat[i]),
				      IFLA_STF_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct rtnl_link_ops stf_link_ops __read_mostly = {
	.kind		= KAME_STF_KIND,
	.maxtype	= IFLA_STF_MAX,
	.policy		= stf_policy,
	.priv_size	= sizeof(struct kame_stf),
	.setup		= stf_setup,
	.newlink	= stf_newlink,
	.changelink	= stf_changelink,
	.dellink	= stf_dellink,
	.get_size	= stf_get_size,
	.fill_info	= stf_fill_info,
};

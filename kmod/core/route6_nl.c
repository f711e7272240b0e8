// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink of the routing table (kame route show, add, del).
 * uapi/linux/kame.h documents the commands.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "route6.h"

const struct nla_policy kame_route_policy[KAME_ROUTE_A_MAX + 1] = {
	[KAME_ROUTE_A_DST] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ROUTE_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[KAME_ROUTE_A_GATEWAY] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ROUTE_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_ROUTE_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, KAME_RTF_REJECT |
					       KAME_RTF_BLACKHOLE),
	[KAME_ROUTE_A_EXPIRES] = { .type = NLA_REJECT,
				   .reject_message = "KAME_ROUTE_A_EXPIRES is read-only" },
	[KAME_ROUTE_A_MULTIPATH] = { .type = NLA_NESTED },
	[KAME_ROUTE_A_NEXTHOP] = { .type = NLA_REJECT,
				   .reject_message = "KAME_ROUTE_A_NEXTHOP goes in KAME_ROUTE_A_MULTIPATH" },
	[KAME_ROUTE_A_WEIGHT] = { .type = NLA_REJECT,
				  .reject_message = "KAME_ROUTE_A_WEIGHT is read-only: give KAME_NEXTHOP_A_WEIGHT" },
};

static const struct nla_policy kame_nexthop_policy[KAME_NEXTHOP_A_MAX + 1] = {
	[KAME_NEXTHOP_A_GATEWAY] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_NEXTHOP_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_NEXTHOP_A_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, 1, 256),
};

#define RT_DEL_ONLY	"KAME_CMD_ROUTE_DEL does not take this attribute"
#define RT_DUMP_NONE	"a route dump takes no attribute"

const struct nla_policy kame_route_del_policy[KAME_ROUTE_A_MAX + 1] = {
	[KAME_ROUTE_A_DST] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ROUTE_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[KAME_ROUTE_A_GATEWAY] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_ROUTE_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_ROUTE_A_FLAGS] = { .type = NLA_REJECT,
				 .reject_message = RT_DEL_ONLY },
	[KAME_ROUTE_A_EXPIRES] = { .type = NLA_REJECT,
				   .reject_message = RT_DEL_ONLY },
	[KAME_ROUTE_A_MULTIPATH] = { .type = NLA_REJECT,
				     .reject_message = RT_DEL_ONLY },
	[KAME_ROUTE_A_NEXTHOP] = { .type = NLA_REJECT,
				   .reject_message = RT_DEL_ONLY },
	[KAME_ROUTE_A_WEIGHT] = { .type = NLA_REJECT,
				  .reject_message = RT_DEL_ONLY },
};

const struct nla_policy kame_route_dump_policy[KAME_ROUTE_A_MAX + 1] = {
	[KAME_ROUTE_A_DST] = { .type = NLA_REJECT,
			       .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_PREFIXLEN] = { .type = NLA_REJECT,
				     .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_GATEWAY] = { .type = NLA_REJECT,
				   .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_IFINDEX] = { .type = NLA_REJECT,
				   .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_FLAGS] = { .type = NLA_REJECT,
				 .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_EXPIRES] = { .type = NLA_REJECT,
				   .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_MULTIPATH] = { .type = NLA_REJECT,
				     .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_NEXTHOP] = { .type = NLA_REJECT,
				   .reject_message = RT_DUMP_NONE },
	[KAME_ROUTE_A_WEIGHT] = { .type = NLA_REJECT,
				  .reject_message = RT_DUMP_NONE },
};

/*
 * The destination prefix of a request, in the embedded form (the zone of
 * a scoped prefix from the interface). Under RTNL.
 */
static int rt_nl_dst(struct genl_info *info, struct kame_if *kif,
		     struct in6_addr *dst, u8 *plen)
{
	struct nlattr *na = info->attrs[KAME_ROUTE_A_DST];
	struct in6_addr masked;

	if (!na) {
		NL_SET_ERR_MSG_MOD(info->extack, "KAME_ROUTE_A_DST is required");
		return -EINVAL;
	}
	*dst = nla_get_in6_addr(na);
	*plen = info->attrs[KAME_ROUTE_A_PREFIXLEN] ?
		nla_get_u8(info->attrs[KAME_ROUTE_A_PREFIXLEN]) : 128;
	if (kame_in6_is_scoped(dst) && dst->s6_addr16[1]) {
		NL_SET_ERR_MSG_ATTR(info->extack, na,
				    "scoped prefix with a zone embedded in bytes 2-3: give the plain prefix and the interface");
		return -EINVAL;
	}
	ipv6_addr_prefix(&masked, dst, *plen);
	if (!ipv6_addr_equal(&masked, dst)) {
		NL_SET_ERR_MSG_ATTR(info->extack, na,
				    "the prefix has bits set beyond the prefix length");
		return -EINVAL;
	}
	if ((IN6_IS_ADDR_UNSPECIFIED(dst) && *plen == 128) ||
	    IN6_IS_ADDR_LOOPBACK(dst) ||
	    (IN6_IS_ADDR_V4MAPPED(dst) && *plen >= 96)) {
		NL_SET_ERR_MSG_ATTR(info->extack, na,
				    "not a destination the stack routes");
		return -EINVAL;
	}
	if (kame_in6_is_scoped(dst)) {
		if (*plen < 32) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[KAME_ROUTE_A_PREFIXLEN],
					    "a scoped prefix must be /32 or longer to keep its zone");
			return -EINVAL;
		}
		if (!kif) {
			NL_SET_ERR_MSG_ATTR(info->extack, na,
					    "a scoped prefix needs its interface (KAME_ROUTE_A_IFINDEX)");
			return -EINVAL;
		}
		kame_in6_setscope(dst, kif->dev->ifindex);
	}
	return 0;
}

/* A gateway must be a unicast neighbor: plain address, zone from kif. */
static int rt_nl_gw_addr(struct netlink_ext_ack *extack,
			 const struct nlattr *na, struct kame_if *kif,
			 struct in6_addr *gw)
{
	*gw = nla_get_in6_addr(na);
	if (kame_in6_is_scoped(gw) && gw->s6_addr16[1]) {
		NL_SET_ERR_MSG_ATTR(extack, na,
				    "gateway with a zone embedded in bytes 2-3: give the plain address and the interface");
		return -EINVAL;
	}
	if (IN6_IS_ADDR_MULTICAST(gw) || IN6_IS_ADDR_UNSPECIFIED(gw) ||
	    IN6_IS_ADDR_LOOPBACK(gw) || IN6_IS_ADDR_V4MAPPED(gw)) {
		NL_SET_ERR_MSG_ATTR(extack, na,
				    "the gateway must be a unicast address");
		return -EINVAL;
	}
	if (IN6_IS_ADDR_LINKLOCAL(gw)) {
		if (!kif) {
			NL_SET_ERR_MSG_ATTR(extack, na,
					    "a link-local gateway needs its interface (KAME_ROUTE_A_IFINDEX)");
			return -EINVAL;
		}
		kame_in6_setscope(gw, kif->dev->ifindex);
	}
	return 0;
}

/*
 * The gateway of a NEW request: link-local, or a global neighbor on-link
 * on kif (on the interface of its on-link route when kif is NULL), and no
 * address of the node. Under RTNL.
 */
static int rt_nl_gateway(struct kame_net *kn, struct netlink_ext_ack *extack,
			 const struct nlattr *na, struct kame_if **kifp,
			 struct in6_addr *gw)
{
	const struct kame_rt *rt;
	int err;

	err = rt_nl_gw_addr(extack, na, *kifp, gw);
	if (err)
		return err;
	rt = kame_rt_lookup(kn, gw, *kifp);
	if (rt && (rt->flags & KAME_RTF_LOCAL)) {
		NL_SET_ERR_MSG_ATTR(extack, na,
				    "the gateway is an address of this node");
		return -EINVAL;
	}
	if (IN6_IS_ADDR_LINKLOCAL(gw))
		return 0;
	if (!rt || (rt->flags & (KAME_RTF_GATEWAY | KAME_RTF_REJECT |
				 KAME_RTF_BLACKHOLE))) {
		NL_SET_ERR_MSG_ATTR(extack, na,
				    "the gateway is neither link-local nor on-link on the interface");
		return -ENETUNREACH;
	}
	*kifp = rt->kif;
	return 0;
}

/* One KAME_ROUTE_A_NEXTHOP of a multipath route. Under RTNL. */
static int rt_nl_nexthop(struct genl_info *info, const struct nlattr *nha,
			 struct kame_rt_nh *nh)
{
	struct net *net = genl_info_net(info);
	struct nlattr *nb[KAME_NEXTHOP_A_MAX + 1];
	int err;

	err = nla_parse_nested(nb, KAME_NEXTHOP_A_MAX, nha,
			       kame_nexthop_policy, info->extack);
	if (err)
		return err;
	if (!nb[KAME_NEXTHOP_A_GATEWAY]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nha,
				    "a next hop needs KAME_NEXTHOP_A_GATEWAY");
		return -EINVAL;
	}
	nh->kif = kame_nl_kif_nla(net, nb[KAME_NEXTHOP_A_IFINDEX],
				  info->extack);
	if (IS_ERR(nh->kif))
		return PTR_ERR(nh->kif);
	nh->weight = nb[KAME_NEXTHOP_A_WEIGHT] ?
		     nla_get_u32(nb[KAME_NEXTHOP_A_WEIGHT]) : 1;
	return rt_nl_gateway(kame_net(net), info->extack,
			     nb[KAME_NEXTHOP_A_GATEWAY], &nh->kif, &nh->gw);
}

/*
 * The next hops of KAME_ROUTE_A_MULTIPATH into nhs (room for max), their
 * number into *n. Under RTNL.
 */
static int rt_nl_nexthops(struct genl_info *info, struct kame_rt_nh *nhs,
			  unsigned int max, unsigned int *n)
{
	struct nlattr *mp = info->attrs[KAME_ROUTE_A_MULTIPATH], *nha;
	unsigned int i;
	int rem, err;

	*n = 0;
	nla_for_each_nested(nha, mp, rem) {
		if (nla_type(nha) != KAME_ROUTE_A_NEXTHOP) {
			NL_SET_ERR_MSG_ATTR(info->extack, nha,
					    "KAME_ROUTE_A_MULTIPATH holds only KAME_ROUTE_A_NEXTHOP");
			return -EINVAL;
		}
		if (*n == max) {
			NL_SET_ERR_MSG_ATTR(info->extack, nha,
					    "more next hops than net.inet6.ip6.maxnexthops");
			return -E2BIG;
		}
		err = rt_nl_nexthop(info, nha, &nhs[*n]);
		if (err)
			return err;
		for (i = 0; i < *n; i++)
			if (nhs[i].kif == nhs[*n].kif &&
			    ipv6_addr_equal(&nhs[i].gw, &nhs[*n].gw)) {
				NL_SET_ERR_MSG_ATTR(info->extack, nha,
						    "the same next hop twice");
				return -EINVAL;
			}
		(*n)++;
	}
	if (rem > 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, mp,
				    "KAME_ROUTE_A_MULTIPATH ends in a truncated attribute");
		return -EINVAL;
	}
	if (!*n) {
		NL_SET_ERR_MSG_ATTR(info->extack, mp,
				    "KAME_ROUTE_A_MULTIPATH holds no next hop");
		return -EINVAL;
	}
	return 0;
}

/* NEW with KAME_ROUTE_A_MULTIPATH: a route with several next hops. */
static int rt_nl_mpath_new(struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	struct kame_rt_nh *nhs;
	struct in6_addr dst;
	unsigned int n, max;
	u8 plen;
	int err;

	if (tb[KAME_ROUTE_A_GATEWAY] || tb[KAME_ROUTE_A_IFINDEX] ||
	    tb[KAME_ROUTE_A_FLAGS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ROUTE_A_MULTIPATH],
				    "a multipath route takes no KAME_ROUTE_A_GATEWAY, _IFINDEX or _FLAGS beside KAME_ROUTE_A_MULTIPATH");
		return -EINVAL;
	}
	max = READ_ONCE(kn->rt_maxnexthops);
	nhs = kcalloc(max, sizeof(*nhs), GFP_KERNEL);
	if (!nhs)
		return -ENOMEM;
	rtnl_lock();
	err = rt_nl_dst(info, NULL, &dst, &plen) ?:
	      rt_nl_nexthops(info, nhs, max, &n) ?:
	      kame_rt_mpath_add(kn, &dst, plen, nhs, n, info->extack);
	rtnl_unlock();
	kfree(nhs);
	return err;
}

int kame_nl_route_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct in6_addr dst, gw;
	struct kame_if *kif;
	u32 flags = 0;
	u8 plen;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	if (tb[KAME_ROUTE_A_MULTIPATH])
		return rt_nl_mpath_new(info);
	if (tb[KAME_ROUTE_A_FLAGS])
		flags = nla_get_u32(tb[KAME_ROUTE_A_FLAGS]);
	if ((flags & KAME_RTF_REJECT) && (flags & KAME_RTF_BLACKHOLE)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ROUTE_A_FLAGS],
				    "a route is either reject or blackhole");
		return -EINVAL;
	}
	if (flags && tb[KAME_ROUTE_A_GATEWAY]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ROUTE_A_GATEWAY],
				    "a reject or blackhole route has no gateway");
		return -EINVAL;
	}
	rtnl_lock();
	kif = kame_nl_kif_attr(info, KAME_ROUTE_A_IFINDEX);
	err = PTR_ERR_OR_ZERO(kif);
	if (!err)
		err = rt_nl_dst(info, kif, &dst, &plen);
	if (!err && tb[KAME_ROUTE_A_GATEWAY])
		err = rt_nl_gateway(kn, info->extack, tb[KAME_ROUTE_A_GATEWAY],
				    &kif, &gw);
	if (!err && !kif) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a route without a gateway needs its interface (KAME_ROUTE_A_IFINDEX)");
		err = -EINVAL;
	}
	if (!err)
		err = kame_rt_add(kn, &dst, plen, kif,
				  tb[KAME_ROUTE_A_GATEWAY] ? &gw : NULL,
				  flags | KAME_RTF_STATIC, NULL, info->extack);
	rtnl_unlock();
	return err;
}

int kame_nl_route_del(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct in6_addr dst, gw;
	struct kame_if *kif;
	u8 plen;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	rtnl_lock();
	kif = kame_nl_kif_attr(info, KAME_ROUTE_A_IFINDEX);
	err = PTR_ERR_OR_ZERO(kif);
	if (!err)
		err = rt_nl_dst(info, kif, &dst, &plen);
	if (!err && info->attrs[KAME_ROUTE_A_GATEWAY])
		err = rt_nl_gw_addr(info->extack,
				    info->attrs[KAME_ROUTE_A_GATEWAY], kif, &gw);
	if (!err)
		err = kame_rt_del(kn, &dst, plen, kif,
				  info->attrs[KAME_ROUTE_A_GATEWAY] ? &gw : NULL,
				  info->extack);
	rtnl_unlock();
	return err;
}

struct rt_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int rt_fill(const struct kame_rt *rt, void *arg)
{
	struct rt_dump_ctx *ctx = arg;
	struct sk_buff *skb = ctx->skb;
	struct netlink_callback *cb = ctx->cb;
	struct in6_addr dst = rt->node->key, gw = rt->gw;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kame_genl_family, NLM_F_MULTI, KAME_CMD_ROUTE_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	kame_in6_clearscope(&dst);
	kame_in6_clearscope(&gw);
	if (nla_put_in6_addr(skb, KAME_ROUTE_A_DST, &dst) ||
	    nla_put_u8(skb, KAME_ROUTE_A_PREFIXLEN, rt->node->plen) ||
	    nla_put_u32(skb, KAME_ROUTE_A_IFINDEX, rt->kif->dev->ifindex) ||
	    nla_put_u32(skb, KAME_ROUTE_A_FLAGS, rt->flags) ||
	    ((rt->flags & KAME_RTF_GATEWAY) &&
	     nla_put_in6_addr(skb, KAME_ROUTE_A_GATEWAY, &gw)) ||
	    ((rt->flags & KAME_RTF_MPATH) &&
	     nla_put_u32(skb, KAME_ROUTE_A_WEIGHT, rt->weight)) ||
	    (READ_ONCE(rt->expire) &&
	     nla_put_u32(skb, KAME_ROUTE_A_EXPIRES,
			 kame_ifa_lft_left(READ_ONCE(rt->expire))))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the walk position; cb->args[1]: the walk is over. */
int kame_nl_route_dump_start(struct netlink_callback *cb)
{
	struct kame_rt_pos *pos = kzalloc(sizeof(*pos), GFP_KERNEL);

	if (!pos)
		return -ENOMEM;
	pos->plen = -1;
	cb->args[0] = (long)pos;
	cb->args[1] = 0;
	return 0;
}

int kame_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	struct kame_rt_pos *pos = (struct kame_rt_pos *)cb->args[0];
	struct rt_dump_ctx ctx = { .skb = skb, .cb = cb };
	int ret;

	if (cb->args[1])
		return 0;
	spin_lock_bh(&kn->rt_lock);
	cb->seq = kn->rt_gen;
	ret = kame_rt_walk(kn, pos, rt_fill, &ctx);
	spin_unlock_bh(&kn->rt_lock);
	if (!ret)
		cb->args[1] = 1;
	return skb->len;
}

int kame_nl_route_dump_done(struct netlink_callback *cb)
{
	kfree((void *)cb->args[0]);
	return 0;
}

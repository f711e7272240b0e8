// SPDX-License-Identifier: GPL-2.0
/*
 * The stack's knobs (KAME's net.inet6.* sysctls), per network namespace,
 * read and set over netlink. Each knob is a u32 in struct kame_net with a
 * valid range; every limit of the stack is one of them.
 *
 * Whoever owns a namespace may set its knobs, and an unprivileged user
 * owns the namespaces of the user namespace it made (unshare -Urn). So
 * a knob that sizes memory (KNOB_MEM) cannot be raised there above the
 * value of the initial namespace, which only the administrator sets.
 */
#include <net/genetlink.h>
#include <net/sock.h>
#include "kame.h"

struct kame_sysctl {
	const char *name;
	size_t off;		/* of the u32 in struct kame_net */
	u32 min, max;
	bool mem;		/* sizes memory: capped in user namespaces */
};

#define KNOB(_name, _field, _min, _max) \
	{ _name, offsetof(struct kame_net, _field), _min, _max, false }
#define KNOB_MEM(_name, _field, _min, _max) \
	{ _name, offsetof(struct kame_net, _field), _min, _max, true }

static const struct kame_sysctl kame_sysctls[] = {
	KNOB("net.inet6.icmp6.errppslimit", errppslimit, 0, 1000000),
	KNOB_MEM("net.inet6.icmp6.nd6_maxcache", nd_max, 16, 1048576),
	KNOB("net.inet6.ip6.hdrnestlimit", hdrnestlimit, 0, 10000),
	KNOB_MEM("net.inet6.ip6.maxfragpackets", maxfragpackets, 0, 1048576),
	KNOB_MEM("net.inet6.ip6.maxfrags", maxfrags, 0, 1048576),
	KNOB_MEM("net.inet6.ip6.maxfragsperpacket", maxfragsperpacket, 1, 8192),
	KNOB_MEM("net.inet6.ip6.fragttl", fragttl, 1, 3600),
	KNOB("net.inet6.icmp6.nd6_gctimer", nd_gctimer, 1, 31536000),
	KNOB("net.inet6.icmp6.nd6_prune", nd_prune, 1, 3600),
	KNOB("net.inet6.icmp6.nd6_maxndopt", nd_maxndopt, 1, 1000),
	KNOB_MEM("net.inet6.icmp6.nd6_maxqueuelen", nd_maxqueuelen, 1, 1000),
	KNOB_MEM("net.inet6.icmp6.nd6_maxholdbytes", nd_maxholdbytes, 65536,
		 1 << 30),
	KNOB("net.inet6.icmp6.nd6_delay", nd_delay, 1, 3600),
	KNOB("net.inet6.icmp6.nd6_umaxtries", nd_umaxtries, 1, 100),
	KNOB("net.inet6.icmp6.nd6_mmaxtries", nd_mmaxtries, 1, 100),
	KNOB("net.inet6.icmp6.nd6_defifindex", nd_defifindex, 0, 65535),
	KNOB_MEM("net.inet6.ip6.max_memberships", max_memberships, 1, 4095),
	KNOB_MEM("net.inet6.ip6.rt_max", rt_max, 16, 4194304),
	KNOB_MEM("net.inet6.ip6.addrctlpolicy_max", addrsel_max, 1, 65536),
	KNOB_MEM("net.inet6.ip6.intr_queue_maxlen", lo_qmax, 1, 65536),
	KNOB("net.inet6.icmp6.nd6_maxnudhint", nd_maxnudhint, 0, 1000000),
	KNOB("net.inet6.ip6.auto_linklocal", auto_linklocal, 0, 1),
	KNOB("net.inet6.udp6.maxreuse", udp_maxreuse, 1, 65535),
	KNOB("net.inet6.ip6.dad_count", dad_count, 0, 10),
	KNOB("net.inet6.ip6.maxopts", maxopts, 0, 1024),
	KNOB("net.inet6.ip6.maxoptpad", maxoptpad, 7, 2048),
	KNOB("net.inet6.icmp6.mld_robustness", mld_robustness, 1, 7),
	KNOB("net.inet6.icmp6.mld_unsol_interval", mld_unsol_interval, 10,
	     60000),
	KNOB_MEM("net.inet6.icmp6.mld_maxsrcs", mld_maxsrcs, 1, 64),
	KNOB_MEM("net.inet6.icmp6.mld_maxleaves", mld_maxleaves, 0, 65536),
	KNOB_MEM("net.inet6.ip6.mcast_maxsocksrc", mcast_maxsocksrc, 1, 4096),
	KNOB_MEM("net.inet6.ip6.mcast_maxgrpsrc", mcast_maxgrpsrc, 1, 4096),
	KNOB("net.inet6.ip6.forwarding", forwarding, 0, 1),
	KNOB("net.inet6.ip6.accept_rtadv", accept_rtadv, 0, 1),
	KNOB_MEM("net.inet6.icmp6.nd6_maxdefrouters", nd_maxdefrouters, 1, 1024),
	KNOB_MEM("net.inet6.icmp6.nd6_maxprefixes", nd_maxprefixes, 1, 4096),
	KNOB_MEM("net.inet6.icmp6.nd6_maxraqueue", nd_maxraqueue, 1, 1024),
	KNOB("net.inet6.ip6.maxnexthops", rt_maxnexthops, 1, 256),
	KNOB("net.inet6.ip6.use_tempaddr", use_tempaddr, 0, 1),
	KNOB("net.inet6.ip6.prefer_tempaddr", prefer_tempaddr, 0, 1),
	KNOB("net.inet6.ip6.temppltime", temppltime, 1, 0xfffffffe),
	KNOB("net.inet6.ip6.tempvltime", tempvltime, 1, 0xfffffffe),
	KNOB_MEM("net.inet6.ip6.tempaddr_max", temp_max, 1, 64),
	KNOB("net.inet6.ip6.accept_rtinfo", accept_rtinfo, 0, 1),
	KNOB("net.inet6.ip6.rtinfo_max_plen", rtinfo_max_plen, 0, 128),
	KNOB_MEM("net.inet6.ip6.rtinfo_max", rtinfo_max, 0, 4096),
	KNOB("net.inet6.icmp6.rediraccept", rediraccept, 0, 1),
	KNOB("net.inet6.icmp6.redirtimeout", redirtimeout, 1, 86400),
	KNOB_MEM("net.inet6.icmp6.redirmax", redirmax, 0, 65536),
	KNOB("net.inet6.ip6.mpath_failhold", rt_mp_failhold, 1, 3600),
};

static u32 *knob_ptr(struct kame_net *kn, const struct kame_sysctl *k)
{
	return (u32 *)((char *)kn + k->off);
}

/*
 * May val be set in kn? A memory knob of a namespace of a non-initial
 * user namespace stays at most at the initial namespace's value. The
 * range is checked by the caller (its error differs: ERANGE, EINVAL).
 */
static bool knob_within_ceiling(struct kame_net *kn,
				const struct kame_sysctl *k, u32 val)
{
	return !k->mem || kn->net->user_ns == &init_user_ns ||
	       val <= READ_ONCE(*knob_ptr(kame_net(&init_net), k));
}

static const struct kame_sysctl *knob_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kame_sysctls); i++)
		if (!strcmp(kame_sysctls[i].name, name))
			return &kame_sysctls[i];
	return NULL;
}

static int knob_fill(struct sk_buff *skb, struct kame_net *kn,
		     const struct kame_sysctl *k, u32 portid, u32 seq,
		     int flags)
{
	void *hdr = genlmsg_put(skb, portid, seq, &kame_genl_family, flags,
				KAME_CMD_SYSCTL_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, KAME_SYSCTL_A_NAME, k->name) ||
	    nla_put_u32(skb, KAME_SYSCTL_A_VALUE, READ_ONCE(*knob_ptr(kn, k))) ||
	    nla_put_u32(skb, KAME_SYSCTL_A_MIN, k->min) ||
	    nla_put_u32(skb, KAME_SYSCTL_A_MAX, k->max)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static const struct kame_sysctl *knob_from_info(struct genl_info *info)
{
	const struct kame_sysctl *k;

	if (!info->attrs[KAME_SYSCTL_A_NAME]) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing KAME_SYSCTL_A_NAME");
		return ERR_PTR(-EINVAL);
	}
	k = knob_find(nla_data(info->attrs[KAME_SYSCTL_A_NAME]));
	if (!k) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KAME_SYSCTL_A_NAME],
				    "unknown knob");
		return ERR_PTR(-ENOENT);
	}
	return k;
}

int kame_nl_sysctl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	const struct kame_sysctl *k;
	struct sk_buff *msg;
	int err;

	err = kame_nl_no_dups(info);
	if (err)
		return err;
	k = knob_from_info(info);
	if (IS_ERR(k))
		return PTR_ERR(k);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = knob_fill(msg, kn, k, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int kame_nl_sysctl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	unsigned long i;

	for (i = cb->args[0]; i < ARRAY_SIZE(kame_sysctls); i++)
		if (knob_fill(skb, kn, &kame_sysctls[i],
			      NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			      NLM_F_MULTI))
			break;
	cb->args[0] = i;
	return skb->len;
}

int kame_nl_sysctl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	const struct kame_sysctl *k;
	u32 val;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	k = knob_from_info(info);
	if (IS_ERR(k))
		return PTR_ERR(k);
	if (!info->attrs[KAME_SYSCTL_A_VALUE]) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing KAME_SYSCTL_A_VALUE");
		return -EINVAL;
	}
	val = nla_get_u32(info->attrs[KAME_SYSCTL_A_VALUE]);
	if (val < k->min || val > k->max) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KAME_SYSCTL_A_VALUE],
				    "value outside the knob's range");
		return -ERANGE;
	}
	if (!knob_within_ceiling(kn, k, val)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KAME_SYSCTL_A_VALUE],
				    "a namespace of a non-initial user namespace cannot raise a memory limit above the initial namespace's value");
		return -EPERM;
	}
	WRITE_ONCE(*knob_ptr(kn, k), val);
	if (k->off == offsetof(struct kame_net, forwarding))
		kame_in6_forwarding_changed(kn);
	return 0;
}

/*
 * The same knobs as sysctls of the namespace, under KAME's names, so that
 * sysctl(8) and /proc/sys/net/inet6/{ip6,icmp6,udp6}/ work as on a KAME
 * system. One table per directory; the handler enforces the range
 * (EINVAL) and the user namespace ceiling (EPERM) as the netlink set does.
 */
static const char *const kame_sysctl_dirs[KAME_SYSCTL_DIRS] = {
	"net.inet6.ip6.", "net.inet6.icmp6.", "net.inet6.udp6.",
};

static int kame_proc_knob(kame_ctl_table *t, int write, void *buffer,
			  size_t *lenp, loff_t *ppos)
{
	const struct kame_sysctl *k = t->extra1;
	struct kame_net *kn = t->extra2;
	unsigned int val = READ_ONCE(*knob_ptr(kn, k));
	unsigned int min = k->min, max = k->max;
	struct ctl_table tmp = {
		.data = &val, .maxlen = sizeof(val), .mode = t->mode,
		.extra1 = &min, .extra2 = &max,
	};
	int err;

	/* as the netlink set: the file's owner alone is not enough */
	if (write && !ns_capable(kn->net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	err = proc_douintvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	if (!knob_within_ceiling(kn, k, val))
		return -EPERM;
	WRITE_ONCE(*knob_ptr(kn, k), val);
	return 0;
}

static struct ctl_table *kame_sysctl_table(struct kame_net *kn,
					   const char *dir, size_t *n)
{
	size_t i, j = 0, dl = strlen(dir);
	struct ctl_table *t;

	/* one more, zeroed: the end of the table for kernels that want it */
	t = kcalloc(ARRAY_SIZE(kame_sysctls) + 1, sizeof(*t),
		    GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(kame_sysctls); i++) {
		const struct kame_sysctl *k = &kame_sysctls[i];

		if (strncmp(k->name, dir, dl) || strchr(k->name + dl, '.'))
			continue;
		t[j].procname = k->name + dl;
		t[j].data = knob_ptr(kn, k);
		t[j].maxlen = sizeof(u32);
		t[j].mode = 0644;
		t[j].proc_handler = kame_proc_knob;
		t[j].extra1 = (void *)k;
		t[j].extra2 = kn;
		j++;
	}
	*n = j;
	return t;
}

void kame_sysctl_exit_net(struct kame_net *kn)
{
	int i;

	for (i = 0; i < KAME_SYSCTL_DIRS; i++) {
		if (kn->sysctl_hdr[i])
			unregister_net_sysctl_table(kn->sysctl_hdr[i]);
		kfree(kn->sysctl_tbl[i]);
		kn->sysctl_hdr[i] = NULL;
		kn->sysctl_tbl[i] = NULL;
	}
}

int kame_sysctl_init_net(struct kame_net *kn)
{
	char path[32];
	size_t n;
	int i;

	for (i = 0; i < KAME_SYSCTL_DIRS; i++) {
		kn->sysctl_tbl[i] = kame_sysctl_table(kn, kame_sysctl_dirs[i],
						      &n);
		if (!kn->sysctl_tbl[i])
			goto err;
		/* "net.inet6.ip6." -> "net/inet6/ip6" */
		strscpy(path, kame_sysctl_dirs[i], sizeof(path));
		path[strlen(path) - 1] = '\0';
		strreplace(path, '.', '/');
		kn->sysctl_hdr[i] = kame_register_net_sysctl(kn->net, path,
							     kn->sysctl_tbl[i],
							     n);
		if (!kn->sysctl_hdr[i])
			goto err;
	}
	return 0;
err:
	kame_sysctl_exit_net(kn);
	return -ENOMEM;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state of the stack.
 */
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include "kame.h"

/* kame_net() in the modules of the family */
unsigned int kame_net_id __read_mostly;
EXPORT_SYMBOL_GPL(kame_net_id);

u64 kame_stat_sum(const u64 __percpu *base, unsigned int idx)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(base, cpu)[idx]);
	return sum;
}

static void kame_net_free_stats(struct kame_net *kn)
{
	free_percpu(kn->ip6stat);
	free_percpu(kn->icmp6stat);
	free_percpu(kn->udp6stat);
	free_percpu(kn->rip6stat);
}

static int __net_init kame_net_init(struct net *net)
{
	struct kame_net *kn = kame_net(net);

	kn->net = net;
	INIT_LIST_HEAD(&kn->ifs);
	kn->ip6stat = alloc_percpu(struct kame_ip6stat);
	kn->icmp6stat = alloc_percpu(struct kame_icmp6stat);
	kn->udp6stat = alloc_percpu(struct kame_udp6stat);
	kn->rip6stat = alloc_percpu(struct kame_rip6stat);
	if (!kn->ip6stat || !kn->icmp6stat || !kn->udp6stat ||
	    !kn->rip6stat || kame_udp6_init_net(kn))
		goto err;
	if (kame_nd6_init_net(kn)) {
		kame_udp6_exit_net(kn);
		goto err;
	}
	spin_lock_init(&kn->raw_lock);
	kame_rt_init_net(kn);
	kame_addrsel_init_net(kn);
	INIT_DELAYED_WORK(&kn->lft_work, kame_in6_lft_work);
	spin_lock_init(&kn->frag_lock);
	spin_lock_init(&kn->err_lock);
	get_random_bytes(&kn->frag_id_key, sizeof(kn->frag_id_key));
	get_random_bytes(&kn->frag_hash_key, sizeof(kn->frag_hash_key));
	get_random_bytes(&kn->ifid_key, sizeof(kn->ifid_key));
	kn->errppslimit = 200;		/* KAME notes 1.9 */
	kn->hdrnestlimit = 50;		/* KAME notes 1.8 */
	kn->maxfragpackets = 1024;
	kn->maxfrags = 4096;
	kn->maxfragsperpacket = 64;
	kn->fragttl = 60;		/* RFC 8200 4.5 */
	kn->max_memberships = 20;	/* KAME's IPV6_MAX_MEMBERSHIPS */
	kn->auto_linklocal = 1;		/* FreeBSD's ip6_auto_linklocal */
	kn->dad_count = 1;		/* RFC 4862 DupAddrDetectTransmits */
	kn->maxopts = 8;		/* RFC 8504 5.3, as Linux */
	kn->maxoptpad = 7;		/* all the alignment can need */
	kn->mld_robustness = 2;		/* RFC 3810 9.1 */
	kn->mld_unsol_interval = 1000;	/* RFC 3810 9.11, ms */
	kn->mld_maxsrcs = 64;		/* a record fits the minimum MTU */
	kn->mld_maxleaves = 256;
	kn->mcast_maxsocksrc = 128;	/* FreeBSD's mcast.maxsocksrc */
	kn->mcast_maxgrpsrc = 512;	/* FreeBSD's mcast.maxgrpsrc */
	kn->forwarding = 0;		/* a host (KAME notes 1.4.2) */
	kn->accept_rtadv = 1;		/* FreeBSD's default of the IF flag */
	kn->nd_maxdefrouters = 16;
	kn->nd_maxprefixes = 64;
	kn->nd_maxraqueue = 32;
	kn->use_tempaddr = 0;		/* KAME's and FreeBSD's default */
	kn->prefer_tempaddr = 0;	/* KAME: public addresses first */
	kn->temppltime = 86400;		/* RFC 8981 3.8: one day */
	kn->tempvltime = 604800;	/* one week */
	kn->temp_max = 16;
	kn->accept_rtinfo = 0;		/* as Linux: off until asked */
	kn->rtinfo_max_plen = 128;
	kn->rtinfo_max = 64;
	kame_nd6_rtr_init_net(kn);
	kame_redirect_init_net(kn);
	/* last: the knobs have their defaults */
	if (kame_sysctl_init_net(kn)) {
		kame_addrsel_exit_net(kn);
		kame_rt_exit_net(kn);
		kame_nd6_exit_net(kn);
		kame_udp6_exit_net(kn);
		goto err;
	}
	return 0;
err:
	kame_net_free_stats(kn);
	return -ENOMEM;
}

/*
 * Registered as a pernet subsystem, so this runs after the namespace's
 * devices were unregistered or moved away: NETDEV_UNREGISTER has detached
 * them already. Anything still here is detached for safety.
 */
static void __net_exit kame_net_exit(struct net *net)
{
	struct kame_net *kn = kame_net(net);
	struct kame_if *kif, *tmp;

	kame_sysctl_exit_net(kn);
	rtnl_lock();
	list_for_each_entry_safe(kif, tmp, &kn->ifs, list)
		kame_in6_ifdetach(kif);
	rtnl_unlock();
	kame_addrsel_exit_net(kn);
	kame_nd6_rtr_exit_net(kn);
	kame_redirect_exit_net(kn);
	cancel_delayed_work_sync(&kn->lft_work);
	kame_rt_exit_net(kn);
	kame_frag6_purge(kn, NULL);
	kame_nd6_exit_net(kn);
	kame_udp6_exit_net(kn);
	/* detach waited for the data path (dev_remove_pack): nobody counts */
	kame_net_free_stats(kn);
}

static struct pernet_operations kame_net_ops = {
	.init = kame_net_init,
	.exit = kame_net_exit,
	.id = &kame_net_id,
	.size = sizeof(struct kame_net),
};

int kame_netns_init(void)
{
	return register_pernet_subsys(&kame_net_ops);
}

void kame_netns_exit(void)
{
	unregister_pernet_subsys(&kame_net_ops);
}

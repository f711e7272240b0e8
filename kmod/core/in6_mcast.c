// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast group membership (KAME's in6_mcast.c, RFC 3493 5.2 and RFC 3678
 * 5.1): the groups an interface listens to, and the groups each socket has
 * joined on an interface.
 *
 * An interface's group (struct kame_in6_multi) counts its users: the node
 * itself (all-nodes on attach, the solicited-node group of each address)
 * and every socket that joined it there. The first user adds the 33:33:xx
 * link-layer group to the device so that the NIC receives its frames, the
 * last one removes it. A socket's memberships (struct kame_mship) are
 * bounded by net.inet6.ip6.max_memberships and dropped on close; detaching
 * an interface drops every membership on it (KAME's in6_pcbpurgeif0).
 *
 * The MLD listener (mld6.c) reports a group when its first user joins
 * and when its last user leaves, and answers queries for it.
 *
 * Locking: every change is made under RTNL; the data path reads the lists
 * under RCU (kame_in6_joined(), kame_ip6_mc_member()).
 */
#include <linux/compat.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rtnetlink.h>
#include <net/compat.h>
#include <net/sock.h>
#include "kame.h"

atomic_t kame_live_mships = ATOMIC_INIT(0);

/* The link-layer group of an IPv6 multicast address (RFC 2464 7). */
static void mc_mac(const struct in6_addr *grp, u8 *mac)
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, &grp->s6_addr[12], 4);
}

static struct kame_in6_multi *mc_find(struct kame_if *kif,
				      const struct in6_addr *grp)
{
	struct kame_in6_multi *inm;

	list_for_each_entry_rcu(inm, &kif->mcast, list, lockdep_rtnl_is_held())
		if (ipv6_addr_equal(&inm->addr, grp))
			return inm;
	return NULL;
}

/* Is grp (either form) a group this node listens to on kif? RCU or RTNL. */
bool kame_in6_joined(struct kame_if *kif, const struct in6_addr *grp)
{
	struct in6_addr g = *grp;

	kame_in6_setscope(&g, kif->dev->ifindex);
	if (mc_find(kif, &g))
		return true;
	kame_in6_clearscope(&g);
	return kame_nd6_proxy_joined(kif, &g);	/* proxy ND (nd6.c) */
}

static struct kame_in6_multi *mc_get(struct kame_if *kif,
				     const struct in6_addr *grp)
{
	struct kame_in6_multi *inm;
	u8 mac[ETH_ALEN];

	ASSERT_RTNL();
	inm = mc_find(kif, grp);
	if (inm) {
		inm->users++;
		return inm;
	}
	inm = kzalloc(sizeof(*inm), GFP_KERNEL_ACCOUNT);
	if (!inm)
		return ERR_PTR(-ENOMEM);
	inm->addr = *grp;
	inm->users = 1;
	inm->msf_mode = KAME_MSF_INCLUDE;	/* of nothing: not yet joined */
	INIT_LIST_HEAD(&inm->mships);
	mc_mac(grp, mac);
	/* a link without link-layer addresses delivers every group */
	if (!kif->nolladdr && dev_mc_add(kif->dev, mac)) {
		kfree(inm);
		return ERR_PTR(-ENOMEM);
	}
	list_add_tail_rcu(&inm->list, &kif->mcast);
	atomic_inc(&kame_live_mships);
	kame_mld_join(kif, inm);
	return inm;
}

/*
 * One user less; the others' filters decide what is reported (a failure
 * to merge them keeps the old state, which still includes theirs).
 */
static void mc_put(struct kame_if *kif, struct kame_in6_multi *inm)
{
	u8 mac[ETH_ALEN];

	ASSERT_RTNL();
	if (--inm->users) {
		kame_in6_msf_update(kif, inm);
		return;
	}
	kame_mld_leave(kif, inm);
	list_del_rcu(&inm->list);
	mc_mac(&inm->addr, mac);
	if (!kif->nolladdr)
		dev_mc_del(kif->dev, mac);
	kfree_rcu(inm, rcu);
	atomic_dec(&kame_live_mships);
}

/* The node joins grp (embedded form) on kif. Caller holds RTNL. */
int kame_in6_mc_join(struct kame_if *kif, const struct in6_addr *grp)
{
	struct kame_in6_multi *inm = mc_get(kif, grp);

	if (IS_ERR(inm))
		return PTR_ERR(inm);
	kame_in6_msf_update(kif, inm);	/* any source: nothing to hold */
	return 0;
}

void kame_in6_mc_leave(struct kame_if *kif, const struct in6_addr *grp)
{
	struct kame_in6_multi *inm = mc_find(kif, grp);

	if (!WARN_ON_ONCE(!inm))
		mc_put(kif, inm);
}

static void mship_free(struct kame_mship *m)
{
	struct kame_msf *f = rcu_dereference_protected(m->msf, true);

	if (f)
		kfree_rcu(f, rcu);
	list_del_rcu(&m->list);
	list_del(&m->inm_list);
	m->ks->n_mships--;
	kfree_rcu(m, rcu);
	atomic_dec(&kame_live_mships);
}

/*
 * Detach: every socket leaves the groups of kif, then the groups go with
 * their link-layer addresses. Caller holds RTNL, after the node left its
 * own groups; a leftover user count is a bug.
 */
void kame_in6_mc_purge(struct kame_if *kif)
{
	struct kame_in6_multi *inm, *tmp;
	struct kame_mship *m, *mt;

	ASSERT_RTNL();
	list_for_each_entry_safe(inm, tmp, &kif->mcast, list) {
		list_for_each_entry_safe(m, mt, &inm->mships, inm_list) {
			mship_free(m);
			inm->users--;
		}
		WARN_ON_ONCE(inm->users);
		inm->users = 1;
		mc_put(kif, inm);
	}
}

/*
 * Is ks a member of grp (embedded form) on ifindex, for a datagram from
 * src (embedded form; its filter)? Caller holds RCU.
 */
bool kame_ip6_mc_member(const struct kame_sock *ks, int ifindex,
			const struct in6_addr *grp, const struct in6_addr *src)
{
	const struct kame_mship *m;

	list_for_each_entry_rcu(m, &ks->mships, list)
		if (m->ifindex == ifindex && ipv6_addr_equal(&m->addr, grp))
			return kame_mship_src_ok(m, src);
	return false;
}

static struct kame_mship *mship_find(struct kame_sock *ks, int ifindex,
				     const struct in6_addr *grp)
{
	struct kame_mship *m;

	list_for_each_entry(m, &ks->mships, list)
		if (m->ifindex == ifindex && ipv6_addr_equal(&m->addr, grp))
			return m;
	return NULL;
}

/*
 * The interface of a join: the one given, else IPV6_MULTICAST_IF, the
 * zone of a bound scoped address, or the only attached interface.
 */
static struct kame_if *mc_join_if(struct kame_sock *ks, int ifindex,
				  int *err)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	struct kame_if *kif;

	if (ifindex) {
		kif = kame_if_by_index(kn, ifindex);
		*err = -ENXIO;
		return kif;
	}
	kif = kame_zone_if(kn, 0, READ_ONCE(ks->mcast_if) ?: ks->bound_if);
	*err = -EINVAL;
	return kif;
}

/*
 * The membership of ks in grp (plain form) on ifindex (0: as a join
 * chooses), its interface in *kifp. NULL with *err set when there is no
 * such interface (*kifp NULL) or no such membership (-EADDRNOTAVAIL).
 */
static struct kame_mship *mc_mship_lookup(struct kame_sock *ks,
					  const struct in6_addr *grp,
					  int ifindex, struct kame_if **kifp,
					  int *err)
{
	struct kame_mship *m;
	struct in6_addr g = *grp;

	*kifp = mc_join_if(ks, ifindex, err);
	if (!*kifp)
		return NULL;
	kame_in6_setscope(&g, (*kifp)->dev->ifindex);
	m = mship_find(ks, (*kifp)->dev->ifindex, &g);
	*err = m ? 0 : -EADDRNOTAVAIL;
	return m;
}

/*
 * Join (leave) grp, plain form, on ifindex (0: see above), with source
 * filter f (NULL: any source; taken). Under RTNL.
 */
static int mc_join(struct kame_sock *ks, const struct in6_addr *grp,
		   int ifindex, struct kame_msf *f)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	struct kame_in6_multi *inm;
	struct kame_mship *m;
	struct in6_addr g = *grp;
	struct kame_if *kif;
	int err;

	kif = mc_join_if(ks, ifindex, &err);
	if (!kif)
		goto out;
	kame_in6_setscope(&g, kif->dev->ifindex);
	err = -EADDRINUSE;
	if (mship_find(ks, kif->dev->ifindex, &g))
		goto out;
	err = -ENOBUFS;
	if (ks->n_mships >= READ_ONCE(kn->max_memberships))
		goto out;
	err = -ENOMEM;
	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		goto out;
	inm = mc_get(kif, &g);
	if (IS_ERR(inm)) {
		kfree(m);
		err = PTR_ERR(inm);
		goto out;
	}
	m->ks = ks;
	m->inm = inm;
	m->addr = g;
	m->ifindex = kif->dev->ifindex;
	RCU_INIT_POINTER(m->msf, f);
	list_add_tail(&m->inm_list, &inm->mships);
	list_add_tail_rcu(&m->list, &ks->mships);
	ks->n_mships++;
	atomic_inc(&kame_live_mships);
	err = kame_in6_msf_update(kif, inm);
	if (err) {	/* its sources do not fit the group's state */
		mship_free(m);
		mc_put(kif, inm);
	}
	return err;
out:
	kfree(f);
	return err;
}

/* Drop membership m of ks. Under RTNL. */
static void mc_leave_m(struct kame_net *kn, struct kame_mship *m)
{
	struct kame_if *kif = kame_if_by_index(kn, m->ifindex);
	struct kame_in6_multi *inm = m->inm;

	mship_free(m);
	mc_put(kif, inm);
}

static int mc_leave(struct kame_sock *ks, const struct in6_addr *grp,
		    int ifindex)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	struct kame_mship *m;
	struct in6_addr g = *grp;

	if (ifindex) {
		if (!kame_if_by_index(kn, ifindex))
			return -ENXIO;
		kame_in6_setscope(&g, ifindex);
		m = mship_find(ks, ifindex, &g);
	} else {
		/* any interface: the first membership of the group */
		list_for_each_entry(m, &ks->mships, list) {
			g = m->addr;
			kame_in6_clearscope(&g);
			if (ipv6_addr_equal(&g, grp))
				break;
		}
		if (list_entry_is_head(m, &ks->mships, list))
			m = NULL;
	}
	if (!m)
		return -EADDRNOTAVAIL;
	mc_leave_m(kn, m);
	return 0;
}

/*
 * MCAST_JOIN_SOURCE_GROUP (a new membership including src, or src added
 * to an including one), MCAST_LEAVE_SOURCE_GROUP (the last source leaves
 * the group), MCAST_BLOCK_SOURCE and MCAST_UNBLOCK_SOURCE (on an
 * any-source membership). grp and src plain form. Under RTNL.
 */
int kame_mc_source(struct kame_sock *ks, int optname,
		   const struct in6_addr *grp, const struct in6_addr *src,
		   int ifindex)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	bool add = optname == MCAST_JOIN_SOURCE_GROUP ||
		   optname == MCAST_BLOCK_SOURCE;
	u8 mode = optname == MCAST_JOIN_SOURCE_GROUP ||
		  optname == MCAST_LEAVE_SOURCE_GROUP ? KAME_MSF_INCLUDE :
							KAME_MSF_EXCLUDE;
	struct in6_addr s = *src;
	const struct kame_msf *f;
	struct kame_msf *nf;
	struct kame_mship *m;
	struct kame_if *kif;
	int err;

	m = mc_mship_lookup(ks, grp, ifindex, &kif, &err);
	if (!kif)
		return err;
	kame_in6_setscope(&s, kif->dev->ifindex);
	if (!m && optname == MCAST_JOIN_SOURCE_GROUP) {
		nf = kame_msf_one(&s);
		return nf ? mc_join(ks, grp, kif->dev->ifindex, nf) : -ENOMEM;
	}
	if (!m)
		return err;
	f = rtnl_dereference(m->msf);
	if (!add && mode == KAME_MSF_INCLUDE && f && f->n == 1 &&
	    kame_msf_has(f->src, f->n, &s)) {
		mc_leave_m(kn, m);	/* RFC 3678 5.1: its last source */
		return 0;
	}
	err = kame_msf_edit(kn, f, mode, &s, add, &nf);
	if (err)
		return err;
	return kame_msf_set(kif, m, nf);
}

/*
 * MCAST_MSFILTER's set (in6_msf.c): the membership of grp (plain form)
 * on ifindex gets filter nf whole (sources plain, unsorted; taken).
 * INCLUDE of nothing leaves the group (RFC 3678 5.2.1), EXCLUDE of
 * nothing is any source. Under RTNL.
 */
int kame_mc_msfilter(struct kame_sock *ks, const struct in6_addr *grp,
		     int ifindex, struct kame_msf *nf)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	struct kame_mship *m;
	struct kame_if *kif;
	unsigned int i;
	int err;

	m = mc_mship_lookup(ks, grp, ifindex, &kif, &err);
	if (!m)
		goto out;
	if (!nf->n && nf->mode == KAME_MSF_INCLUDE) {
		mc_leave_m(kn, m);
		goto out;
	}
	for (i = 0; i < nf->n; i++)
		kame_in6_setscope(&nf->src[i], kif->dev->ifindex);
	kame_msf_sort(nf);
	if (!nf->n) {
		kfree(nf);
		nf = NULL;
	}
	return kame_msf_set(kif, m, nf);
out:
	kfree(nf);
	return err;
}

/*
 * MCAST_MSFILTER's get: a copy of the filter of the membership of grp
 * (plain form) on ifindex, any source as EXCLUDE of nothing. Under RTNL.
 */
int kame_mc_getfilter(struct kame_sock *ks, const struct in6_addr *grp,
		      int ifindex, struct kame_msf **out)
{
	const struct kame_msf *f;
	struct kame_mship *m;
	struct kame_if *kif;
	struct kame_msf *c;
	unsigned int n;
	int err;

	m = mc_mship_lookup(ks, grp, ifindex, &kif, &err);
	if (!m)
		return err;
	f = rtnl_dereference(m->msf);
	n = f ? f->n : 0;
	c = kmalloc(struct_size(c, src, n), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->mode = f ? f->mode : KAME_MSF_EXCLUDE;
	c->n = n;
	if (n)
		memcpy(c->src, f->src, n * sizeof(c->src[0]));
	*out = c;
	return 0;
}

/* The group and interface of an MCAST_JOIN_GROUP / MCAST_LEAVE_GROUP. */
static int mc_group_req(sockptr_t optval, unsigned int optlen,
			struct in6_addr *grp, int *ifindex)
{
	struct group_req gr;
	const struct sockaddr_kame *sa;
	int err;
	u32 scope;
	__be16 port;

#ifdef CONFIG_COMPAT
	if (in_compat_syscall()) {
		struct compat_group_req cgr;

		if (optlen < sizeof(cgr))
			return -EINVAL;
		if (copy_from_sockptr(&cgr, optval, sizeof(cgr)))
			return -EFAULT;
		gr.gr_interface = cgr.gr_interface;
		memcpy(&gr.gr_group, &cgr.gr_group, sizeof(gr.gr_group));
	} else
#endif
	{
		if (optlen < sizeof(gr))
			return -EINVAL;
		if (copy_from_sockptr(&gr, optval, sizeof(gr)))
			return -EFAULT;
	}
	sa = (const struct sockaddr_kame *)&gr.gr_group;
	err = kame_sockaddr_in((const struct sockaddr *)sa, sizeof(*sa), grp,
			       &scope, &port);
	if (err)
		return err;
	if ((int)gr.gr_interface < 0)
		return -EINVAL;
	if (scope && gr.gr_interface && scope != gr.gr_interface)
		return -EINVAL;
	*ifindex = gr.gr_interface ?: scope;
	return 0;
}

/*
 * IPV6_JOIN_GROUP and IPV6_LEAVE_GROUP (the kernel's IPV6_ADD_MEMBERSHIP
 * and IPV6_DROP_MEMBERSHIP; struct ipv6_mreq), MCAST_JOIN_GROUP and
 * MCAST_LEAVE_GROUP (struct group_req, the group in a sockaddr_kame).
 */
int kame_ip6_mc_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			   unsigned int optlen)
{
	struct kame_sock *ks = kame_sk(sk);
	struct in6_addr grp;
	int ifindex, err;
	bool join;

	if (optname == IPV6_ADD_MEMBERSHIP || optname == IPV6_DROP_MEMBERSHIP) {
		struct ipv6_mreq mreq;

		if (optlen < sizeof(mreq))
			return -EINVAL;
		if (copy_from_sockptr(&mreq, optval, sizeof(mreq)))
			return -EFAULT;
		grp = mreq.ipv6mr_multiaddr;
		ifindex = mreq.ipv6mr_ifindex;
		join = optname == IPV6_ADD_MEMBERSHIP;
		if (kame_in6_is_scoped(&grp) && grp.s6_addr16[1])
			return -EINVAL;	/* never the embedded form */
	} else {
		err = mc_group_req(optval, optlen, &grp, &ifindex);
		if (err)
			return err;
		join = optname == MCAST_JOIN_GROUP;
	}
	if (!IN6_IS_ADDR_MULTICAST(&grp) || ifindex < 0)
		return -EINVAL;
	rtnl_lock();
	err = join ? mc_join(ks, &grp, ifindex, NULL) :
		     mc_leave(ks, &grp, ifindex);
	rtnl_unlock();
	return err;
}

/* Close: leave every group. */
void kame_ip6_mc_sock_release(struct kame_sock *ks)
{
	struct kame_net *kn = kame_net(sock_net(&ks->sk));
	struct kame_mship *m, *tmp;

	if (list_empty(&ks->mships))	/* changed under RTNL only */
		return;
	rtnl_lock();
	list_for_each_entry_safe(m, tmp, &ks->mships, list)
		mc_leave_m(kn, m);
	rtnl_unlock();
}

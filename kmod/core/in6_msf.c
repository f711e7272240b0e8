// SPDX-License-Identifier: GPL-2.0
/*
 * Multicast source filters (RFC 3678 5.1's protocol-independent API,
 * RFC 3810 4; KAME's and FreeBSD's in6_msf): a socket's membership of a
 * group may name the sources it wants (INCLUDE, from
 * MCAST_JOIN_SOURCE_GROUP) or those it does not (EXCLUDE, MCAST_BLOCK_SOURCE
 * on an any-source membership). The interface's state of the group merges
 * its users' filters (RFC 3810 4.2): EXCLUDE when any user excludes (the
 * node's own users and any-source memberships exclude nothing), with the
 * sources every excluding user excludes and no including user includes;
 * else INCLUDE with every included source. A change of that state is what
 * MLD reports (mld6.c: kame_mld_state_change()).
 *
 * Source lists are sorted arrays of embedded-form addresses. A socket's
 * filter (struct kame_msf) is replaced whole under RTNL and read by the
 * receive path under RCU; bounded by net.inet6.ip6.mcast_maxsocksrc per
 * membership and net.inet6.ip6.mcast_maxgrpsrc per interface group.
 */
#include <linux/compat.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rtnetlink.h>
#include <linux/sort.h>
#include <net/compat.h>
#include <net/sock.h>
#include "kame.h"

static int msf_cmp(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a));
}

/* The index of s in the sorted list, or -1. */
static int msf_index(const struct in6_addr *list, unsigned int n,
		     const struct in6_addr *s)
{
	unsigned int lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = msf_cmp(s, &list[mid]);
		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

bool kame_msf_has(const struct in6_addr *list, unsigned int n,
		  const struct in6_addr *s)
{
	return msf_index(list, n, s) >= 0;
}

/*
 * out = (a + b) - c of sorted lists (c may be NULL with nc 0), sorted;
 * out has room for na + nb. The count of out.
 */
unsigned int kame_msf_combine(const struct in6_addr *a, unsigned int na,
			      const struct in6_addr *b, unsigned int nb,
			      const struct in6_addr *c, unsigned int nc,
			      struct in6_addr *out)
{
	unsigned int i = 0, k = 0, n = 0;
	const struct in6_addr *x;
	int d;

	while (i < na || k < nb) {
		d = i == na ? 1 : k == nb ? -1 : msf_cmp(&a[i], &b[k]);
		x = d <= 0 ? &a[i] : &b[k];
		if (d <= 0)
			i++;
		if (d >= 0)
			k++;
		if (!kame_msf_has(c, nc, x))
			out[n++] = *x;
	}
	return n;
}

/* May a datagram from src (embedded form) reach membership m? RCU. */
bool kame_mship_src_ok(const struct kame_mship *m, const struct in6_addr *src)
{
	const struct kame_msf *f = rcu_dereference(m->msf);

	if (!f)
		return true;	/* any source */
	return kame_msf_has(f->src, f->n, src) ==
	       (f->mode == KAME_MSF_INCLUDE);
}

/* A new filter: f with s added (add) or taken out. */
static struct kame_msf *msf_edit(const struct kame_msf *f, u8 mode,
				 const struct in6_addr *s, bool add)
{
	unsigned int n = f ? f->n : 0, i, j = 0;
	struct kame_msf *nf;

	nf = kmalloc(struct_size(nf, src, add ? n + 1 : n), GFP_KERNEL_ACCOUNT);
	if (!nf)
		return NULL;
	nf->mode = mode;
	for (i = 0; i < n; i++) {
		if (add && j == i && msf_cmp(s, &f->src[i]) < 0)
			nf->src[j++] = *s;
		if (!add && !msf_cmp(s, &f->src[i]))
			continue;
		nf->src[j++] = f->src[i];
	}
	if (add && j == n)
		nf->src[j++] = *s;
	nf->n = j;
	return nf;
}

/* *a (n sorted sources) gets those of g too; -ENOBUFS past max. */
static int msf_union(struct in6_addr **a, unsigned int *n,
		     const struct kame_msf *g, unsigned int max)
{
	struct in6_addr *b;
	unsigned int nb;

	b = kmalloc_array(*n + g->n, sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	nb = kame_msf_combine(*a, *n, g->src, g->n, NULL, 0, b);
	if (nb > max) {
		kfree(b);
		return -ENOBUFS;
	}
	kfree(*a);
	*a = b;
	*n = nb;
	return 0;
}

/*
 * The merged state of inm (RFC 3810 4.2) into *mode and a new sorted
 * array (NULL when empty); -ENOBUFS past mcast_maxgrpsrc. Under RTNL.
 */
static int msf_merge(struct kame_net *kn, struct kame_in6_multi *inm,
		     u8 *mode, struct in6_addr **out, unsigned int *nout)
{
	unsigned int max = READ_ONCE(kn->mcast_maxgrpsrc), n = 0, nx = 0;
	unsigned int asm_users = inm->users, i;
	const struct kame_mship *m, *first_ex = NULL;
	const struct kame_msf *f, *g;
	struct in6_addr *a = NULL;
	bool keep;
	int err;

	list_for_each_entry(m, &inm->mships, inm_list) {
		f = rtnl_dereference(m->msf);
		if (!f)
			continue;
		asm_users--;
		if (f->mode == KAME_MSF_EXCLUDE) {
			nx++;
			if (!first_ex)
				first_ex = m;
		}
	}
	*mode = asm_users || nx ? KAME_MSF_EXCLUDE : KAME_MSF_INCLUDE;
	*out = NULL;
	*nout = 0;
	if (*mode == KAME_MSF_EXCLUDE && asm_users)
		return 0;	/* one user wants every source */
	if (*mode == KAME_MSF_EXCLUDE) {
		/* the first excluder's sources that all others exclude too */
		f = rtnl_dereference(first_ex->msf);
		a = kmalloc_array(f->n ?: 1, sizeof(*a), GFP_KERNEL);
		if (!a)
			return -ENOMEM;
		for (i = 0; i < f->n; i++) {
			keep = true;
			list_for_each_entry(m, &inm->mships, inm_list) {
				g = rtnl_dereference(m->msf);
				if (g->mode == KAME_MSF_EXCLUDE ?
				    !kame_msf_has(g->src, g->n, &f->src[i]) :
				    kame_msf_has(g->src, g->n, &f->src[i]))
					keep = false;
			}
			if (keep)
				a[n++] = f->src[i];
		}
	} else {
		list_for_each_entry(m, &inm->mships, inm_list) {
			g = rtnl_dereference(m->msf);
			err = msf_union(&a, &n, g, max);
			if (err) {
				kfree(a);
				return err;
			}
		}
	}
	if (!n) {
		kfree(a);
		a = NULL;
	}
	*out = a;
	*nout = n;
	return 0;
}

/*
 * inm's users or their filters changed: merge them again and have MLD
 * report the difference. Under RTNL. -ENOBUFS (-ENOMEM) when the merged
 * state cannot be held: the caller undoes its change.
 */
int kame_in6_msf_update(struct kame_if *kif, struct kame_in6_multi *inm)
{
	struct in6_addr *a;
	unsigned int n;
	u8 mode;
	int err;

	ASSERT_RTNL();
	err = msf_merge(kif->kn, inm, &mode, &a, &n);
	if (err)
		return err;
	kame_mld_state_change(kif, inm, mode, a, n);
	return 0;
}

/* The group, source and interface of a struct group_source_req. */
static int msf_req(sockptr_t optval, unsigned int optlen,
		   struct in6_addr *grp, struct in6_addr *src, int *ifindex)
{
	struct group_source_req gsr;
	u32 gscope, sscope;
	__be16 port;
	int err;

#ifdef CONFIG_COMPAT
	if (in_compat_syscall()) {
		struct compat_group_source_req c;

		if (optlen < sizeof(c))
			return -EINVAL;
		if (copy_from_sockptr(&c, optval, sizeof(c)))
			return -EFAULT;
		gsr.gsr_interface = c.gsr_interface;
		memcpy(&gsr.gsr_group, &c.gsr_group, sizeof(gsr.gsr_group));
		memcpy(&gsr.gsr_source, &c.gsr_source, sizeof(gsr.gsr_source));
	} else
#endif
	{
		if (optlen < sizeof(gsr))
			return -EINVAL;
		if (copy_from_sockptr(&gsr, optval, sizeof(gsr)))
			return -EFAULT;
	}
	err = kame_sockaddr_in((const struct sockaddr *)&gsr.gsr_group,
			       sizeof(struct sockaddr_kame), grp, &gscope,
			       &port);
	if (!err)
		err = kame_sockaddr_in((const struct sockaddr *)&gsr.gsr_source,
				       sizeof(struct sockaddr_kame), src,
				       &sscope, &port);
	if (err)
		return err;
	if ((int)gsr.gsr_interface < 0 || !IN6_IS_ADDR_MULTICAST(grp) ||
	    IN6_IS_ADDR_MULTICAST(src) || ipv6_addr_any(src))
		return -EINVAL;
	if (gscope && gsr.gsr_interface && gscope != gsr.gsr_interface)
		return -EINVAL;
	*ifindex = gsr.gsr_interface ?: gscope;
	if (sscope && *ifindex && sscope != *ifindex)
		return -EINVAL;	/* a scoped source of another link */
	if (!*ifindex)
		*ifindex = sscope;
	return 0;
}

/*
 * Replace m's filter by nf (NULL: any source) and merge the group's state
 * again; on failure the old filter stays. Takes nf. Under RTNL.
 */
int kame_msf_set(struct kame_if *kif, struct kame_mship *m,
		 struct kame_msf *nf)
{
	struct kame_msf *old = rtnl_dereference(m->msf);
	int err;

	rcu_assign_pointer(m->msf, nf);
	err = kame_in6_msf_update(kif, m->inm);
	if (err) {
		rcu_assign_pointer(m->msf, old);
		old = nf;	/* a reader may have it: after a grace period */
	}
	if (old)
		kfree_rcu(old, rcu);
	return err;
}

/*
 * The new filter of a MCAST_*_SOURCE* request on m's current filter f
 * (NULL: any source): mode the request's, s the source (embedded form).
 * -EINVAL for the other mode, -EADDRNOTAVAIL for a source already there
 * (add) or not there, -ENOBUFS past mcast_maxsocksrc. *nf NULL: EXCLUDE
 * of nothing, any source again.
 */
int kame_msf_edit(struct kame_net *kn, const struct kame_msf *f, u8 mode,
		  const struct in6_addr *s, bool add, struct kame_msf **nf)
{
	bool has = f && kame_msf_has(f->src, f->n, s);

	*nf = NULL;
	if ((f ? f->mode : KAME_MSF_EXCLUDE) != mode)
		return -EINVAL;
	if (add == has)
		return -EADDRNOTAVAIL;
	if (add && f && f->n >= READ_ONCE(kn->mcast_maxsocksrc))
		return -ENOBUFS;
	if (!add && f->n == 1 && mode == KAME_MSF_EXCLUDE)
		return 0;
	*nf = msf_edit(f, mode, s, add);
	return *nf ? 0 : -ENOMEM;
}

/*
 * MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE,
 * MCAST_UNBLOCK_SOURCE (struct group_source_req): parsed here, applied
 * under RTNL by in6_mcast.c.
 */
int kame_ip6_msf_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			    unsigned int optlen)
{
	struct in6_addr grp, src;
	int ifindex, err;

	err = msf_req(optval, optlen, &grp, &src, &ifindex);
	if (err)
		return err;
	rtnl_lock();
	err = kame_mc_source(kame_sk(sk), optname, &grp, &src, ifindex);
	rtnl_unlock();
	return err;
}

/* A filter of one source (MCAST_JOIN_SOURCE_GROUP on a new membership). */
struct kame_msf *kame_msf_one(const struct in6_addr *s)
{
	return msf_edit(NULL, KAME_MSF_INCLUDE, s, true);
}

/*
 * MCAST_MSFILTER (RFC 3678 5.2.1, setsourcefilter()/getsourcefilter()):
 * struct group_filter up to its source list, whose offset is slist
 * (the compat layout is packed).
 */
struct msf_gf {
	u32 ifindex;
	struct __kernel_sockaddr_storage group;
	u32 fmode;
	u32 numsrc;
	unsigned int slist, off_fmode, off_numsrc;
};

static int msf_gf_read(sockptr_t optval, unsigned int optlen,
		       struct msf_gf *h)
{
	struct group_filter gf;
	unsigned int size;

#ifdef CONFIG_COMPAT
	if (in_compat_syscall()) {
		struct compat_group_filter c;

		size = offsetof(struct compat_group_filter, gf_slist_flex);
		if (optlen < size)
			return -EINVAL;
		if (copy_from_sockptr(&c, optval, size))
			return -EFAULT;
		h->ifindex = c.gf_interface;
		memcpy(&h->group, &c.gf_group, sizeof(h->group));
		h->fmode = c.gf_fmode;
		h->numsrc = c.gf_numsrc;
		h->slist = size;
		h->off_fmode = offsetof(struct compat_group_filter, gf_fmode);
		h->off_numsrc = offsetof(struct compat_group_filter, gf_numsrc);
		return 0;
	}
#endif
	size = offsetof(struct group_filter, gf_slist_flex);
	if (optlen < size)
		return -EINVAL;
	if (copy_from_sockptr(&gf, optval, size))
		return -EFAULT;
	h->ifindex = gf.gf_interface;
	memcpy(&h->group, &gf.gf_group, sizeof(h->group));
	h->fmode = gf.gf_fmode;
	h->numsrc = gf.gf_numsrc;
	h->slist = size;
	h->off_fmode = offsetof(struct group_filter, gf_fmode);
	h->off_numsrc = offsetof(struct group_filter, gf_numsrc);
	return 0;
}

/* The group of h and its interface (0: the socket's choice) */
static int msf_gf_group(const struct msf_gf *h, struct in6_addr *grp,
			int *ifindex)
{
	u32 scope;
	__be16 port;
	int err;

	err = kame_sockaddr_in((const struct sockaddr *)&h->group,
			       sizeof(struct sockaddr_kame), grp, &scope,
			       &port);
	if (err)
		return err;
	if ((int)h->ifindex < 0 || !IN6_IS_ADDR_MULTICAST(grp))
		return -EINVAL;
	if (scope && h->ifindex && scope != h->ifindex)
		return -EINVAL;
	*ifindex = h->ifindex ?: scope;
	return 0;
}

/* The i-th source of the list at h->slist of optval into nf->src[i] */
static int msf_gf_source(sockptr_t optval, const struct msf_gf *h,
			 unsigned int i, struct kame_msf *nf, int *ifindex)
{
	struct __kernel_sockaddr_storage ss;
	struct in6_addr *s = &nf->src[i];
	u32 scope;
	__be16 port;
	int err;

	if (copy_from_sockptr_offset(&ss, optval, h->slist + i * sizeof(ss),
				     sizeof(ss)))
		return -EFAULT;
	err = kame_sockaddr_in((const struct sockaddr *)&ss,
			       sizeof(struct sockaddr_kame), s, &scope, &port);
	if (err)
		return err;
	if (IN6_IS_ADDR_MULTICAST(s) || ipv6_addr_any(s))
		return -EINVAL;
	if (scope && *ifindex && scope != *ifindex)
		return -EINVAL;	/* a scoped source of another link */
	if (!*ifindex)
		*ifindex = scope;
	return 0;
}

static int msf_sort_cmp(const void *a, const void *b)
{
	return msf_cmp(a, b);
}

/* Sort nf's sources (embedded form) and drop duplicates. */
void kame_msf_sort(struct kame_msf *nf)
{
	unsigned int i, n = 0;

	sort(nf->src, nf->n, sizeof(nf->src[0]), msf_sort_cmp, NULL);
	for (i = 0; i < nf->n; i++)
		if (!n || msf_cmp(&nf->src[n - 1], &nf->src[i]))
			nf->src[n++] = nf->src[i];
	nf->n = n;
}

/*
 * setsockopt MCAST_MSFILTER: the filter of a membership replaced whole.
 * Past mcast_maxsocksrc sources, ENOBUFS; the list shorter than
 * gf_numsrc says, EINVAL.
 */
int kame_ip6_msfilter_set(struct sock *sk, sockptr_t optval,
			  unsigned int optlen)
{
	struct kame_net *kn = kame_net(sock_net(sk));
	struct in6_addr grp;
	struct kame_msf *nf;
	struct msf_gf h;
	int ifindex, err;
	unsigned int i;

	err = msf_gf_read(optval, optlen, &h);
	if (!err)
		err = msf_gf_group(&h, &grp, &ifindex);
	if (err)
		return err;
	if (h.fmode != MCAST_INCLUDE && h.fmode != MCAST_EXCLUDE)
		return -EINVAL;
	if (h.numsrc > READ_ONCE(kn->mcast_maxsocksrc))
		return -ENOBUFS;
	if ((optlen - h.slist) / sizeof(struct __kernel_sockaddr_storage) <
	    h.numsrc)
		return -EINVAL;
	nf = kmalloc(struct_size(nf, src, h.numsrc), GFP_KERNEL_ACCOUNT);
	if (!nf)
		return -ENOMEM;
	nf->mode = h.fmode == MCAST_INCLUDE ? KAME_MSF_INCLUDE :
					      KAME_MSF_EXCLUDE;
	nf->n = h.numsrc;
	for (i = 0; i < h.numsrc && !err; i++)
		err = msf_gf_source(optval, &h, i, nf, &ifindex);
	if (err) {
		kfree(nf);
		return err;
	}
	rtnl_lock();
	err = kame_mc_msfilter(kame_sk(sk), &grp, ifindex, nf);
	rtnl_unlock();
	return err;
}

/* The header and sources of getsockopt MCAST_MSFILTER to userland */
static int msf_gf_write(char __user *optval, int __user *optlen,
			const struct msf_gf *h, const struct kame_msf *f)
{
	u32 fmode = f->mode == KAME_MSF_INCLUDE ? MCAST_INCLUDE : MCAST_EXCLUDE;
	unsigned int i, copy = min(h->numsrc, f->n);
	struct __kernel_sockaddr_storage ss;
	int len = h->slist + copy * sizeof(ss);

	for (i = 0; i < copy; i++) {
		memset(&ss, 0, sizeof(ss));
		kame_sockaddr_out((struct sockaddr_kame *)&ss, &f->src[i], 0);
		if (copy_to_user(optval + h->slist + i * sizeof(ss), &ss,
				 sizeof(ss)))
			return -EFAULT;
	}
	if (copy_to_user(optval + h->off_fmode, &fmode, sizeof(fmode)) ||
	    copy_to_user(optval + h->off_numsrc, &f->n, sizeof(f->n)) ||
	    put_user(len, optlen))
		return -EFAULT;
	return 0;
}

/*
 * getsockopt MCAST_MSFILTER: the mode and the number of sources of a
 * membership, and as many of its sources as gf_numsrc has room for.
 */
int kame_ip6_msfilter_get(struct sock *sk, char __user *optval,
			  int __user *optlen)
{
	struct kame_msf *f = NULL;
	struct in6_addr grp;
	struct msf_gf h;
	int len, ifindex, err;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	err = msf_gf_read(USER_SOCKPTR(optval), len, &h);
	if (!err)
		err = msf_gf_group(&h, &grp, &ifindex);
	if (err)
		return err;
	if ((len - h.slist) / sizeof(struct __kernel_sockaddr_storage) <
	    h.numsrc)
		return -EINVAL;
	rtnl_lock();
	err = kame_mc_getfilter(kame_sk(sk), &grp, ifindex, &f);
	rtnl_unlock();
	if (!err)
		err = msf_gf_write(optval, optlen, &h, f);
	kfree(f);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink of the socket tables (kame sock show, like netstat -an):
 * KAME_CMD_SOCK_GET dumps every socket of the namespace that is in a
 * protocol's table. uapi/linux/kame.h documents the attributes.
 *
 * Each protocol keeps its sockets (struct kame_sock, linked by ->node) in
 * hash chains under a spinlock of struct kame_net; kame_sock_tables[]
 * names them, and the dump walks them in order, resuming from
 * (table, chain, position in the chain) in cb->args[0..2].
 */
#include <linux/net.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "kame.h"

const struct nla_policy kame_sock_policy[KAME_SOCK_A_MAX + 1] = {
	[KAME_SOCK_A_TYPE] = NLA_POLICY_RANGE(NLA_U16, SOCK_DGRAM, SOCK_RAW),
	[KAME_SOCK_A_PROTOCOL] = { .type = NLA_U8 },
	[KAME_SOCK_A_LOCAL_ADDR ... KAME_SOCK_A_PAD] = {
		.type = NLA_REJECT, .reject_message = "read-only attribute" },
};

struct kame_sock_table {
	u16 type;
	/* the lock and the chains of the table, and their number */
	unsigned int (*chains)(struct kame_net *kn, spinlock_t **lock,
			       struct hlist_head **heads);
};

static unsigned int kame_udp_chains(struct kame_net *kn, spinlock_t **lock,
				    struct hlist_head **heads)
{
	*lock = &kn->udp_lock;
	*heads = kn->udp_hash;
	return KAME_UDP_HASH_SIZE;
}

static unsigned int kame_raw_chains(struct kame_net *kn, spinlock_t **lock,
				    struct hlist_head **heads)
{
	*lock = &kn->raw_lock;
	*heads = kn->raw_hash;
	return ARRAY_SIZE(kn->raw_hash);
}

static const struct kame_sock_table kame_sock_tables[] = {
	{ SOCK_DGRAM, kame_udp_chains },
	{ SOCK_RAW, kame_raw_chains },
};

static int sock_put_addr(struct sk_buff *skb, int attr_addr, int attr_scope,
			 const struct in6_addr *addr)
{
	struct in6_addr a = *addr;
	u32 scope = 0;

	if (kame_in6_is_scoped(&a)) {
		scope = ntohs(a.s6_addr16[1]);
		kame_in6_clearscope(&a);
	}
	if (nla_put_in6_addr(skb, attr_addr, &a) ||
	    nla_put_u32(skb, attr_scope, scope))
		return -EMSGSIZE;
	return 0;
}

/* One socket; the caller holds the table's lock (addresses, ports). */
static int sock_fill(struct sk_buff *skb, struct netlink_callback *cb,
		     struct kame_sock *ks, u16 type)
{
	struct sock *sk = &ks->sk;
	struct user_namespace *ns = sk_user_ns(NETLINK_CB(cb->skb).sk);
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kame_genl_family, NLM_F_MULTI, KAME_CMD_SOCK_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, KAME_SOCK_A_TYPE, type) ||
	    nla_put_u8(skb, KAME_SOCK_A_PROTOCOL, sk->sk_protocol) ||
	    sock_put_addr(skb, KAME_SOCK_A_LOCAL_ADDR, KAME_SOCK_A_LOCAL_SCOPE,
			  &ks->laddr) ||
	    nla_put_u16(skb, KAME_SOCK_A_LOCAL_PORT, ntohs(ks->lport)) ||
	    sock_put_addr(skb, KAME_SOCK_A_FOREIGN_ADDR,
			  KAME_SOCK_A_FOREIGN_SCOPE, &ks->faddr) ||
	    nla_put_u16(skb, KAME_SOCK_A_FOREIGN_PORT, ntohs(ks->fport)) ||
	    nla_put_u32(skb, KAME_SOCK_A_BOUND_IF, ks->bound_if) ||
	    nla_put_u32(skb, KAME_SOCK_A_RECV_Q, sk_rmem_alloc_get(sk)) ||
	    nla_put_u32(skb, KAME_SOCK_A_SEND_Q, sk_wmem_alloc_get(sk)) ||
	    nla_put_u64_64bit(skb, KAME_SOCK_A_INODE, sock_i_ino(sk),
			      KAME_SOCK_A_PAD) ||
	    nla_put_u32(skb, KAME_SOCK_A_UID,
			from_kuid_munged(ns, sock_i_uid(sk)))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

struct sock_filter_req {
	int type;		/* -1: any */
	int protocol;		/* -1: any */
};

/*
 * Dump chain c of a table from position *pos on. Returns -EMSGSIZE when
 * the message is full, *pos then being where to resume.
 */
static int sock_dump_chain(struct sk_buff *skb, struct netlink_callback *cb,
			   const struct kame_sock_table *t, spinlock_t *lock,
			   struct hlist_head *head,
			   const struct sock_filter_req *f, long *pos)
{
	struct kame_sock *ks;
	long i = 0;
	int err = 0;

	spin_lock_bh(lock);
	hlist_for_each_entry(ks, head, node) {
		if (i++ < *pos)
			continue;
		if (f->protocol >= 0 && ks->sk.sk_protocol != f->protocol)
			continue;
		err = sock_fill(skb, cb, ks, t->type);
		if (err) {
			i--;
			break;
		}
	}
	spin_unlock_bh(lock);
	*pos = err ? i : 0;
	return err;
}

int kame_nl_sock_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	struct nlattr **attrs = kame_dump_attrs(cb);
	struct sock_filter_req f = { -1, -1 };
	const struct kame_sock_table *t;
	struct hlist_head *heads;
	spinlock_t *lock;
	unsigned int n;

	if (attrs[KAME_SOCK_A_TYPE])
		f.type = nla_get_u16(attrs[KAME_SOCK_A_TYPE]);
	if (attrs[KAME_SOCK_A_PROTOCOL])
		f.protocol = nla_get_u8(attrs[KAME_SOCK_A_PROTOCOL]);
	for (; cb->args[0] < ARRAY_SIZE(kame_sock_tables);
	     cb->args[0]++, cb->args[1] = 0) {
		t = &kame_sock_tables[cb->args[0]];
		if (f.type >= 0 && t->type != f.type)
			continue;
		n = t->chains(kn, &lock, &heads);
		for (; cb->args[1] < n; cb->args[1]++)
			if (sock_dump_chain(skb, cb, t, lock,
					    &heads[cb->args[1]], &f,
					    &cb->args[2]))
				return skb->len;
	}
	return skb->len;
}

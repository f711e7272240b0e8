/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KAME's IPsec (kame_ipsec.ko): what its files share. The Security
 * Association Database (key.c, PF_KEY semantics), the Security Policy
 * Database (key.c), their netlink family (key_nl.c) and the algorithms
 * (key_alg.c). Nothing here is Linux's XFRM.
 */
#ifndef _KAME_IPSEC_H
#define _KAME_IPSEC_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <crypto/aead.h>
#include <crypto/hash.h>
#include "uapi/linux/kame.h"
#include "uapi/linux/kame_key.h"
#include "kmod/core/kame_family.h"

#define IPSEC_SA_HASH_BITS	8
#define IPSEC_KEY_MAX		256	/* bytes: 2048 bits, keyed null's limit */

/* An algorithm of the SAD (KAME's ah_algorithm/esp_algorithm). */
struct ipsec_alg {
	const char *name;	/* setkey's */
	const char *alias;	/* another name setkey takes, or NULL */
	const char *crypto;	/* the crypto API's name */
	u8 type;		/* KAME_KEY_ALGTYPE_* */
	u16 minbits, maxbits;	/* key length */
	u16 icvbits;		/* ICV (auth, AEAD) */
	u16 ivbits;		/* IV (enc, AEAD) */
	u16 blockbits;		/* cipher block, for ESP padding */
	u8 saltbytes;		/* bytes of nonce salt after the key */
};

const struct ipsec_alg *ipsec_alg_find(const char *name, u8 type);
bool ipsec_alg_have(const struct ipsec_alg *a);
bool ipsec_alg_keylen_ok(const struct ipsec_alg *a, unsigned int bits);
int ipsec_alg_fill(struct sk_buff *skb);

/* Lifetimes of an SA (sadb_lifetime); 0: no limit */
struct ipsec_lft {
	u64 allocations;
	u64 bytes;
	u64 addtime;		/* seconds */
	u64 usetime;		/* seconds */
};

#define IPSEC_REPLAY_MAX	1024	/* packets; a power of 2 */
#define IPSEC_REPLAY_BIT(seq)	((unsigned long)(seq) & (IPSEC_REPLAY_MAX - 1))

/* An SA (KAME's secasvar). Freed after a grace period (rwork). */
struct ipsec_sa {
	struct hlist_node hnode;	/* by (dst, proto, spi); RCU */
	struct hlist_node pnode;	/* by (src, dst, proto); RCU */
	u64 serial;			/* creation order */
	struct list_head list;		/* all SAs, in creation order */
	struct rcu_work rwork;
	struct crypto_aead *aead;	/* ESP: the transform of the keys */
	bool comp_ready;		/* IPComp: holds the workspaces */
	struct crypto_shash *shash;	/* AH: a synchronous authenticator */
	struct crypto_ahash *ahash;	/* AH: else this one, keyed */
	u16 ivlen, icvlen, blksize;	/* bytes */
	spinlock_t rlock;		/* the replay window */
	u64 rtop;			/* highest seq taken; ESN: 64 bits */
	unsigned long rmap[IPSEC_REPLAY_MAX / BITS_PER_LONG];
	struct in6_addr src, dst;
	u32 spi;
	u8 proto;			/* IPPROTO_ESP, _AH, _COMP */
	u8 mode;			/* KAME_KEY_MODE_* */
	u8 state;			/* KAME_KEY_STATE_*; lock */
	u32 reqid;
	u32 replay;			/* window, packets */
	u32 flags;			/* KAME_KEY_F_* */
	const struct ipsec_alg *enc, *auth, *comp;
	u16 enc_keylen, auth_keylen;	/* bytes */
	u8 enc_key[IPSEC_KEY_MAX];
	u8 auth_key[IPSEC_KEY_MAX];
	struct ipsec_lft hard, soft;
	time64_t created;		/* ktime_get_real_seconds() */
	time64_t first_use;		/* 0: not used yet */
	atomic64_t bytes;		/* so far */
	atomic64_t seq;			/* last sent; 64 bits with ESN */
	atomic64_t stat[KAME_KEY_SASTAT_MAX + 1];
	bool soft_sent;			/* lock */
	bool async;			/* ESP: the transform may complete later */
	/* the SAD's reference and one per transform in flight */
	refcount_t ref;
};

/* A reference for an asynchronous transform; false: the SA is going. */
static inline bool ipsec_sa_tryget(struct ipsec_sa *sa)
{
	return refcount_inc_not_zero(&sa->ref);
}

void ipsec_sa_put(struct ipsec_sa *sa);

/* Has the SA its transform (may the data path use it)? */
static inline bool ipsec_sa_ready(const struct ipsec_sa *sa)
{
	return sa->aead || sa->shash || sa->ahash || sa->comp_ready;
}

/* A request of an ipsec policy (KAME's ipsecrequest). */
struct ipsec_req {
	u8 proto, mode, level;
	u32 reqid;
	struct in6_addr src, dst;	/* tunnel endpoints */
};

#define IPSEC_REQ_MAX	4	/* IPComp, ESP, AH and one nesting more */

/* A policy (KAME's secpolicy). Freed by RCU after it leaves the SPD. */
struct ipsec_sp {
	struct list_head list;		/* the SPD, in match order; RCU */
	struct rcu_head rcu;
	u32 id;				/* spid */
	u32 priority;
	struct in6_addr src, dst;
	u8 src_plen, dst_plen;
	u8 ulproto;			/* KAME_KEY_ULPROTO_ANY: any */
	u16 sport, dport;		/* 0: any; ICMPv6 type and code */
	u8 dir, action;
	u8 nreq;
	struct ipsec_req req[IPSEC_REQ_MAX];
	time64_t created;
	time64_t lastused;
	unsigned long acq_last;		/* jiffies of the last ACQUIRE */
};


/* net.inet6.ipsec6.* of a namespace (ipsec_sysctl.c says what they mean) */
struct ipsec_knobs {
	int def_policy;
	int esp_trans_deflev, esp_net_deflev;
	int ah_trans_deflev, ah_net_deflev;
	int esp_randpad;
	int ecn;
	int bypass_nd;
};

/* The databases of a namespace. */
struct ipsec_net {
	atomic_long_t stat[__KAME_IPSEC6S_MAX];	/* ipsec6stat */
	spinlock_t lock;		/* writers of both databases */
	struct hlist_head sa_hash[1 << IPSEC_SA_HASH_BITS];
	struct hlist_head sa_phash[1 << IPSEC_SA_HASH_BITS];	/* output */
	u64 sa_serial;			/* lock */
	struct list_head sas;		/* lock */
	unsigned int nsa;		/* lock */
	struct list_head sps;		/* RCU, lock */
	unsigned int nsp;		/* lock */
	u32 next_spid;			/* lock */
	u32 next_reqid;			/* lock: unique without N */
	u32 gen;			/* bumps with every SPD change */
	unsigned long sock_acq_last;	/* the sockets' policies' ACQUIREs */
	struct delayed_work timer;	/* lifetimes, once a second */
	struct net *net;
	struct ipsec_knobs knob;
	struct ctl_table_header *sysctl_hdr;
	struct ctl_table *sysctl_tbl;
};

/* ipsec_sysctl.c */
int ipsec_sysctl_init_net(struct ipsec_net *in);
void ipsec_sysctl_exit_net(struct ipsec_net *in);

extern unsigned int ipsec_sa_max, ipsec_sp_max;
extern struct workqueue_struct *ipsec_wq;

struct ipsec_net *ipsec_net(const struct net *net);

/* key.c: the databases. Callers of the writers hold in->lock. */
struct ipsec_sa *ipsec_sa_lookup(struct ipsec_net *in,
				 const struct in6_addr *dst, u8 proto, u32 spi);
struct hlist_head *ipsec_sa_pair(struct ipsec_net *in,
				 const struct in6_addr *src,
				 const struct in6_addr *dst, u8 proto);
struct ipsec_sa *ipsec_sa_alloc(void);
void ipsec_sa_insert(struct ipsec_net *in, struct ipsec_sa *sa);
void ipsec_sa_unlink(struct ipsec_net *in, struct ipsec_sa *sa);
bool ipsec_spi_taken(struct ipsec_net *in, const struct in6_addr *dst,
		     u8 proto, u32 spi);
void ipsec_sp_insert(struct ipsec_net *in, struct ipsec_sp *sp);
void ipsec_sp_unlink(struct ipsec_net *in, struct ipsec_sp *sp);
struct ipsec_sp *ipsec_sp_find(struct ipsec_net *in,
			       const struct ipsec_sp *sel);
struct ipsec_sp *ipsec_sp_find_id(struct ipsec_net *in, u32 id);
void ipsec_key_flush(struct ipsec_net *in, int proto);
void ipsec_spd_flush(struct ipsec_net *in);
void ipsec_key_timer(struct work_struct *w);
void ipsec_sa_free(struct ipsec_sa *sa);
u32 ipsec_seq_hi(struct ipsec_sa *sa, u32 seql);
bool ipsec_replay_check(struct ipsec_sa *sa, u64 seq, bool update);
int ipsec_input_seq(struct ipsec_sa *sa, struct sk_buff *skb, u32 seql,
		    u64 *seq);
struct ipsec_sa *ipsec_sa_lookup_in(struct ipsec_net *in,
				    const struct sk_buff *skb, u8 proto,
				    u32 spi);
u64 ipsec_seq_next(struct ipsec_sa *sa);
int ipsec_key_init_net(struct ipsec_net *in, struct net *net);
void ipsec_key_exit_net(struct ipsec_net *in);

static inline void ipsec_stat_inc(struct ipsec_net *in, int i)
{
	atomic_long_inc(&in->stat[i]);
}

/*
 * The IPsec processing of one outbound packet (ipsec_output.c): the SAs
 * of all its policy's requests, chosen before any transform runs, and how
 * far it has got. An asynchronous ESP or AH copies it (with a reference
 * on net and on each SA from next on) to go on in its completion.
 */
struct ipsec_out {
	struct net *net;
	struct kame_ip6out o;		/* the packet as it is now */
	struct ipsec_req req[IPSEC_REQ_MAX];
	struct ipsec_sa *sa[IPSEC_REQ_MAX];	/* NULL: "use" without an SA */
	u8 n, next;			/* requests; the one being applied */
	bool tunneled;			/* sent by the module (new addresses) */
	bool has_hdr;			/* forwarded: its own header is inner */
	unsigned int hoff, nhoff;	/* headers in front of ESP (transport) */
};

/* Transforms in flight (asynchronous ESP, AH); module exit waits for none. */
void ipsec_inflight_get(void);
void ipsec_inflight_put(void);

/* The completion of an asynchronous transform, 6.1's and 6.2's on */
#ifdef KAME_HAVE_CRYPTO_DONE_DATA
#define IPSEC_DONE_ARGS	void *data, int err
#define IPSEC_DONE_DATA	data
#else
#define IPSEC_DONE_ARGS	struct crypto_async_request *base, int err
#define IPSEC_DONE_DATA	base->data
#endif

/* The crypto API's answer for a queue without room: out of memory. */
static inline int ipsec_crypt_err(int err)
{
	return err == -EBUSY || err == -ENOSPC || err == -EAGAIN ?
	       -ENOMEM : err;
}

/*
 * What an asynchronous transform carries to its completion, first in
 * ESP's struct esp_op and AH's struct ah_op (freed through it): on input
 * the SA, the device and the input context held (ipsec_op_in_hold()),
 * on output a copy of the output state (ipsec_op_out_hold()).
 */
struct ipsec_op {
	struct ipsec_sa *sa;
	struct sk_buff *skb;
	int err;			/* the transform's, on input */
	union {
		struct {		/* input */
			struct net_device *dev;
			struct kame_ip6ctx c;
			u64 seq;
		} in;
		struct ipsec_out out;	/* output */
	};
};

/* what goes on with the input once the transform is done */
typedef int (*ipsec_in_finish_t)(struct kame_if *kif, struct sk_buff **skbp,
				 struct kame_ip6ctx *c, void *arg);

bool ipsec_op_in_hold(struct ipsec_op *op, const struct kame_ip6ctx *c,
		      u64 seq);
void ipsec_op_in_release(struct ipsec_op *op);
void ipsec_op_in_done(struct ipsec_op *op, int err, ipsec_in_finish_t finish);
bool ipsec_op_out_hold(struct ipsec_op *op, const struct ipsec_out *st);
void ipsec_op_out_release(struct ipsec_op *op);
void ipsec_op_out_done(struct ipsec_op *op, int err);

/* ipsec_output.c: the output hook */
u8 ipsec_level(const struct ipsec_net *in, const struct ipsec_req *r);
int ipsec_output(struct net *net, struct sk_buff **skbp,
		 struct kame_ip6out *o);
int ipsec_forward_output(struct net *net, struct sk_buff *skb, u32 *mtu);
void ipsec_out_resume(struct ipsec_out *st, struct sk_buff *skb, int err);
bool ipsec_out_hold(struct ipsec_out *st);
void ipsec_out_release(struct ipsec_out *st);

/* ipsec.c: the policies on the data path */
int ipsec_ip6ip6_input(struct kame_if *kif, struct sk_buff *skb,
		       struct kame_ip6ctx *c);
int ipsec_input_done(struct kame_if *kif, struct sk_buff *skb,
		     struct kame_ip6ctx *c, struct ipsec_sa *sa);
u8 ipsec_fwd_upper(const struct sk_buff *skb, unsigned int off, u8 nxt,
		   u16 *sport, u16 *dport);
struct ipsec_sp *ipsec_sp_lookup(struct ipsec_net *in, u8 dir,
				 const struct in6_addr *src,
				 const struct in6_addr *dst, u8 ulproto,
				 u16 sport, u16 dport);
void ipsec_acquire(struct ipsec_net *in, struct ipsec_sp *sp,
		   const struct ipsec_req *r);
void ipsec_ports(const struct sk_buff *skb, unsigned int off, u8 proto,
		 u16 *sport, u16 *dport);
bool ipsec_nd_bypass(const struct ipsec_net *in, u8 type, u8 hlim);
bool ipsec_input_check(struct net *net, struct sk_buff *skb,
		       const struct kame_ip6ctx *c);
bool ipsec_in_sp_ok(struct ipsec_net *in, struct ipsec_sp *sp,
		    const struct kame_ip6ctx *c);

/* ipsec_sock.c: the sockets' own policies (IPV6_IPSEC_POLICY) */
int ipsec_sockpol_check(struct net *net, const void *blob, unsigned int len);
bool ipsec_sock_out_policy(struct ipsec_net *in, const struct sk_buff *skb,
			   const struct kame_ip6out *o, struct ipsec_sp *sp,
			   bool *bypass);
bool ipsec_input_check_sock(struct net *net, struct sk_buff *skb,
			    const struct kame_ip6ctx *c,
			    const struct kame_sockpol *pol);

/* esp.c: ESP (RFC 4303) */
extern const struct kame_ip6proto esp6_protosw;
int esp_init_state(struct ipsec_sa *sa);
void esp_destroy_state(struct ipsec_sa *sa);
int esp_output(struct ipsec_sa *sa, struct sk_buff *skb, unsigned int hoff,
	       u8 *proto, int randpad, struct ipsec_out *st);

/* ah_core.c, ah_input.c, ah_output.c: AH (RFC 4302) */
#define AH_HLEN		12	/* next header to sequence number */
extern const struct kame_ip6proto ah6_protosw;
int ah_init_state(struct ipsec_sa *sa);
void ah_destroy_state(struct ipsec_sa *sa);
unsigned int ah_hdrsiz(const struct ipsec_sa *sa);

#define ESP_HLEN	8	/* SPI and sequence number */
int ah6_output(struct ipsec_sa *sa, struct sk_buff *skb,
	       struct ipsec_out *st);

/* ipcomp_*.c: IPComp (RFC 3173) with DEFLATE (RFC 2394) */
#define IPCOMP_HLEN	4	/* next header, flags, CPI */
extern const struct kame_ip6proto ipcomp6_protosw;
int ipcomp_init_state(struct ipsec_sa *sa);
void ipcomp_destroy_state(struct ipsec_sa *sa);
int ipcomp_compress(struct sk_buff *skb, u8 nh, u16 cpi);
int ipcomp_decompress(struct sk_buff *skb, unsigned int off,
		      unsigned int max);
int ipcomp_output(struct ipsec_sa *sa, struct sk_buff *skb,
		  struct kame_ip6out *o);

/* key_nl.c: the "kame_key" family, its replies and events */
enum { IPSEC_MCGRP_EVENTS, IPSEC_MCGRP_MONITOR };
extern struct genl_family ipsec_key_family;
bool ipsec_nl_admin(struct sk_buff *skb, struct net *net);
int ipsec_fill_sa(struct sk_buff *skb, const struct ipsec_sa *sa, bool keys);
int ipsec_fill_sp(struct sk_buff *skb, const struct ipsec_sp *sp);
struct sk_buff *ipsec_msg(u8 cmd, u32 portid, u32 seq, int flags,
			  const struct ipsec_sa *sa, const struct ipsec_sp *sp,
			  bool keys);
void ipsec_monitor(struct net *net, u8 cmd, const struct ipsec_sa *sa,
		   const struct ipsec_sp *sp);
void ipsec_event(struct net *net, struct sk_buff *skb);

/* key_nl_sa.c, key_nl_sp.c: the commands */
int ipsec_nl_getspi(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_update(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_add(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_delete(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_deleteall(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_get(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_register(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_flush(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int ipsec_nl_spdadd(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_spddelete(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_spddelete2(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_spdget(struct sk_buff *skb, struct genl_info *info);
int ipsec_nl_spddump(struct sk_buff *skb, struct netlink_callback *cb);
int ipsec_nl_spdflush(struct sk_buff *skb, struct genl_info *info);
void ipsec_key_expire(struct ipsec_net *in, const struct ipsec_sa *sa,
		      bool hard);
int ipsec_key_nl_init(void);
void ipsec_key_nl_exit(void);

#endif /* _KAME_IPSEC_H */

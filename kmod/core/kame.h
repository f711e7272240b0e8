/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KAME IPv6 stack for Linux: definitions shared by the module's files.
 *
 * Locking: the control plane (attach, detach, netdevice events) runs under
 * RTNL. The per-namespace interface list is written under RTNL and read
 * under RCU by the data path and by dumps.
 */
#ifndef _KAME_H
#define _KAME_H

#include <linux/icmpv6.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>
#include "compat.h"
#include <net/ipv6.h>
#include <uapi/linux/kame.h>
#include "kame_family.h"

struct kame_ip6stat {
	u64 cnt[__KAME_IP6S_MAX];
};

struct kame_icmp6stat {
	u64 cnt[__KAME_ICP6S_MAX];
};

#define KAME_FRAG_ID_BUCKETS	256
#define KAME_FRAG_HASH_SIZE	256
#define KAME_UDP_HASH_SIZE	1024	/* chains by port */
#define KAME_UDP_HASH2_SIZE	1024	/* chains by address and port */
#define KAME_SYSCTL_DIRS	3	/* net/inet6/{ip6,icmp6,udp6} */

struct kame_udp6stat {
	u64 cnt[__KAME_UDP6S_MAX];
};

/* A socket of the stack (KAME's in6pcb, for UDP). */
struct kame_sock {
	struct sock sk;
	struct hlist_node node;		/* kn->udp_hash or raw_hash, under
					 * kn->udp_lock or raw_lock
					 */
	bool hashed;
	bool connected;
	bool laddr_auto;		/* laddr chosen by connect, not bind */
	struct in6_addr laddr;		/* embedded form */
	struct in6_addr faddr;		/* embedded form */
	__be16 lport, fport;
	int bound_if;			/* zone of a scoped local address */
	int hops;			/* IPV6_UNICAST_HOPS, -1: default */
	int mcast_hops;			/* IPV6_MULTICAST_HOPS, -1: 1 */
	/* the rest of the SOL_IPV6 state (ip6_sockopt.c, in6_mcast.c) */
	int mcast_if;			/* IPV6_MULTICAST_IF, 0: none */
	u8 mcast_loop;			/* IPV6_MULTICAST_LOOP */
	u8 tclass;			/* IPV6_TCLASS */
	u8 dontfrag;			/* IPV6_DONTFRAG */
	u8 rxopts;			/* KAME_RXO_*: the IPV6_RECV* options */
	struct in6_pktinfo pktinfo;	/* sticky IPV6_PKTINFO, plain form */
	struct list_head mships;	/* struct kame_mship; RTNL, RCU */
	unsigned int n_mships;		/* RTNL */
	struct sk_buff *rxpmtu;		/* pending IPV6_PATHMTU notice */
	/* IPV6_IPSEC_POLICY, KAME_SOCKPOL_*; NULL: entrust. Socket lock, RCU */
	struct kame_sockpol __rcu *ipsec_pol[2];
	/* RFC 5014 IPV6_ADDR_PREFERENCES: IPV6_PREFER_SRC_{TMP,PUBLIC,COA} */
	u8 srcprefs;
};

#define KAME_SOCKPOL_IN		0
#define KAME_SOCKPOL_OUT	1

/* ks->rxopts: the ancillary data recvmsg adds (RFC 3542) */
#define KAME_RXO_PKTINFO	0x01	/* IPV6_RECVPKTINFO */
#define KAME_RXO_HOPLIMIT	0x02	/* IPV6_RECVHOPLIMIT */
#define KAME_RXO_TCLASS		0x04	/* IPV6_RECVTCLASS */
#define KAME_RXO_PATHMTU	0x08	/* IPV6_RECVPATHMTU */

/* What an upper layer asks of one output packet (KAME's ip6_pktopts). */
struct kame_ip6_txopts {
	u8 proto;	/* the next header of the payload */
	u8 hlim;
	u8 tclass;	/* IPV6_TCLASS */
	bool dontfrag;	/* IPV6_DONTFRAG: -EMSGSIZE instead of fragments */
	bool mloop;	/* IPV6_MULTICAST_LOOP: a copy to our own groups */
	bool onlink;	/* ND: dst is a neighbor on kif, no route lookup */
	bool confirm;	/* MSG_CONFIRM: the next hop is reachable (a hint) */
	bool ipsec_done; /* IPsec has had the packet (KAME_OUT_F_IPSEC_DONE) */
	const struct sock *sk;	/* the sending socket (its IPsec policy) */
};

/* One packet of a socket: its route and options (kame_ip6_pkt_setup). */
struct kame_ip6_pkt {
	struct kame_if *kif;		/* the outgoing interface; RCU */
	struct in6_addr src, dst;	/* embedded form */
	struct kame_ip6_txopts tx;
};

/*
 * The SOL_IPV6 ancillary data and MSG_CONFIRM of one sendmsg
 * (kame_ip6_cmsg_parse()); with
 * the socket's sticky options it makes a struct kame_ip6_pkt (KAME's
 * ip6_pktopts merged) in kame_ip6_pkt_setup().
 */
struct kame_ip6_cmsg {
	struct in6_pktinfo pktinfo;	/* IPV6_PKTINFO, plain form */
	bool has_pktinfo;
	int hlim;			/* IPV6_HOPLIMIT, -1: none */
	int tclass;			/* IPV6_TCLASS, -1: none */
	int dontfrag;			/* IPV6_DONTFRAG, -1: none */
	bool confirm;			/* MSG_CONFIRM: a reachability hint */
};

/* What UDP input leaves in a queued datagram's cb for recvmsg. */
struct kame_dgram_cb {
	__be16 sport;
};

#define KAME_DGRAM_CB(skb) ((struct kame_dgram_cb *)(skb)->cb)

static inline struct kame_sock *kame_sk(const struct sock *sk)
{
	return container_of(sk, struct kame_sock, sk);
}

/* A raw socket (KAME's raw in6pcb): the common part and the raw options. */
struct kame_raw_sock {
	struct kame_sock ks;		/* ks.node: kn->raw_hash[protocol] */
	struct icmp6_filter filter;	/* ICMP6_FILTER, a set bit blocks */
	int cksum;			/* IPV6_CHECKSUM offset, -1: none */
};

static inline struct kame_raw_sock *kame_raw_sk(const struct sock *sk)
{
	return container_of(kame_sk(sk), struct kame_raw_sock, ks);
}

struct kame_rip6stat {
	u64 cnt[__KAME_RIP6S_MAX];
};

struct kame_nd6stat {
	u64 cnt[__KAME_ND6S_MAX];
};

/* Per network namespace state. */
struct kame_net {
	struct net *net;
	struct list_head ifs;		/* struct kame_if; RTNL, RCU */
	unsigned int gen;		/* bumped on every change of ifs */
	struct kame_ip6stat __percpu *ip6stat;
	struct kame_icmp6stat __percpu *icmp6stat;
	struct kame_udp6stat __percpu *udp6stat;

	/* UDP sockets (udp6.c) */
	spinlock_t udp_lock;
	struct hlist_head *udp_hash;	/* by port, under udp_lock */
	struct hlist_nulls_head *udp_hash2; /* by address and port: RCU */

	/* raw sockets (raw6.c), hashed by protocol (0: any) */
	spinlock_t raw_lock;
	struct hlist_head raw_hash[256];
	struct kame_rip6stat __percpu *rip6stat;

	/* neighbor cache (nd6.c) */
	spinlock_t nd_lock;
	struct rhashtable nd_table;	/* struct kame_llinfo */
	struct list_head nd_lru;	/* dynamic entries, oldest use first */
	struct list_head nd_manual;	/* static, temporary, proxy entries */
	unsigned int nd_count;
	struct delayed_work nd_gc_work;
	struct list_head nd_gc_mark;	/* in nd_lru: where the GC goes on */
	bool nd_gc_on;			/* nd_gc_work queued or running */
	struct kame_nd6stat __percpu *nd6stat;

	/* fragment reassembly (frag6.c) */
	spinlock_t frag_lock;
	struct hlist_head frag_hash[KAME_FRAG_HASH_SIZE];
	siphash_key_t frag_hash_key;
	unsigned int frag_nq, frag_nfrags;
	/* identifications of sent fragments (RFC 7739 5.3, ip6_output.c) */
	siphash_key_t frag_id_key;
	atomic_t frag_ids[KAME_FRAG_ID_BUCKETS];

	/* address lifetimes (in6.c) */
	struct delayed_work lft_work;

	/* source address selection policies (in6_src.c) */
	struct mutex addrsel_lock;	/* writers; lookups under RCU */
	struct list_head addrsel;	/* struct kame_addrsel_pol */
	u32 addrsel_count;

	/* routing table (route6.c): a path-compressed binary trie */
	spinlock_t rt_lock;		/* writers; lookups under RCU */
	struct kame_rtnode __rcu *rt_root;
	struct kame_rt_jump __rcu *rt_jump;	/* route6_jump.c, or NULL */
	u32 rt_count;			/* routes */
	u32 rt_gen;			/* bumped on every change */
	struct sk_buff_head lo_q;	/* packets to our own addresses */
	struct work_struct lo_work;	/* feeds lo_q into our input */

	/* ICMPv6 error rate limit (icmp6.c) */
	spinlock_t err_lock;
	unsigned long err_window;	/* jiffies the current second began */
	u32 err_count;

	/* knobs (sysctl.c): u32 each; also sysctls under net/inet6/ */
	struct ctl_table_header *sysctl_hdr[KAME_SYSCTL_DIRS];
	struct ctl_table *sysctl_tbl[KAME_SYSCTL_DIRS];
	u32 nd_max;			/* hard cap of the neighbor cache */
	u32 errppslimit;		/* ICMPv6 errors per second */
	u32 hdrnestlimit;		/* extension headers per packet, 0: any */
	u32 maxfragpackets;		/* datagrams being reassembled */
	u32 maxfrags;			/* fragments held in all */
	u32 maxfragsperpacket;		/* fragments held per datagram */
	u32 fragttl;			/* seconds to complete a datagram */
	u32 nd_gctimer;			/* s: STALE entries unused this long go */
	u32 nd_prune;			/* s: period of the neighbor cache GC */
	u32 nd_maxndopt;		/* ND options looked at per message */
	u32 nd_maxqueuelen;		/* packets held per INCOMPLETE entry */
	u32 nd_maxholdbytes;		/* bytes held in all hold queues */
	u32 nd_holdbytes;		/* held now (truesize; nd_lock) */
	u32 nd_delay;			/* s: DELAY_FIRST_PROBE_TIME */
	u32 nd_umaxtries;		/* MAX_UNICAST_SOLICIT */
	u32 nd_mmaxtries;		/* MAX_MULTICAST_SOLICIT */
	u32 nd_defifindex;		/* ndp -I: default interface, 0 none */
	u32 rt_max;			/* routes in the table */
	u32 addrsel_max;		/* address selection policies */
	u32 lo_qmax;			/* packets waiting in lo_q */
	u32 max_memberships;		/* multicast groups per socket */
	u32 nd_maxnudhint;		/* hints in a row, 0: no limit */
	u32 auto_linklocal;		/* attach makes a link-local address */
	u32 udp_maxreuse;		/* UDP sockets sharing address and port */
	u32 dad_count;			/* DAD probes of a new interface */
	u32 maxopts;			/* options in an options header, 0: any */
	u32 maxoptpad;			/* padding bytes in a row */
	u32 mld_robustness;		/* MLD reports of a state change */
	u32 mld_unsol_interval;		/* ms between them */
	u32 mld_maxsrcs;		/* sources kept for a source query */
	u32 mld_maxleaves;		/* leaves still repeated, per if */
	u32 mcast_maxsocksrc;		/* sources of a socket's filter */
	u32 mcast_maxgrpsrc;		/* sources of an interface's group */

	/* the secret of stable random interface ids (in6_ifattach.c) */
	siphash_key_t ifid_key;

	/* router advertisements (nd6_rtr.c, nd6_prefix.c); lists: RTNL */
	struct sk_buff_head ra_q;	/* valid RAs waiting for ra_work */
	struct work_struct ra_work;
	struct delayed_work rtr_work;	/* expiry, once a second */
	struct list_head defrouters;	/* struct kame_defrouter */
	struct list_head prefixes;	/* struct kame_nd_prefix */
	u32 ndefrouters, nprefixes;
	u32 forwarding;			/* ip6.forwarding: RAs ignored */
	u32 accept_rtadv;		/* ip6.accept_rtadv: new interfaces */
	u32 nd_maxdefrouters;		/* routers listed (and per prefix) */
	u32 nd_maxprefixes;		/* prefixes listed */
	u32 nd_maxraqueue;		/* RAs waiting for processing */

	/* multipath routes (route6_mpath.c) */
	struct list_head rt_mpath;	/* kame_rt.mp, under rt_lock */
	siphash_key_t rt_mp_key;	/* the secret of the flow hash */
	u32 rt_maxnexthops;		/* next hops of a multipath route */
	/* RFC 8981 temporary addresses (in6_tmpaddr.c) */
	u32 use_tempaddr;		/* ip6.use_tempaddr: make them */
	u32 prefer_tempaddr;		/* ip6.prefer_tempaddr: rule 7 */
	u32 temppltime, tempvltime;	/* s: TEMP_PREFERRED/VALID_LIFETIME */
	u32 temp_max;			/* ip6.tempaddr_max: per prefix */
	/* RFC 4191 route information options (nd6_rtinfo.c); RTNL */
	u32 accept_rtinfo;		/* ip6.accept_rtinfo */
	u32 rtinfo_max_plen;		/* ip6.rtinfo_max_plen */
	u32 rtinfo_max;			/* ip6.rtinfo_max: routes listed */
	struct list_head rtinfos;	/* struct kame_rtinfo */
	u32 nrtinfos;
	/* redirect routes of a host (nd6_redirect.c) */
	spinlock_t redir_lock;
	struct list_head redirects;	/* struct kame_redirect */
	u32 nredirects;
	struct delayed_work redir_work;	/* installs and expires them */
	u32 rediraccept;		/* icmp6.rediraccept */
	u32 redirtimeout;		/* s a redirect route lives */
	u32 redirmax;			/* redirect routes at most */
	u32 rt_mp_failhold;		/* s a failed next hop rests (mpath) */
};

/* A route from a route information option (RFC 4191 3.1). RTNL. */
struct kame_rtinfo {
	struct list_head list;		/* kn->rtinfos */
	struct kame_if *kif;
	struct in6_addr prefix;		/* masked */
	u8 plen;
	u8 pref;			/* 0 low, 1 medium, 2 high */
	struct in6_addr router;		/* link-local, embedded form */
	u64 expire;			/* jiffies64, 0: never */
	bool installed;			/* the route goes through router */
};

/* A router of the default router list (KAME's nd_defrouter). RTNL. */
struct kame_defrouter {
	struct list_head list;		/* kn->defrouters */
	struct kame_if *kif;
	struct in6_addr addr;		/* link-local, embedded form */
	u8 raflags;			/* M, O and preference of its last RA */
	bool installed;			/* the default route goes through it */
	u16 lifetime;			/* s, as advertised */
	u64 expire;			/* jiffies64 */
};

/* A router that advertised a prefix (KAME's nd_pfxrouter). RTNL. */
struct kame_pfxrouter {
	struct list_head list;		/* pr->routers */
	struct in6_addr addr;		/* embedded form */
};

/* A prefix of the prefix list (KAME's nd_prefix). RTNL. */
struct kame_nd_prefix {
	struct list_head list;		/* kn->prefixes */
	struct kame_if *kif;
	struct in6_addr prefix;		/* masked */
	u8 plen;
	u32 flags;			/* KAME_PFX_F_* */
	u32 vltime, pltime;		/* s, as last advertised */
	u64 expire;			/* jiffies64, 0: never */
	struct list_head routers;	/* struct kame_pfxrouter */
	u32 nrouters;
	u8 temp_retries;		/* temporaries that failed DAD in a row */
};

/* An interface the stack runs on (KAME's per-interface extra data). */
struct kame_if {
	struct list_head list;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct kame_net *kn;
	struct packet_type pt;		/* our ETH_P_IPV6 handler on dev */
	bool rxh;			/* input by rx_handler, not by pt */
	u64 __percpu *rx_packets;
	u8 native_saved;
	/*
	 * A point-to-point link without link-layer addresses (gre, sit,
	 * tun...): no link-layer header on output, no ND link-layer address
	 * options, no link-layer multicast groups, no address resolution.
	 */
	bool nolladdr;
	bool allrouters;	/* joined ff01::2, ff02::2, ff05::2 (RTNL) */
	/* the module's output, not ND (kame_family_ifattach_ops()) */
	const struct kame_link_ops *lops;
	bool ifid_random;		/* link-local from a random id, not EUI-64 */
	struct list_head addrs;		/* struct kame_ifaddr; RTNL, RCU */
	/* ND per-interface parameters (KAME's nd_ifinfo) */
	u32 basereachable;		/* ms */
	u32 reachable;			/* ms, randomized from basereachable */
	u32 retrans;			/* ms */
	u8 curhlim;
	u8 dad_transmits;
	struct rcu_head rcu;
	u32 nd_flags;			/* KAME_NDIF_F_* */
	bool mtu_small;			/* device MTU below 1280: disabled */
	u8 unsol_na_left;		/* unsolicited NA rounds to send */
	struct delayed_work unsol_na_work;
	struct list_head mcast;		/* struct kame_in6_multi; RTNL, RCU */
	/* the MLD listener (mld6.c), under mld_lock */
	spinlock_t mld_lock;
	struct delayed_work mld_work;	/* every report of the interface */
	unsigned long mld_next;		/* jiffies mld_work is due, 0: idle */
	unsigned long mld_v1_until;	/* MLDv1 querier present until */
	unsigned long mld_gq_at;	/* the answer to a general query */
	bool mld_gq;			/* ... is pending */
	bool mld_dead;			/* detaching: no more reports */
	u8 mld_qrv;			/* the querier's robustness (QRV) */
	u32 mld_qi;			/* its query interval, ms (QQIC) */
	struct list_head mld_leaves;	/* struct kame_mld_leave */
	unsigned int mld_nleaves;
	u32 linkmtu;			/* MTU option of an RA, 0: none */
};

/* The MTU of packets out of kif: the device's, or an RA's lower one. */
static inline u32 kame_if_linkmtu(const struct kame_if *kif)
{
	u32 dev = READ_ONCE(kif->dev->mtu), ra = READ_ONCE(kif->linkmtu);

	return ra && ra < dev ? ra : dev;
}

/*
 * A multicast group an interface listens to (KAME's in6_multi): the
 * node's own groups (all-nodes, solicited-node) and the groups sockets
 * joined, counted together; the first user adds the link-layer group to
 * the device (dev_mc_add), the last one removes it.
 */
struct kame_in6_multi {
	struct list_head list;		/* kif->mcast; RTNL, RCU */
	struct in6_addr addr;		/* embedded form */
	unsigned int users;		/* RTNL */
	struct list_head mships;	/* struct kame_mship here; RTNL */
	struct rcu_head rcu;
	/* MLD (mld6.c), under kif->mld_lock */
	bool mld_gone;			/* the last user left */
	bool mld_resp;			/* an answer to a query pending */
	u8 mld_unsol_left;		/* unsolicited reports still to send */
	u8 mld_nsrcs;			/* a source query's sources */
	unsigned long mld_resp_at;	/* jiffies */
	unsigned long mld_unsol_at;	/* jiffies */
	struct in6_addr *mld_srcs;	/* NULL: the whole group asked */
	/*
	 * The merged source filter (in6_msf.c), written under RTNL and
	 * mld_lock, and its changes still to be reported (mld_unsol_left
	 * more times): a mode change (the whole state again), or sources
	 * newly allowed and blocked. Sorted, embedded form.
	 */
	u8 msf_mode;			/* KAME_MSF_* */
	bool chg_to;
	unsigned int msf_n, chg_nallow, chg_nblock;
	struct in6_addr *msf_src, *chg_allow, *chg_block;
};

#define KAME_MSF_INCLUDE	1	/* = MODE_IS_INCLUDE (RFC 3810) */
#define KAME_MSF_EXCLUDE	2

/* A socket's source filter of one membership (RFC 3678), replaced whole. */
struct kame_msf {
	struct rcu_head rcu;
	u8 mode;			/* KAME_MSF_* */
	unsigned int n;
	struct in6_addr src[];		/* sorted, embedded form */
};

/* One socket's membership of a group on an interface (in6_multi_mship). */
struct kame_mship {
	struct list_head list;		/* ks->mships; RTNL, RCU */
	struct list_head inm_list;	/* inm->mships; RTNL */
	struct kame_sock *ks;
	struct kame_in6_multi *inm;
	struct in6_addr addr;		/* the group, embedded form */
	int ifindex;
	struct kame_msf __rcu *msf;	/* NULL: any source */
	struct rcu_head rcu;
};

/* An address of the stack (KAME's in6_ifaddr). Scoped addresses are kept
 * in the embedded form (zone in bytes 2-3).
 */
struct kame_ifaddr {
	struct list_head list;
	struct kame_if *kif;
	struct in6_addr addr;
	u8 plen;
	u32 flags;			/* KAME_ADDR_F_* */
	struct timer_list dad_timer;
	u8 dad_ns_left;
	bool dad_dup;			/* reported once */
	u64 valid_until;		/* jiffies64; 0: forever */
	u64 preferred_until;		/* jiffies64; 0: forever */
	struct rcu_head rcu;
	u64 temp_created;		/* TEMPORARY: jiffies64 it was made */
	u32 temp_desync;		/* TEMPORARY: DESYNC_FACTOR, s */
};

/*
 * Change the flags of an address in one step: DAD runs in softirq
 * context while netlink and the lifetime work run in process context.
 * Returns the flags before the change.
 */
static inline u32 kame_ifa_flags_mod(struct kame_ifaddr *ifa, u32 clear,
				     u32 set)
{
	u32 old = READ_ONCE(ifa->flags);

	while (!try_cmpxchg(&ifa->flags, &old, (old & ~clear) | set))
		;
	return old;
}

/* Scope zones (KAME notes 1.3): link-local unicast and link- and
 * interface-local multicast carry the zone (ifindex) in bytes 2-3.
 */
#define IN6_IS_ADDR_UNSPECIFIED(a)	ipv6_addr_any(a)
#define IN6_IS_ADDR_MULTICAST(a)	((a)->s6_addr[0] == 0xff)
#define IN6_IS_ADDR_LINKLOCAL(a)	\
	((a)->s6_addr[0] == 0xfe && ((a)->s6_addr[1] & 0xc0) == 0x80)
#define IN6_IS_ADDR_LOOPBACK(a)		ipv6_addr_loopback(a)
#define IN6_IS_ADDR_V4MAPPED(a)		ipv6_addr_v4mapped(a)
#define IN6_MC_SCOPE(a)			((a)->s6_addr[1] & 0x0f)
#define IN6_IS_ADDR_MC_INTFACELOCAL(a)	\
	(IN6_IS_ADDR_MULTICAST(a) && IN6_MC_SCOPE(a) == 1)
#define IN6_IS_ADDR_MC_LINKLOCAL(a)	\
	(IN6_IS_ADDR_MULTICAST(a) && IN6_MC_SCOPE(a) == 2)

static inline bool kame_in6_is_scoped(const struct in6_addr *a)
{
	return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a) ||
	       IN6_IS_ADDR_MC_INTFACELOCAL(a);
}

static inline void kame_in6_setscope(struct in6_addr *a, int ifindex)
{
	if (kame_in6_is_scoped(a))
		a->s6_addr16[1] = htons(ifindex);
}

static inline void kame_in6_clearscope(struct in6_addr *a)
{
	if (kame_in6_is_scoped(a))
		a->s6_addr16[1] = 0;
}

extern int kame_family;
extern unsigned int kame_net_id;
extern atomic_t kame_live_ifs;

static inline struct kame_net *kame_net(const struct net *net)
{
	return net_generic(net, kame_net_id);
}

static inline void kame_ip6stat_inc(struct kame_net *kn, enum kame_ip6stat_id i)
{
	this_cpu_inc(kn->ip6stat->cnt[i]);
}

static inline void kame_nd6stat_inc(struct kame_net *kn,
				    enum kame_nd6stat_id i)
{
	this_cpu_inc(kn->nd6stat->cnt[i]);
}

/* ND6_IFF_IFDISABLED, or a device MTU below the IPv6 minimum */
static inline bool kame_if_disabled(const struct kame_if *kif)
{
	return (READ_ONCE(kif->nd_flags) & KAME_NDIF_F_DISABLED) ||
	       READ_ONCE(kif->mtu_small);
}

static inline void kame_icmp6stat_inc(struct kame_net *kn,
				      enum kame_icmp6stat_id i)
{
	this_cpu_inc(kn->icmp6stat->cnt[i]);
}

u64 kame_stat_sum(const u64 __percpu *base, unsigned int idx);

/* netns.c */
int kame_netns_init(void);
void kame_netns_exit(void);

/* udp6.c */
extern struct proto_ops kame_udp_ops;
extern struct proto kame_udp_prot;
void kame_udp6_mem_init(void);
int kame_udp6_init_net(struct kame_net *kn);
void kame_udp6_exit_net(struct kame_net *kn);
/* what an upper layer's input returns when IPsec refused the packet */
#define KAME_IN_POLVIO	1
int kame_udp6_input(struct kame_if *kif, struct sk_buff *skb,
		    const struct kame_ip6ctx *c);
int kame_udp6_ctlinput(struct kame_if *kif, const struct in6_addr *src,
		       __be16 sport, const struct in6_addr *dst, __be16 dport,
		       int err);
void kame_udp6_init_sock(struct sock *sk);

/* raw6.c */
extern struct proto_ops kame_raw_ops;
void kame_raw6_init_sock(struct sock *sk);
int kame_rip6_input(struct kame_if *kif, struct sk_buff *skb,
		    const struct kame_ip6ctx *c, bool spd_done);

/* in6_pcb.c */
/* addresses no socket binds (KAME's IN6_IFF_ANYCAST, IN6_IFF_NOTREADY) */
#define KAME_BIND_UNUSABLE	(KAME_ADDR_F_ANYCAST | KAME_ADDR_F_TENTATIVE | \
				 KAME_ADDR_F_DUPLICATED)
int kame_in6_bind_addr(struct kame_net *kn, struct in6_addr *addr, u32 scope,
		       u32 bad, bool mcast, int *bound_if);
int kame_sockaddr_in(const struct sockaddr *uaddr, int len,
		     struct in6_addr *addr, u32 *scope, __be16 *port);
void kame_sockaddr_out(struct sockaddr_kame *sa, const struct in6_addr *addr,
		       __be16 port);
struct kame_if *kame_zone_if(struct kame_net *kn, u32 scope, int bound_if);
struct kame_if *kame_route_if(struct kame_net *kn, struct in6_addr *dst,
			      u32 scope, int bound_if, int *err);
struct kame_if *kame_if_by_index(struct kame_net *kn, int ifindex);
struct kame_if *kame_nd6_defif(struct kame_net *kn);
int kame_in6_pcbdetach(struct socket *sock, spinlock_t *lock);
void kame_sock_destruct(struct sock *sk);
int kame_in6_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int kame_in6_shutdown(struct socket *sock, int how);
int kame_in6_send_dest(struct kame_sock *ks, struct msghdr *msg,
		       struct in6_addr *dst, u32 *scope, __be16 *port);
int kame_in6_send_alloc(struct sock *sk, struct msghdr *msg,
			unsigned int hlen, size_t len, struct sk_buff **skbp,
			__wsum *csum);
int kame_in6_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		     int flags);
int kame_ip6_pkt_setup(struct sock *sk, const struct kame_ip6_cmsg *c,
		       const struct in6_addr *dst, u32 scope, u8 proto,
		       struct kame_ip6_pkt *p);
int kame_ip6_sock_output(struct sock *sk, struct sk_buff *skb,
			 struct kame_ip6_pkt *p);

/* ip6_sockopt.c */
void kame_ip6_sock_init(struct kame_sock *ks);
void kame_ip6_sock_free_ipsec(struct kame_sock *ks);
int kame_ip6_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			unsigned int optlen);
int kame_ip6_getsockopt(struct sock *sk, int optname, char __user *optval,
			int __user *optlen);
u8 kame_ip6_sock_hlim(const struct kame_sock *ks, const struct kame_if *kif,
		      const struct in6_addr *dst);
void kame_ip6_sock_release(struct sock *sk);

int kame_ip6_cmsg_parse(struct msghdr *msg, struct kame_ip6_cmsg *c);
void kame_ip6_recv_ctl(struct sock *sk, struct msghdr *msg,
		       const struct sk_buff *skb);
int kame_ip6_recv_pmtu(struct sock *sk, struct msghdr *msg, size_t len);
void kame_ip6_notify_pmtu(struct sock *sk, const struct in6_addr *dst,
			  u32 mtu);

/* in6_mcast.c: group membership of interfaces and sockets */
int kame_in6_mc_join(struct kame_if *kif, const struct in6_addr *grp);
void kame_in6_mc_leave(struct kame_if *kif, const struct in6_addr *grp);
void kame_in6_mc_purge(struct kame_if *kif);
int kame_ip6_mc_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			   unsigned int optlen);
bool kame_ip6_mc_member(const struct kame_sock *ks, int ifindex,
			const struct in6_addr *grp, const struct in6_addr *src);
void kame_ip6_mc_sock_release(struct kame_sock *ks);
int kame_mc_source(struct kame_sock *ks, int optname,
		   const struct in6_addr *grp, const struct in6_addr *src,
		   int ifindex);

/* in6_msf.c: multicast source filters */
bool kame_msf_has(const struct in6_addr *list, unsigned int n,
		  const struct in6_addr *s);
unsigned int kame_msf_combine(const struct in6_addr *a, unsigned int na,
			      const struct in6_addr *b, unsigned int nb,
			      const struct in6_addr *c, unsigned int nc,
			      struct in6_addr *out);
bool kame_mship_src_ok(const struct kame_mship *m, const struct in6_addr *src);
int kame_in6_msf_update(struct kame_if *kif, struct kame_in6_multi *inm);
int kame_msf_set(struct kame_if *kif, struct kame_mship *m,
		 struct kame_msf *nf);
int kame_msf_edit(struct kame_net *kn, const struct kame_msf *f, u8 mode,
		  const struct in6_addr *s, bool add, struct kame_msf **nf);
struct kame_msf *kame_msf_one(const struct in6_addr *s);
void kame_msf_sort(struct kame_msf *nf);
int kame_ip6_msfilter_set(struct sock *sk, sockptr_t optval,
			  unsigned int optlen);
int kame_ip6_msfilter_get(struct sock *sk, char __user *optval,
			  int __user *optlen);
int kame_mc_msfilter(struct kame_sock *ks, const struct in6_addr *grp,
		     int ifindex, struct kame_msf *nf);
int kame_mc_getfilter(struct kame_sock *ks, const struct in6_addr *grp,
		      int ifindex, struct kame_msf **out);
int kame_ip6_msf_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			    unsigned int optlen);
extern atomic_t kame_live_mships;

/* mld6.c: the MLD listener (RFC 3810, RFC 2710) */
void kame_mld_ifattach(struct kame_if *kif);
void kame_mld_ifdetach(struct kame_if *kif);
void kame_mld_join(struct kame_if *kif, struct kame_in6_multi *inm);
void kame_mld_leave(struct kame_if *kif, struct kame_in6_multi *inm);
void kame_mld_restart(struct kame_if *kif);
void kame_mld_state_change(struct kame_if *kif, struct kame_in6_multi *inm,
			   u8 mode, struct in6_addr *src, unsigned int n);
void kame_mld_input(struct kame_if *kif, struct sk_buff *skb,
		    unsigned int off, unsigned int len);
extern const struct nla_policy kame_maddr_policy[KAME_MADDR_A_MAX + 1];
int kame_nl_maddr_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* af_kame.c */
int kame_af_init(void);
void kame_af_exit(void);

/* in6_ifattach.c */
struct kame_if *kame_if_find(struct kame_net *kn, const struct net_device *dev);
int kame_in6_ifattach(struct kame_net *kn, struct net_device *dev, u8 saved,
		      const struct kame_link_ops *lops,
		      struct netlink_ext_ack *extack);
void kame_in6_ifdetach(struct kame_if *kif);
void kame_in6_routers_sync(struct kame_if *kif);
void kame_in6_forwarding_changed(struct kame_net *kn);
int kame_ifattach_init(void);
void kame_ifattach_exit(void);
void kame_in6_ifid_random(struct kame_if *kif, u8 *id);

/* ip6proto.c: next headers of the other modules of the family */
const struct kame_ip6proto *kame_ip6proto_find(u8 protocol);
int kame_ipsec_output(struct kame_if *kif, struct sk_buff **skbp,
		      const struct in6_addr *src, const struct in6_addr *dst,
		      struct kame_ip6_txopts *tx);
bool kame_ipsec_input_ok(struct kame_net *kn, struct sk_buff *skb,
			 const struct kame_ip6ctx *c);
bool kame_ipsec_sock_input_ok(struct kame_net *kn, struct sk_buff *skb,
			      const struct kame_ip6ctx *c,
			      const struct kame_sock *ks, s8 *spd);
int kame_ipsec_sockpol_check(struct net *net, const struct kame_sockpol *pol);
int kame_ipsec_ip6ip6_input(struct kame_if *kif, struct sk_buff *skb,
			    struct kame_ip6ctx *c);
bool kame_ipsec_forward_ok(struct kame_net *kn, struct sk_buff *skb,
			   const struct kame_ip6ctx *c);
int kame_ipsec_forward_output(struct kame_net *kn, struct sk_buff *skb,
			      u32 *mtu);
bool kame_ipsec_loaded(void);
bool kame_ipsec_stats(struct kame_net *kn, u64 *v, unsigned int n);

/* dest6.c */
int kame_ip6_hopopts_input(struct kame_if *kif, struct sk_buff *skb,
			   struct kame_ip6ctx *c);
int kame_dest6_input(struct kame_if *kif, struct sk_buff **skbp,
		     struct kame_ip6ctx *c);
int kame_route6_input(struct kame_if *kif, struct sk_buff **skbp,
		      struct kame_ip6ctx *c);

/* frag6.c */
int kame_frag6_input(struct kame_if *kif, struct sk_buff **skbp,
		     struct kame_ip6ctx *c);
void kame_frag6_purge(struct kame_net *kn, struct kame_if *kif);

/* ip6_input.c */
int kame_ip6_input(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig_dev);
rx_handler_result_t kame_ip6_rx_handler(struct sk_buff **pskb);
int kame_ip6_input_kif(struct kame_if *kif, struct sk_buff *skb);
int kame_ip6_gro_input(struct kame_if *kif, struct sk_buff *skb,
		       int (*input)(struct kame_if *, struct sk_buff *));

/* route6.c: the routing table (KAME's route.c, in6_rmx.c) */
struct kame_rtnode;

/*
 * A route. Fields are set before the route is published and never change
 * afterwards, but users (under kn->rt_lock). Freed after a grace period.
 */
struct kame_rt {
	struct kame_rt __rcu *next;	/* routes of the same prefix */
	struct kame_rtnode *node;	/* the prefix */
	struct kame_if *kif;		/* output interface */
	struct kame_ifaddr *ifa;	/* LOCAL: the address */
	struct in6_addr gw;		/* GATEWAY: next hop, embedded form */
	u32 flags;			/* KAME_RTF_* */
	u32 users;			/* CONNECTED: addresses of the prefix */
	u64 expire;			/* RA: jiffies64 it goes, 0: never;
					 * set under kn->rt_lock (the one field
					 * that changes), read with READ_ONCE
					 */
	struct rcu_head rcu;
	/* MPATH: in kn->rt_mpath; weight; jiffies64 NUD failed, 0: never */
	struct list_head mp;
	u32 weight;
	u64 mp_failed;			/* WRITE_ONCE/READ_ONCE: a hint */
};

/* How kame_ip6_output() sends a unicast packet (kame_rt_nexthop()). */
enum kame_nh_type {
	KAME_NH_RESOLVE,	/* to addr on kif, through the neighbor cache */
	KAME_NH_LOOP,		/* to one of our addresses: into our input */
	KAME_NH_REJECT,		/* reject route */
	KAME_NH_BLACKHOLE,	/* blackhole route */
};

struct kame_nexthop {
	struct kame_if *kif;
	struct in6_addr addr;	/* embedded form */
	u8 type;		/* enum kame_nh_type */
	bool host;		/* a host route (REJECT: EHOSTUNREACH) */
};

const struct kame_rt *kame_rt_lookup(struct kame_net *kn,
				     const struct in6_addr *dst,
				     const struct kame_if *kif);
struct kame_ifaddr *kame_rt_local_ifa(struct kame_net *kn,
				      const struct in6_addr *addr);
struct kame_if *kame_rt_output_if(struct kame_net *kn, struct in6_addr *dst,
				  u32 scope, int bound_if, int *err);
int kame_rt_nexthop(struct kame_if *kif, const struct in6_addr *dst,
		    struct kame_nexthop *nh);

/*
 * A flow, for the choice among the next hops of a multipath route
 * (route6_mpath.c): addresses in the embedded form; label: the flow label
 * (network order, 20 bits) or 0; ports only for UDP and TCP, 0 otherwise
 * (and in a fragment).
 */
struct kame_flow {
	const struct in6_addr *src, *dst;
	__be32 label;
	u8 proto;
	__be16 sport, dport;
};

int kame_rt_nexthop_flow(struct kame_if *kif, const struct in6_addr *dst,
			 struct kame_nexthop *nh, const struct kame_flow *fl);
void kame_rt_flow_skb(const struct sk_buff *skb, struct in6_addr *src,
		      struct in6_addr *dst, struct kame_flow *fl);
void kame_rt_flow_out(const struct sk_buff *skb, const struct in6_addr *src,
		      const struct in6_addr *dst, u8 proto,
		      struct kame_flow *fl);
u32 kame_rt_flowhash(const struct kame_net *kn, const struct kame_flow *fl);
const struct kame_rt *kame_rt_mpath_select(struct kame_net *kn,
					   const struct kame_rt *first,
					   const struct kame_flow *fl);
void kame_rt_mpath_unreach(struct kame_if *kif, const struct in6_addr *gw);
int kame_rt_loop(struct kame_if *kif, struct sk_buff *skb);
int kame_rt_add(struct kame_net *kn, const struct in6_addr *pfx, u8 plen,
		struct kame_if *kif, const struct in6_addr *gw, u32 flags,
		struct kame_ifaddr *ifa, struct netlink_ext_ack *extack);
int kame_rt_del(struct kame_net *kn, const struct in6_addr *pfx, u8 plen,
		const struct kame_if *kif, const struct in6_addr *gw,
		struct netlink_ext_ack *extack);
int kame_rt_onlink_add(struct kame_if *kif, const struct in6_addr *pfx,
		       u8 plen);
void kame_rt_onlink_del(struct kame_if *kif, const struct in6_addr *pfx,
			u8 plen);
void kame_rt_set_expire(struct kame_if *kif, const struct in6_addr *pfx,
			u8 plen, u64 expire);
int kame_rt_ifa_add(struct kame_ifaddr *ifa, struct netlink_ext_ack *extack);
void kame_rt_ifa_del(struct kame_ifaddr *ifa);
int kame_rt_ifattach(struct kame_if *kif);
void kame_rt_ifdetach(struct kame_if *kif);
void kame_rt_lo_purge(struct kame_if *kif);
int kame_rt_init_net(struct kame_net *kn);
void kame_rt_exit_net(struct kame_net *kn);
int kame_rt_init(void);
void kame_rt_exit(void);
bool kame_rt_anycast_dst(struct kame_if *kif, const struct sk_buff *skb);

/* route6_nl.c */
int kame_nl_route_dump_start(struct netlink_callback *cb);
int kame_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_nl_route_dump_done(struct netlink_callback *cb);
int kame_nl_route_new(struct sk_buff *skb, struct genl_info *info);
int kame_nl_route_del(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy kame_route_policy[KAME_ROUTE_A_MAX + 1];
extern const struct nla_policy kame_route_del_policy[KAME_ROUTE_A_MAX + 1];
extern const struct nla_policy kame_route_dump_policy[KAME_ROUTE_A_MAX + 1];

/* in6.c */
struct kame_ifaddr *kame_ifa_find(struct kame_if *kif,
				  const struct in6_addr *addr);
struct kame_ifaddr *kame_ifa_lookup(struct kame_net *kn,
				    const struct in6_addr *addr);
int kame_ifa_add(struct kame_if *kif, const struct in6_addr *addr, u8 plen,
		 u32 flags, u32 valid, u32 preferred,
		 struct netlink_ext_ack *extack);
void kame_in6_lft_work(struct work_struct *work);
u32 kame_ifa_lft_left(u64 until);
void kame_ifa_set_lft(struct kame_ifaddr *ifa, u32 valid, u32 preferred);
void kame_ifa_del(struct kame_ifaddr *ifa);
void kame_ifa_del_all(struct kame_if *kif);
bool kame_in6_joined(struct kame_if *kif, const struct in6_addr *grp);
int kame_in6_ifattach_linklocal(struct kame_if *kif);
void kame_in6_get_ifid(struct kame_if *kif, u8 *id);
int kame_in6_auto_linklocal(struct kame_if *kif);
bool kame_ifa_usable(const struct kame_ifaddr *ifa);
const struct kame_ifaddr *kame_in6_select_src(struct kame_if *kif,
					      const struct in6_addr *dst);
bool kame_in6_onlink(struct kame_if *kif, const struct in6_addr *dst);

/* in6_src.c: RFC 6724 source address selection and its policy table */
const struct kame_ifaddr *kame_in6_selectsrc(struct kame_if *kif,
					     const struct in6_addr *dst,
					     bool any_if, u8 prefs);
int kame_in6_srcprefs_set(u8 cur, int val, u8 *prefs);
int kame_in6_srcprefs_get(u8 prefs);
void kame_addrsel_init_net(struct kame_net *kn);
void kame_addrsel_exit_net(struct kame_net *kn);
int kame_nl_addrsel_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_nl_addrsel_new(struct sk_buff *skb, struct genl_info *info);
int kame_nl_addrsel_del(struct sk_buff *skb, struct genl_info *info);
int kame_nl_addrsel_flush(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy kame_addrsel_policy[KAME_ADDRSEL_A_MAX + 1];
extern const struct nla_policy kame_addrsel_none_policy[KAME_ADDRSEL_A_MAX + 1];
void kame_in6_dad_restart(struct kame_if *kif);

/* ip6_output.c */
int kame_ip6_output(struct kame_if *kif, struct sk_buff *skb,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    const struct kame_ip6_txopts *tx);
int kame_ip6_xmit_ll(struct kame_if *kif, struct sk_buff *skb,
		     const u8 *lladdr);

/* icmp6.c */
int kame_icmp6_input(struct kame_if *kif, struct sk_buff *skb,
		     const struct kame_ip6ctx *c);
void kame_icmp6_error(struct kame_if *kif, struct sk_buff *skb, u8 type,
		      u8 code, u32 param);
struct sk_buff *kame_icmp6_alloc(struct kame_if *kif, unsigned int len);
int kame_icmp6_send_tx(struct kame_if *kif, struct sk_buff *skb,
		       const struct in6_addr *src, const struct in6_addr *dst,
		       const struct kame_ip6_txopts *tx);
int kame_icmp6_send(struct kame_if *kif, struct sk_buff *skb,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    u8 hlim);
void kame_icmp6_outstat(struct kame_net *kn, u8 type);
bool kame_icmp6_ratelimited(struct kame_net *kn);

/* nd6.c (the neighbor cache; internals in nd6.h) */
#define KAME_ND_ROUTER_KEEP	(-1)	/* is_router: no information */
int kame_nd6_resolve_output(struct kame_if *kif, struct sk_buff *skb,
			    const struct in6_addr *nexthop);
void kame_nd6_cache_lladdr(struct kame_if *kif, const struct in6_addr *ip,
			   const u8 *lladdr, bool solicited, bool override,
			   bool is_na, int is_router);
bool kame_nd6_proxy_lookup(struct kame_if *kif, const struct in6_addr *ip,
			   u8 *lladdr);
bool kame_nd6_lladdr(struct kame_if *kif, const struct in6_addr *ip,
		     u8 *lladdr);
bool kame_nd6_proxy_joined(struct kame_if *kif, const struct in6_addr *g);
void kame_nd6_nud_hint(struct kame_if *kif, const struct in6_addr *addr);
u8 kame_nd6_state(struct kame_if *kif, const struct in6_addr *addr);
void kame_nd6_purge(struct kame_if *kif);
void kame_nd6_ifinfo_init(struct kame_if *kif);
void kame_ndif_update(struct kame_if *kif, u32 mask, u32 val);
u32 kame_nd6_compute_rtime(u32 base);
int kame_nd6_init_net(struct kame_net *kn);
void kame_nd6_exit_net(struct kame_net *kn);
int kame_nd6_init(void);
void kame_nd6_exit(void);

/* nd6_nl.c: netlink of the neighbor cache and of nd_ifinfo */
extern const struct nla_policy kame_ndif_policy[KAME_NDIF_A_MAX + 1];
int kame_nd6_dump_start(struct netlink_callback *cb);
int kame_nd6_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_nd6_dump_done(struct netlink_callback *cb);
int kame_nl_nd_new(struct sk_buff *skb, struct genl_info *info);
int kame_nl_nd_del(struct sk_buff *skb, struct genl_info *info);
int kame_nl_nd_flush(struct sk_buff *skb, struct genl_info *info);
int kame_nl_ndif_get(struct sk_buff *skb, struct genl_info *info);
int kame_nl_ndif_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_nl_ndif_set(struct sk_buff *skb, struct genl_info *info);

/* sock_nl.c: netlink of the socket tables */
extern const struct nla_policy kame_sock_policy[KAME_SOCK_A_MAX + 1];
int kame_nl_sock_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* nd6_rtr.c: router solicitation/advertisement and redirect input */
void kame_nd6_rs_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len);
void kame_nd6_ra_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len);
void kame_nd6_redirect_input(struct kame_if *kif, struct sk_buff *skb,
			     unsigned int off, unsigned int len);
void kame_nd6_rtr_init_net(struct kame_net *kn);
void kame_nd6_rtr_exit_net(struct kame_net *kn);
void kame_nd6_rtr_ifdetach(struct kame_if *kif);
void kame_defrtr_del(struct kame_defrouter *dr);
void kame_defrouter_select(struct kame_net *kn);
void kame_defrtr_flush(struct kame_net *kn);
void kame_defrouter_reset(struct kame_net *kn);
void kame_nd6_rtr_kick(struct kame_net *kn);
u8 kame_rtpref(u8 raflags);

/* nd6_prefix.c: the prefix list and address autoconfiguration */
void kame_prelist_update(struct kame_if *kif, const u8 *pi,
			 const struct kame_defrouter *dr);
void kame_prelist_remove(struct kame_nd_prefix *pr, bool addrs);
void kame_pfxrtr_del_all(struct kame_net *kn, const struct kame_if *kif,
			 const struct in6_addr *addr);
void kame_pfxlist_onlink_check(struct kame_net *kn);
bool kame_prelist_expire(struct kame_net *kn);
u32 kame_prefix_refcnt(const struct kame_nd_prefix *pr);

/* Is ifa an address autoconfigured from pfx/plen (temporary or not)? */
static inline bool kame_prefix_ifa(const struct kame_ifaddr *ifa,
				   const struct in6_addr *pfx, u8 plen)
{
	return (ifa->flags & KAME_ADDR_F_AUTOCONF) &&
	       !IN6_IS_ADDR_LINKLOCAL(&ifa->addr) && ifa->plen == plen &&
	       ipv6_prefix_equal(&ifa->addr, pfx, plen);
}

/* in6_tmpaddr.c: RFC 8981 temporary addresses */
void kame_tmpaddr_update(struct kame_nd_prefix *pr);
void kame_tmpaddr_lft(struct kame_nd_prefix *pr, u32 valid, u32 preferred);

/* nd6_rtinfo.c: RFC 4191 route information options */
void kame_rtinfo_update(struct kame_if *kif, const struct in6_addr *router,
			const u8 *opt);
void kame_rtinfo_expire(struct kame_net *kn, const struct kame_if *kif);
void kame_rtinfo_flush(struct kame_net *kn);
/* ip6_forward.c: KAME's ip6_forward() and icmp6_redirect_output() */
int kame_ip6_forward(struct kame_if *kif, struct sk_buff *skb,
		     const struct kame_ip6ctx *c);

/* nd6_redirect.c: redirects acted on by hosts */
void kame_nd6_redirect_accept(struct kame_if *kif, const struct in6_addr *tgt,
			      const struct in6_addr *dst, const u8 *lladdr);
void kame_redirect_init_net(struct kame_net *kn);
void kame_redirect_exit_net(struct kame_net *kn);
void kame_redirect_ifdetach(struct kame_if *kif);

/* nd6_rtr_nl.c: netlink of the router and prefix lists */
extern const struct nla_policy kame_defrtr_policy[KAME_DEFRTR_A_MAX + 1];
extern const struct nla_policy kame_prefix_policy[KAME_PREFIX_A_MAX + 1];
int kame_nl_defrtr_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_nl_defrtr_flush(struct sk_buff *skb, struct genl_info *info);
int kame_nl_defrtr_harmonize(struct sk_buff *skb, struct genl_info *info);
int kame_nl_prefix_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_nl_prefix_flush(struct sk_buff *skb, struct genl_info *info);

/* nd6_nbr.c */
struct kame_nd_opts {
	const u8 *src_lladdr;
	const u8 *tgt_lladdr;
	unsigned int mtu_opts, pi_opts;	/* counted, not kept yet */
};

int kame_nd6_options(struct kame_net *kn, const u8 *p, int len,
		     struct kame_nd_opts *o);
void kame_nd6_ns_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len);
void kame_nd6_na_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len);
void kame_nd6_ns_output(struct kame_if *kif, const struct in6_addr *daddr,
			const struct in6_addr *target, bool dad);
void kame_nd6_na_output(struct kame_if *kif, const struct in6_addr *daddr,
			const struct in6_addr *target, bool override,
			bool solicited, const u8 *tlla);
void kame_nd6_dad_start(struct kame_ifaddr *ifa);
void kame_nd6_dad_timer(struct timer_list *t);
void kame_nd6_unsol_na_start(struct kame_if *kif);
void kame_nd6_unsol_na_work(struct work_struct *work);

/* netlink.c */
extern struct genl_family kame_genl_family;
int kame_nl_no_dups(struct genl_info *info);
int kame_nl_admin(struct sk_buff *skb, struct genl_info *info);
struct kame_if *kame_nl_kif_attr(struct genl_info *info, int attr);
struct kame_if *kame_nl_kif_nla(struct net *net, const struct nlattr *nla,
				struct netlink_ext_ack *extack);

/* sysctl.c */
int kame_nl_sysctl_get(struct sk_buff *skb, struct genl_info *info);
int kame_nl_sysctl_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kame_nl_sysctl_set(struct sk_buff *skb, struct genl_info *info);
int kame_sysctl_init_net(struct kame_net *kn);
void kame_sysctl_exit_net(struct kame_net *kn);
int kame_genl_init(void);
void kame_genl_exit(void);

#endif /* _KAME_H */

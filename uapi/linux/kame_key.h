/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * KAME for Linux: key management of kame_ipsec.ko, user-visible ABI.
 *
 * The generic netlink family "kame_key" carries the message set of PF_KEY
 * v2 (RFC 2367) and KAME's extensions for the Security Association
 * Database (SAD) and the Security Policy Database (SPD) of the KAME
 * stack's IPsec, which has nothing to do with Linux's XFRM: setkey(8)
 * drives it. Both databases are per network namespace and hold IPv6
 * entries only (IPv4 SAs and policies are XFRM's).
 *
 * Commands that change state need CAP_NET_ADMIN over the namespace; so
 * does reading key material: GET and DUMP from a caller without it
 * leave out KAME_KEY_A_ENC_KEY and KAME_KEY_A_AUTH_KEY. Every refusal is
 * an errno with an extack message.
 *
 * Multicast group "events" (KAME_KEY_MCGRP_EVENTS): ACQUIRE (an outbound
 * policy requires an SA that does not exist) and EXPIRE (an SA reached a
 * soft or hard lifetime). Group "monitor" (KAME_KEY_MCGRP_MONITOR,
 * PF_KEY's X_PROMISC, setkey -x): a copy of every change made (the
 * genetlink command being the change's) and every event, without key
 * material. Neither group ever carries keys.
 */
#ifndef _UAPI_LINUX_KAME_KEY_H
#define _UAPI_LINUX_KAME_KEY_H

#include <linux/types.h>

#define KAME_KEY_GENL_NAME	"kame_key"
#define KAME_KEY_GENL_VERSION	1
#define KAME_KEY_MCGRP_EVENTS	"events"
#define KAME_KEY_MCGRP_MONITOR	"monitor"

/*
 * Commands. SA commands name an SA by (DST, PROTO, SPI), SRC narrowing
 * it where given; policy commands name a policy by its selector (SRC,
 * SRC_PLEN, DST, DST_PLEN, ULPROTO, SPORT, DPORT) and DIR, or by
 * POLICY_ID.
 */
enum kame_key_cmd {
	KAME_KEY_CMD_UNSPEC,
	/*
	 * SADB_GETSPI: a larval SA from SRC to DST of PROTO (MODE, REQID)
	 * with an SPI that no SA of DST and PROTO has: SPI if given (EEXIST
	 * when taken), else one drawn from [SPI_MIN, SPI_MAX] (default
	 * 256..0xffffffff). Reply: the SA.
	 */
	KAME_KEY_CMD_GETSPI,
	/*
	 * SADB_UPDATE: complete a larval SA (from GETSPI) with its
	 * algorithms and keys, making it mature; on a mature SA only the
	 * lifetimes may change. ENOENT when there is no such SA.
	 */
	KAME_KEY_CMD_UPDATE,
	/*
	 * SADB_ADD: a mature SA with SRC, DST, PROTO, SPI (256 or more),
	 * MODE, REQID, REPLAY, FLAGS, the algorithms and keys, the
	 * lifetimes and optionally SEQ. EEXIST when DST, PROTO and SPI are taken; EINVAL for
	 * an algorithm this kernel does not have (see REGISTER), a key
	 * whose length it does not take, or what PROTO does not use
	 * (ESP: ENC_ALG and optionally AUTH_ALG; AH: AUTH_ALG; IPComp:
	 * COMP_ALG).
	 */
	KAME_KEY_CMD_ADD,
	/* SADB_DELETE: the SA (DST, PROTO, SPI[, SRC]); ENOENT if none */
	KAME_KEY_CMD_DELETE,
	/* setkey's deleteall: every SA from SRC to DST of PROTO */
	KAME_KEY_CMD_DELETEALL,
	/* SADB_GET: the SA (DST, PROTO, SPI[, SRC]); ENOENT if none */
	KAME_KEY_CMD_GET,
	/*
	 * kernel to "events": an SA is needed for a request of policy
	 * POLICY_ID (the policy's attributes, then the request's PROTO,
	 * MODE and REQID); at most one per policy and second
	 */
	KAME_KEY_CMD_ACQUIRE,
	/* SADB_REGISTER: a KAME_KEY_A_ALG per supported algorithm */
	KAME_KEY_CMD_REGISTER,
	/* kernel to "events": SA reached LIFETIME_SOFT or _HARD (EXPIRE_HARD) */
	KAME_KEY_CMD_EXPIRE,
	/* SADB_FLUSH: every SA, or every SA of PROTO */
	KAME_KEY_CMD_FLUSH,
	/*
	 * SADB_DUMP (a netlink dump): every SA, or of PROTO (dead SAs are
	 * gone at once: a dump never has one)
	 */
	KAME_KEY_CMD_DUMP,
	/*
	 * SADB_X_SPDADD: a policy, appended to the SPD (KAME matches in
	 * order); with PRIORITY it goes before the first entry of a higher
	 * (numerically greater) priority. EEXIST when a policy with the
	 * same selector and DIR exists. Reply: the policy with its ID.
	 * A transport request with endpoints, or a tunnel one without
	 * both, is EINVAL.
	 */
	KAME_KEY_CMD_SPDADD,
	/* SADB_X_SPDUPDATE: replace the policy of the same selector and DIR */
	KAME_KEY_CMD_SPDUPDATE,
	/* SADB_X_SPDDELETE: by selector and DIR */
	KAME_KEY_CMD_SPDDELETE,
	/* SADB_X_SPDDELETE2: by POLICY_ID */
	KAME_KEY_CMD_SPDDELETE2,
	/* SADB_X_SPDGET: by POLICY_ID */
	KAME_KEY_CMD_SPDGET,
	/* SADB_X_SPDDUMP (a netlink dump), in SPD order */
	KAME_KEY_CMD_SPDDUMP,
	/* SADB_X_SPDFLUSH */
	KAME_KEY_CMD_SPDFLUSH,
	__KAME_KEY_CMD_MAX
};
#define KAME_KEY_CMD_MAX (__KAME_KEY_CMD_MAX - 1)

enum kame_key_attr {
	KAME_KEY_A_UNSPEC,
	/* binary, 16 bytes: SA source, or selector source prefix */
	KAME_KEY_A_SRC,
	/* binary, 16 bytes: SA destination, or selector destination prefix */
	KAME_KEY_A_DST,
	/* u8: IPPROTO_ESP, IPPROTO_AH or IPPROTO_COMP (IPComp) */
	KAME_KEY_A_PROTO,
	/* u32: SPI (for IPComp the CPI, below 0x10000), host order */
	KAME_KEY_A_SPI,
	/* u32: GETSPI's range */
	KAME_KEY_A_SPI_MIN,
	KAME_KEY_A_SPI_MAX,
	/* u8: KAME_KEY_MODE_* (SA: setkey -m; default ANY) */
	KAME_KEY_A_MODE,
	/* u32: request id (setkey -u; policies' unique:N) */
	KAME_KEY_A_REQID,
	/*
	 * u32: replay window in packets (0: no replay check), up to 1024;
	 * setkey -r gives it in bytes and the tool converts
	 */
	KAME_KEY_A_REPLAY,
	/* u32: KAME_KEY_F_* */
	KAME_KEY_A_FLAGS,
	/* u8, reply only: KAME_KEY_STATE_* */
	KAME_KEY_A_STATE,
	/* string: encryption algorithm, setkey's name ("aes-cbc", ...) */
	KAME_KEY_A_ENC_ALG,
	/*
	 * binary: its key (for aes-ctr, aes-gcm-16 and chacha20-poly1305
	 * the key followed by the 4-byte nonce salt)
	 */
	KAME_KEY_A_ENC_KEY,
	/* string: authentication algorithm ("hmac-sha2-256", ...) */
	KAME_KEY_A_AUTH_ALG,
	/* binary: its key */
	KAME_KEY_A_AUTH_KEY,
	/* string: compression algorithm ("deflate") */
	KAME_KEY_A_COMP_ALG,
	/* nested KAME_KEY_LFT_*: hard and soft limits (0: none) */
	KAME_KEY_A_LIFETIME_HARD,
	KAME_KEY_A_LIFETIME_SOFT,
	/* nested KAME_KEY_LFT_*, reply only: use so far */
	KAME_KEY_A_LIFETIME_CUR,
	/*
	 * u64: the last sequence number sent (64 bits with KAME_KEY_F_ESN,
	 * of which the low 32 are on the wire). ADD (and the UPDATE of a
	 * larval SA) may give it to start an SA elsewhere than at 0: the
	 * first packet out has SEQ + 1, and input takes SEQ as the top of
	 * the replay window (setkey's -seq; above 0xffffffff only with ESN)
	 */
	KAME_KEY_A_SEQ,
	/* nested KAME_KEY_SASTAT_*, reply only: drops of this SA */
	KAME_KEY_A_STATS,
	/* u8: selector prefix lengths (default 128) */
	KAME_KEY_A_SRC_PLEN,
	KAME_KEY_A_DST_PLEN,
	/*
	 * u16: selector ports (0 any); for ICMPv6 the type in SPORT and the
	 * code in DPORT, as KAME (setkey's "icmp6 TYPE,CODE")
	 */
	KAME_KEY_A_SPORT,
	KAME_KEY_A_DPORT,
	/* u8: upper-layer protocol, KAME_KEY_ULPROTO_ANY (255) for any */
	KAME_KEY_A_ULPROTO,
	/* u8: KAME_KEY_DIR_* */
	KAME_KEY_A_DIR,
	/* u8: KAME_KEY_ACTION_* */
	KAME_KEY_A_ACTION,
	/* u32: ipsec-tools' priority (lower first; default 0x80000000) */
	KAME_KEY_A_PRIORITY,
	/* u32: policy id (spid), given by SPDADD */
	KAME_KEY_A_POLICY_ID,
	/*
	 * nested KAME_KEY_REQ_*, one per request of an ipsec policy, in
	 * order (the first applied first on output: IPComp, ESP, AH)
	 */
	KAME_KEY_A_REQUEST,
	/* nested KAME_KEY_ALG_*, REGISTER's reply: one per algorithm */
	KAME_KEY_A_ALG,
	/* u32, EXPIRE: 1 for the hard lifetime, 0 for the soft one */
	KAME_KEY_A_EXPIRE_HARD,
	/* u8, monitor copies: the command that changed the databases */
	KAME_KEY_A_CMD,
	KAME_KEY_A_PAD,
	/*
	 * u64, reply only: the highest sequence number received (the top of
	 * the replay window; 64 bits with ESN), kept when the SA has a
	 * replay window or ESN
	 */
	KAME_KEY_A_RSEQ,
	__KAME_KEY_A_MAX
};
#define KAME_KEY_A_MAX (__KAME_KEY_A_MAX - 1)

/*
 * Lifetimes (sadb_lifetime): each u64. In LIFETIME_HARD and _SOFT the
 * limits (ADDTIME: seconds after creation, USETIME: seconds after the
 * first use); in LIFETIME_CUR what was used so far, ADDTIME and USETIME
 * being the times (seconds since the epoch) of creation and first use.
 */
enum {
	KAME_KEY_LFT_UNSPEC,
	KAME_KEY_LFT_ALLOCATIONS,
	KAME_KEY_LFT_BYTES,
	KAME_KEY_LFT_ADDTIME,
	KAME_KEY_LFT_USETIME,
	KAME_KEY_LFT_PAD,
	__KAME_KEY_LFT_MAX
};
#define KAME_KEY_LFT_MAX (__KAME_KEY_LFT_MAX - 1)

/* One request of an ipsec policy (ipsec_set_policy(3)'s proto/mode/src-dst/level) */
enum {
	KAME_KEY_REQ_UNSPEC,
	KAME_KEY_REQ_PROTO,	/* u8: IPPROTO_ESP, _AH, _COMP */
	KAME_KEY_REQ_MODE,	/* u8: TRANSPORT or TUNNEL */
	KAME_KEY_REQ_SRC,	/* binary, 16 bytes: tunnel source */
	KAME_KEY_REQ_DST,	/* binary, 16 bytes: tunnel destination */
	KAME_KEY_REQ_LEVEL,	/* u8: KAME_KEY_LEVEL_* */
	KAME_KEY_REQ_REQID,	/* u32: unique:N */
	__KAME_KEY_REQ_MAX
};
#define KAME_KEY_REQ_MAX (__KAME_KEY_REQ_MAX - 1)

/* One supported algorithm (REGISTER) */
enum {
	KAME_KEY_ALG_UNSPEC,
	KAME_KEY_ALG_NAME,	/* string, setkey's name */
	KAME_KEY_ALG_TYPE,	/* u8: KAME_KEY_ALGTYPE_* */
	KAME_KEY_ALG_MINBITS,	/* u16: key length range, bits */
	KAME_KEY_ALG_MAXBITS,	/* u16 */
	KAME_KEY_ALG_ICVBITS,	/* u16: ICV length (auth, AEAD) */
	KAME_KEY_ALG_IVBITS,	/* u16: IV length (enc) */
	__KAME_KEY_ALG_MAX
};
#define KAME_KEY_ALG_MAX (__KAME_KEY_ALG_MAX - 1)

/* Per-SA drop counters, each u64 */
enum {
	KAME_KEY_SASTAT_UNSPEC,
	KAME_KEY_SASTAT_REPLAY,		/* replayed or outside the window */
	KAME_KEY_SASTAT_AUTHFAIL,	/* ICV did not verify */
	KAME_KEY_SASTAT_PAD,
	__KAME_KEY_SASTAT_MAX
};
#define KAME_KEY_SASTAT_MAX (__KAME_KEY_SASTAT_MAX - 1)

#define KAME_KEY_MODE_ANY		0
#define KAME_KEY_MODE_TRANSPORT		1
#define KAME_KEY_MODE_TUNNEL		2

#define KAME_KEY_STATE_LARVAL		0
#define KAME_KEY_STATE_MATURE		1
#define KAME_KEY_STATE_DYING		2
#define KAME_KEY_STATE_DEAD		3

#define KAME_KEY_DIR_IN			1
#define KAME_KEY_DIR_OUT		2
#define KAME_KEY_DIR_FWD		3

#define KAME_KEY_ACTION_DISCARD		0
#define KAME_KEY_ACTION_NONE		1
#define KAME_KEY_ACTION_IPSEC		2
/* per-socket policies only (IPV6_IPSEC_POLICY): the SPD refuses them */
#define KAME_KEY_ACTION_ENTRUST		3	/* the SPD decides (default) */
#define KAME_KEY_ACTION_BYPASS		4	/* no IPsec at all */

#define KAME_KEY_LEVEL_DEFAULT		0
#define KAME_KEY_LEVEL_USE		1
#define KAME_KEY_LEVEL_REQUIRE		2
#define KAME_KEY_LEVEL_UNIQUE		3

#define KAME_KEY_ALGTYPE_ENC		1
#define KAME_KEY_ALGTYPE_AUTH		2
#define KAME_KEY_ALGTYPE_AEAD		3	/* ENC_ALG that authenticates */
#define KAME_KEY_ALGTYPE_COMP		4

#define KAME_KEY_ULPROTO_ANY		255

/*
 * KAME_KEY_A_FLAGS: PF_KEY's sadb_sa_flags bits that mean something here
 *   KAME_KEY_F_CYCSEQ   the sequence number may wrap (setkey's default;
 *                       -f nocyclic-seq clears it: the SA then dies at
 *                       the last number, as RFC 4303 asks without ESN)
 *   KAME_KEY_F_RAWCPI   IPComp: the SPI is the CPI on the wire (-R)
 *   KAME_KEY_F_PRAND    ESP: random padding (-f random-pad)
 *   KAME_KEY_F_PZERO    ESP: zero padding (-f zero-pad); neither: the
 *                       RFC 4303 1, 2, 3... padding (-f seq-pad)
 *   KAME_KEY_F_ESN      ESP and AH: 64-bit extended sequence numbers
 *                       (RFC 4303 2.2.1, RFC 4302 2.5.1; setkey's -f esn,
 *                       XFRM's "flag esn"): the low 32 bits on the wire,
 *                       the high 32 in the ICV only, inferred on input
 *                       from the replay window (RFC 4303 A2.2); without
 *                       CYCSEQ the SA dies at 2^64 - 1
 */
#define KAME_KEY_F_CYCSEQ		0x0040
#define KAME_KEY_F_RAWCPI		0x0080
#define KAME_KEY_F_PRAND		0x0100
#define KAME_KEY_F_PZERO		0x0200
#define KAME_KEY_F_ESN			0x1000
#define KAME_KEY_F_ALL			(KAME_KEY_F_CYCSEQ | KAME_KEY_F_RAWCPI | \
					 KAME_KEY_F_PRAND | KAME_KEY_F_PZERO | \
					 KAME_KEY_F_ESN)

/*
 * Per-socket policies (KAME's, ipsec_set_policy(3)): on an AF_KAME UDP or
 * raw socket,
 *
 *   setsockopt(fd, SOL_IPV6, IPV6_IPSEC_POLICY, buf, len)
 *
 * sets the socket's policy for one direction, buf being a struct
 * kame_key_sockpolicy followed by nreq struct kame_key_sockreq (len
 * exactly KAME_KEY_SOCKPOL_LEN(nreq); what ipsec_set_policy() returns).
 * It takes precedence over the SPD for that socket's datagrams, and for
 * nothing else:
 *
 *   ENTRUST   the SPD decides, as for a socket without a policy (the
 *             default; setting it removes the socket's policy)
 *   BYPASS    no IPsec: the SPD is not consulted (needs CAP_NET_ADMIN
 *             over the socket's namespace, else EACCES, as KAME asked
 *             for a privileged socket)
 *   DISCARD   out: sends fail with EACCES (out_polvio); in: every
 *             datagram is refused (in_polvio)
 *   NONE      no IPsec, as an SPD entry "none"
 *   IPSEC     the requests, as an SPD entry's: out applies them (the
 *             SA from the packet's source to its destination, or the
 *             tunnel's endpoints'), in refuses a datagram that did not
 *             have the processing of each request of level require or
 *             unique (in_polvio)
 *
 * Outbound: what the socket sends (not ICMPv6 errors about what it
 * received, not a tunnel's outer packets). Inbound: the datagrams
 * queued to the socket; a UDP datagram is checked against the policy of
 * the socket that would get it (each of them, for multicast) instead of
 * the SPD. ICMPv6 is processed by the kernel under the SPD first, so a
 * raw socket's policy can only refuse more of it; other next headers
 * for raw sockets are checked as UDP. Each refusal counts once in the
 * socket's namespace's ipsec6 in_polvio, and nowhere else.
 *
 * Errors: ENOPROTOOPT without kame_ipsec.ko; EINVAL for a blob that is
 * not one (a length other than KAME_KEY_SOCKPOL_LEN(nreq), nreq above
 * KAME_KEY_SOCKPOL_REQ_MAX, a direction other than IN or OUT, an unknown
 * action, requests with an action other than IPSEC or none with it, a
 * request of an unknown protocol, mode or level, a transport request
 * with endpoints, a tunnel one without both, a reqid without level
 * unique or above 16383, unique without a reqid, reserved bytes not
 * zero); EACCES for BYPASS without the privilege.
 *
 * getsockopt(fd, SOL_IPV6, IPV6_IPSEC_POLICY, buf, &len) with buf
 * holding at least a struct kame_key_sockpolicy whose dir names the
 * direction (KAME's way: the request goes in the buffer) returns that
 * direction's policy as it was set, or { dir, ENTRUST, 0 } when there is
 * none; EINVAL when len is shorter than the policy, ENOPROTOOPT without
 * the module.
 *
 * A socket's policies are its own copies: they go with the socket, and
 * survive (unused) the unloading of kame_ipsec.ko; loaded again, the
 * module applies them again.
 */
#ifndef IPV6_IPSEC_POLICY
#define IPV6_IPSEC_POLICY		34	/* Linux's number, level SOL_IPV6 */
#endif

#define KAME_KEY_SOCKPOL_REQ_MAX	4

struct kame_key_sockpolicy {
	__u8 dir;		/* KAME_KEY_DIR_IN or KAME_KEY_DIR_OUT */
	__u8 action;		/* KAME_KEY_ACTION_* */
	__u8 nreq;		/* requests that follow: 0 unless IPSEC */
	__u8 reserved;		/* 0 */
};

/* One request, as an SPD entry's (KAME_KEY_A_REQUEST) */
struct kame_key_sockreq {
	__u8 proto;		/* IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP */
	__u8 mode;		/* KAME_KEY_MODE_TRANSPORT or _TUNNEL */
	__u8 level;		/* KAME_KEY_LEVEL_* */
	__u8 reserved;		/* 0 */
	__u32 reqid;		/* unique:N (1..16383), else 0; host order */
	__u8 src[16];		/* tunnel: the outer source, else zero */
	__u8 dst[16];		/* tunnel: the outer destination, else zero */
};

#define KAME_KEY_SOCKPOL_LEN(nreq) \
	(sizeof(struct kame_key_sockpolicy) + \
	 (nreq) * sizeof(struct kame_key_sockreq))
#define KAME_KEY_SOCKPOL_MAXLEN	KAME_KEY_SOCKPOL_LEN(KAME_KEY_SOCKPOL_REQ_MAX)

#endif /* _UAPI_LINUX_KAME_KEY_H */

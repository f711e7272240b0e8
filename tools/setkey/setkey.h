/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_SETKEY_H
#define KAME_SETKEY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kame_key.h>
#include "../lib/nl.h"
#include "../lib/print.h"
#include "../lib/util.h"

#define SK_KEY_MAX	256	/* bytes: 2048 bits, null's upper bound */
#define SK_REQ_MAX	8	/* requests of one ipsec policy */
#define SK_ALG_NAME	32

enum sk_op {
	OP_ADD, OP_UPDATE, OP_GET, OP_DELETE, OP_DELETEALL, OP_GETSPI,
	OP_FLUSH, OP_DUMP,
	OP_SPDADD, OP_SPDUPDATE, OP_SPDDELETE, OP_SPDFLUSH, OP_SPDDUMP,
};

/* One request of an ipsec policy: proto/mode/src-dst/level */
struct sk_ipsecreq {
	uint8_t proto, mode, level;
	bool has_ends;
	struct in6_addr src, dst;
	uint32_t reqid;
};

struct sk_policy {
	uint8_t dir, action;
	bool has_action, has_prio;
	uint32_t priority;
	int nreq;
	struct sk_ipsecreq req[SK_REQ_MAX];
};

struct sk_key {
	uint8_t v[SK_KEY_MAX];
	size_t len;
	bool set;
};

/* One statement, ready to send. */
struct sk_cmd {
	enum sk_op op;
	const char *file;
	int line;
	/* SA: addresses; SPD: the selector */
	struct in6_addr src, dst;
	uint8_t splen, dplen, ulproto;
	uint16_t sport, dport;
	bool has_proto;		/* flush/dump: of one protocol only */
	uint8_t proto;		/* IPPROTO_ESP, _AH, _COMP */
	uint32_t spi;
	uint8_t mode;
	uint32_t reqid, replay, flags;
	bool has_replay, has_seq;
	uint64_t seq;		/* -seq: the SA's last sequence number */
	char ealg[SK_ALG_NAME], aalg[SK_ALG_NAME], calg[SK_ALG_NAME];
	struct sk_key ekey, akey;
	uint64_t hard_time, soft_time, hard_bytes, soft_bytes;
	struct sk_policy pol;
	/* filled in when sent: what undoes it (GETSPI's SPI, SPDADD's id) */
	bool done;
	uint32_t got_spi, got_id;
};

struct sk_cmds {
	struct sk_cmd *v;
	size_t n, cap;
};

/* A token of the configuration language (parse.c) */
enum sk_tok_type { T_EOF, T_WORD, T_QUOTED, T_SEMI, T_POLICY };

struct sk_tok {
	enum sk_tok_type type;
	const char *text;
	int line;
};

/* Global flags (setkey.c) */
extern bool f_verbose, f_noact, f_all, f_ports;
extern int f_xmode;

/* parse.c: parse a whole file into cmds; exits with Error: on failure. */
void sk_parse(const char *file, const char *text, struct sk_cmds *cmds);
void __attribute__((noreturn, format(printf, 2, 3)))
	sk_perr(const struct sk_tok *t, const char *fmt, ...);
extern const char *sk_cur_file;
uint64_t sk_number(const struct sk_tok *t, const char *s, uint64_t max,
		   const char *what);

/* policy.c: addresses, ranges, upper-layer specs, -P policies */
int sk_addrs(const struct sk_tok *t, const char *s, bool numeric,
	     struct in6_addr *out, int max);
void sk_addr1(const struct sk_tok *t, const char *s, bool numeric,
	      struct in6_addr *out);
void sk_range(const struct sk_tok *t, bool numeric, struct in6_addr *a,
	      uint8_t *plen, uint16_t *port, bool *has_port);
uint8_t sk_ulproto(const struct sk_tok *t);
void sk_policy(const struct sk_tok *t, bool want_action,
	       struct sk_policy *pol);

/* algorithms: built-in table (algs.c) and the kernel's (send.c) */
struct sk_alg {
	const char *name, *alias;
	int type;		/* KAME_KEY_ALGTYPE_* */
	int minbits, maxbits;
};
const struct sk_alg *sk_alg_find(const char *name, bool enc_side);
const char *sk_satype_name(uint8_t proto);

/* send.c */
void sk_open(struct knl *k);
void sk_check_keys(struct knl *k, const struct sk_cmds *cmds);
int sk_send_all(struct knl *k, struct sk_cmds *cmds);
int sk_dump_sad(struct knl *k, bool has_proto, uint8_t proto, bool shortfmt);
int sk_dump_spd(struct knl *k);
int sk_flush(struct knl *k, bool spd);
int sk_monitor(struct knl *k);

/* dump.c: the SA and policy printers */
struct sk_sa {
	struct in6_addr src, dst;
	uint8_t proto, mode, state;
	uint32_t spi, reqid, replay, flags;
	uint64_t seq, rseq;
	char ealg[SK_ALG_NAME], aalg[SK_ALG_NAME], calg[SK_ALG_NAME];
	struct sk_key ekey, akey;
	uint64_t cur[KAME_KEY_LFT_MAX + 1], hard[KAME_KEY_LFT_MAX + 1],
		 soft[KAME_KEY_LFT_MAX + 1];
	bool has_cur;
};

struct sk_sp {
	struct in6_addr src, dst;
	uint8_t splen, dplen, ulproto, dir, action;
	uint16_t sport, dport;
	uint32_t priority, id;
	bool has_prio, has_cur;
	uint64_t cur[KAME_KEY_LFT_MAX + 1];
	int nreq;
	struct sk_ipsecreq req[SK_REQ_MAX];
};

int sk_parse_sa(struct nlattr **tb, struct sk_sa *sa);
int sk_parse_sp(struct nlmsghdr *nlh, struct nlattr **tb, struct sk_sp *sp);
void sk_print_event(struct nlmsghdr *nlh, struct nlattr **tb);
void sk_print_sa(const char *key, const struct sk_sa *sa,
		 unsigned long sadb_seq);
void sk_print_sa_short(const struct sk_sa *sa);
void sk_print_short_header(void);
void sk_print_sp(const char *key, const struct sk_sp *sp, unsigned long seq);

#endif

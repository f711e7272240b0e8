// SPDX-License-Identifier: GPL-2.0
/*
 * setkey's side of the "kame_key" generic netlink family: the requests
 * of a parsed file (all or nothing: what a refused request leaves is
 * undone where it can be), the dumps, flushes and the monitor (-x).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <netlink/genl/ctrl.h>
#include "setkey.h"

static const int op_cmd[] = {
	[OP_ADD] = KAME_KEY_CMD_ADD, [OP_UPDATE] = KAME_KEY_CMD_UPDATE,
	[OP_GET] = KAME_KEY_CMD_GET, [OP_DELETE] = KAME_KEY_CMD_DELETE,
	[OP_DELETEALL] = KAME_KEY_CMD_DELETEALL,
	[OP_GETSPI] = KAME_KEY_CMD_GETSPI, [OP_FLUSH] = KAME_KEY_CMD_FLUSH,
	[OP_DUMP] = KAME_KEY_CMD_DUMP, [OP_SPDADD] = KAME_KEY_CMD_SPDADD,
	[OP_SPDUPDATE] = KAME_KEY_CMD_SPDUPDATE,
	[OP_SPDDELETE] = KAME_KEY_CMD_SPDDELETE,
	[OP_SPDFLUSH] = KAME_KEY_CMD_SPDFLUSH,
	[OP_SPDDUMP] = KAME_KEY_CMD_SPDDUMP,
};

void sk_open(struct knl *k)
{
	if (!knl_try_open_family(k, KAME_KEY_GENL_NAME, KAME_KEY_GENL_VERSION))
		die("generic netlink family \"%s\" not found: is the kame_ipsec module loaded?",
		    KAME_KEY_GENL_NAME);
}

static int talk(struct knl *k, struct nl_msg *msg, knl_nlh_fn fn, void *arg)
{
	if (f_verbose)
		nl_msg_dump(msg, stderr);
	return knl_talk_nlh(k, msg, fn, arg);
}

/* The reply's attributes; -EPROTO if it does not parse. */
static int parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	if (f_verbose) {
		struct nl_msg *m = nlmsg_convert(nlh);

		if (m) {
			nl_msg_dump(m, stderr);
			nlmsg_free(m);
		}
	}
	return genlmsg_parse(nlh, 0, tb, KAME_KEY_A_MAX, NULL) ? -EPROTO : 0;
}

/* ---- REGISTER: the kernel's algorithms and key lengths ---- */

struct kalgs {
	struct sk_alg v[64];
	char names[64][SK_ALG_NAME];
	int n;
};

static int register_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KAME_KEY_A_MAX + 1], *a, *at[KAME_KEY_ALG_MAX + 1];
	struct kalgs *ka = arg;
	int rem;

	if (parse(nlh, tb))
		return -EPROTO;
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct sk_alg *s = &ka->v[ka->n];

		if (nla_type(a) != KAME_KEY_A_ALG || ka->n == 64 ||
		    nla_parse_nested(at, KAME_KEY_ALG_MAX, a, NULL) ||
		    !at[KAME_KEY_ALG_NAME] || !at[KAME_KEY_ALG_TYPE])
			continue;
		snprintf(ka->names[ka->n], SK_ALG_NAME, "%s",
			 nla_get_string(at[KAME_KEY_ALG_NAME]));
		s->name = ka->names[ka->n];
		s->type = nla_get_u8(at[KAME_KEY_ALG_TYPE]);
		s->minbits = at[KAME_KEY_ALG_MINBITS] ?
			     nla_get_u16(at[KAME_KEY_ALG_MINBITS]) : 0;
		s->maxbits = at[KAME_KEY_ALG_MAXBITS] ?
			     nla_get_u16(at[KAME_KEY_ALG_MAXBITS]) : 0;
		ka->n++;
	}
	return 0;
}

static const struct sk_alg *kalg(const struct kalgs *ka, const char *name,
				 bool enc, bool comp)
{
	int i;

	for (i = 0; i < ka->n; i++) {
		int t = ka->v[i].type;

		if (!streq(ka->v[i].name, name))
			continue;
		if (comp ? t == KAME_KEY_ALGTYPE_COMP :
		    enc ? t == KAME_KEY_ALGTYPE_ENC || t == KAME_KEY_ALGTYPE_AEAD :
		    t == KAME_KEY_ALGTYPE_AUTH)
			return &ka->v[i];
	}
	return NULL;
}

static void check_key(const struct sk_cmd *c, const struct kalgs *ka,
		      const char *name, const struct sk_key *key, int side)
{
	const struct sk_alg *a;
	size_t bits = key->len * 8;

	if (!name[0])
		return;
	a = ka ? kalg(ka, name, side == 0, side == 2) :
		 sk_alg_find(name, side != 1);
	if (!a)
		die("%s:%d: the kernel has no %s algorithm %s at [%s]", c->file,
		    c->line, side == 0 ? "encryption" : side == 2 ?
		    "compression" : "authentication", name, name);
	if (side == 2)
		return;
	if (bits < (size_t)a->minbits || bits > (size_t)a->maxbits)
		die("%s:%d: %s takes a key of %d to %d bits, not %zu at [%s]",
		    c->file, c->line, name, a->minbits, a->maxbits, bits, name);
	if (side == 0 && a->type == KAME_KEY_ALGTYPE_AEAD && c->aalg[0])
		die("%s:%d: %s authenticates itself: no -A at [%s]", c->file,
		    c->line, name, c->aalg);
}

/* Key lengths of add/update against REGISTER (under -n: setkey(8)'s). */
void sk_check_keys(struct knl *k, const struct sk_cmds *cmds)
{
	struct kalgs *ka = NULL;
	size_t i;
	int err;

	for (i = 0; i < cmds->n; i++) {
		const struct sk_cmd *c = &cmds->v[i];

		if (c->op != OP_ADD && c->op != OP_UPDATE)
			continue;
		if (k && !ka) {
			ka = calloc(1, sizeof(*ka));
			if (!ka)
				die("out of memory");
			err = talk(k, knl_msg(k, KAME_KEY_CMD_REGISTER, 0),
				   register_cb, ka);
			if (err)
				die("REGISTER: %s", knl_errmsg[0] ? knl_errmsg :
				    strerror(-err));
		}
		check_key(c, ka, c->ealg, &c->ekey, 0);
		check_key(c, ka, c->aalg, &c->akey, 1);
		check_key(c, ka, c->calg, &c->ekey, 2);
	}
	free(ka);
}

/* ---- building requests ---- */

static void put_lifetime(struct nl_msg *m, int type, uint64_t t, uint64_t b)
{
	struct nlattr *n;

	if (!t && !b)
		return;
	n = nla_nest_start(m, type);
	if (t)
		nla_put_u64(m, KAME_KEY_LFT_ADDTIME, t);
	if (b)
		nla_put_u64(m, KAME_KEY_LFT_BYTES, b);
	nla_nest_end(m, n);
}

static void put_sa(struct nl_msg *m, const struct sk_cmd *c)
{
	nla_put(m, KAME_KEY_A_SRC, 16, &c->src);
	nla_put(m, KAME_KEY_A_DST, 16, &c->dst);
	nla_put_u8(m, KAME_KEY_A_PROTO, c->proto);
	if (c->op == OP_DELETEALL)
		return;
	if (c->op != OP_GETSPI || c->spi)
		nla_put_u32(m, KAME_KEY_A_SPI, c->spi);
	if (c->op == OP_GET || c->op == OP_DELETE)
		return;
	nla_put_u8(m, KAME_KEY_A_MODE, c->mode);
	nla_put_u32(m, KAME_KEY_A_REQID, c->reqid);
	if (c->op == OP_GETSPI)
		return;
	nla_put_u32(m, KAME_KEY_A_REPLAY, c->replay);
	nla_put_u32(m, KAME_KEY_A_FLAGS, c->flags);
	if (c->has_seq)
		nla_put_u64(m, KAME_KEY_A_SEQ, c->seq);
	if (c->ealg[0])
		nla_put_string(m, KAME_KEY_A_ENC_ALG, c->ealg);
	if (c->ekey.set)
		nla_put(m, KAME_KEY_A_ENC_KEY, c->ekey.len, c->ekey.v);
	if (c->aalg[0])
		nla_put_string(m, KAME_KEY_A_AUTH_ALG, c->aalg);
	if (c->akey.set)
		nla_put(m, KAME_KEY_A_AUTH_KEY, c->akey.len, c->akey.v);
	if (c->calg[0])
		nla_put_string(m, KAME_KEY_A_COMP_ALG, c->calg);
	put_lifetime(m, KAME_KEY_A_LIFETIME_HARD, c->hard_time, c->hard_bytes);
	put_lifetime(m, KAME_KEY_A_LIFETIME_SOFT, c->soft_time, c->soft_bytes);
}

static void put_sp(struct nl_msg *m, const struct sk_cmd *c)
{
	const struct sk_policy *p = &c->pol;
	int i;

	nla_put(m, KAME_KEY_A_SRC, 16, &c->src);
	nla_put_u8(m, KAME_KEY_A_SRC_PLEN, c->splen);
	nla_put(m, KAME_KEY_A_DST, 16, &c->dst);
	nla_put_u8(m, KAME_KEY_A_DST_PLEN, c->dplen);
	nla_put_u8(m, KAME_KEY_A_ULPROTO, c->ulproto);
	nla_put_u16(m, KAME_KEY_A_SPORT, c->sport);
	nla_put_u16(m, KAME_KEY_A_DPORT, c->dport);
	nla_put_u8(m, KAME_KEY_A_DIR, p->dir);
	if (c->op == OP_SPDDELETE)
		return;
	nla_put_u8(m, KAME_KEY_A_ACTION, p->action);
	if (p->has_prio)
		nla_put_u32(m, KAME_KEY_A_PRIORITY, p->priority);
	for (i = 0; i < p->nreq; i++) {
		const struct sk_ipsecreq *r = &p->req[i];
		struct nlattr *n = nla_nest_start(m, KAME_KEY_A_REQUEST);

		nla_put_u8(m, KAME_KEY_REQ_PROTO, r->proto);
		nla_put_u8(m, KAME_KEY_REQ_MODE, r->mode);
		if (r->has_ends) {
			nla_put(m, KAME_KEY_REQ_SRC, 16, &r->src);
			nla_put(m, KAME_KEY_REQ_DST, 16, &r->dst);
		}
		nla_put_u8(m, KAME_KEY_REQ_LEVEL, r->level);
		if (r->reqid)
			nla_put_u32(m, KAME_KEY_REQ_REQID, r->reqid);
		nla_nest_end(m, n);
	}
}

static struct nl_msg *build(struct knl *k, const struct sk_cmd *c)
{
	struct nl_msg *m = knl_msg(k, op_cmd[c->op], 0);

	switch (c->op) {
	case OP_FLUSH:
		if (c->has_proto)
			nla_put_u8(m, KAME_KEY_A_PROTO, c->proto);
		break;
	case OP_SPDFLUSH:
		break;
	case OP_SPDADD: case OP_SPDUPDATE: case OP_SPDDELETE:
		put_sp(m, c);
		break;
	default:
		put_sa(m, c);
	}
	return m;
}

/* ---- sending a file's requests ---- */

static int reply_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KAME_KEY_A_MAX + 1];
	struct sk_cmd *c = arg;
	struct sk_sa sa;

	if (parse(nlh, tb))
		return -EPROTO;
	if (tb[KAME_KEY_A_SPI])
		c->got_spi = nla_get_u32(tb[KAME_KEY_A_SPI]);
	if (tb[KAME_KEY_A_POLICY_ID])
		c->got_id = nla_get_u32(tb[KAME_KEY_A_POLICY_ID]);
	if (c->op == OP_GET && !sk_parse_sa(tb, &sa)) {
		print_begin(print_json);
		sk_print_sa(NULL, &sa, 0);
		print_end();
	}
	return 0;
}

/* Undo what request c did, where that can be done; warn if it fails. */
static void undo_cmd(struct knl *k, const struct sk_cmd *c)
{
	struct sk_cmd u = *c;
	struct nl_msg *m;
	int err;

	if (c->op == OP_ADD || c->op == OP_GETSPI) {
		u.op = OP_DELETE;
		if (c->op == OP_GETSPI)
			u.spi = c->got_spi;
		m = build(k, &u);
	} else if (c->op == OP_SPDADD && c->got_id) {
		m = knl_msg(k, KAME_KEY_CMD_SPDDELETE2, 0);
		nla_put_u32(m, KAME_KEY_A_POLICY_ID, c->got_id);
	} else if (c->op == OP_SPDADD) {
		u.op = OP_SPDDELETE;
		m = build(k, &u);
	} else {
		return;
	}
	err = talk(k, m, NULL, NULL);
	if (err)
		fprintf(stderr, "Warning: %s:%d: cannot undo: %s\n", c->file,
			c->line, knl_errmsg[0] ? knl_errmsg : strerror(-err));
}

/* KAME's "No entry" for a missing SA or policy, else the extack text. */
static const char *errtext(const struct sk_cmd *c, int err)
{
	static char buf[sizeof(knl_errmsg) + 16];

	if (err == -ENOENT && (c->op == OP_GET || c->op == OP_DELETE ||
			       c->op == OP_SPDDELETE || c->op == OP_DELETEALL)) {
		snprintf(buf, sizeof(buf), knl_errmsg[0] ? "No entry (%s)" :
			 "No entry%s", knl_errmsg);
		return buf;
	}
	return knl_errmsg[0] ? knl_errmsg : strerror(-err);
}

/* Send every request; on a refusal undo the earlier ones, exit 1. */
int sk_send_all(struct knl *k, struct sk_cmds *cmds)
{
	size_t i, j;
	int err;

	for (i = 0; i < cmds->n; i++) {
		struct sk_cmd *c = &cmds->v[i];

		if (c->op == OP_DUMP)
			err = sk_dump_sad(k, c->has_proto, c->proto, false);
		else if (c->op == OP_SPDDUMP)
			err = sk_dump_spd(k);
		else
			err = talk(k, build(k, c), reply_cb, c);
		if (!err) {
			c->done = true;
			continue;
		}
		fflush(stdout);
		fprintf(stderr, "Error: %s:%d: %s\n", c->file, c->line,
			errtext(c, err));
		for (j = i; j-- > 0;)
			undo_cmd(k, &cmds->v[j]);
		exit(1);
	}
	return 0;
}

/* ---- dumps ---- */

struct salist {
	struct sk_sa *v;
	size_t n, cap;
};

static int sa_dump_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KAME_KEY_A_MAX + 1];
	struct salist *l = arg;

	if (parse(nlh, tb))
		return -EPROTO;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	if (sk_parse_sa(tb, &l->v[l->n]))
		return -EPROTO;
	if (l->v[l->n].state == KAME_KEY_STATE_DEAD && !f_all)
		return 0;
	l->n++;
	return 0;
}

int sk_dump_sad(struct knl *k, bool has_proto, uint8_t proto, bool shortfmt)
{
	struct nl_msg *m = knl_msg(k, KAME_KEY_CMD_DUMP, NLM_F_DUMP);
	struct salist l = { 0 };
	size_t i;
	int err;

	if (has_proto)
		nla_put_u8(m, KAME_KEY_A_PROTO, proto);
	err = talk(k, m, sa_dump_cb, &l);
	if (err) {
		free(l.v);
		return err;
	}
	print_begin(print_json);
	if (!l.n && !print_json && !shortfmt)
		printf("No SAD entries.\n");
	for (i = 0; i < l.n; i++) {
		if (shortfmt)
			sk_print_sa_short(&l.v[i]);
		else
			sk_print_sa(NULL, &l.v[i], l.n - 1 - i);
	}
	print_end();
	free(l.v);
	return 0;
}

struct splist {
	struct sk_sp *v;
	size_t n, cap;
};

static int sp_dump_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KAME_KEY_A_MAX + 1];
	struct splist *l = arg;

	if (parse(nlh, tb))
		return -EPROTO;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	if (sk_parse_sp(nlh, tb, &l->v[l->n]))
		return -EPROTO;
	l->n++;
	return 0;
}

int sk_dump_spd(struct knl *k)
{
	struct splist l = { 0 };
	size_t i;
	int err;

	err = talk(k, knl_msg(k, KAME_KEY_CMD_SPDDUMP, NLM_F_DUMP), sp_dump_cb,
		   &l);
	if (err) {
		free(l.v);
		return err;
	}
	print_begin(print_json);
	if (!l.n && !print_json)
		printf("No SPD entries.\n");
	for (i = 0; i < l.n; i++)
		sk_print_sp(NULL, &l.v[i], l.n - 1 - i);
	print_end();
	free(l.v);
	return 0;
}

int sk_flush(struct knl *k, bool spd)
{
	return talk(k, knl_msg(k, spd ? KAME_KEY_CMD_SPDFLUSH :
			       KAME_KEY_CMD_FLUSH, 0), NULL, NULL);
}

/* ---- -x: every message of the groups "events" and "monitor" ---- */

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[KAME_KEY_A_MAX + 1];
	struct timeval tv;
	char stamp[64];

	if (parse(nlh, tb))
		return NL_OK;
	gettimeofday(&tv, NULL);
	if (f_xmode > 1) {
		snprintf(stamp, sizeof(stamp), "%lu.%06lu",
			 (unsigned long)tv.tv_sec, (unsigned long)tv.tv_usec);
	} else {
		struct tm tm;
		char t[32];

		localtime_r(&tv.tv_sec, &tm);
		strftime(t, sizeof(t), "%b %d %H:%M:%S", &tm);
		snprintf(stamp, sizeof(stamp), "%s.%06lu", t,
			 (unsigned long)tv.tv_usec);
	}
	print_begin(print_json);
	print_open_obj(NULL);
	print_str("time", "%s ", stamp);
	sk_print_event(nlh, tb);
	print_close_obj();
	print_end();
	fflush(stdout);		/* one event at a time, as it happens */
	return NL_OK;
}

int sk_monitor(struct knl *k)
{
	/* the monitor group has the events too: joining both doubles them */
	static const char *const groups[] = { KAME_KEY_MCGRP_MONITOR };
	size_t i;
	int grp, err;

	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		grp = genl_ctrl_resolve_grp(k->sk, KAME_KEY_GENL_NAME, groups[i]);
		if (grp < 0)
			die("multicast group \"%s\" of \"%s\" not found",
			    groups[i], KAME_KEY_GENL_NAME);
		err = nl_socket_add_membership(k->sk, grp);
		if (err < 0)
			die("cannot join the group \"%s\": %s", groups[i],
			    nl_geterror(err));
	}
	nl_socket_disable_seq_check(k->sk);
	nl_socket_modify_cb(k->sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_cb, NULL);
	for (;;) {
		err = nl_recvmsgs_default(k->sk);
		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN)
			die("receiving: %s", nl_geterror(err));
	}
	return 0;
}

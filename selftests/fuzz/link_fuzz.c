// SPDX-License-Identifier: GPL-2.0
/*
 * Random and mutated rtnetlink requests to the link kinds of kame_gif.ko
 * ("gif") and kame_stf.ko ("stf"): RTM_NEWLINK creating (NLM_F_CREATE,
 * NLM_F_EXCL) and changing gifs, stf0 and a dummy, RTM_SETLINK,
 * RTM_DELLINK and RTM_GETLINK (also dumps, also filtered by kind), each
 * with IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA } whose attributes
 * are valid types with random lengths and values, outer addresses of
 * every class, the reply-only IFLA_GIF_STATS and IFLA_STF_STATS, unknown
 * types and nested garbage, beside random IFLA_MTU, IFLA_IFNAME and
 * header fields. Each test runs in a network namespace of its own
 * (selftests/fuzz/link_fuzz.sh loads the modules and runs this):
 *   - as root: every request answered (an ack, data or an error), every
 *     error a negative errno; an error of a request whose every part but
 *     IFLA_INFO_DATA is well-formed and whose kind is gif or stf (what
 *     the kind itself parses: EINVAL, ERANGE, EEXIST, EADDRNOTAVAIL, but
 *     the core's EEXIST of NLM_F_EXCL on an existing device) carries an
 *     extended-ack message; errors without one are counted and printed;
 *     such a request that succeeds leaves the device with what its
 *     IFLA_INFO_DATA says (the last of each attribute), one that fails
 *     leaves the device as it was; none with IFLA_GIF_STATS or
 *     IFLA_STF_STATS in IFLA_INFO_DATA succeeds;
 *   - as an unprivileged user: no request that changes state succeeds
 *     and the links are the same afterwards;
 *   - as root of a new user namespace: as root.
 * Each reply is checked to be well-formed (IFLA_INFO_DATA of a gif or stf
 * included), and at the end the namespace is consistent: at most one stf,
 * no two gifs with the same outer addresses, each gif's and stf's
 * attributes in range, each attached to the KAME stack.
 * Message i is a pure function of the seed (LINK_FUZZ_SEED, default
 * below) and i; LINK_FUZZ_N (3000) is the number of requests of the root
 * test, the others send a third and two thirds of it;
 * LINK_FUZZ_TRACE=1 prints every request and its answer. The requests
 * are built in link_fuzz_gen.c.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/kame.h>
#include <linux/kame_gif.h>
#include <linux/kame_stf.h>
#include "../kame_harness.h"
#include "nl_util.h"
#include "link_fuzz.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define SEED_DEFAULT	0x6c696e6b667aULL

/* ---- replies ---- */

/* What a link message says about a device (parse_link()). */
struct linfo {
	int exists;
	int ifindex;
	unsigned int flags;	/* ifi_flags */
	char name[IFNAMSIZ];
	char kind[16];
	uint32_t mtu;
	int alen;		/* gif: outer addresses' length, 0: none */
	uint8_t local[16], remote[16];
	uint32_t kflags;	/* IFLA_GIF_FLAGS or IFLA_STF_FLAGS */
	uint8_t ttl;
};

/* Attributes from p (len bytes) that fill it exactly. */
static int attrs_ok(const void *p, int len)
{
	const struct nlattr *a = p;

	while (len >= NLA_HDRLEN) {
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return 0;
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return len == 0;
}

#define for_attr(a, p, len) \
	for (a = (const struct nlattr *)(p), _rem = (len); \
	     _rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= _rem; \
	     _rem -= NLA_ALIGN(a->nla_len), \
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len)))

#define ALEN(a) ((int)(a)->nla_len - NLA_HDRLEN)
#define ADATA(a) ((const uint8_t *)((a) + 1))

/* The counters of a STATS nest: u64s of known types and padding. */
static int stats_ok(const struct nlattr *s, int max, int pad)
{
	const struct nlattr *a;
	int _rem;

	if (!attrs_ok(s + 1, ALEN(s)))
		return 0;
	for_attr(a, s + 1, ALEN(s)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t == pad)
			continue;
		if (t < 1 || t > max || ALEN(a) != 8)
			return 0;
	}
	return 1;
}

/* IFLA_INFO_DATA of a gif or stf reply, into o; 0 if malformed. */
static int info_data_ok(const struct nlattr *d, int gif, struct linfo *o)
{
	const struct nlattr *a, *l = NULL, *rm = NULL;
	int _rem, stats = 0, fl = 0, ttl = 0;

	if (!attrs_ok(d + 1, ALEN(d)))
		return 0;
	for_attr(a, d + 1, ALEN(d)) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (gif && t == IFLA_GIF_LOCAL) {
			l = a;
		} else if (gif && t == IFLA_GIF_REMOTE) {
			rm = a;
		} else if (t == (gif ? IFLA_GIF_FLAGS : IFLA_STF_FLAGS)) {
			if (ALEN(a) != 4)
				return 0;
			memcpy(&o->kflags, ADATA(a), 4);
			fl = 1;
		} else if (t == (gif ? IFLA_GIF_TTL : IFLA_STF_TTL)) {
			if (ALEN(a) != 1)
				return 0;
			o->ttl = *ADATA(a);
			ttl = 1;
		} else if (t == (gif ? IFLA_GIF_STATS : IFLA_STF_STATS)) {
			if (!stats_ok(a, gif ? IFLA_GIF_STAT_MAX : IFLA_STF_STAT_MAX,
				      gif ? IFLA_GIF_STAT_PAD : IFLA_STF_STAT_PAD))
				return 0;
			stats = 1;
		} else {
			return 0;
		}
	}
	if (!!l != !!rm || !fl || !ttl || !stats)
		return 0;
	if (l) {
		if (ALEN(l) != ALEN(rm) || (ALEN(l) != 4 && ALEN(l) != 16))
			return 0;
		o->alen = ALEN(l);
		memcpy(o->local, ADATA(l), o->alen);
		memcpy(o->remote, ADATA(rm), o->alen);
	}
	return 1;
}

/* An RTM_NEWLINK or RTM_DELLINK reply, into o (if not NULL); 0 if malformed. */
static int parse_link(const struct nlmsghdr *nh, struct linfo *o)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	const struct nlattr *a, *b, *data = NULL;
	struct linfo tmp;
	int len = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)), _rem, _rem2;

	if (!o)
		o = &tmp;
	memset(o, 0, sizeof(*o));
	if ((nh->nlmsg_type != RTM_NEWLINK && nh->nlmsg_type != RTM_DELLINK) ||
	    len < 0 || !attrs_ok(ifi + 1, len))
		return 0;
	o->exists = 1;
	o->ifindex = ifi->ifi_index;
	o->flags = ifi->ifi_flags;
	for_attr(a, ifi + 1, len) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case IFLA_IFNAME:
			snprintf(o->name, sizeof(o->name), "%.*s", ALEN(a),
				 (const char *)ADATA(a));
			break;
		case IFLA_MTU:
			if (ALEN(a) != 4)
				return 0;
			memcpy(&o->mtu, ADATA(a), 4);
			break;
		case IFLA_LINKINFO:
			if (!attrs_ok(a + 1, ALEN(a)))
				return 0;
			_rem2 = ALEN(a);
			for (b = (const struct nlattr *)(a + 1);
			     _rem2 >= NLA_HDRLEN && b->nla_len >= NLA_HDRLEN &&
			     b->nla_len <= _rem2;
			     _rem2 -= NLA_ALIGN(b->nla_len),
			     b = (const void *)((const char *)b + NLA_ALIGN(b->nla_len))) {
				if ((b->nla_type & NLA_TYPE_MASK) == IFLA_INFO_KIND)
					snprintf(o->kind, sizeof(o->kind), "%.*s",
						 ALEN(b), (const char *)ADATA(b));
				if ((b->nla_type & NLA_TYPE_MASK) == IFLA_INFO_DATA)
					data = b;
			}
			break;
		}
	}
	if (!strcmp(o->kind, "gif") || !strcmp(o->kind, "stf"))
		return data && info_data_ok(data, o->kind[0] == 'g', o);
	return 1;
}

/* ---- talking ---- */

struct result {
	int err;		/* 0, or the negative errno of an error/DONE */
	int answered;		/* an ack, an error or DONE came */
	int ndata;		/* data messages */
	int extack;		/* the error came with an extack message */
	int bad_reply;		/* a malformed reply */
	int timeout;
	struct linfo li;	/* the last data message (a doit's reply) */
	char msg[160];
};

/* The errno and extack message of an error or DONE message. */
static void parse_err(const struct nlmsghdr *nh, struct result *res)
{
	const struct nlattr *a;
	int len, off;

	if (nh->nlmsg_type == NLMSG_ERROR) {
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
			res->bad_reply++;
			return;
		}
		res->err = ((const struct nlmsgerr *)NLMSG_DATA(nh))->error;
		off = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
	} else {
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			return;
		res->err = *(const int *)NLMSG_DATA(nh);
		off = NLMSG_HDRLEN + sizeof(int);
	}
	if (res->err > 0 || res->err < -4095)
		res->bad_reply++;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	a = (const void *)((const char *)nh + off);
	len = nh->nlmsg_len - off;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			snprintf(res->msg, sizeof(res->msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)(a + 1));
			res->extack = 1;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

/*
 * Send buf (sequence number seq), then RTM_GETLINK of lo (seq + 1) whose
 * ack tells that everything before it was handled: a malformed message
 * may get no answer at all. A dump is read to its end; each data message
 * handed to each (when not NULL) as well as checked.
 */
static void exchange(int fd, void *req, size_t len, uint32_t seq,
		     struct result *res,
		     void (*each)(const struct nlmsghdr *, void *), void *arg)
{
	static uint8_t buf[1 << 17];
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} s = { { sizeof(s), RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, seq + 1, 0 },
		{ .ifi_index = 1 } };
	int sentinel = 0, n;

	memset(res, 0, sizeof(*res));
	((struct nlmsghdr *)req)->nlmsg_seq = seq;
	if (send(fd, req, len, 0) < 0 || send(fd, &s, sizeof(s), 0) < 0) {
		res->err = -errno;
		res->answered = 1;
		return;
	}
	while (!sentinel || (res->ndata && !res->answered)) {
		struct nlmsghdr *nh;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == ENOBUFS)
				continue;
			res->timeout = 1;
			return;
		}
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq == seq + 1) {
				sentinel |= nh->nlmsg_type == NLMSG_ERROR;
				continue;
			}
			if (nh->nlmsg_seq != seq)
				continue;	/* garbage parsed as a request */
			if (nh->nlmsg_type == NLMSG_ERROR ||
			    nh->nlmsg_type == NLMSG_DONE) {
				parse_err(nh, res);
				res->answered = 1;
				continue;
			}
			res->ndata++;
			if (!parse_link(nh, &res->li))
				res->bad_reply++;
			else if (each)
				each(nh, arg);
		}
	}
}

struct req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	uint8_t buf[512];
};

static void req_init(struct msg *m, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)m->buf;

	memset(m, 0, sizeof(*m));
	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
}

static int req_talk(int fd, struct msg *m, struct result *res,
		    void (*each)(const struct nlmsghdr *, void *), void *arg)
{
	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
	exchange(fd, m->buf, m->len, 1, res, each, arg);
	return res->err;
}

/* The device named name, or of index ifindex, now; 0 if malformed. */
static int snapshot(int fd, const char *name, int ifindex, struct linfo *o)
{
	static struct msg m;
	struct result res;

	req_init(&m, RTM_GETLINK, 0);
	((struct ifinfomsg *)NLMSG_DATA((struct nlmsghdr *)m.buf))->ifi_index = ifindex;
	if (!ifindex)
		nla_put(&m, IFLA_IFNAME, name, strlen(name) + 1);
	req_talk(fd, &m, &res, NULL, NULL);
	*o = res.li;
	if (res.err || res.ndata != 1)
		memset(o, 0, sizeof(*o));
	return !res.bad_reply && !res.timeout;
}

/* ip link add NAME type KIND [gif LOCAL REMOTE (4 or 16 bytes)] */
static int link_add(int fd, const char *name, const char *kind,
		    const void *l, const void *r, size_t alen)
{
	static struct msg m;
	struct nlattr *li, *d;
	struct result res;

	req_init(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	nla_put(&m, IFLA_IFNAME, name, strlen(name) + 1);
	li = nest_start(&m, IFLA_LINKINFO);
	nla_put(&m, IFLA_INFO_KIND, kind, strlen(kind));
	if (alen) {
		d = nest_start(&m, IFLA_INFO_DATA);
		nla_put(&m, IFLA_GIF_LOCAL, l, alen);
		nla_put(&m, IFLA_GIF_REMOTE, r, alen);
		nest_end(&m, d);
	}
	nest_end(&m, li);
	return req_talk(fd, &m, &res, NULL, NULL);
}

/*
 * The namespace's starting state, made again now and then: dummy lfd0,
 * gif0 without outer addresses, gif1 10.0.0.1 -> 10.0.0.2, gif2
 * 2001:db8::1 -> 2001:db8::2, stf0 (what exists already stays).
 */
static void prepare(int fd)
{
	uint8_t l[16], r[16];

	if (!if_nametoindex("lfd0"))
		link_add(fd, "lfd0", "dummy", NULL, NULL, 0);
	if (!if_nametoindex("gif0"))
		link_add(fd, "gif0", "gif", NULL, NULL, 0);
	inet_pton(AF_INET, "10.0.0.1", l);
	inet_pton(AF_INET, "10.0.0.2", r);
	if (!if_nametoindex("gif1"))
		link_add(fd, "gif1", "gif", l, r, 4);
	inet_pton(AF_INET6, "2001:db8::1", l);
	inet_pton(AF_INET6, "2001:db8::2", r);
	if (!if_nametoindex("gif2"))
		link_add(fd, "gif2", "gif", l, r, 16);
	if (!if_nametoindex("stf0"))
		link_add(fd, "stf0", "stf", NULL, NULL, 0);
}

/* ---- the model: what a request of kind gif or stf does to its device ---- */

/*
 * The device after m succeeded on before (a change) or created it (a
 * zeroed before): IFLA_INFO_DATA parsed as the kernel does (the last of
 * each type, types past the kind's maximum skipped), nothing else.
 */
static void expect(const struct msg *m, const struct linfo *before,
		   struct linfo *e, int gif)
{
	const struct nlattr *a, *tb[16] = { 0 };
	int _rem, max = gif ? IFLA_GIF_MAX : IFLA_STF_MAX;

	*e = *before;
	if (!before->exists) {	/* the defaults of a new one */
		e->alen = 0;
		e->kflags = gif ? 0 : STF_F_NOINGRESS;
		e->ttl = 30;
	}
	if (m->has_mtu)
		e->mtu = m->mtu;
	if (!m->data_off)
		return;
	for_attr(a, m->buf + m->data_off, m->data_len) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t > 0 && t <= max)
			tb[t] = a;
	}
	if (gif && tb[IFLA_GIF_LOCAL]) {
		e->alen = ALEN(tb[IFLA_GIF_LOCAL]);
		memcpy(e->local, ADATA(tb[IFLA_GIF_LOCAL]), e->alen);
		memcpy(e->remote, ADATA(tb[IFLA_GIF_REMOTE]), e->alen);
	} else if (gif && tb[IFLA_GIF_UNSET]) {
		e->alen = 0;
	}
	a = tb[gif ? IFLA_GIF_FLAGS : IFLA_STF_FLAGS];
	if (a)
		memcpy(&e->kflags, ADATA(a), 4);
	a = tb[gif ? IFLA_GIF_TTL : IFLA_STF_TTL];
	if (a)
		e->ttl = *ADATA(a);
}

/* IFLA_INFO_DATA has a reply-only attribute of the kind. */
static int has_stats(const struct msg *m, int gif)
{
	const struct nlattr *a;
	int _rem;

	if (!m->data_off)
		return 0;
	for_attr(a, m->buf + m->data_off, m->data_len)
		if ((a->nla_type & NLA_TYPE_MASK) == (gif ? IFLA_GIF_STATS : IFLA_STF_STATS))
			return 1;
	return 0;
}

static int same_dev(const struct linfo *a, const struct linfo *b)
{
	return a->alen == b->alen && !memcmp(a->local, b->local, a->alen) &&
	       !memcmp(a->remote, b->remote, a->alen) &&
	       a->kflags == b->kflags && a->ttl == b->ttl && a->mtu == b->mtu;
}

/* ---- the fuzz loop ---- */

struct tally {
	unsigned long sent, ok, err_ext, err_core, err_noext, silent, timeout;
	unsigned long bad_reply, data, admin_ok, printed, model, stats_ok, checked;
	unsigned long kind_ok[5], kind_err[5];
	int unpriv;		/* print each request that changed state */
};

static void describe(const struct msg *m, const struct result *res,
		     uint64_t i, const char *why)
{
	static const char *const types[] = { "NEWLINK", "DELLINK", "GETLINK",
					     "SETLINK" };
	unsigned int k;
	size_t b;

	printf("# %s: message %llu RTM_%s%s flags 0x%x kind %s %s, %s ifindex %d, errno %d \"%s\", data",
	       why, (unsigned long long)i, types[(m->type - RTM_BASE) & 3],
	       m->dump ? " dump" : "", m->flags, kind_names[m->kind],
	       m->clean ? "clean" : "mutated", m->name[0] ? m->name : "-",
	       m->ifindex, -res->err, res->msg);
	for (k = 0; k < m->nattr; k++)
		printf(" %u/%u", m->types[k], m->alen[k]);
	printf("\n#   bytes:");
	for (b = 0; b < m->len; b++)
		printf("%s%02x", b % 32 ? "" : "\n#   ", m->buf[b]);
	printf("\n");
}

/* The device m names, as it is now. */
static int target(int fd, const struct msg *m, struct linfo *o)
{
	if (!m->ifindex && !m->name[0]) {
		memset(o, 0, sizeof(*o));
		return 1;
	}
	return snapshot(fd, m->name, m->ifindex, o);
}

static void tally(int fd, struct tally *t, const struct msg *m,
		  const struct result *res, const struct linfo *before,
		  uint64_t i)
{
	int kindreq = m->clean && m->type == RTM_NEWLINK &&
		      (m->kind == K_GIF || m->kind == K_STF);
	int gif = m->kind == K_GIF, e = -res->err;
	struct linfo after, want;

	t->sent++;
	t->data += res->ndata;
	t->bad_reply += res->bad_reply;
	if (res->bad_reply)
		describe(m, res, i, "malformed reply");
	if (res->timeout) {
		t->timeout++;
		describe(m, res, i, "no answer in 10 s");
		return;
	}
	if (!res->answered && !res->ndata) {
		/* rtnetlink skips a message whose length is not right */
		t->silent++;
		if (m->clean && t->printed++ < 20)
			describe(m, res, i, "no answer");
		return;
	}
	if (res->err >= 0) {
		t->ok++;
		t->kind_ok[m->kind]++;
		if (m->type != RTM_GETLINK && !m->noop) {
			t->admin_ok++;
			if (t->unpriv)
				describe(m, res, i, "unprivileged request succeeded");
		}
	} else {
		t->kind_err[m->kind]++;
		if (res->extack) {
			t->err_ext++;
		} else if (!kindreq || (e != EINVAL && e != ERANGE &&
					e != EEXIST && e != EADDRNOTAVAIL) ||
			   (e == EEXIST && before->exists &&
			    (m->flags & NLM_F_EXCL))) {
			t->err_core++;
		} else {
			t->err_noext++;
			if (t->printed++ < 40)
				describe(m, res, i, "error without extack");
		}
	}
	if (!kindreq)
		return;
	/* what the request did to its device */
	if (!res->err && has_stats(m, gif)) {
		t->stats_ok++;
		describe(m, res, i, "reply-only STATS attribute taken");
	}
	if (!m->ifindex && !m->name[0])
		return;		/* a new one the kernel named */
	if (!target(fd, m, &after)) {
		t->bad_reply++;
		describe(m, res, i, "malformed device afterwards");
		return;
	}
	if (res->err) {
		/* a failed change leaves the device as it was */
		t->checked += !m->has_mtu && !m->has_up && before->exists;
		if (!m->has_mtu && !m->has_up && before->exists &&
		    (!after.exists || !same_dev(before, &after))) {
			t->model++;
			describe(m, res, i, "a failed request changed the device");
		}
		return;
	}
	if (!after.exists || strcmp(after.kind, kind_names[m->kind]) ||
	    (before->exists && m->data_off && strcmp(before->kind, after.kind)))
		return;		/* not a change of this kind's device */
	if (m->type == RTM_NEWLINK && before->exists && !m->data_off)
		return;
	expect(m, before, &want, gif);
	if (!before->exists)
		want.mtu = m->has_mtu ? m->mtu : after.mtu;
	t->checked++;
	if (!same_dev(&want, &after)) {
		t->model++;
		describe(m, res, i, "the device is not what the request asked");
		printf("#   want alen %d flags 0x%x ttl %u mtu %u; have alen %d flags 0x%x ttl %u mtu %u\n",
		       want.alen, want.kflags, want.ttl, want.mtu, after.alen,
		       after.kflags, after.ttl, after.mtu);
	}
}

static void report(const char *phase, const struct tally *t)
{
	unsigned int k;

	printf("# %s: %lu requests: %lu ok (%lu data messages), %lu errors with extack, %lu without (%lu from rtnetlink or malformed, %lu from the kind), %lu silently skipped, %lu unanswered, %lu malformed replies, %lu of %lu devices not as the request left them, %lu STATS taken\n",
	       phase, t->sent, t->ok, t->data, t->err_ext,
	       t->err_core + t->err_noext, t->err_core, t->err_noext,
	       t->silent, t->timeout, t->bad_reply, t->model, t->checked,
	       t->stats_ok);
	printf("# %s: per kind (ok/errors):", phase);
	for (k = 0; k < N(kind_names); k++)
		printf(" %s %lu/%lu", kind_names[k], t->kind_ok[k], t->kind_err[k]);
	printf("\n");
}

/* Messages [first, first + n) of the seed's stream; prepare() again now and then. */
static void fuzz(int fd, uint64_t first, uint64_t n, int redo, struct tally *t)
{
	uint64_t seed = env_u64("LINK_FUZZ_SEED", SEED_DEFAULT), i;
	int trace = !!getenv("LINK_FUZZ_TRACE");
	static struct msg m;
	struct linfo before;
	struct result res;

	for (i = first; i < first + n; i++) {
		if (redo && i % 250 == 0)
			prepare(fd);
		gen_msg(seed, i, &m);
		memset(&before, 0, sizeof(before));
		if (m.clean && m.type == RTM_NEWLINK &&
		    (m.kind == K_GIF || m.kind == K_STF) && !target(fd, &m, &before))
			t->bad_reply++;
		if (trace)
			fprintf(stderr, "# %llu: type %u kind %s %s len %zu\n",
				(unsigned long long)i, m.type, kind_names[m.kind],
				m.name, m.len);
		exchange(fd, m.buf, m.len, 2 * (uint32_t)i + 2, &res, NULL, NULL);
		if (trace)
			fprintf(stderr, "#   errno %d ndata %d extack \"%s\"%s\n",
				-res.err, res.ndata, res.msg,
				res.timeout ? " TIMEOUT" : "");
		tally(fd, t, &m, &res, &before, i);
	}
}

/* ---- the namespace afterwards ---- */

struct census {
	int n, gifs, stfs, bad;
	struct linfo l[64];
};

static void count_link(const struct nlmsghdr *nh, void *arg)
{
	struct census *c = arg;
	struct linfo li;

	parse_link(nh, &li);
	if (c->n < (int)N(c->l))
		c->l[c->n++] = li;
	if (!strcmp(li.kind, "gif")) {
		c->gifs++;
		if ((li.kflags & ~GIF_F_ALL) || !li.ttl)
			c->bad++;
	}
	if (!strcmp(li.kind, "stf")) {
		c->stfs++;
		if ((li.kflags & ~STF_F_ALL) || !li.ttl)
			c->bad++;
	}
}

static int dump_links(int fd, struct census *c)
{
	static struct msg m;
	struct result res;

	memset(c, 0, sizeof(*c));
	req_init(&m, RTM_GETLINK, NLM_F_DUMP);
	req_talk(fd, &m, &res, count_link, c);
	return res.err || res.bad_reply || res.timeout ? -1 : 0;
}

/* FNV-1a of what the links are (not their counters nor carrier). */
static uint64_t links_digest(int fd)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct census c;
	int k;

	if (dump_links(fd, &c))
		return 0;
	for (k = 0; k < c.n; k++) {
		struct linfo *l = &c.l[k];
		const uint8_t *p = (const uint8_t *)l;
		size_t b;

		l->flags &= ~(IFF_RUNNING | 1u << 16 | 1u << 17);	/* LOWER_UP, DORMANT */
		for (b = 0; b < sizeof(*l); b++)
			h = (h ^ p[b]) * 0x100000001b3ULL;
	}
	return h;
}

/* The ifindexes the KAME stack has attached (KAME_CMD_LINK_GET dump). */
static int kame_links(int *ifx, int max)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
	} q = { { sizeof(q), 0, NLM_F_REQUEST | NLM_F_DUMP, 3, 0 },
		{ KAME_CMD_LINK_GET, KAME_GENL_VERSION, 0 } };
	static uint8_t buf[1 << 16];
	int fd = nl_open(NETLINK_GENERIC), n, k = 0, done = 0;

	if (fd < 0)
		return -1;
	q.nh.nlmsg_type = resolve_family(fd);
	if ((int16_t)q.nh.nlmsg_type <= 0 || send(fd, &q, sizeof(q), 0) < 0) {
		close(fd);
		return -1;
	}
	while (!done && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *nh;

		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			const struct nlattr *a;
			int _rem;

			if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				continue;
			}
			for_attr(a, (char *)NLMSG_DATA(nh) + GENL_HDRLEN,
				 (int)nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN))
				if (a->nla_type == KAME_LINK_A_IFINDEX && k < max)
					memcpy(&ifx[k++], ADATA(a), 4);
		}
	}
	close(fd);
	return done ? k : -1;
}

/* ---- the tests ---- */

FIXTURE(lfuzz) {
	int fd;
	uint64_t n;		/* requests of the root test */
	struct tally t;
};

FIXTURE_SETUP(lfuzz)
{
	memset(&self->t, 0, sizeof(self->t));
	self->n = env_u64("LINK_FUZZ_N", 3000);
	self->fd = -1;
}

FIXTURE_TEARDOWN(lfuzz)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * A fresh network namespace with prepare()'s links, and a socket in it;
 * native IPv6 off on every link (the links the fuzzer brings up would
 * have native IPv6's kernel log lines).
 */
static int enter_netns(struct __test_metadata *_metadata, int *fd)
{
	if (unshare(CLONE_NEWNET))
		return -1;
	ASSERT_EQ(0, write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1"));
	ASSERT_EQ(0, write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1"));
	*fd = nl_open(NETLINK_ROUTE);
	ASSERT_GE(*fd, 0);
	prepare(*fd);
	ASSERT_NE(0U, if_nametoindex("gif1"));
	ASSERT_NE(0U, if_nametoindex("stf0"));
	return 0;
}

static void verdict(struct __test_metadata *_metadata, int fd,
		    const struct tally *t, const char *phase)
{
	int ifx[64], nk, k, j, found, dup = 0, lost = 0;
	struct census c;

	report(phase, t);
	EXPECT_EQ(0UL, t->timeout);
	EXPECT_EQ(0UL, t->bad_reply);
	EXPECT_EQ(0UL, t->err_noext);
	EXPECT_EQ(0UL, t->model);
	EXPECT_EQ(0UL, t->stats_ok);
	/* the namespace: parses, one stf at most, gifs' pairs unique */
	ASSERT_EQ(0, dump_links(fd, &c));
	printf("# %s: %d links afterwards, %d gif, %d stf\n", phase, c.n,
	       c.gifs, c.stfs);
	EXPECT_GE(1, c.stfs);
	EXPECT_EQ(0, c.bad);
	for (k = 0; k < c.n; k++)
		for (j = k + 1; j < c.n; j++)
			if (!strcmp(c.l[k].kind, "gif") && !strcmp(c.l[j].kind, "gif") &&
			    c.l[k].alen && c.l[k].alen == c.l[j].alen &&
			    !memcmp(c.l[k].local, c.l[j].local, c.l[k].alen) &&
			    !memcmp(c.l[k].remote, c.l[j].remote, c.l[k].alen)) {
				printf("# %s and %s have the same outer addresses\n",
				       c.l[k].name, c.l[j].name);
				dup++;
			}
	/* every gif and stf attached to the KAME stack */
	nk = kame_links(ifx, N(ifx));
	ASSERT_LE(0, nk);
	for (k = 0; k < c.n; k++) {
		if (strcmp(c.l[k].kind, "gif") && strcmp(c.l[k].kind, "stf"))
			continue;
		for (found = 0, j = 0; j < nk; j++)
			found |= ifx[j] == c.l[k].ifindex;
		if (!found) {
			printf("# %s is not attached to the KAME stack\n", c.l[k].name);
			lost++;
		}
	}
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, lost);
}

TEST_F_TIMEOUT(lfuzz, root, 1200)
{
	ASSERT_EQ(0, enter_netns(_metadata, &self->fd));
	fuzz(self->fd, 0, self->n, 1, &self->t);
	verdict(_metadata, self->fd, &self->t, "root");
}

TEST_F_TIMEOUT(lfuzz, unprivileged, 1200)
{
	uint64_t before;

	ASSERT_EQ(0, enter_netns(_metadata, &self->fd));
	before = links_digest(self->fd);
	ASSERT_NE(0ULL, (unsigned long long)before);
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	self->t.unpriv = 1;
	fuzz(self->fd, 100000, self->n / 3, 0, &self->t);
	verdict(_metadata, self->fd, &self->t, "unprivileged");
	EXPECT_EQ(0UL, self->t.admin_ok);
	EXPECT_EQ((unsigned long long)before,
		  (unsigned long long)links_digest(self->fd));
}

TEST_F_TIMEOUT(lfuzz, user_namespace, 1200)
{
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	/* the changed ids made us undumpable: /proc/self/ would be root's */
	ASSERT_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	if (unshare(CLONE_NEWUSER))
		SKIP(return, "unprivileged user namespaces are disabled");
	ASSERT_EQ(0, write_file("/proc/self/setgroups", "deny"));
	ASSERT_EQ(0, write_file("/proc/self/uid_map", "0 65534 1"));
	ASSERT_EQ(0, write_file("/proc/self/gid_map", "0 65534 1"));
	ASSERT_EQ(0, enter_netns(_metadata, &self->fd));
	fuzz(self->fd, 200000, self->n * 2 / 3, 1, &self->t);
	verdict(_metadata, self->fd, &self->t, "user namespace");
}

KAME_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * gifconfig: KAME's tool for the outer ("physical") addresses of a gif
 * tunnel, for kame_gif.ko, and the switches of the stf 6to4 interface of
 * kame_stf.ko. The arguments and the status format follow gifconfig(8) of
 * KAME; create, destroy, link0/link1/link2, rfc1918, ttl, the ttl and
 * drops lines, stf and -j are additions, see gifconfig(8) of this
 * package.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gifconfig.h"

/* The status of a set of gifs: the addresses of every interface. */
struct status {
	struct gif_addr *a4, *a6;
	size_t n4, n6;
};

/* The flag names of BSD's printb() list that Linux's ifi_flags has. */
static const struct {
	unsigned int flag;
	const char *name;
} if_flags[] = {
	{ IFF_UP, "UP" },
	{ IFF_BROADCAST, "BROADCAST" },
	{ IFF_DEBUG, "DEBUG" },
	{ IFF_LOOPBACK, "LOOPBACK" },
	{ IFF_POINTOPOINT, "POINTOPOINT" },
	{ IFF_NOTRAILERS, "NOTRAILERS" },
	{ IFF_RUNNING, "RUNNING" },
	{ IFF_NOARP, "NOARP" },
	{ IFF_PROMISC, "PROMISC" },
	{ IFF_ALLMULTI, "ALLMULTI" },
};

static const char *const stat_names[] = {
	[IFLA_GIF_STAT_TX_NOADDR] = "tx_noaddr",
	[IFLA_GIF_STAT_TX_NESTED] = "tx_nested",
	[IFLA_GIF_STAT_TX_NOROUTE] = "tx_noroute",
	[IFLA_GIF_STAT_TX_PROTO] = "tx_proto",
	[IFLA_GIF_STAT_TX_ERROR] = "tx_error",
	[IFLA_GIF_STAT_RX_INGRESS] = "rx_ingress",
	[IFLA_GIF_STAT_RX_MARTIAN] = "rx_martian",
	[IFLA_GIF_STAT_RX_ECN] = "rx_ecn",
	[IFLA_GIF_STAT_RX_MALFORMED] = "rx_malformed",
	[IFLA_GIF_STAT_RX_DOWN] = "rx_down",
};

static const char *const stf_stat_names[] = {
	[IFLA_STF_STAT_TX_DOWN] = "tx_down",
	[IFLA_STF_STAT_TX_NOADDR] = "tx_noaddr",
	[IFLA_STF_STAT_TX_NOT6TO4] = "tx_not6to4",
	[IFLA_STF_STAT_TX_BADADDR] = "tx_badaddr",
	[IFLA_STF_STAT_TX_NOROUTE] = "tx_noroute",
	[IFLA_STF_STAT_TX_LOOP] = "tx_loop",
	[IFLA_STF_STAT_TX_PROTO] = "tx_proto",
	[IFLA_STF_STAT_TX_ERROR] = "tx_error",
	[IFLA_STF_STAT_RX_UNSPEC] = "rx_unspec",
	[IFLA_STF_STAT_RX_LOOPBACK] = "rx_loopback",
	[IFLA_STF_STAT_RX_MULTICAST] = "rx_multicast",
	[IFLA_STF_STAT_RX_BROADCAST] = "rx_broadcast",
	[IFLA_STF_STAT_RX_PRIVATE] = "rx_private",
	[IFLA_STF_STAT_RX_LINKLOCAL] = "rx_linklocal",
	[IFLA_STF_STAT_RX_INGRESS] = "rx_ingress",
	[IFLA_STF_STAT_RX_OUTSIDE] = "rx_outside",
	[IFLA_STF_STAT_RX_MALFORMED] = "rx_malformed",
	[IFLA_STF_STAT_RX_V4MAPPED] = "rx_v4mapped",
	[IFLA_STF_STAT_RX_V4COMPAT] = "rx_v4compat",
	[IFLA_STF_STAT_RX_SCOPED] = "rx_scoped",
	[IFLA_STF_STAT_RX_MCASTSCOPE] = "rx_mcastscope",
	[IFLA_STF_STAT_RX_MISMATCH] = "rx_mismatch",
	[IFLA_STF_STAT_RX_ECN] = "rx_ecn",
};

static void gif_usage(FILE *f)
{
	fputs("usage: gifconfig [-j] interface [inet | inet6] physsrc physdst [up | down]\n"
	      "       gifconfig [-j] interface delete\n"
	      "       gifconfig [-j] interface create [word ...]\n"
	      "       gifconfig [-j] interface destroy\n"
	      "       gifconfig [-j] interface [link1 | -link1] [link2 | -link2] [ttl n]\n"
	      "       gifconfig [-j] stfN [link0 | -link0] [link1 | -link1] [link2 | -link2]\n"
	      "                 [rfc1918 | -rfc1918] [ttl n] [up | down]\n"
	      "       gifconfig [-j] interface\n"
	      "       gifconfig [-j] -a | -au | -ad\n",
	      f);
	exit(f == stdout ? 0 : 1);
}

static void flag_name(const char *name, const char **sep)
{
	print_text(*sep);
	print_str(NULL, "%s", name);
	*sep = ",";
}

/* "gif0: flags=110d1<UP,POINTOPOINT,RUNNING,NOARP,MULTICAST> mtu 1280" */
static void print_head(const struct gif_link *l)
{
	const char *sep = "";
	size_t i;

	print_str("ifname", "%s: ", l->ifname);
	print_u64("ifindex", NULL, l->ifindex);
	if (!print_json)
		printf("flags=%x<", l->flags);
	print_open_arr("flags");
	for (i = 0; i < ARRAY_SIZE(if_flags); i++)
		if (l->flags & if_flags[i].flag)
			flag_name(if_flags[i].name, &sep);
	/* gif(4)'s and stf(4)'s switches, not ifi_flags bits: named only */
	if (l->is_stf && (l->gflags & STF_F_NODECAP))
		flag_name("LINK0", &sep);
	if (l->gflags & (l->is_stf ? STF_F_ECN : GIF_F_ECN))
		flag_name("LINK1", &sep);
	if (l->gflags & (l->is_stf ? STF_F_NOINGRESS : GIF_F_NOINGRESS))
		flag_name("LINK2", &sep);
	if (l->flags & IFF_MULTICAST)
		flag_name("MULTICAST", &sep);
	print_close_arr();
	print_text(">");
	print_u64("mtu", " mtu %" PRIu64, l->mtu);
	print_text("\n");
}

static void print_inet(const struct gif_link *l, const struct status *st)
{
	char buf[INET_ADDRSTRLEN];
	const struct gif_addr *a;
	uint32_t mask;
	size_t i;

	print_open_arr("inet");
	for (i = 0; i < st->n4; i++) {
		a = &st->a4[i];
		if (a->ifindex != l->ifindex)
			continue;
		print_open_obj(NULL);
		print_str("local", "\tinet %s",
			  inet_ntop(AF_INET, a->local, buf, sizeof(buf)));
		if (a->has_peer)
			print_str("peer", " --> %s",
				  inet_ntop(AF_INET, a->peer, buf, sizeof(buf)));
		mask = a->prefixlen ? ~0U << (32 - a->prefixlen) : 0;
		if (!print_json)
			printf(" netmask 0x%x", mask);
		print_u64("prefixlen", NULL, a->prefixlen);
		if (a->has_brd)
			print_str("broadcast", " broadcast %s",
				  inet_ntop(AF_INET, a->brd, buf, sizeof(buf)));
		print_text("\n");
		print_close_obj();
	}
	print_close_arr();
}

static void print_inet6(const struct gif_link *l, const struct status *st)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	const struct gif_addr *a;
	size_t i;

	print_open_arr("inet6");
	for (i = 0; i < st->n6; i++) {
		a = &st->a6[i];
		if (a->ifindex != l->ifindex)
			continue;
		inet_ntop(AF_INET6, a->local, buf, sizeof(buf));
		if (IN6_IS_ADDR_LINKLOCAL((const struct in6_addr *)a->local))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "%%%s", l->ifname);
		print_open_obj(NULL);
		print_str("address", "\tinet6 %s", buf);
		print_u64("prefixlen", " prefixlen %" PRIu64, a->prefixlen);
		print_text("\n");
		print_close_obj();
	}
	print_close_arr();
}

static void print_physical(const struct gif_link *l)
{
	char buf[INET6_ADDRSTRLEN];

	if (!l->pfamily)
		return;
	print_open_obj("physical");
	print_str("family", "\tphysical address %s",
		  l->pfamily == AF_INET ? "inet" : "inet6");
	print_str("src", " %s", inet_ntop(l->pfamily, l->psrc, buf,
					  sizeof(buf)));
	print_str("dst", " --> %s", inet_ntop(l->pfamily, l->pdst, buf,
					      sizeof(buf)));
	print_text("\n");
	print_close_obj();
}

/* The extension lines: "\tttl 30" and the non-zero drop counters. */
static void print_extra(const struct gif_link *l)
{
	bool any = false;
	char fmt[32];
	int i;

	print_bool("link1", NULL, l->gflags & GIF_F_ECN);
	print_bool("link2", NULL, l->gflags & GIF_F_NOINGRESS);
	print_u64("ttl", "\tttl %" PRIu64 "\n", l->ttl);
	for (i = IFLA_GIF_STAT_TX_NOADDR; i < IFLA_GIF_STAT_PAD; i++)
		any |= l->stats[i] != 0;
	if (any)
		print_text("\tdrops:");
	print_open_obj("stats");
	for (i = IFLA_GIF_STAT_TX_NOADDR; i < IFLA_GIF_STAT_PAD; i++) {
		if (!print_json && !l->stats[i])
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, stat_names[i]);
		print_u64(stat_names[i], fmt, l->stats[i]);
	}
	print_close_obj();
	if (any)
		print_text("\n");
}

/* stf's extension lines: "\tttl 30", "\trfc1918" when on, the drops. */
static void print_stf_extra(const struct gif_link *l)
{
	bool any = false;
	char fmt[32];
	int i;

	print_str("kind", NULL, "stf");
	print_bool("link0", NULL, l->gflags & STF_F_NODECAP);
	print_bool("link1", NULL, l->gflags & STF_F_ECN);
	print_bool("link2", NULL, l->gflags & STF_F_NOINGRESS);
	print_u64("ttl", "\tttl %" PRIu64 "\n", l->ttl);
	if (!print_json && (l->gflags & STF_F_RFC1918))
		print_text("\trfc1918\n");
	print_bool("rfc1918", NULL, l->gflags & STF_F_RFC1918);
	for (i = IFLA_STF_STAT_TX_DOWN; i < IFLA_STF_STAT_PAD; i++)
		any |= l->sstats[i] != 0;
	if (any)
		print_text("\tdrops:");
	print_open_obj("stats");
	for (i = IFLA_STF_STAT_TX_DOWN; i < IFLA_STF_STAT_PAD; i++) {
		if (!print_json && !l->sstats[i])
			continue;
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64, stf_stat_names[i]);
		print_u64(stf_stat_names[i], fmt, l->sstats[i]);
	}
	print_close_obj();
	if (any)
		print_text("\n");
}

static void print_gif(const struct gif_link *l, const struct status *st)
{
	print_open_obj(NULL);
	print_head(l);
	print_inet(l, st);
	print_inet6(l, st);
	if (l->is_stf) {
		print_stf_extra(l);
	} else {
		print_physical(l);
		print_extra(l);
	}
	print_close_obj();
}

static void status_load(struct status *st)
{
	st->n4 = gif_addr4_dump(&st->a4);
	st->n6 = gif_addr6_dump(&st->a6);
}

static void status_free(struct status *st)
{
	free(st->a4);
	free(st->a6);
}

/* The link ifname, which must be a gif or stf. */
static void get_gif(const char *ifname, struct gif_link *l)
{
	if (gif_link_get(ifname, l))
		die("%s: no such interface", ifname);
	if (!l->is_gif && !l->is_stf)
		die("%s is neither gif nor stf", ifname);
}

static int status_one(const char *ifname, bool json)
{
	struct status st;
	struct gif_link l;

	get_gif(ifname, &l);
	status_load(&st);
	print_begin(json);
	print_gif(&l, &st);
	print_end();
	status_free(&st);
	return 0;
}

/* -a, -au, -ad: which is 0, 'u' or 'd'. */
static int status_all(char which, bool json)
{
	struct gif_link *v;
	struct status st;
	size_t i, n;

	n = gif_link_dump(&v);
	status_load(&st);
	print_begin(json);
	for (i = 0; i < n; i++) {
		if ((which == 'u' && !(v[i].flags & IFF_UP)) ||
		    (which == 'd' && (v[i].flags & IFF_UP)))
			continue;
		print_gif(&v[i], &st);
	}
	print_end();
	status_free(&st);
	free(v);
	return 0;
}

static void parse_addr(int family, bool given, const char *arg, void *buf)
{
	struct in6_addr tmp;

	if (inet_pton(family, arg, buf) == 1)
		return;
	if (family == AF_INET6)
		die("\"%s\" is not an IPv6 address", arg);
	if (!given && inet_pton(AF_INET6, arg, &tmp) == 1)
		die("\"%s\" is not an IPv4 address (put \"inet6\" before IPv6 addresses)",
		    arg);
	die("\"%s\" is not an IPv4 address", arg);
}

/* [inet|inet6] PHYSSRC PHYSDST at argv[*i]; *i left on the last word. */
static void parse_pair(int argc, char **argv, int *i, struct gif_req *r)
{
	bool given = streq(argv[*i], "inet") || streq(argv[*i], "inet6");
	int family = streq(argv[*i], "inet6") ? AF_INET6 : AF_INET;

	if (given && ++*i >= argc)
		die("source and destination are not specified after \"%s\"",
		    argv[*i - 1]);
	parse_addr(family, given, argv[*i], r->psrc);
	if (++*i >= argc)
		die("destination is not specified");
	parse_addr(family, given, argv[*i], r->pdst);
	r->pfamily = family;
	r->unset = false;
}

static void set_gflag(struct gif_req *r, uint32_t *clr, uint32_t f, bool on)
{
	r->set_gflags = true;
	if (on) {
		r->gflags |= f;
		*clr &= ~f;
	} else {
		r->gflags &= ~f;
		*clr |= f;
	}
}

static unsigned int parse_ttl(int argc, char **argv, int *i)
{
	unsigned long v;
	char *end;

	if (++*i >= argc)
		missarg("TTL after \"ttl\"");
	errno = 0;
	v = strtoul(argv[*i], &end, 10);
	if (!argv[*i][0] || *end || errno || v < 1 || v > 255 ||
	    argv[*i][0] == '-')
		die("\"%s\" is not a TTL (1-255)", argv[*i]);
	return v;
}

/* A word only stf has: link0, rfc1918 (and no outer addresses). */
static void parse_stf_word(const char *w, struct gif_req *r, uint32_t *clr)
{
	if (streq(w, "link0") || streq(w, "-link0"))
		set_gflag(r, clr, STF_F_NODECAP, w[0] != '-');
	else if (streq(w, "rfc1918") || streq(w, "-rfc1918"))
		set_gflag(r, clr, STF_F_RFC1918, w[0] != '-');
	else
		die("\"%s\" is not a word for stf (its outer addresses come from its 6to4 address)",
		    w);
}

/*
 * The words after the interface, in order, a later one overriding an
 * earlier one as the BSD tool's sequence of ioctls would. r->gflags gets
 * the flags to set, *clr those to clear.
 */
static void parse_words(int argc, char **argv, struct gif_req *r,
			uint32_t *clr)
{
	const char *w;
	int i;

	for (i = 0; i < argc; i++) {
		w = argv[i];
		if (streq(w, "create") || streq(w, "destroy")) {
			if (i)
				die("\"%s\" must come right after the interface",
				    w);
			if (streq(w, "destroy") && argc > 1)
				die("\"destroy\" takes no other word, \"%s\" given",
				    argv[1]);
		} else if (streq(w, "up") || streq(w, "down")) {
			r->up_change = IFF_UP;
			r->up_flags = streq(w, "up") ? IFF_UP : 0;
		} else if (streq(w, "link1") || streq(w, "-link1")) {
			set_gflag(r, clr, r->stf ? STF_F_ECN : GIF_F_ECN,
				  w[0] != '-');
		} else if (streq(w, "link2") || streq(w, "-link2")) {
			set_gflag(r, clr,
				  r->stf ? STF_F_NOINGRESS : GIF_F_NOINGRESS,
				  w[0] != '-');
		} else if (streq(w, "ttl")) {
			r->ttl = parse_ttl(argc, argv, &i);
		} else if (r->stf) {
			parse_stf_word(w, r, clr);
		} else if (streq(w, "delete")) {
			r->unset = true;
			r->pfamily = 0;
		} else {
			parse_pair(argc, argv, &i, r);
		}
	}
}

static int do_set(const char *ifname, int argc, char **argv)
{
	struct gif_req r = { .ifname = ifname };
	struct gif_link l;
	uint32_t clr = 0;

	/* KAME's names: stfN is the 6to4 interface, anything else a gif */
	if (streq(argv[0], "create"))
		r.stf = !strncmp(ifname, "stf", 3);
	else if (!gif_link_get(ifname, &l))
		r.stf = l.is_stf;
	parse_words(argc, argv, &r, &clr);
	if (streq(argv[0], "create")) {
		if (strlen(ifname) >= IF_NAMESIZE)
			die("\"%s\" is too long for an interface name", ifname);
		gif_link_change(&r);	/* r.ifindex 0: create */
		return 0;
	}
	get_gif(ifname, &l);
	if (streq(argv[0], "destroy")) {
		gif_link_destroy(l.ifindex);
		return 0;
	}
	r.ifindex = l.ifindex;
	/* link1 and friends: read-modify-write of IFLA_GIF_FLAGS */
	r.gflags = (l.gflags | r.gflags) & ~clr;
	gif_link_change(&r);
	return 0;
}

int main(int argc, char **argv)
{
	char which = 0;
	bool json = false, all = false;
	int ret;

	progname = "gifconfig";
	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (streq(argv[0], "-j") || streq(argv[0], "-json")) {
			json = true;
		} else if (streq(argv[0], "-a") || streq(argv[0], "-au") ||
			   streq(argv[0], "-ad")) {
			all = true;
			which = argv[0][2];
		} else if (streq(argv[0], "-h") || streq(argv[0], "-help") ||
			   streq(argv[0], "--help")) {
			gif_usage(stdout);
		} else {
			gif_usage(stderr);
		}
	}
	if (all ? argc != 0 : argc < 1)
		gif_usage(stderr);
	rtnl_open();
	if (all)
		ret = status_all(which, json);
	else if (argc > 1)	/* a setting: no output, with -j neither */
		ret = do_set(argv[0], argc - 1, argv + 1);
	else
		ret = status_one(argv[0], json);
	rtnl_close();
	return ret;
}

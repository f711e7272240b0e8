// SPDX-License-Identifier: GPL-2.0
/*
 * kame stats [ ip6 | icmp6 | udp6 | nd6 | rip6 | ipsec6 ]: the stack's counters, netstat -s style, or JSON
 * keyed by KAME's counter names.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/kame.h>
#include "kame.h"

struct stat_name {
	const char *name;
	const char *text;	/* in a histogram: the ICMPv6 type's name */
	char hist;		/* 'i', 'o': the input or output histogram */
};

/* A line of KAME's icp6s_inhist / icp6s_outhist: key and type name. */
#define IN(n, t) { "icp6s_inhist_" n, t, 'i' }
#define OUT(n, t) { "icp6s_outhist_" n, t, 'o' }

/* In enum kame_ip6stat_id order: KAME's name, then netstat's wording. */
static const struct stat_name ip6stat_names[__KAME_IP6S_MAX] = {
	[KAME_IP6S_TOTAL] = { "ip6s_total", "total packets received" },
	[KAME_IP6S_TOOSHORT] = { "ip6s_tooshort", "with data size < data length" },
	[KAME_IP6S_TOOSMALL] = { "ip6s_toosmall", "with size smaller than minimum" },
	[KAME_IP6S_BADVERS] = { "ip6s_badvers", "with incorrect version number" },
	[KAME_IP6S_CANTFORWARD] = { "ip6s_cantforward", "packets not forwardable" },
	[KAME_IP6S_NOMEM] = { "ip6s_nomem", "dropped for lack of memory" },
	[KAME_IP6S_OTHERHOST] = { "ip6s_otherhost", "frames for another link-layer address" },
	[KAME_IP6S_DELIVERED] = { "ip6s_delivered", "packets for this host" },
	[KAME_IP6S_LOCALOUT] = { "ip6s_localout", "packets sent from this host" },
	[KAME_IP6S_NOROUTE] = { "ip6s_noroute", "output packets discarded due to no route" },
	[KAME_IP6S_BADSCOPE] = { "ip6s_badscope", "packets violating scope rules" },
	[KAME_IP6S_NOPROTO] = { "ip6s_noproto", "packets for an unknown next header" },
	[KAME_IP6S_ODROPPED] = { "ip6s_odropped", "output packets dropped" },
	[KAME_IP6S_NOTMEMBER] = { "ip6s_notmember", "multicast packets which we don't join" },
	[KAME_IP6S_BADOPTIONS] = { "ip6s_badoptions", "packets with bad options or headers" },
	[KAME_IP6S_TOOMANYHDR] = { "ip6s_toomanyhdr", "packets with too many extension headers" },
	[KAME_IP6S_FRAGMENTS] = { "ip6s_fragments", "fragments received" },
	[KAME_IP6S_FRAGDROPPED] = { "ip6s_fragdropped", "datagrams dropped (overlap, inconsistent)" },
	[KAME_IP6S_FRAGTIMEOUT] = { "ip6s_fragtimeout", "datagrams dropped after timeout" },
	[KAME_IP6S_FRAGOVERFLOW] = { "ip6s_fragoverflow", "fragments dropped over the limits" },
	[KAME_IP6S_REASSEMBLED] = { "ip6s_reassembled", "packets reassembled ok" },
	[KAME_IP6S_ATOMICFRAGS] = { "ip6s_atomicfrags", "atomic fragments" },
	[KAME_IP6S_BADFRAGS] = { "ip6s_badfrags", "malformed fragments" },
	[KAME_IP6S_FRAGMENTED] = { "ip6s_fragmented", "output datagrams fragmented" },
	[KAME_IP6S_OFRAGMENTS] = { "ip6s_ofragments", "fragments created" },
	[KAME_IP6S_IFDISABLED] = { "ip6s_ifdisabled", "packets dropped on an interface with IPv6 disabled" },
	[KAME_IP6S_CANTFRAG] = { "ip6s_cantfrag", "datagrams not sent: too big with IPV6_DONTFRAG or to fragment" },
	[KAME_IP6S_GROSPLIT] = { "ip6s_grosplit", "receive offload trains split into datagrams" },
	[KAME_IP6S_GRODROP] = { "ip6s_grodrop", "receive offload trains dropped: cannot split" },
	[KAME_IP6S_FORWARD] = { "ip6s_forward", "packets forwarded" },
	[KAME_IP6S_HLIMEXCEEDED] = { "ip6s_hlimexceeded", "packets not forwarded: hop limit exceeded" },
	[KAME_IP6S_TOOBIG] = { "ip6s_toobig", "packets not forwarded: larger than the link MTU" },
	[KAME_IP6S_FWDNOROUTE] = { "ip6s_fwdnoroute", "packets not forwarded: no route" },
};

static const struct stat_name icmp6stat_names[__KAME_ICP6S_MAX] = {
	[KAME_ICP6S_ERROR] = { "icp6s_error", "calls to icmp6_error" },
	[KAME_ICP6S_TOOSHORT] = { "icp6s_tooshort", "messages < minimum length" },
	[KAME_ICP6S_CHECKSUM] = { "icp6s_checksum", "bad checksums" },
	[KAME_ICP6S_BADCODE] = { "icp6s_badcode", "messages with bad code fields" },
	[KAME_ICP6S_BADLEN] = { "icp6s_badlen", "messages with bad length" },
	[KAME_ICP6S_BADNS] = { "icp6s_badns", "bad neighbor solicitation messages" },
	[KAME_ICP6S_BADNA] = { "icp6s_badna", "bad neighbor advertisement messages" },
	[KAME_ICP6S_NOSOCK] = { "icp6s_nosock", "messages no socket took" },
	[KAME_ICP6S_IN_ECHO] = IN("echo", "echo request"),
	[KAME_ICP6S_IN_ECHOREPLY] = IN("echoreply", "echo reply"),
	[KAME_ICP6S_IN_NS] = IN("ns", "neighbor solicitation"),
	[KAME_ICP6S_IN_NA] = IN("na", "neighbor advertisement"),
	[KAME_ICP6S_IN_OTHER] = IN("other", "other types"),
	[KAME_ICP6S_OUT_ECHO] = OUT("echo", "echo request"),
	[KAME_ICP6S_OUT_ECHOREPLY] = OUT("echoreply", "echo reply"),
	[KAME_ICP6S_OUT_NS] = OUT("ns", "neighbor solicitation"),
	[KAME_ICP6S_OUT_NA] = OUT("na", "neighbor advertisement"),
	[KAME_ICP6S_ND_TOOMANYOPTS] = { "icp6s_nd_toomanyopt", "ND options beyond the limit ignored" },
	[KAME_ICP6S_DAD_DUP] = { "icp6s_dad_dup", "duplicate addresses detected" },
	[KAME_ICP6S_ND_HOLDDROP] = { "icp6s_nd_holddrop", "packets dropped from ND hold queues" },
	[KAME_ICP6S_ND_RESFAIL] = { "icp6s_nd_resfail", "address resolution failures" },
	[KAME_ICP6S_CANTERROR] = { "icp6s_canterror", "errors not generated because old message was icmp error or so" },
	[KAME_ICP6S_TOOFREQ] = { "icp6s_toofreq", "errors not generated because of rate limitation" },
	[KAME_ICP6S_OUT_DSTUNREACH] = OUT("unreach", "destination unreachable"),
	[KAME_ICP6S_OUT_PKTTOOBIG] = OUT("packet_too_big", "packet too big"),
	[KAME_ICP6S_OUT_TIMEEXCEED] = OUT("time_exceed", "time exceeded"),
	[KAME_ICP6S_OUT_PARAMPROB] = OUT("param_prob", "parameter problem"),
	[KAME_ICP6S_IN_ERROR] = { "icp6s_inhist_error", "input error messages" },
	[KAME_ICP6S_ND_BADOPT] = { "icp6s_nd_badopt", "bad neighbor discovery options" },
	[KAME_ICP6S_BADRS] = { "icp6s_badrs", "bad router solicitation messages" },
	[KAME_ICP6S_BADRA] = { "icp6s_badra", "bad router advertisement messages" },
	[KAME_ICP6S_BADREDIRECT] = { "icp6s_badredirect", "bad redirect messages" },
	[KAME_ICP6S_IN_RS] = IN("routersol", "router solicitation"),
	[KAME_ICP6S_IN_RA] = IN("routeradv", "router advertisement"),
	[KAME_ICP6S_IN_REDIRECT] = IN("redirect", "redirect"),
	[KAME_ICP6S_ODST_UNREACH_NOROUTE] = { "icp6errs_dst_unreach_noroute", "output error: no route" },
	[KAME_ICP6S_ODST_UNREACH_ADDR] = { "icp6errs_dst_unreach_addr", "output error: address unreachable" },
	[KAME_ICP6S_ODST_UNREACH_NOPORT] = { "icp6errs_dst_unreach_noport", "output error: port unreachable" },
	[KAME_ICP6S_IN_DSTUNREACH] = IN("unreach", "destination unreachable"),
	[KAME_ICP6S_IN_PKTTOOBIG] = IN("packet_too_big", "packet too big"),
	[KAME_ICP6S_IN_TIMEEXCEED] = IN("time_exceed", "time exceeded"),
	[KAME_ICP6S_IN_PARAMPROB] = IN("param_prob", "parameter problem"),
	[KAME_ICP6S_IN_MLDQUERY] = IN("mldquery", "MLD query"),
	[KAME_ICP6S_IN_MLDREPORT] = IN("mldreport", "MLD report"),
	[KAME_ICP6S_IN_MLDDONE] = IN("mlddone", "MLD done"),
	[KAME_ICP6S_IN_MLDV2REPORT] = IN("mldv2report", "MLDv2 report"),
	[KAME_ICP6S_OUT_MLDQUERY] = OUT("mldquery", "MLD query"),
	[KAME_ICP6S_OUT_MLDREPORT] = OUT("mldreport", "MLD report"),
	[KAME_ICP6S_OUT_MLDDONE] = OUT("mlddone", "MLD done"),
	[KAME_ICP6S_OUT_RS] = OUT("routersol", "router solicitation"),
	[KAME_ICP6S_OUT_RA] = OUT("routeradv", "router advertisement"),
	[KAME_ICP6S_OUT_REDIRECT] = OUT("redirect", "redirect"),
	[KAME_ICP6S_OUT_MLDV2REPORT] = OUT("mldv2report", "MLDv2 report"),
	[KAME_ICP6S_MLD_V1QUERY] = { "mld_v1query", "MLDv1 queries accepted" },
	[KAME_ICP6S_MLD_V2QUERY] = { "mld_v2query", "MLDv2 queries accepted" },
	[KAME_ICP6S_MLD_BADLEN] = { "mld_badlen", "MLD messages with bad length" },
	[KAME_ICP6S_MLD_BADHLIM] = { "mld_badhlim", "MLD queries with hop limit not 1" },
	[KAME_ICP6S_MLD_BADSRC] = { "mld_badsrc", "MLD queries not from a link-local address" },
	[KAME_ICP6S_MLD_NORTALERT] = { "mld_nortalert", "MLD queries without router alert" },
	[KAME_ICP6S_MLD_BADGROUP] = { "mld_badgroup", "MLD queries with a bad group" },
	[KAME_ICP6S_MLD_NOMEM] = { "mld_nomem", "MLD reports not sent for lack of memory" },
	[KAME_ICP6S_RA_IGNORED] = { "icp6s_ra_ignored", "router advertisements ignored (accept_rtadv off or forwarding)" },
	[KAME_ICP6S_RA_QFULL] = { "icp6s_ra_qfull", "router advertisements dropped, queue full" },
	[KAME_ICP6S_RA_PROCESSED] = { "icp6s_ra_processed", "router advertisements processed" },
	[KAME_ICP6S_DR_FULL] = { "icp6s_dr_full", "routers not listed, router list full" },
	[KAME_ICP6S_PFX_FULL] = { "icp6s_pfx_full", "prefixes not listed, prefix list full" },
	[KAME_ICP6S_PFX_IGNORED] = { "icp6s_pfx_ignored", "prefix options ignored" },
	[KAME_ICP6S_RIO_FULL] = { "icp6s_rio_full", "route information options not installed, table full" },
	[KAME_ICP6S_REDIR_ACCEPTED] = { "icp6s_redir_accepted", "redirects acted on" },
	[KAME_ICP6S_REDIR_IGNORED] = { "icp6s_redir_ignored", "redirects ignored (router, or rediraccept 0)" },
	[KAME_ICP6S_REDIR_FULL] = { "icp6s_redir_full", "redirects not acted on: redirmax routes" },
};

static const struct stat_name udp6stat_names[__KAME_UDP6S_MAX] = {
	[KAME_UDP6S_IPACKETS] = { "udp6s_ipackets", "datagrams received" },
	[KAME_UDP6S_HDROPS] = { "udp6s_hdrops", "with incomplete header" },
	[KAME_UDP6S_BADLEN] = { "udp6s_badlen", "with bad data length field" },
	[KAME_UDP6S_BADSUM] = { "udp6s_badsum", "with bad checksum" },
	[KAME_UDP6S_NOSUM] = { "udp6s_nosum", "with no checksum" },
	[KAME_UDP6S_NOPORT] = { "udp6s_noport", "dropped due to no socket" },
	[KAME_UDP6S_NOPORTMCAST] = { "udp6s_noportmcast", "multicast datagrams dropped due to no socket" },
	[KAME_UDP6S_FULLSOCK] = { "udp6s_fullsock", "dropped due to full socket buffers" },
	[KAME_UDP6S_OPACKETS] = { "udp6s_opackets", "datagrams output" },
};

static const struct stat_name nd6stat_names[__KAME_ND6S_MAX] = {
	[KAME_ND6S_ENTRIES] = { "nd6_entries", "neighbor cache entries now" },
	[KAME_ND6S_CREATED] = { "nd6_created", "neighbor cache entries created" },
	[KAME_ND6S_GC] = { "nd6_gc", "stale entries garbage-collected" },
	[KAME_ND6S_EVICT] = { "nd6_evict", "entries evicted from a full cache" },
	[KAME_ND6S_CACHE_FULL] = { "nd6_cache_full", "entries not created: cache full" },
	[KAME_ND6S_NOMEM] = { "nd6_nomem", "entries not created: no memory" },
	[KAME_ND6S_EXPIRED] = { "nd6_expired", "entries removed by their timer" },
	[KAME_ND6S_PROXY_NA] = { "nd6_proxy_na", "advertisements sent for proxy entries" },
	[KAME_ND6S_UNSOL_NA] = { "nd6_unsol_na", "unsolicited advertisements sent (link-layer address change)" },
	[KAME_ND6S_DAD_RESTART] = { "nd6_dad_restart", "addresses whose DAD was run again" },
	[KAME_ND6S_NUDHINT] = { "nd6_nudhint", "upper-layer reachability hints taken" },
	[KAME_ND6S_NUDHINT_IGNORED] = { "nd6_nudhint_ignored", "upper-layer reachability hints ignored (nd6_maxnudhint)" },
	[KAME_ND6S_GC_RUNS] = { "nd6_gc_runs", "runs of the garbage collector" },
	[KAME_ND6S_TEMP_DADFAIL] = { "nd6_temp_dadfail", "temporary addresses that failed DAD" },
	[KAME_ND6S_TEMP_IDGEN_FAIL] = { "nd6_temp_idgen_fail", "prefixes left without a temporary address" },
};

static const struct stat_name rip6stat_names[__KAME_RIP6S_MAX] = {
	[KAME_RIP6S_IPACKETS] = { "rip6s_ipackets", "messages received" },
	[KAME_RIP6S_ISUM] = { "rip6s_isum", "checksum calculations on inbound" },
	[KAME_RIP6S_BADSUM] = { "rip6s_badsum", "messages with bad checksum" },
	[KAME_RIP6S_NOSOCK] = { "rip6s_nosock", "messages dropped due to no socket" },
	[KAME_RIP6S_NOSOCKMCAST] = { "rip6s_nosockmcast", "multicast messages dropped due to no socket" },
	[KAME_RIP6S_FULLSOCK] = { "rip6s_fullsock", "messages dropped due to full socket buffers" },
	[KAME_RIP6S_OPACKETS] = { "rip6s_opackets", "datagrams output" },
};

static const struct stat_name ipsec6stat_names[__KAME_IPSEC6S_MAX] = {
	[KAME_IPSEC6S_IN_SUCCESS] = { "in_success", "inbound packets processed successfully" },
	[KAME_IPSEC6S_IN_POLVIO] = { "in_polvio", "inbound packets violated process security policy" },
	[KAME_IPSEC6S_IN_NOSA] = { "in_nosa", "inbound packets with no SA available" },
	[KAME_IPSEC6S_IN_INVAL] = { "in_inval", "invalid inbound packets" },
	[KAME_IPSEC6S_IN_NOMEM] = { "in_nomem", "inbound packets failed due to insufficient memory" },
	[KAME_IPSEC6S_IN_AUTHFAIL] = { "in_authfail", "inbound packets failed on authentication" },
	[KAME_IPSEC6S_IN_REPLAY] = { "in_replay", "replay prevention violations" },
	[KAME_IPSEC6S_OUT_SUCCESS] = { "out_success", "outbound packets processed successfully" },
	[KAME_IPSEC6S_OUT_POLVIO] = { "out_polvio", "outbound packets violated process security policy" },
	[KAME_IPSEC6S_OUT_NOSA] = { "out_nosa", "outbound packets with no SA available" },
	[KAME_IPSEC6S_OUT_INVAL] = { "out_inval", "invalid outbound packets" },
	[KAME_IPSEC6S_OUT_NOMEM] = { "out_nomem", "outbound packets failed due to insufficient memory" },
	[KAME_IPSEC6S_IN_COMPFAIL] = { "in_compfail", "inbound packets failed on decompression" },
	[KAME_IPSEC6S_IN_DUMMY] = { "in_dummy", "inbound dummy packets discarded" },
};

struct group {
	const char *name;
	int id;
	const struct stat_name *names;
	int n;
};

static const struct group groups[] = {
	{ "ip6", KAME_STATS_IP6, ip6stat_names, __KAME_IP6S_MAX },
	{ "icmp6", KAME_STATS_ICMP6, icmp6stat_names, __KAME_ICP6S_MAX },
	{ "udp6", KAME_STATS_UDP6, udp6stat_names, __KAME_UDP6S_MAX },
	{ "nd6", KAME_STATS_ND6, nd6stat_names, __KAME_ND6S_MAX },
	{ "rip6", KAME_STATS_RIP6, rip6stat_names, __KAME_RIP6S_MAX },
	{ "ipsec6", KAME_STATS_IPSEC6, ipsec6stat_names, __KAME_IPSEC6S_MAX },
};

/*
 * One counter: a plain one as "\tN text", a histogram line (text only
 * when not zero, netstat -s style) as "\t\ttype name: N". JSON has them all.
 */
static void print_counter(const struct stat_name *sn, uint64_t v)
{
	char fmt[96];

	if (sn->hist)
		snprintf(fmt, sizeof(fmt), "\t\t%s: %%" PRIu64 "\n", sn->text);
	else
		snprintf(fmt, sizeof(fmt), "\t%%" PRIu64 " %s\n", sn->text);
	print_u64(sn->name, sn->hist && !v ? NULL : fmt, v);
}

/* The counters of one histogram, under its title when one is not zero. */
static void print_hist(const struct group *g, const uint64_t *v,
		       const bool *have, char hist, const char *title)
{
	bool any = false;
	int i;

	for (i = 0; i < g->n; i++)
		any |= have[i] && g->names[i].hist == hist && v[i];
	if (any)
		print_text(title);
	for (i = 0; i < g->n; i++)
		if (have[i] && g->names[i].hist == hist)
			print_counter(&g->names[i], v[i]);
}

#define MAX_COUNTERS 128
_Static_assert(__KAME_ICP6S_MAX <= MAX_COUNTERS && __KAME_IP6S_MAX <= MAX_COUNTERS,
	       "print_group() holds every counter of a group");

/* What one dump prints: a group whole, or the counters named (pick). */
struct stats_req {
	const struct group *g;
	bool explicit;		/* the group was named */
	int npick;
	int pick[MAX_COUNTERS];
};

/* The counters named, a value per line ("sysctl -n" style). */
static void print_picked(const struct stats_req *r, const uint64_t *v,
			 const bool *have)
{
	const struct stat_name *sn;
	int i;

	for (i = 0; i < r->npick; i++) {
		sn = &r->g->names[r->pick[i]];
		if (!have[r->pick[i]])
			die("the kernel has no counter \"%s\"", sn->name);
		print_u64(sn->name, "%" PRIu64 "\n", v[r->pick[i]]);
	}
}

static int print_group(struct nlattr **tb, void *arg)
{
	const struct stats_req *r = arg;
	const struct group *g = r->g;
	uint64_t v[MAX_COUNTERS] = { 0 };
	bool have[MAX_COUNTERS] = { false };
	struct nlattr *a;
	int rem, i;

	if (!tb[KAME_STATS_A_COUNTERS])
		return -EPROTO;
	/* ipsec6 without kame_ipsec.ko: no counters, no group */
	if (!nla_len(tb[KAME_STATS_A_COUNTERS])) {
		if (r->explicit)
			die("%s: kame_ipsec.ko is not loaded", g->name);
		return 0;
	}
	nla_for_each_nested(a, tb[KAME_STATS_A_COUNTERS], rem) {
		i = nla_type(a) - 1;
		if (i < 0 || i >= g->n || i >= MAX_COUNTERS ||
		    !g->names[i].name || nla_len(a) != sizeof(uint64_t))
			continue;	/* newer kernel: counter we cannot name */
		v[i] = nla_get_u64(a);
		have[i] = true;
	}
	if (r->npick) {
		print_picked(r, v, have);
		return 0;
	}
	print_text(g->name);
	print_text(":\n");
	print_open_obj(g->name);
	for (i = 0; i < g->n; i++)
		if (have[i] && !g->names[i].hist)
			print_counter(&g->names[i], v[i]);
	print_hist(g, v, have, 'o', "\tOutput histogram:\n");
	print_hist(g, v, have, 'i', "\tInput histogram:\n");
	print_close_obj();
	return 0;
}

/* The index of counter name in g, or -1. */
static int counter_index(const struct group *g, const char *name)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->names[i].name && streq(g->names[i].name, name))
			return i;
	return -1;
}

/*
 * kame stats [ GROUP [ COUNTER... ] ]: every group, one, or the values
 * of some counters of one (JSON: an object with those counters only).
 */
int do_stats(struct knl *k, int argc, char **argv)
{
	struct stats_req r = { .npick = 0 };
	struct nl_msg *msg;
	size_t i;
	bool any = false;
	int j;

	/* the counters named, checked before anything is printed */
	for (i = 0; argc > 1 && i < ARRAY_SIZE(groups); i++) {
		if (!streq(argv[0], groups[i].name))
			continue;
		if (argc - 1 > MAX_COUNTERS)
			die("more than %d counters named", MAX_COUNTERS);
		for (j = 1; j < argc; j++) {
			r.pick[r.npick] = counter_index(&groups[i], argv[j]);
			if (r.pick[r.npick++] < 0)
				invarg("unknown counter of this group", argv[j]);
		}
	}
	r.explicit = argc > 0;
	print_open_obj(NULL);
	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		if (argc > 0 && !streq(argv[0], groups[i].name))
			continue;
		any = true;
		r.g = &groups[i];
		if (r.npick)
			print_open_obj(r.g->name);
		msg = knl_msg(k, KAME_CMD_STATS_GET, 0);
		nla_put_u32(msg, KAME_STATS_A_GROUP, groups[i].id);
		knl_talk_or_die(k, msg, KAME_STATS_A_MAX, print_group, &r);
		if (r.npick)
			print_close_obj();
	}
	if (!any)
		invarg("unknown statistics group (known: ip6, icmp6, udp6, nd6, rip6, ipsec6)",
		       argv[0]);
	print_close_obj();
	return 0;
}

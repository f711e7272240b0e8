// SPDX-License-Identifier: GPL-2.0
/*
 * ndp: the KAME/FreeBSD neighbor discovery tool, for the KAME stack.
 *   ndp [-nj] -a
 * The output formats follow ndp(8) of KAME/FreeBSD.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/kame.h>
#include "../lib/nl.h"
#include "../lib/print.h"
#include "../lib/util.h"

#define W_ADDR	36
#define W_LL	17
#define W_IF	6

static bool nflag;

static void ndp_usage(void)
{
	fputs("usage: ndp [-nj] -a\n", stderr);
	exit(1);
}

static const char *state_char(int st)
{
	static const char *const s[] = {
		[KAME_ND_NOSTATE] = "N", [KAME_ND_INCOMPLETE] = "I",
		[KAME_ND_REACHABLE] = "R", [KAME_ND_STALE] = "S",
		[KAME_ND_DELAY] = "D", [KAME_ND_PROBE] = "P",
	};

	return st >= 0 && st <= KAME_ND_PROBE ? s[st] : "?";
}

static const char *state_name(int st)
{
	static const char *const s[] = {
		[KAME_ND_NOSTATE] = "nostate", [KAME_ND_INCOMPLETE] = "incomplete",
		[KAME_ND_REACHABLE] = "reachable", [KAME_ND_STALE] = "stale",
		[KAME_ND_DELAY] = "delay", [KAME_ND_PROBE] = "probe",
	};

	return st >= 0 && st <= KAME_ND_PROBE ? s[st] : "unknown";
}

/* KAME's sec2str: "1d2h3m4s" without the zero parts. */
static void sec2str(unsigned int t, char *buf, size_t len)
{
	unsigned int d = t / 86400, h = t / 3600 % 24, m = t / 60 % 60;
	int n = 0;

	buf[0] = 0;
	if (d)
		n += snprintf(buf + n, len - n, "%ud", d);
	if (d || h)
		n += snprintf(buf + n, len - n, "%uh", h);
	if (d || h || m)
		n += snprintf(buf + n, len - n, "%um", m);
	snprintf(buf + n, len - n, "%us", t % 60);
}

static int print_entry(struct nlattr **tb, void *arg)
{
	char host[NI_MAXHOST], ll[3 * 6] = "(incomplete)", ifname[IF_NAMESIZE] = "?";
	char expire[32], flags[4] = "";
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	int state, aw, lw, iw;
	uint32_t f = 0;

	(void)arg;
	if (!tb[KAME_ND_A_IFINDEX] || !tb[KAME_ND_A_ADDRESS] || !tb[KAME_ND_A_STATE])
		return -EPROTO;
	memcpy(&sin6.sin6_addr, nla_data(tb[KAME_ND_A_ADDRESS]), 16);
	if (IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr))
		sin6.sin6_scope_id = nla_get_u32(tb[KAME_ND_A_IFINDEX]);
	if (getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host,
			sizeof(host), NULL, 0, nflag ? NI_NUMERICHOST : 0))
		inet_ntop(AF_INET6, &sin6.sin6_addr, host, sizeof(host));
	if_indextoname(nla_get_u32(tb[KAME_ND_A_IFINDEX]), ifname);
	if (tb[KAME_ND_A_LLADDR] && nla_len(tb[KAME_ND_A_LLADDR]) == 6) {
		const uint8_t *m = nla_data(tb[KAME_ND_A_LLADDR]);

		snprintf(ll, sizeof(ll), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
	}
	state = nla_get_u8(tb[KAME_ND_A_STATE]);
	if (tb[KAME_ND_A_FLAGS])
		f = nla_get_u32(tb[KAME_ND_A_FLAGS]);
	if (f & KAME_ND_F_ROUTER)
		strcat(flags, "R");
	if (f & KAME_ND_F_PROXY)
		strcat(flags, "p");
	if (f & KAME_ND_F_STATIC)
		snprintf(expire, sizeof(expire), "permanent");
	else if (tb[KAME_ND_A_EXPIRE] && nla_get_u32(tb[KAME_ND_A_EXPIRE]))
		sec2str(nla_get_u32(tb[KAME_ND_A_EXPIRE]), expire, sizeof(expire));
	else
		snprintf(expire, sizeof(expire), "expired");

	if (print_json) {
		print_open_obj(NULL);
		print_str("neighbor", NULL, host);
		print_str("lladdr", NULL, tb[KAME_ND_A_LLADDR] ? ll : "");
		print_str("netif", NULL, ifname);
		print_u64("expire", NULL, tb[KAME_ND_A_EXPIRE] ?
			  nla_get_u32(tb[KAME_ND_A_EXPIRE]) : 0);
		print_str("state", NULL, state_name(state));
		print_bool("router", NULL, f & KAME_ND_F_ROUTER);
		print_bool("proxy", NULL, f & KAME_ND_F_PROXY);
		print_bool("static", NULL, f & KAME_ND_F_STATIC);
		print_close_obj();
		return 0;
	}
	aw = strlen(host) > W_ADDR ? (int)strlen(host) : W_ADDR;
	lw = (int)strlen(ll) > W_ADDR + W_LL - aw ? (int)strlen(ll) :
						    W_ADDR + W_LL - aw;
	iw = (int)strlen(ifname) > W_ADDR + W_LL + W_IF - aw - lw ?
	     (int)strlen(ifname) : W_ADDR + W_LL + W_IF - aw - lw;
	printf("%-*.*s %-*.*s %*.*s", aw, aw, host, lw, lw, ll, iw, iw, ifname);
	printf(" %-9.9s", expire);
	printf(" %s %s\n", state_char(state), flags);
	return 0;
}

int main(int argc, char **argv)
{
	bool aflag = false, json = false;
	struct nl_msg *msg;
	struct knl k;
	int c;

	progname = "ndp";
	while ((c = getopt(argc, argv, "anj")) != -1) {
		switch (c) {
		case 'a':
			aflag = true;
			break;
		case 'n':
			nflag = true;
			break;
		case 'j':
			json = true;
			break;
		default:
			ndp_usage();
		}
	}
	if (!aflag || optind != argc)
		ndp_usage();
	knl_open(&k);
	print_begin(json);
	if (!json)
		printf("%-*.*s %-*.*s %*.*s %-9.9s %1s %5s\n", W_ADDR, W_ADDR,
		       "Neighbor", W_LL, W_LL, "Linklayer Address", W_IF, W_IF,
		       "Netif", "Expire", "S", "Flags");
	msg = knl_msg(&k, KAME_CMD_ND_GET, NLM_F_DUMP);
	knl_talk_or_die(&k, msg, KAME_ND_A_MAX, print_entry, NULL);
	print_end();
	knl_close(&k);
	return 0;
}

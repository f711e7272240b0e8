// SPDX-License-Identifier: GPL-2.0
/*
 * kame sock show [ udp | raw ]: the stack's sockets, netstat -an style
 * (Proto Recv-Q Send-Q Local Address Foreign Address, BSD's addr.port).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/kame.h>
#include "kame.h"

#define SOCK_ADDR_W	45

static const char *sock_proto(uint16_t type, uint8_t proto)
{
	if (type == SOCK_DGRAM)
		return "udp6";
	return proto == IPPROTO_ICMPV6 ? "icm6" : "raw6";
}

/* BSD netstat: "addr.port", "*" for the unspecified address or port 0. */
static void sock_endpoint(char *buf, size_t len, const struct in6_addr *a,
			  uint32_t scope, uint16_t port)
{
	char abuf[INET6_ADDRSTRLEN] = "*", ifn[IF_NAMESIZE], pbuf[8] = "*";
	size_t n;

	if (!IN6_IS_ADDR_UNSPECIFIED(a))
		inet_ntop(AF_INET6, a, abuf, sizeof(abuf));
	if (port)
		snprintf(pbuf, sizeof(pbuf), "%u", port);
	n = snprintf(buf, len, "%s", abuf);
	if (scope && n < len) {
		if (!if_indextoname(scope, ifn))
			snprintf(ifn, sizeof(ifn), "%u", scope);
		n += snprintf(buf + n, len - n, "%%%s", ifn);
	}
	if (n < len)
		snprintf(buf + n, len - n, ".%s", pbuf);
}

static uint32_t attr_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint16_t attr_u16(struct nlattr *a)
{
	return a ? nla_get_u16(a) : 0;
}

static int sock_endpoint_print(struct nlattr **tb, int a_addr, int a_scope,
			       int a_port, const char *side, int width)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 10], key[32], col[80];
	char abuf[INET6_ADDRSTRLEN];
	struct in6_addr a;
	uint32_t scope = attr_u32(tb[a_scope]);
	uint16_t port = attr_u16(tb[a_port]);

	if (!tb[a_addr] || nla_len(tb[a_addr]) != sizeof(a))
		return -EPROTO;
	memcpy(&a, nla_data(tb[a_addr]), sizeof(a));
	sock_endpoint(buf, sizeof(buf), &a, scope, port);
	snprintf(col, sizeof(col), "%-*s", width, buf);
	print_text(col);
	inet_ntop(AF_INET6, &a, abuf, sizeof(abuf));
	snprintf(key, sizeof(key), "%s_address", side);
	print_str(key, NULL, abuf);
	snprintf(key, sizeof(key), "%s_scope", side);
	print_u64(key, NULL, scope);
	snprintf(key, sizeof(key), "%s_port", side);
	print_u64(key, NULL, port);
	return 0;
}

static int print_sock(struct nlattr **tb, void *arg)
{
	uint16_t type = attr_u16(tb[KAME_SOCK_A_TYPE]);
	uint8_t proto = tb[KAME_SOCK_A_PROTOCOL] ?
			nla_get_u8(tb[KAME_SOCK_A_PROTOCOL]) : 0;
	char ifn[IF_NAMESIZE] = "";
	uint32_t bound = attr_u32(tb[KAME_SOCK_A_BOUND_IF]);

	(void)arg;
	print_open_obj(NULL);
	print_str("proto", "%-5s", sock_proto(type, proto));
	print_str("type", NULL, type == SOCK_DGRAM ? "dgram" : "raw");
	print_u64("protocol", NULL, proto);
	print_u64("recv_q", " %6" PRIu64, attr_u32(tb[KAME_SOCK_A_RECV_Q]));
	print_u64("send_q", " %6" PRIu64 "  ",
		  attr_u32(tb[KAME_SOCK_A_SEND_Q]));
	if (sock_endpoint_print(tb, KAME_SOCK_A_LOCAL_ADDR,
				KAME_SOCK_A_LOCAL_SCOPE,
				KAME_SOCK_A_LOCAL_PORT, "local", SOCK_ADDR_W))
		return -EPROTO;
	print_text(" ");
	if (sock_endpoint_print(tb, KAME_SOCK_A_FOREIGN_ADDR,
				KAME_SOCK_A_FOREIGN_SCOPE,
				KAME_SOCK_A_FOREIGN_PORT, "foreign", 0))
		return -EPROTO;
	if (bound && !if_indextoname(bound, ifn))
		snprintf(ifn, sizeof(ifn), "%u", bound);
	if (bound)
		print_str("bound_if", NULL, ifn);
	if (tb[KAME_SOCK_A_INODE])
		print_u64("inode", NULL, nla_get_u64(tb[KAME_SOCK_A_INODE]));
	print_u64("uid", NULL, attr_u32(tb[KAME_SOCK_A_UID]));
	print_text("\n");
	print_close_obj();
	return 0;
}

static int sock_show(struct knl *k, int argc, char **argv)
{
	struct nl_msg *msg = knl_msg(k, KAME_CMD_SOCK_GET, NLM_F_DUMP);

	if (argc > 0) {
		if (streq(argv[0], "udp")) {
			nla_put_u16(msg, KAME_SOCK_A_TYPE, SOCK_DGRAM);
		} else if (streq(argv[0], "raw")) {
			nla_put_u16(msg, KAME_SOCK_A_TYPE, SOCK_RAW);
		} else {
			nlmsg_free(msg);
			invarg("expected \"udp\" or \"raw\"", argv[0]);
		}
		if (argc > 1)
			die("unexpected argument \"%s\"", argv[1]);
	}
	if (!print_json)
		printf("%-5s %6s %6s  %-*s %s\n", "Proto", "Recv-Q", "Send-Q",
		       SOCK_ADDR_W, "Local Address", "Foreign Address");
	knl_talk_or_die(k, msg, KAME_SOCK_A_MAX, print_sock, NULL);
	return 0;
}

int do_sock(struct knl *k, int argc, char **argv)
{
	if (argc < 1 || streq(argv[0], "show") || streq(argv[0], "list"))
		return sock_show(k, argc ? argc - 1 : 0, argv + 1);
	die("command \"%s\" is unknown, try \"kame sock help\"", argv[0]);
}

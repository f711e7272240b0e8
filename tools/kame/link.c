// SPDX-License-Identifier: GPL-2.0
/*
 * kame link { attach | detach | show }
 *
 * Attaching takes the interface from Linux's native IPv6 first
 * (net.ipv6.conf.DEV.disable_ipv6=1) and records the earlier value in the
 * kernel; detaching restores that value.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/kame.h>
#include "kame.h"

static void native_path(char *buf, size_t len, const char *dev)
{
	snprintf(buf, len, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", dev);
}

static void check_dev(const char *dev)
{
	if (strlen(dev) >= IFNAMSIZ || !if_nametoindex(dev))
		die("interface \"%s\" does not exist", dev);
}

static int print_link(struct nlattr **tb, void *arg)
{
	uint32_t flags = 0;
	char mac[3 * 32] = "";
	const char *sep = "";

	(void)arg;
	if (!tb[KAME_LINK_A_IFINDEX] || !tb[KAME_LINK_A_IFNAME])
		return -EPROTO;
	if (tb[KAME_LINK_A_FLAGS])
		flags = nla_get_u32(tb[KAME_LINK_A_FLAGS]);
	print_open_obj(NULL);
	print_u64("ifindex", "%" PRIu64 ": ",
		  nla_get_u32(tb[KAME_LINK_A_IFINDEX]));
	print_str("ifname", "%s: <", nla_get_string(tb[KAME_LINK_A_IFNAME]));
	print_open_arr("flags");
	if (flags & KAME_LINK_F_UP) {
		print_str(NULL, "%s", "UP");
		sep = ",";
	}
	if (flags & KAME_LINK_F_RUNNING) {
		print_text(sep);
		print_str(NULL, "%s", "RUNNING");
		sep = ",";
	}
	if (flags & KAME_LINK_F_POINTOPOINT) {
		print_text(sep);
		print_str(NULL, "%s", "POINTOPOINT");
	}
	print_close_arr();
	print_text(">");
	if (tb[KAME_LINK_A_MTU])
		print_u64("mtu", " mtu %" PRIu64, nla_get_u32(tb[KAME_LINK_A_MTU]));
	print_text("\n   ");
	if (tb[KAME_LINK_A_LLADDR]) {
		const uint8_t *a = nla_data(tb[KAME_LINK_A_LLADDR]);
		int i, n = nla_len(tb[KAME_LINK_A_LLADDR]);

		for (i = 0; i < n && i < 32; i++)
			sprintf(mac + (i ? 3 * i - 1 : 0), "%s%02x",
				i ? ":" : "", a[i]);
		print_str("address", " link/ether %s", mac);
	} else if (flags & KAME_LINK_F_POINTOPOINT) {
		print_text(" link/none");
	}
	if (tb[KAME_LINK_A_NATIVE_SAVED]) {
		bool on = !nla_get_u8(tb[KAME_LINK_A_NATIVE_SAVED]);

		print_bool("native_ipv6_on_detach", " native-ipv6-on-detach %s",
			   on);
	}
	if (tb[KAME_LINK_A_RX_PACKETS])
		print_u64("rx_packets", " rx_packets %" PRIu64,
			  nla_get_u64(tb[KAME_LINK_A_RX_PACKETS]));
	print_text("\n");
	print_close_obj();
	return 0;
}

static int get_saved(struct nlattr **tb, void *arg)
{
	if (tb[KAME_LINK_A_NATIVE_SAVED])
		*(int *)arg = nla_get_u8(tb[KAME_LINK_A_NATIVE_SAVED]);
	return 0;
}

static int link_attach(struct knl *k, const char *dev)
{
	char path[128];
	struct nl_msg *msg;
	int saved, err;

	check_dev(dev);
	native_path(path, sizeof(path), dev);
	/* no file: the kernel runs without native IPv6 on it already */
	if (sysctl_read_int(path, &saved) < 0)
		saved = 1;
	if (!saved) {
		err = sysctl_write_int(path, 1);
		if (err < 0)
			die("cannot turn native IPv6 off on \"%s\": %s", dev,
			    strerror(-err));
	}

	msg = knl_msg(k, KAME_CMD_LINK_ATTACH, 0);
	nla_put_string(msg, KAME_LINK_A_IFNAME, dev);
	nla_put_u8(msg, KAME_LINK_A_NATIVE_SAVED, saved ? 1 : 0);
	err = knl_talk(k, msg, KAME_LINK_A_MAX, NULL, NULL);
	if (err) {
		if (!saved)
			sysctl_write_int(path, 0);
		die("%s", knl_errmsg[0] ? knl_errmsg : strerror(-err));
	}
	return 0;
}

static int link_detach(struct knl *k, const char *dev)
{
	struct nl_msg *msg;
	char path[128];
	int saved = 1;

	check_dev(dev);
	msg = knl_msg(k, KAME_CMD_LINK_GET, 0);
	nla_put_string(msg, KAME_LINK_A_IFNAME, dev);
	knl_talk_or_die(k, msg, KAME_LINK_A_MAX, get_saved, &saved);

	msg = knl_msg(k, KAME_CMD_LINK_DETACH, 0);
	nla_put_string(msg, KAME_LINK_A_IFNAME, dev);
	knl_talk_or_die(k, msg, KAME_LINK_A_MAX, NULL, NULL);

	native_path(path, sizeof(path), dev);
	if (!saved && sysctl_write_int(path, 0) < 0)
		die("detached, but native IPv6 could not be turned back on for \"%s\"",
		    dev);
	return 0;
}

static int link_show(struct knl *k, const char *dev)
{
	struct nl_msg *msg;

	if (dev) {
		check_dev(dev);
		msg = knl_msg(k, KAME_CMD_LINK_GET, 0);
		nla_put_string(msg, KAME_LINK_A_IFNAME, dev);
	} else {
		msg = knl_msg(k, KAME_CMD_LINK_GET, NLM_F_DUMP);
	}
	knl_talk_or_die(k, msg, KAME_LINK_A_MAX, print_link, NULL);
	return 0;
}

int do_link(struct knl *k, int argc, char **argv)
{
	const char *cmd = argc > 0 ? argv[0] : "show";
	const char *dev = NULL;

	if (argc > 1) {
		dev = argv[1];
		if (streq(dev, "dev")) {
			if (argc < 3)
				missarg("interface name after \"dev\"");
			dev = argv[2];
			argc--;
		}
		if (argc > 2)
			die("unexpected argument \"%s\"", argv[2]);
	}
	if (streq(cmd, "show") || streq(cmd, "list") || streq(cmd, "ls"))
		return link_show(k, dev);
	if (!dev)
		missarg("interface name");
	if (streq(cmd, "attach"))
		return link_attach(k, dev);
	if (streq(cmd, "detach"))
		return link_detach(k, dev);
	die("command \"%s\" is unknown, try \"kame link help\"", cmd);
}

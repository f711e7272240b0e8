// SPDX-License-Identifier: GPL-2.0
/*
 * kame_ptest: a module of the family for selftests/core/ip6proto.sh (not
 * part of the stack). It registers next header `proto` (default 253, RFC
 * 3692's experimental value) in kame.ko's protocol switch and counts what
 * it is given:
 *
 *   /sys/module/kame_ptest/parameters/packets  packets given to it
 *   /sys/module/kame_ptest/parameters/first    the first byte after the
 *                                              header's start (c->off)
 *                                              of the last one, or -1
 *
 * With skip=1 it takes the header as an extension header would (8 bytes:
 * next header, length 0, 6 bytes) and lets the core go on with the next.
 */
#include <linux/module.h>
#include <linux/skbuff.h>
#include "kame_family.h"

static int proto = 253;
module_param(proto, int, 0444);
MODULE_PARM_DESC(proto, "the next header to register");
static bool skip;
module_param(skip, bool, 0444);
MODULE_PARM_DESC(skip, "take 8 bytes as an extension header and go on");

static atomic_long_t kpt_packets = ATOMIC_LONG_INIT(0);
static atomic_t kpt_first = ATOMIC_INIT(-1);

static int kpt_get_packets(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kpt_packets));
}

static int kpt_get_first(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&kpt_first));
}

static const struct kernel_param_ops kpt_packets_ops = {
	.get = kpt_get_packets,
};

static const struct kernel_param_ops kpt_first_ops = {
	.get = kpt_get_first,
};

module_param_cb(packets, &kpt_packets_ops, NULL, 0444);
module_param_cb(first, &kpt_first_ops, NULL, 0444);

static int kpt_input(struct kame_if *kif, struct sk_buff **skbp,
		     struct kame_ip6ctx *c)
{
	struct sk_buff *skb = *skbp;
	u8 hdr[2];

	atomic_long_inc(&kpt_packets);
	if (skb_copy_bits(skb, c->off, hdr, sizeof(hdr))) {
		atomic_set(&kpt_first, -1);
		kfree_skb(skb);
		return 1;
	}
	atomic_set(&kpt_first, hdr[0]);
	if (skip && pskb_may_pull(skb, c->off + 8)) {
		c->nhoff = c->off;
		c->nxt = hdr[0];
		c->off += 8;
		return 0;
	}
	consume_skb(skb);
	return 1;
}

static struct kame_ip6proto kpt_proto = {
	.input = kpt_input,
};

static int __init kpt_init(void)
{
	if (proto < 0 || proto > 255)
		return -EINVAL;
	kpt_proto.protocol = proto;
	return kame_ip6proto_register(&kpt_proto);
}

static void __exit kpt_exit(void)
{
	kame_ip6proto_unregister(&kpt_proto);
}

module_init(kpt_init);
module_exit(kpt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KAME protocol switch test module (selftests only)");

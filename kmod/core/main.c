// SPDX-License-Identifier: GPL-2.0
/*
 * KAME IPv6 stack for Linux: module init and exit.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/genetlink.h>
#include "kame.h"

static int __init kame_mod_init(void)
{
	int err;

	err = kame_nd6_init();
	if (err)
		return err;
	err = kame_rt_init();
	if (err)
		goto err_nd6;
	err = kame_netns_init();
	if (err)
		goto err_rt;
	err = kame_ifattach_init();
	if (err)
		goto err_netns;
	err = kame_af_init();
	if (err)
		goto err_ifattach;
	err = kame_genl_init();
	if (err)
		goto err_af;
	pr_info("KAME IPv6 stack loaded, address family %d\n", kame_family);
	return 0;

err_af:
	kame_af_exit();
err_ifattach:
	kame_ifattach_exit();
err_netns:
	kame_netns_exit();
err_rt:
	kame_rt_exit();
err_nd6:
	kame_nd6_exit();
	return err;
}

static void __exit kame_mod_exit(void)
{
	kame_genl_exit();
	kame_af_exit();
	kame_ifattach_exit();
	kame_netns_exit();
	kame_rt_exit();
	kame_nd6_exit();
	if (atomic_read(&kame_live_ifs))
		pr_err("leak: %d interface records left at unload\n",
		       atomic_read(&kame_live_ifs));
	if (atomic_read(&kame_live_mships))
		pr_err("leak: %d multicast group records left at unload\n",
		       atomic_read(&kame_live_mships));
	pr_info("KAME IPv6 stack unloaded\n");
}

module_init(kame_mod_init);
module_exit(kame_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KAME IPv6 stack as an alternate protocol family");
MODULE_AUTHOR("KAME for Linux developers");
MODULE_ALIAS_NETPROTO(AF_KAME);
MODULE_ALIAS_GENL_FAMILY(KAME_GENL_NAME);

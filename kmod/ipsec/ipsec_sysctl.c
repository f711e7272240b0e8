// SPDX-License-Identifier: GPL-2.0
/*
 * KAME's IPsec knobs, net.inet6.ipsec6.* (/proc/sys/net/inet6/ipsec6/),
 * per network namespace, with KAME's meanings and defaults:
 *
 *   def_policy        what a packet no policy matches gets: 0 discard,
 *                     1 none (the default: no IPsec)
 *   esp_trans_deflev  the level of a request whose level is "default":
 *   esp_net_deflev    1 use (the default), 2 require; ESP or AH, in
 *   ah_trans_deflev   transport or tunnel ("net") mode
 *   ah_net_deflev
 *   esp_randpad       -1: ESP pads to the cipher block only (the default);
 *                     N >= 0: a random amount of padding more, keeping
 *                     the padded payload at most N bytes (and the
 *                     padding at most 255 bytes)
 *   ecn               ECN in tunnel mode (notes 4.6): -1 forbidden (the
 *                     outer header's ECN field cleared), 0 no care (a
 *                     copy: the default), 1 allowed (RFC 6040)
 *   bypass_nd         1 (the default): Neighbor Discovery and MLD pass
 *                     every policy and the default policy; 0: they are
 *                     subject to them as any packet
 */
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

static int ipsec_m1 = -1, ipsec_zero, ipsec_one = 1, ipsec_two = 2;
static int ipsec_padmax = 65535;

#define IPSEC_KNOB(_name, _field, _min, _max) {				\
	.procname = _name,						\
	.data = (void *)offsetof(struct ipsec_net, knob._field),	\
	.maxlen = sizeof(int),						\
	.mode = 0644,							\
	.proc_handler = proc_dointvec_minmax,				\
	.extra1 = _min,							\
	.extra2 = _max,							\
}

static const struct ctl_table ipsec_sysctl_template[] = {
	IPSEC_KNOB("def_policy", def_policy, &ipsec_zero, &ipsec_one),
	IPSEC_KNOB("esp_trans_deflev", esp_trans_deflev, &ipsec_one, &ipsec_two),
	IPSEC_KNOB("esp_net_deflev", esp_net_deflev, &ipsec_one, &ipsec_two),
	IPSEC_KNOB("ah_trans_deflev", ah_trans_deflev, &ipsec_one, &ipsec_two),
	IPSEC_KNOB("ah_net_deflev", ah_net_deflev, &ipsec_one, &ipsec_two),
	IPSEC_KNOB("esp_randpad", esp_randpad, &ipsec_m1, &ipsec_padmax),
	IPSEC_KNOB("ecn", ecn, &ipsec_m1, &ipsec_one),
	IPSEC_KNOB("bypass_nd", bypass_nd, &ipsec_zero, &ipsec_one),
};

#define IPSEC_NKNOBS ARRAY_SIZE(ipsec_sysctl_template)

int ipsec_sysctl_init_net(struct ipsec_net *in)
{
	struct ctl_table *t;
	size_t i;

	in->knob.def_policy = KAME_KEY_ACTION_NONE;
	in->knob.esp_trans_deflev = KAME_KEY_LEVEL_USE;
	in->knob.esp_net_deflev = KAME_KEY_LEVEL_USE;
	in->knob.ah_trans_deflev = KAME_KEY_LEVEL_USE;
	in->knob.ah_net_deflev = KAME_KEY_LEVEL_USE;
	in->knob.esp_randpad = -1;
	in->knob.ecn = 0;
	in->knob.bypass_nd = 1;
	/* one more, zeroed: the end of the table for kernels that want it */
	t = kcalloc(IPSEC_NKNOBS + 1, sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	memcpy(t, ipsec_sysctl_template, sizeof(ipsec_sysctl_template));
	for (i = 0; i < IPSEC_NKNOBS; i++)
		t[i].data = (char *)in + (uintptr_t)t[i].data;
	in->sysctl_hdr = kame_register_net_sysctl(in->net, "net/inet6/ipsec6",
						  t, IPSEC_NKNOBS);
	if (!in->sysctl_hdr) {
		kfree(t);
		return -ENOMEM;
	}
	in->sysctl_tbl = t;
	return 0;
}

void ipsec_sysctl_exit_net(struct ipsec_net *in)
{
	if (in->sysctl_hdr)
		unregister_net_sysctl_table(in->sysctl_hdr);
	kfree(in->sysctl_tbl);
	in->sysctl_hdr = NULL;
	in->sysctl_tbl = NULL;
}

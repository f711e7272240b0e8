// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_KAME protocol family: socket creation and the protocol switch.
 *
 * Like KAME's inet6sw[], a table maps (type, protocol) to a protocol: UDP
 * (udp6.c) and raw sockets of any protocol (raw6.c).
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/in6.h>
#include <net/sock.h>
#include "kame.h"

int kame_family = AF_KAME;
module_param_named(family, kame_family, int, 0444);
MODULE_PARM_DESC(family, "protocol family number of AF_KAME (default 19)");

static struct proto kame_raw_prot = {
	.name = "KAME-RAW",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct kame_raw_sock),
};

struct kame_protosw {
	short type;
	struct proto *prot;
	bool raw;		/* any protocol 0-255, needs CAP_NET_RAW */
	int protocol;		/* when !raw: the protocol, 0 matches too */
};

static const struct kame_protosw kame_protosw[] = {
	{ .type = SOCK_DGRAM, .prot = &kame_udp_prot, .protocol = IPPROTO_UDP },
	{ .type = SOCK_RAW, .prot = &kame_raw_prot, .raw = true },
};

static const struct kame_protosw *kame_protosw_find(int type, int protocol,
						    int *err)
{
	const struct kame_protosw *sw;
	bool type_known = false;

	for (sw = kame_protosw; sw < kame_protosw + ARRAY_SIZE(kame_protosw);
	     sw++) {
		if (sw->type != type)
			continue;
		type_known = true;
		if (sw->raw ? (protocol >= 0 && protocol <= 255) :
			      (!protocol || protocol == sw->protocol))
			return sw;
	}
	*err = type_known ? -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;
	return NULL;
}

static int kame_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	const struct kame_protosw *sw;
	struct sock *sk;
	int err;

	sw = kame_protosw_find(sock->type, protocol, &err);
	if (!sw)
		return err;
	if (sw->raw && !kern && !ns_capable(net->user_ns, CAP_NET_RAW))
		return -EPERM;

	sk = sk_alloc(net, kame_family, GFP_KERNEL, sw->prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = sw->raw ? &kame_raw_ops : &kame_udp_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	sk->sk_destruct = kame_sock_destruct;
	sk->sk_protocol = sw->raw ? protocol : IPPROTO_UDP;
	kame_ip6_sock_init(kame_sk(sk));
	if (sw->raw)
		kame_raw6_init_sock(sk);
	else
		kame_udp6_init_sock(sk);
	return 0;
}

static struct net_proto_family kame_family_ops = {
	.create = kame_create,
	.owner = THIS_MODULE,
};

int kame_af_init(void)
{
	int err;

	if (kame_family <= 0 || kame_family >= NPROTO) {
		pr_err("family=%d is outside 1..%d\n", kame_family, NPROTO - 1);
		return -EINVAL;
	}
	kame_raw_ops.family = kame_family;
	kame_udp_ops.family = kame_family;
	kame_family_ops.family = kame_family;

	kame_udp6_mem_init();
	err = proto_register(&kame_udp_prot, 1);
	if (err)
		return err;
	err = proto_register(&kame_raw_prot, 1);
	if (err)
		goto err_udp;
	err = sock_register(&kame_family_ops);
	if (err) {
		if (err == -EEXIST)
			pr_err("address family %d is taken by another protocol; load with family=N for a free one\n",
			       kame_family);
		goto err_raw;
	}
	return 0;

err_raw:
	proto_unregister(&kame_raw_prot);
err_udp:
	proto_unregister(&kame_udp_prot);
	return err;
}

void kame_af_exit(void)
{
	sock_unregister(kame_family);
	proto_unregister(&kame_raw_prot);
	proto_unregister(&kame_udp_prot);
}

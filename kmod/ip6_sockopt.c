// SPDX-License-Identifier: GPL-2.0
/*
 * SOL_IPV6 socket options that every AF_KAME socket type shares (KAME's
 * ip6_ctloutput() in ip6_output.c), with Linux's option numbers. A socket
 * type handles its own options first (raw: IPV6_CHECKSUM, ICMP6_FILTER)
 * and passes the rest here. Unknown options: -ENOPROTOOPT.
 */
#include <linux/in6.h>
#include <net/sock.h>
#include "kame.h"

void kame_ip6_sock_init(struct kame_sock *ks)
{
	ks->hops = -1;
	ks->mcast_hops = -1;
}

static int ip6_opt_int(sockptr_t optval, unsigned int optlen, int *val)
{
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(val, optval, sizeof(*val)))
		return -EFAULT;
	return 0;
}

int kame_ip6_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			unsigned int optlen)
{
	struct kame_sock *ks = kame_sk(sk);
	int val, err;

	err = ip6_opt_int(optval, optlen, &val);
	if (err)
		return err;
	switch (optname) {
	case IPV6_UNICAST_HOPS:
	case IPV6_MULTICAST_HOPS:
		if (val < -1 || val > 255)
			return -EINVAL;
		if (optname == IPV6_UNICAST_HOPS)
			WRITE_ONCE(ks->hops, val);
		else
			WRITE_ONCE(ks->mcast_hops, val);
		return 0;
	case IPV6_V6ONLY:
		/* there is no IPv4 behind this stack */
		return val ? 0 : -EINVAL;
	}
	return -ENOPROTOOPT;
}

static int ip6_opt_put_int(char __user *optval, int __user *optlen, int val)
{
	int len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(int))
		return -EINVAL;
	len = sizeof(int);
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

int kame_ip6_getsockopt(struct sock *sk, int optname, char __user *optval,
			int __user *optlen)
{
	struct kame_sock *ks = kame_sk(sk);

	switch (optname) {
	case IPV6_UNICAST_HOPS:
		return ip6_opt_put_int(optval, optlen, READ_ONCE(ks->hops));
	case IPV6_MULTICAST_HOPS:
		return ip6_opt_put_int(optval, optlen,
				       READ_ONCE(ks->mcast_hops));
	case IPV6_V6ONLY:
		return ip6_opt_put_int(optval, optlen, 1);
	}
	return -ENOPROTOOPT;
}

/* The hop limit a packet from ks to dst gets (RFC 3542 6.3 order). */
u8 kame_ip6_sock_hlim(const struct kame_sock *ks, const struct kame_if *kif,
		      const struct in6_addr *dst)
{
	int v;

	if (IN6_IS_ADDR_MULTICAST(dst)) {
		v = READ_ONCE(ks->mcast_hops);
		return v >= 0 ? v : 1;
	}
	v = READ_ONCE(ks->hops);
	return v >= 0 ? v : READ_ONCE(kif->curhlim);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * IPComp output (RFC 3173 2.2; KAME's ipcomp_output.c): the payload is
 * compressed only when it is at least ipcomp_minsize bytes (RFC 2394
 * 2: below about 90 bytes DEFLATE seldom gains) and only when that makes
 * it smaller; otherwise it goes as it is, without an IPComp header, and
 * the receiver's inbound policy takes it (ipsec_input_check() treats
 * IPComp requests as level use).
 */
#include <linux/module.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>
#include "ipsec.h"

static unsigned int ipcomp_minsize = 90;
module_param(ipcomp_minsize, uint, 0644);
MODULE_PARM_DESC(ipcomp_minsize,
		 "smallest payload IPComp compresses, bytes (default 90)");

/*
 * IPComp on the payload at skb->data (next header o->proto): compressed
 * behind an IPComp header (o->proto becomes IPComp), or left as it is.
 * 0 or -errno (skb left to the caller).
 */
int ipcomp_output(struct ipsec_sa *sa, struct sk_buff *skb,
		  struct kame_ip6out *o)
{
	unsigned int len = skb->len;
	int ret;

	atomic64_add(len, &sa->bytes);
	if (len < READ_ONCE(ipcomp_minsize) || len > IPV6_MAXPLEN)
		return 0;
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;
	if (skb_linearize_cow(skb) ||
	    skb_cow_head(skb, IPCOMP_HLEN + MAX_HEADER +
			 sizeof(struct ipv6hdr)))
		return -ENOMEM;
	ret = ipcomp_compress(skb, o->proto, sa->spi);
	if (ret)
		return ret > 0 ? 0 : ret;
	o->proto = IPPROTO_COMP;
	return 0;
}

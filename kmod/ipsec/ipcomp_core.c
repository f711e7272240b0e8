// SPDX-License-Identifier: GPL-2.0
/*
 * IPComp (RFC 3173) with DEFLATE (RFC 2394): the compressor and the
 * decompressor (KAME's ipcomp_core.c), on the kernel's zlib directly.
 *
 * Why zlib and not the crypto API's "deflate": that interface changed
 * across kernels (crypto_comp is giving way to acomp), it
 * fixes the window at 2^11 bytes both ways, and it reports an output
 * that does not fit like any other error. With zlib we choose each side:
 * we inflate with the largest window RFC 2394 allows (2^15: a peer's
 * stream may refer that far back) and deflate with 2^11, as Linux's XFRM
 * (whose IPComp goes through that crypto transform) does, so that a peer
 * inflating with that window takes our streams; and zlib tells how far
 * the output got, which is what bounds a decompression to what an IPv6
 * payload may hold, no more.
 *
 * The workspaces are per CPU (a deflate state, an inflate state and one
 * 64 KiB buffer for the output of either), allocated while the first
 * IPComp SA is set up (netlink, process context) and freed with the last
 * one; the data path only borrows its CPU's, with bottom halves off. One
 * buffer serves both directions: neither holds it across a call that
 * could reach the other (the input is done with it before the inner
 * packet goes on, and the output runs with bottom halves off).
 */
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/vmalloc.h>
#include <linux/zlib.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

#define IPCOMP_WBITS_OUT	11	/* Linux's peers inflate 2^11 */
#define IPCOMP_WBITS_IN		MAX_WBITS
#define IPCOMP_MEMLEVEL		8
#define IPCOMP_BUFLEN		IPV6_MAXPLEN

struct ipcomp_ws {
	struct z_stream_s def;
	struct z_stream_s inf;
	u8 *buf;		/* IPCOMP_BUFLEN bytes */
};

static struct ipcomp_ws __percpu *ipcomp_ws;
static unsigned int ipcomp_users;	/* SAs holding the workspaces */
static DEFINE_MUTEX(ipcomp_mutex);

static void ipcomp_ws_free(void)
{
	struct ipcomp_ws *ws;
	int cpu;

	for_each_possible_cpu(cpu) {
		ws = per_cpu_ptr(ipcomp_ws, cpu);
		vfree(ws->def.workspace);
		vfree(ws->inf.workspace);
		vfree(ws->buf);
	}
	free_percpu(ipcomp_ws);
	ipcomp_ws = NULL;
}

static int ipcomp_ws_alloc(void)
{
	int dsize = zlib_deflate_workspacesize(-IPCOMP_WBITS_OUT,
					       IPCOMP_MEMLEVEL);
	struct ipcomp_ws *ws;
	int cpu;

	ipcomp_ws = alloc_percpu(struct ipcomp_ws);
	if (!ipcomp_ws)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		ws = per_cpu_ptr(ipcomp_ws, cpu);
		ws->def.workspace = vzalloc(dsize);
		ws->inf.workspace = vzalloc(zlib_inflate_workspacesize());
		ws->buf = vmalloc(IPCOMP_BUFLEN);
		if (!ws->def.workspace || !ws->inf.workspace || !ws->buf)
			goto fail;
		/* raw deflate (negative window bits): no zlib header */
		if (zlib_deflateInit2(&ws->def, Z_DEFAULT_COMPRESSION,
				      Z_DEFLATED, -IPCOMP_WBITS_OUT,
				      IPCOMP_MEMLEVEL,
				      Z_DEFAULT_STRATEGY) != Z_OK ||
		    zlib_inflateInit2(&ws->inf, -IPCOMP_WBITS_IN) != Z_OK)
			goto fail;
	}
	return 0;
fail:
	ipcomp_ws_free();
	return -ENOMEM;
}

/* An IPComp SA takes the workspaces (the first allocates them). */
int ipcomp_init_state(struct ipsec_sa *sa)
{
	int err = 0;

	mutex_lock(&ipcomp_mutex);
	if (!ipcomp_users)
		err = ipcomp_ws_alloc();
	if (!err) {
		ipcomp_users++;
		sa->comp_ready = true;
	}
	mutex_unlock(&ipcomp_mutex);
	return err;
}

/* After a grace period: no packet uses the SA, the last frees them. */
void ipcomp_destroy_state(struct ipsec_sa *sa)
{
	if (!sa->comp_ready)
		return;
	sa->comp_ready = false;
	mutex_lock(&ipcomp_mutex);
	if (!--ipcomp_users)
		ipcomp_ws_free();
	mutex_unlock(&ipcomp_mutex);
}

/*
 * Compress the len bytes at skb->data (linear, writable, with headroom
 * for the IPComp header) and put header (next header nh, CPI) and the
 * compressed payload in their place: 0, or 1 when the result would not
 * be smaller (RFC 3173 2.2: then the payload goes as it is).
 */
int ipcomp_compress(struct sk_buff *skb, u8 nh, u16 cpi)
{
	unsigned int len = skb->len, clen;
	struct ipcomp_ws *ws;
	u8 *h;
	int ret;

	if (len <= IPCOMP_HLEN + 1)
		return 1;
	local_bh_disable();
	ws = this_cpu_ptr(ipcomp_ws);
	zlib_deflateReset(&ws->def);
	ws->def.next_in = skb->data;
	ws->def.avail_in = len;
	ws->def.next_out = ws->buf;
	/* at least a byte smaller with the header, or not at all */
	ws->def.avail_out = min_t(unsigned int, len - IPCOMP_HLEN - 1,
				  IPCOMP_BUFLEN);
	ret = zlib_deflate(&ws->def, Z_FINISH);
	if (ret != Z_STREAM_END) {
		local_bh_enable();
		return 1;
	}
	clen = ws->def.total_out;
	h = skb_push(skb, IPCOMP_HLEN);
	h[0] = nh;
	h[1] = 0;			/* flags: reserved */
	put_unaligned_be16(cpi, h + 2);
	memcpy(h + IPCOMP_HLEN, ws->buf, clen);
	local_bh_enable();
	skb_trim(skb, IPCOMP_HLEN + clen);
	return 0;
}

/*
 * Inflate the IPComp payload of skb (linear; the header at off) into the
 * CPU's buffer, at most max bytes: the length, -EMSGSIZE when the
 * stream would give more (a decompression bomb), -EINVAL when it is
 * not a whole raw deflate stream (or has bytes after its end). Bottom
 * halves off.
 */
static int ipcomp_inflate(struct ipcomp_ws *ws, const struct sk_buff *skb,
			  unsigned int off, unsigned int max)
{
	int ret;

	zlib_inflateReset(&ws->inf);
	ws->inf.next_in = skb->data + off + IPCOMP_HLEN;
	ws->inf.avail_in = skb->len - off - IPCOMP_HLEN;
	ws->inf.next_out = ws->buf;
	ws->inf.avail_out = min_t(unsigned int, max, IPCOMP_BUFLEN);
	ret = zlib_inflate(&ws->inf, Z_FINISH);
	if (ret == Z_STREAM_END)
		return ws->inf.avail_in ? -EINVAL : ws->inf.total_out;
	if (!ws->inf.avail_out)
		return -EMSGSIZE;
	return -EINVAL;
}

/*
 * Replace the IPComp header at off of skb (linear) and what follows by
 * the decompressed payload, of at most max bytes: 0, -EMSGSIZE, -EINVAL
 * or -ENOMEM. The skb grows by what the payload needs, nothing more.
 */
int ipcomp_decompress(struct sk_buff *skb, unsigned int off, unsigned int max)
{
	struct ipcomp_ws *ws;
	unsigned int room;
	int dlen, err = 0;

	if (skb->len <= off + IPCOMP_HLEN)
		return -EINVAL;
	local_bh_disable();
	ws = this_cpu_ptr(ipcomp_ws);
	dlen = ipcomp_inflate(ws, skb, off, max);
	if (dlen < 0) {
		err = dlen;
		goto out;
	}
	__skb_trim(skb, off);
	room = skb_tailroom(skb);
	/* a clone (a capture) shares the data: the copy is ours alone */
	if ((skb_cloned(skb) || room < dlen) &&
	    pskb_expand_head(skb, 0, room < dlen ? dlen - room : 0,
			     GFP_ATOMIC)) {
		err = -ENOMEM;
		goto out;
	}
	skb_put_data(skb, ws->buf, dlen);
out:
	local_bh_enable();
	return err;
}

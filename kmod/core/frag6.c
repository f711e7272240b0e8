// SPDX-License-Identifier: GPL-2.0
/*
 * Fragment reassembly (KAME's frag6.c; RFC 8200 4.5, RFC 5722, RFC 6946).
 *
 * Fragments are kept per (source, destination, identification) in a
 * bounded per-namespace table: at most maxfragpackets datagrams, maxfrags
 * fragments in all and maxfragsperpacket per datagram (knobs). A datagram
 * with overlapping fragments is dropped whole. One that is not complete
 * within fragttl seconds is dropped, with a Time Exceeded message when
 * its first fragment had arrived.
 *
 * A datagram is complete only when its fragments, sorted and never
 * overlapping, cover [0, total) without a gap, total being the end of the
 * last fragment (M clear). Once the end is known, a fragment that reaches
 * past it is inconsistent and the datagram is dropped; so is a last
 * fragment that ends before data already queued. Offsets are 32 bits
 * wide: after an outer reassembly a packet may be longer than 65535
 * bytes, and an inner Fragment header may sit beyond that.
 *
 * Locking: kn->frag_lock (BH) protects the table and every queue. A queue
 * is freed by its own timer, by reassembly, or by kame_frag6_purge().
 */
#include <linux/siphash.h>
#include <linux/ipv6.h>
#include "compat.h"
#include <net/ipv6.h>
#include "kame.h"

struct kame_frag6q {
	struct hlist_node node;
	struct kame_if *kif;
	struct in6_addr src, dst;	/* embedded form */
	__be32 id;
	struct sk_buff_head frags;	/* sorted by offset */
	u32 total;			/* payload length, once known */
	u32 have;			/* bytes received */
	bool dead;
	/*
	 * The IPsec history of the fragments (ESP or AH before the
	 * Fragment header): the datagram keeps it only when every
	 * fragment had the same, else it counts as unprotected.
	 */
	bool sec_set;
	u8 nsec;
	struct kame_ip6sec sec[KAME_IP6SEC_MAX];
	struct timer_list timer;
};

/* Per fragment, in skb->cb. */
struct kame_frag6cb {
	u32 off;		/* offset in the fragmentable part */
	u32 len;		/* fragment data length */
	u32 hdroff;		/* offset of the fragment header */
	u32 nhoff;		/* offset of the next-header byte naming it */
};

#define FRAG6_CB(skb) ((struct kame_frag6cb *)(skb)->cb)

/*
 * The bucket of (src, dst, id), all three chosen by the sender: a keyed
 * hash, so that nobody can line up every queue in one chain.
 */
static struct hlist_head *frag_bucket(struct kame_net *kn,
				      const struct in6_addr *src,
				      const struct in6_addr *dst, __be32 id)
{
	struct {
		struct in6_addr src, dst;
		__be32 id;
	} __packed k = { *src, *dst, id };
	u64 h = siphash(&k, sizeof(k), &kn->frag_hash_key);

	return &kn->frag_hash[h & (KAME_FRAG_HASH_SIZE - 1)];
}

/* Unhash and count; caller frees (unless it is the timer, see below). */
static void frag_unlink(struct kame_net *kn, struct kame_frag6q *q)
{
	hlist_del(&q->node);
	q->dead = true;
	kn->frag_nq--;
	kn->frag_nfrags -= skb_queue_len(&q->frags);
}

static void frag_free(struct kame_frag6q *q)
{
	skb_queue_purge(&q->frags);
	kfree(q);
}

static void kame_frag6_timer(struct timer_list *t)
{
	struct kame_frag6q *q = from_timer(q, t, timer);
	struct kame_net *kn = q->kif->kn;
	struct sk_buff *first = NULL;

	spin_lock_bh(&kn->frag_lock);
	if (q->dead) {
		spin_unlock_bh(&kn->frag_lock);
		return;
	}
	frag_unlink(kn, q);
	kame_ip6stat_inc(kn, KAME_IP6S_FRAGTIMEOUT);
	if (!skb_queue_empty(&q->frags) &&
	    FRAG6_CB(skb_peek(&q->frags))->off == 0)
		first = __skb_dequeue(&q->frags);
	spin_unlock_bh(&kn->frag_lock);

	/* RFC 8200 4.5: Time Exceeded, code 1, quoting the first fragment */
	if (first)
		kame_icmp6_error(q->kif, first, ICMPV6_TIME_EXCEED,
				 ICMPV6_EXC_FRAGTIME, 0);
	frag_free(q);
}

/*
 * The queue of (src, dst, id), or a new one when there is room for it
 * (maxfragpackets). The caller has checked maxfrags first, so that a
 * fragment refused for that limit leaves no empty queue behind; a new
 * queue takes at least one fragment (maxfragsperpacket >= 1).
 */
static struct kame_frag6q *frag_find(struct kame_net *kn, struct kame_if *kif,
				     const struct in6_addr *src,
				     const struct in6_addr *dst, __be32 id)
{
	struct hlist_head *b = frag_bucket(kn, src, dst, id);
	struct kame_frag6q *q;

	hlist_for_each_entry(q, b, node)
		if (q->id == id && ipv6_addr_equal(&q->src, src) &&
		    ipv6_addr_equal(&q->dst, dst))
			return q;
	if (kn->frag_nq >= READ_ONCE(kn->maxfragpackets))
		return NULL;
	q = kzalloc(sizeof(*q), GFP_ATOMIC);
	if (!q)
		return NULL;
	q->kif = kif;
	q->src = *src;
	q->dst = *dst;
	q->id = id;
	skb_queue_head_init(&q->frags);
	timer_setup(&q->timer, kame_frag6_timer, 0);
	mod_timer(&q->timer, jiffies + READ_ONCE(kn->fragttl) * HZ);
	hlist_add_head(&q->node, b);
	kn->frag_nq++;
	return q;
}

/* Insert in offset order; false on overlap with a neighbour (RFC 5722). */
static bool frag_insert(struct kame_frag6q *q, struct sk_buff *skb)
{
	struct kame_frag6cb *cb = FRAG6_CB(skb);
	struct sk_buff *next;

	skb_queue_walk(&q->frags, next) {
		if (FRAG6_CB(next)->off >= cb->off)
			break;
	}
	if (next != (struct sk_buff *)&q->frags) {
		if (cb->off + cb->len > FRAG6_CB(next)->off)
			return false;
	}
	if (next->prev != (struct sk_buff *)&q->frags) {
		struct kame_frag6cb *p = FRAG6_CB(next->prev);

		if (p->off + p->len > cb->off)
			return false;
	}
	__skb_queue_before(&q->frags, next, skb);
	q->have += cb->len;
	return true;
}

/* The end of the data queued in q: its last fragment's, as none overlap. */
static u32 frag_queued_end(struct kame_frag6q *q)
{
	const struct sk_buff *last = skb_peek_tail(&q->frags);

	return last ? FRAG6_CB(last)->off + FRAG6_CB(last)->len : 0;
}

/*
 * Whether the fragment (off, len, more) fits what q knows of the
 * datagram's end: within it when the end is known; and a last fragment
 * neither contradicts an earlier one nor ends before queued data. A
 * fragment that is not the last carries data.
 */
static bool frag_end_ok(struct kame_frag6q *q, u32 off, u32 len, bool more)
{
	if (more && !len)
		return false;
	if (q->total)
		return more && off + len <= q->total;
	return more || frag_queued_end(q) <= off + len;
}

/*
 * Complete: the end is known and the fragments cover [0, total) with
 * neither gap nor excess. Bounded by maxfragsperpacket.
 */
static bool frag_complete(struct kame_frag6q *q)
{
	const struct sk_buff *f;
	u32 next = 0;

	if (!q->total || q->have != q->total)
		return false;
	skb_queue_walk(&q->frags, f) {
		if (FRAG6_CB(f)->off != next)
			return false;
		next += FRAG6_CB(f)->len;
	}
	return next == q->total;
}

/* Keep the IPsec history common to all fragments of q (see there). */
static void frag_note_sec(struct kame_frag6q *q, const struct kame_ip6ctx *c)
{
	int i;

	if (!q->sec_set) {
		q->sec_set = true;
		q->nsec = c->nsec;
		memcpy(q->sec, c->sec, sizeof(q->sec));
		return;
	}
	if (q->nsec != c->nsec)
		q->nsec = 0;
	for (i = 0; i < q->nsec; i++)
		if (q->sec[i].proto != c->sec[i].proto ||
		    q->sec[i].mode != c->sec[i].mode ||
		    q->sec[i].reqid != c->sec[i].reqid)
			q->nsec = 0;
}

/* Build the datagram from the complete queue q (unhashed by the caller). */
static struct sk_buff *frag_reassemble(struct kame_frag6q *q, u8 *nxt,
				       struct kame_ip6ctx *c)
{
	struct sk_buff *first = skb_peek(&q->frags), *f, *skb;
	unsigned int unfrag = FRAG6_CB(first)->hdroff;
	struct net_device *dev = q->kif->dev;
	u8 *d;

	if (unfrag - sizeof(struct ipv6hdr) + q->total > IPV6_MAXPLEN)
		return NULL;
	skb = alloc_skb(LL_RESERVED_SPACE(dev) + unfrag + q->total, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));
	d = skb_put(skb, unfrag + q->total);
	if (skb_copy_bits(first, 0, d, unfrag))
		goto fail;
	*nxt = first->data[unfrag];	/* the fragment header's next header */
	d[FRAG6_CB(first)->nhoff] = *nxt;
	skb_queue_walk(&q->frags, f) {
		struct kame_frag6cb *cb = FRAG6_CB(f);

		if (cb->off + cb->len > q->total)	/* frag_complete() */
			goto fail;
		if (skb_copy_bits(f, cb->hdroff + sizeof(struct frag_hdr),
				  d + unfrag + cb->off, cb->len))
			goto fail;
	}
	skb_reset_network_header(skb);
	ipv6_hdr(skb)->payload_len = htons(unfrag - sizeof(struct ipv6hdr) +
					   q->total);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	skb->pkt_type = first->pkt_type;
	c->nhoff = FRAG6_CB(first)->nhoff;
	c->off = unfrag;
	c->nsec = q->nsec;
	memcpy(c->sec, q->sec, sizeof(c->sec));
	return skb;
fail:
	kfree_skb(skb);
	return NULL;
}

/*
 * RFC 7112: the first fragment holds the whole header chain, from the
 * header after the Fragment header at off (named by nxt) up to and
 * including the upper-layer header (its first 8 bytes; 20 for TCP). A
 * chain ends at No Next Header, at ESP, and at a nested Fragment header
 * of a fragment that is not the first (what follows it is data). Every
 * header is 8 bytes or more: the walk ends within the fragment's length.
 */
static bool frag6_chain_complete(const struct sk_buff *skb, unsigned int off,
				 u8 nxt)
{
	u8 b[4];

	for (;;) {
		switch (nxt) {
		case NEXTHDR_NONE:
		case NEXTHDR_ESP:
			return true;
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
		case NEXTHDR_ROUTING:
		case NEXTHDR_FRAGMENT:
		case NEXTHDR_AUTH:
			if (skb_copy_bits(skb, off, b, sizeof(b)))
				return false;
			if (nxt == NEXTHDR_FRAGMENT && (get_unaligned_be16(b + 2) & ~7))
				return true;
			if (nxt == NEXTHDR_FRAGMENT)
				off += sizeof(struct frag_hdr);
			else if (nxt == NEXTHDR_AUTH)
				off += (b[1] + 2) * 4;
			else
				off += (b[1] + 1) * 8;
			nxt = b[0];
			break;
		case IPPROTO_TCP:
			return off + 20 <= skb->len;
		default:
			return off + 8 <= skb->len;
		}
	}
}

static int frag6_param_prob(struct kame_if *kif, struct sk_buff *skb,
			    unsigned int ptr)
{
	kame_ip6stat_inc(kif->kn, KAME_IP6S_BADFRAGS);
	kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD, ptr);
	return -1;
}

/* KAME's frag6_input(). Returns 0 with the whole datagram in *skbp. */
int kame_frag6_input(struct kame_if *kif, struct sk_buff **skbp,
		     struct kame_ip6ctx *c)
{
	struct kame_net *kn = kif->kn;
	struct sk_buff *skb = *skbp, *whole = NULL;
	struct in6_addr src, dst;
	struct kame_frag6cb *cb;
	struct kame_frag6q *q;
	const struct frag_hdr *fh;
	u16 offm;
	u8 nxt;

	if (!pskb_may_pull(skb, c->off + sizeof(*fh))) {
		kame_ip6stat_inc(kn, KAME_IP6S_TOOSHORT);
		kfree_skb(skb);
		return -1;
	}
	if (c->jumbo)	/* RFC 2675 3: no fragment header in a jumbogram */
		return frag6_param_prob(kif, skb, c->off);
	fh = (const struct frag_hdr *)(skb->data + c->off);
	offm = ntohs(fh->frag_off);
	cb = FRAG6_CB(skb);
	cb->off = offm & ~7;
	cb->len = skb->len - c->off - sizeof(*fh);
	cb->hdroff = c->off;
	cb->nhoff = c->nhoff;

	if (!(offm & ~6)) {		/* atomic fragment (RFC 6946) */
		kame_ip6stat_inc(kn, KAME_IP6S_ATOMICFRAGS);
		c->nhoff = c->off;
		c->nxt = fh->nexthdr;
		c->off += sizeof(*fh);
		return 0;
	}
	if ((offm & IP6_MF) && (cb->len & 7))
		return frag6_param_prob(kif, skb,
					offsetof(struct ipv6hdr, payload_len));
	if (!cb->off &&
	    !frag6_chain_complete(skb, c->off + sizeof(*fh), fh->nexthdr)) {
		/* RFC 7112 5: drop it, Parameter Problem code 3, pointer 0 */
		kame_ip6stat_inc(kn, KAME_IP6S_BADFRAGS);
		kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB, ICMPV6_HDR_INCOMP,
				 0);
		return -1;
	}
	/* the datagram would be longer than 65535: point at the offset */
	if (c->off - sizeof(struct ipv6hdr) + cb->off + cb->len > IPV6_MAXPLEN)
		return frag6_param_prob(kif, skb, c->off + 2);

	kame_ip6stat_inc(kn, KAME_IP6S_FRAGMENTS);
	/*
	 * A queued fragment may wait fragttl seconds: it no longer counts
	 * against the socket that sent it (a local or a veth peer's sender
	 * would stall on its send buffer until the queue times out).
	 */
	skb_orphan(skb);
	src = ipv6_hdr(skb)->saddr;
	dst = ipv6_hdr(skb)->daddr;
	kame_in6_setscope(&src, kif->dev->ifindex);
	kame_in6_setscope(&dst, kif->dev->ifindex);

	spin_lock_bh(&kn->frag_lock);
	q = NULL;
	if (kn->frag_nfrags < READ_ONCE(kn->maxfrags))
		q = frag_find(kn, kif, &src, &dst, fh->identification);
	if (!q ||
	    skb_queue_len(&q->frags) >= READ_ONCE(kn->maxfragsperpacket)) {
		spin_unlock_bh(&kn->frag_lock);
		kame_ip6stat_inc(kn, KAME_IP6S_FRAGOVERFLOW);
		kfree_skb(skb);
		return -1;
	}
	if (!frag_end_ok(q, cb->off, cb->len, offm & IP6_MF) ||
	    !frag_insert(q, skb)) {
		/* overlap or inconsistent end: drop it all (RFC 5722) */
		frag_unlink(kn, q);
		spin_unlock_bh(&kn->frag_lock);
		kame_ip6stat_inc(kn, KAME_IP6S_FRAGDROPPED);
		del_timer_sync(&q->timer);
		frag_free(q);
		kfree_skb(skb);
		return -1;
	}
	kn->frag_nfrags++;
	frag_note_sec(q, c);
	if (!(offm & IP6_MF))
		q->total = cb->off + cb->len;
	if (!frag_complete(q)) {
		spin_unlock_bh(&kn->frag_lock);
		return -1;	/* queued */
	}
	frag_unlink(kn, q);
	spin_unlock_bh(&kn->frag_lock);

	del_timer_sync(&q->timer);
	whole = frag_reassemble(q, &nxt, c);
	frag_free(q);
	if (!whole) {
		kame_ip6stat_inc(kn, KAME_IP6S_FRAGDROPPED);
		return -1;
	}
	kame_ip6stat_inc(kn, KAME_IP6S_REASSEMBLED);
	c->nxt = nxt;
	*skbp = whole;
	return 0;
}

/* Drop the queues of kif (detach) or of every interface (kif NULL). */
void kame_frag6_purge(struct kame_net *kn, struct kame_if *kif)
{
	struct kame_frag6q *q;
	struct hlist_node *tmp;
	HLIST_HEAD(dead);
	unsigned int i;

	spin_lock_bh(&kn->frag_lock);
	for (i = 0; i < KAME_FRAG_HASH_SIZE; i++)
		hlist_for_each_entry_safe(q, tmp, &kn->frag_hash[i], node)
			if (!kif || q->kif == kif) {
				frag_unlink(kn, q);
				hlist_add_head(&q->node, &dead);
			}
	spin_unlock_bh(&kn->frag_lock);
	hlist_for_each_entry_safe(q, tmp, &dead, node) {
		del_timer_sync(&q->timer);
		frag_free(q);
	}
}

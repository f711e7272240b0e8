// SPDX-License-Identifier: GPL-2.0
/*
 * kbench_rt: the route lookup microbenchmark of `make bench`, a helper
 * module that is not part of the stack. It times one route lookup at a
 * time, in the kernel, in the network namespace of the process that asks:
 *
 *   KAME:   kame_rt_lookup(), all the KAME output path does to route a
 *           packet (the longest-prefix match in its trie);
 *   native: ip6_route_output_flags() and dst_release(), what Linux's
 *           output does for a socket without a cached route (fib6 rules,
 *           the fib6 tree walk, the per-CPU copy of the route).
 *
 * This module may call Linux's IPv6 routing to time it; the stack never
 * does.
 *
 *   /proc/kbench_rt/dsts  write: destinations, 16 bytes each, appended
 *                         (a write at offset 0 starts a new list)
 *   /proc/kbench_rt/run   read: both stacks look every destination up, in
 *                         an order drawn for this read; two lines, native
 *                         then KAME: "P50 P99" ns per lookup, the cost of
 *                         reading the clock taken off
 *
 * A read fails with ENOENT when a lookup found no route (the table was
 * not filled as the caller believes), ENODATA without destinations.
 */
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/proc_fs.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <net/ip6_route.h>
#include <net/netns/generic.h>

#define MAX_DSTS	(1 << 20)
#define CHUNK		256	/* lookups per RCU read-side section */

#include "kbench_rt.h"

static DEFINE_MUTEX(kbr_lock);
static struct in6_addr *kbr_dst;	/* MAX_DSTS of them */
static u32 kbr_n;
static u64 *kbr_ns;			/* one sample per destination */

enum { KBR_NATIVE, KBR_KAME, KBR_EMPTY };

static bool kbr_one(int stack, struct net *net, const struct in6_addr *a)
{
	struct dst_entry *d;
	struct flowi6 fl6;
	bool ok;

	switch (stack) {
	case KBR_KAME:
		return kame_rt_lookup(net_generic(net, kame_net_id), a, NULL);
	case KBR_NATIVE:
		memset(&fl6, 0, sizeof(fl6));
		fl6.daddr = *a;
		d = ip6_route_output_flags(net, NULL, &fl6, 0);
		ok = !d->error;
		dst_release(d);
		return ok;
	}
	barrier();
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Time every lookup of stack; the median and the 99th percentile. */
static int kbr_time(int stack, struct net *net, u64 *p50, u64 *p99)
{
	u32 i, j, misses = 0;
	u64 t;

	for (i = 0; i < kbr_n; i += CHUNK) {
		rcu_read_lock();
		for (j = i; j < kbr_n && j < i + CHUNK; j++) {
			t = ktime_get_ns();
			if (!kbr_one(stack, net, &kbr_dst[j]))
				misses++;
			kbr_ns[j] = ktime_get_ns() - t;
		}
		rcu_read_unlock();
		cond_resched();
	}
	sort(kbr_ns, kbr_n, sizeof(*kbr_ns), cmp_u64, NULL);
	*p50 = kbr_ns[kbr_n / 2];
	*p99 = kbr_ns[(u64)kbr_n * 99 / 100];
	return misses ? -ENOENT : 0;
}

static int kbr_run_show(struct seq_file *m, void *v)
{
	struct net *net = current->nsproxy->net_ns;
	u64 p50[3], p99[3], o50, o99;
	int first, err;

	mutex_lock(&kbr_lock);
	err = -ENODATA;
	if (!kbr_n)
		goto out;
	/* the clock's own cost, then the stacks in a random order */
	err = kbr_time(KBR_EMPTY, net, &o50, &o99);
	first = get_random_u32() & 1;
	err = err ?: kbr_time(first, net, &p50[first], &p99[first]);
	err = err ?: kbr_time(!first, net, &p50[!first], &p99[!first]);
	if (err)
		goto out;
	for (first = KBR_NATIVE; first <= KBR_KAME; first++)
		seq_printf(m, "%llu %llu\n",
			   p50[first] > o50 ? p50[first] - o50 : 0,
			   p99[first] > o50 ? p99[first] - o50 : 0);
out:
	mutex_unlock(&kbr_lock);
	return err;
}

static int kbr_run_open(struct inode *inode, struct file *file)
{
	return single_open(file, kbr_run_show, NULL);
}

static ssize_t kbr_dsts_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *pos)
{
	size_t off;

	mutex_lock(&kbr_lock);
	if (*pos == 0)
		kbr_n = 0;
	/* the bytes are kept at their offset: writes may split an address */
	off = *pos;
	if (off + len > (size_t)MAX_DSTS * sizeof(*kbr_dst)) {
		mutex_unlock(&kbr_lock);
		return -ENOSPC;
	}
	if (copy_from_user((u8 *)kbr_dst + off, buf, len)) {
		mutex_unlock(&kbr_lock);
		return -EFAULT;
	}
	*pos = off + len;
	kbr_n = *pos / sizeof(*kbr_dst);
	mutex_unlock(&kbr_lock);
	return len;
}

static const struct proc_ops kbr_run_ops = {
	.proc_open = kbr_run_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static const struct proc_ops kbr_dsts_ops = {
	.proc_write = kbr_dsts_write,
};

static struct proc_dir_entry *kbr_dir;

static int __init kbr_init(void)
{
	kbr_dst = vmalloc(array_size(MAX_DSTS, sizeof(*kbr_dst)));
	kbr_ns = vmalloc(array_size(MAX_DSTS, sizeof(*kbr_ns)));
	kbr_dir = proc_mkdir("kbench_rt", NULL);
	if (!kbr_dst || !kbr_ns || !kbr_dir ||
	    !proc_create("run", 0400, kbr_dir, &kbr_run_ops) ||
	    !proc_create("dsts", 0200, kbr_dir, &kbr_dsts_ops)) {
		proc_remove(kbr_dir);
		vfree(kbr_ns);
		vfree(kbr_dst);
		return -ENOMEM;
	}
	return 0;
}

static void __exit kbr_exit(void)
{
	proc_remove(kbr_dir);
	vfree(kbr_ns);
	vfree(kbr_dst);
}

module_init(kbr_init);
module_exit(kbr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KAME for Linux: route lookup microbenchmark (not the stack)");

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * link_fuzz: the parts shared by the tests and checks (link_fuzz.c) and
 * the building of the random requests (link_fuzz_gen.c).
 */
#ifndef LINK_FUZZ_H
#define LINK_FUZZ_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define MSG_MAX		4096
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the kinds ---- */

enum kind { K_GIF, K_STF, K_DUMMY, K_UNKNOWN, K_NONE };

extern const char *const kind_names[K_NONE + 1];

/* ---- requests ---- */

struct msg {
	uint8_t buf[MSG_MAX];
	size_t len;		/* bytes sent */
	uint16_t type;		/* RTM_* */
	uint16_t flags;
	int dump;
	int kind;		/* enum kind of IFLA_INFO_KIND */
	int clean;		/* all but IFLA_INFO_DATA well-formed */
	int noop;		/* no payload: rtnetlink acks it, does nothing */
	int ifindex;		/* ifi_index; else name[] (or neither) */
	char name[IFNAMSIZ];
	int has_mtu, has_up;
	uint32_t mtu;
	size_t data_off;	/* IFLA_INFO_DATA's payload, 0 if none */
	size_t data_len;
	unsigned int nattr;
	uint16_t types[32], alen[32];
};

void nla_put(struct msg *m, uint16_t type, const void *v, size_t n);
struct nlattr *nest_start(struct msg *m, uint16_t type);
void nest_end(struct msg *m, struct nlattr *h);

/* Request number i of the stream of seed, into m. */
void gen_msg(uint64_t seed, uint64_t i, struct msg *m);

#endif /* LINK_FUZZ_H */

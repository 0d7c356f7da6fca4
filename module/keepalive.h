/*
 * Copyright (c) 2026 The openssh-keepalive authors.
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * Liveness of the peer for ssh and sshd: a deadline engine.
 *
 * With interval I > 0 s and count C > 0, probes are due at heard + k*I
 * for k = 1..C and the peer is given up at heard + (C+1)*I, where heard is
 * the last time anything arrived from the peer.  Nothing the local side
 * does moves these deadlines.  A host that could not act on time (suspend,
 * a blocking write) sends an overdue probe at once and the next one no
 * sooner than I later, so the peer always has I to answer the last probe.
 *
 * When both sides probe, one probe exchange per interval is enough: ssh
 * tells the engine at the start and whenever a probe of the server arrives
 * (keepalive_yield()).  From then on, until ssh sends a probe itself, its
 * first probe after each message from the server waits half its interval
 * longer (KEEPALIVE_YIELD_MS()).  The rule: a server probing every Is
 * probes first and ssh (every Ic) only answers whenever Is plus the round
 * trip plus the server's lateness in waking up stays below 1.5 * Ic; with
 * equal intervals, whenever the round trip and the lateness together stay
 * below I/2.  Meanwhile an idle connection carries a packet at least every
 * 1.5 * Ic.  Only that first probe moves: the later ones and the give-up
 * keep their times (heard + k*Ic, heard + (C+1)*Ic), and with the server
 * gone ssh probes again on its own schedule.
 *
 * The caller owns the struct, tells it the time (keepalive_now(), in ms)
 * and what arrived, and asks how long it may sleep and what to do now.
 * No I/O, no allocation, no global state.
 */

#ifndef KEEPALIVE_H
#define KEEPALIVE_H

#include <stddef.h>

#define KEEPALIVE_VERSION	"1.1"

/* How much later ssh's first probe comes while the server probes (ms). */
#define KEEPALIVE_YIELD_MS(interval_ms)	((interval_ms) / 2)

/* A time that never comes (ms, about 146 million years). */
#define KEEPALIVE_NEVER		0x3fffffffffffffffLL

/* What keepalive_check() asks the host to do. */
#define KEEPALIVE_NONE		0	/* nothing is due */
#define KEEPALIVE_PROBE		1	/* send one probe now */
#define KEEPALIVE_GIVEUP	2	/* the peer is dead: give up on it */

/* Meaning of a count of 0 (or less), which differs between releases. */
#define KEEPALIVE_ZERO_GIVEUP	0	/* give up after one silent interval */
#define KEEPALIVE_ZERO_PROBE	1	/* probe every interval, never give up */

/* Which side a keyword is read for. */
#define KEEPALIVE_SSHD		0	/* sshd_config: ClientAlive* */
#define KEEPALIVE_SSH		1	/* ssh_config: ServerAlive* */

/* Parser results. */
#define KEEPALIVE_PARSE_ERR	(-1)	/* rejected; msg says why */
#define KEEPALIVE_PARSE_OK	0	/* accepted */
#define KEEPALIVE_PARSE_WARN	1	/* accepted as the release did; msg warns */

/* Parser flags: the forms a release accepted, kept valid with their meaning. */
#define KEEPALIVE_PF_NONE	0x01	/* interval "none": unset (value -1) */
#define KEEPALIVE_PF_CLAMP	0x02	/* interval past INT_MAX: clamp, warn */
#define KEEPALIVE_PF_ATOI	0x04	/* count as atoi(): sign, trailing text */
#define KEEPALIVE_PF_STRTOL	0x08	/* count as strtol(s, &e, 0): 010 is 8 */
#define KEEPALIVE_PF_DIGITS	0x10	/* interval: digits only, no sign or space */
#define KEEPALIVE_PF_DECIMAL	0x20	/* interval: decimals too, 1.5 is 1 s */

#define KEEPALIVE_MSGLEN	256	/* enough for any message below */

struct keepalive {
	long long	interval;	/* ms between probes; 0: off */
	int		count;		/* probes before giving up */
	int		zero;		/* meaning of count <= 0 */
	int		sent;		/* probes sent since the peer was heard */
	long long	heard;		/* when the peer was last heard */
	long long	probe_at;	/* next probe due, or KEEPALIVE_NEVER */
	long long	giveup_at;	/* give up then, or KEEPALIVE_NEVER */
	long long	seen;		/* latest time given, to undo clock steps */
	long long	yield;		/* ms to put the first probe off by */
	long long	yielded;	/* ms the next probe was put off by */
};

long long	keepalive_now(void);
const char	*keepalive_clock(void);

void	keepalive_init(struct keepalive *ka, int interval, int count, int zero,
	    long long now);
void	keepalive_heard(struct keepalive *ka, long long now);
void	keepalive_yield(struct keepalive *ka, long long now);
int	keepalive_check(struct keepalive *ka, long long now);
int	keepalive_wait_ms(struct keepalive *ka, long long now);

const char *keepalive_describe(const struct keepalive *ka, char *buf,
	    size_t len);
const char *keepalive_giveup_reason(const struct keepalive *ka,
	    long long now, char *buf, size_t len);

int	keepalive_parse_interval(const char *file, int line,
	    const char *keyword, const char *value, int flags, int *secs,
	    char *msg, size_t msglen);
int	keepalive_parse_count(const char *file, int line,
	    const char *keyword, const char *value, int flags, int *count,
	    char *msg, size_t msglen);
int	keepalive_parse_option(const char *file, int line,
	    const char *keyword, const char *value, int flags, int *result,
	    char *msg, size_t msglen);
const char *keepalive_hint(const char *keyword, int side);

#endif /* KEEPALIVE_H */

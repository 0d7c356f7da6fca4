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

/* clock_gettime() is POSIX, not C89: ask for it where strict C hides it. */
#if defined(__STRICT_ANSI__) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 199309L
#endif

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keepalive.h"

#define MS_PER_SEC	1000LL

/* Bounded string building: no snprintf in C89. */
struct kbuf {
	char	*p;
	size_t	 len;
	size_t	 off;
};

static void
kb_init(struct kbuf *kb, char *p, size_t len)
{
	kb->p = p;
	kb->len = len;
	kb->off = 0;
	if (len > 0)
		p[0] = '\0';
}

static void
kb_str(struct kbuf *kb, const char *s)
{
	if (kb->len == 0)
		return;
	for (; *s != '\0' && kb->off + 1 < kb->len; s++)
		kb->p[kb->off++] = *s;
	kb->p[kb->off] = '\0';
}

static void
kb_num(struct kbuf *kb, long long n)
{
	char digits[24];
	int i = sizeof(digits) - 1;
	unsigned long long u;

	u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	digits[i] = '\0';
	do {
		digits[--i] = '0' + (char)(u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		digits[--i] = '-';
	kb_str(kb, digits + i);
}

/* Seconds with one decimal, e.g. "6.0". */
static void
kb_secs(struct kbuf *kb, long long ms)
{
	kb_num(kb, ms / MS_PER_SEC);
	kb_str(kb, ".");
	kb_num(kb, (ms % MS_PER_SEC) / 100);
}

/* Quote a value for a message, shortened so the message stays short. */
static void
kb_quoted(struct kbuf *kb, const char *s)
{
	char part[41];
	size_t i;

	for (i = 0; s[i] != '\0' && i < sizeof(part) - 1; i++)
		part[i] = (s[i] >= ' ' && s[i] <= '~') ? s[i] : '?';
	part[i] = '\0';
	kb_str(kb, "\"");
	kb_str(kb, part);
	kb_str(kb, s[i] != '\0' ? "...\"" : "\"");
}

/* "file line N: Keyword: " as OpenSSH starts its configuration errors. */
static void
kb_where(struct kbuf *kb, const char *file, int line, const char *keyword)
{
	kb_str(kb, file != NULL ? file : "(config)");
	kb_str(kb, " line ");
	kb_num(kb, line);
	kb_str(kb, ": ");
	kb_str(kb, keyword != NULL ? keyword : "(keyword)");
	kb_str(kb, ": ");
}

/* t + n * step, saturating at KEEPALIVE_NEVER; n >= 0, step > 0. */
static long long
add(long long t, long long n, long long step)
{
	if (n > (KEEPALIVE_NEVER - 1 - t) / step)
		return KEEPALIVE_NEVER;
	return t + n * step;
}

/* clock_gettime() of the first clock that works; 0 when none does. */
static int
steady(long long *ms, const char **name)
{
#if defined(CLOCK_BOOTTIME) || defined(CLOCK_MONOTONIC)
	struct timespec ts;

#ifdef CLOCK_BOOTTIME
	if (clock_gettime(CLOCK_BOOTTIME, &ts) == 0) {
		*ms = (long long)ts.tv_sec * MS_PER_SEC + ts.tv_nsec / 1000000;
		*name = "CLOCK_BOOTTIME";
		return 1;
	}
#endif
#ifdef CLOCK_MONOTONIC
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) {
		*ms = (long long)ts.tv_sec * MS_PER_SEC + ts.tv_nsec / 1000000;
		*name = "CLOCK_MONOTONIC";
		return 1;
	}
#endif
#endif
	*ms = 0;
	*name = "the wall clock";
	return 0;
}

/*
 * Time in ms that counts while suspended where the system can
 * (CLOCK_BOOTTIME), else monotonic time, else, as OpenSSH's own
 * monotime() does, the wall clock, whose backward steps the engine undoes
 * and whose forward steps bring the deadlines nearer: keepalive_clock()
 * says which, for the line that describes the keepalive.
 */
long long
keepalive_now(void)
{
	const char *name;
	long long ms;

	if (steady(&ms, &name))
		return ms;
	return (long long)time(NULL) * MS_PER_SEC;
}

/* The clock keepalive_now() reads: "CLOCK_BOOTTIME", ... */
const char *
keepalive_clock(void)
{
	const char *name;
	long long ms;

	(void)steady(&ms, &name);
	return name;
}

/*
 * Keep the marks relative to a clock that stepped backwards: time never
 * runs back for the engine, so nothing is declared early.
 */
static void
rebase(struct keepalive *ka, long long now)
{
	long long back;

	if (now >= ka->seen) {
		ka->seen = now;
		return;
	}
	back = ka->seen - now;
	ka->seen = now;
	ka->heard -= back;
	if (ka->probe_at != KEEPALIVE_NEVER)
		ka->probe_at -= back;
	if (ka->giveup_at != KEEPALIVE_NEVER)
		ka->giveup_at -= back;
}

void
keepalive_init(struct keepalive *ka, int interval, int count, int zero,
    long long now)
{
	ka->interval = interval > 0 ? interval * MS_PER_SEC : 0;
	ka->count = count;
	ka->zero = zero;
	ka->seen = now;
	ka->yield = 0;
	keepalive_heard(ka, now);
}

/* Anything arrived from the peer: it is alive, the count starts again. */
void
keepalive_heard(struct keepalive *ka, long long now)
{
	rebase(ka, now);
	ka->heard = now;
	ka->sent = 0;
	ka->yielded = 0;
	ka->probe_at = ka->giveup_at = KEEPALIVE_NEVER;
	if (ka->interval == 0)
		return;
	if (ka->count > 0 || ka->zero == KEEPALIVE_ZERO_PROBE) {
		ka->yielded = ka->yield;
		ka->probe_at = add(now, 1, ka->interval + ka->yielded);
	} else
		ka->giveup_at = add(now, 1, ka->interval);
}

/*
 * A probe of the peer arrived: it watches the connection on its own
 * schedule.  Until we probe ourselves, our first probe after each message
 * of the peer waits half an interval longer, so that a peer probing at
 * the same interval or a shorter one probes first even across a round
 * trip or a late wakeup of up to I/2 together; for the probes after it it
 * counts as on time.
 */
void
keepalive_yield(struct keepalive *ka, long long now)
{
	rebase(ka, now);
	if (ka->interval == 0)
		return;
	ka->yield = KEEPALIVE_YIELD_MS(ka->interval);
	if (ka->sent > 0 || ka->yielded > 0 ||
	    ka->probe_at != add(ka->heard, 1, ka->interval))
		return;
	ka->yielded = ka->yield;
	ka->probe_at = add(ka->heard, 1, ka->interval + ka->yielded);
}

int
keepalive_check(struct keepalive *ka, long long now)
{
	long long next, late;

	rebase(ka, now);
	if (now >= ka->giveup_at)
		return KEEPALIVE_GIVEUP;
	if (now < ka->probe_at)
		return KEEPALIVE_NONE;
	if (ka->sent < INT_MAX)
		ka->sent++;
	/*
	 * On schedule, or if late, no sooner than one interval from now; a
	 * probe put off for the peer's sake is not late by that much.
	 */
	next = add(ka->heard, (long long)ka->sent + 1, ka->interval);
	late = add(now - ka->yielded, 1, ka->interval);
	ka->yield = ka->yielded = 0;
	if (late > next)
		next = late;
	if (ka->count > 0 && ka->sent >= ka->count) {
		ka->probe_at = KEEPALIVE_NEVER;
		ka->giveup_at = next;
	} else
		ka->probe_at = next;
	return KEEPALIVE_PROBE;
}

/* How long the host may sleep: ms until the next deadline, -1 for ever. */
int
keepalive_wait_ms(struct keepalive *ka, long long now)
{
	long long next;

	rebase(ka, now);
	next = ka->probe_at < ka->giveup_at ? ka->probe_at : ka->giveup_at;
	if (next == KEEPALIVE_NEVER)
		return -1;
	if (next <= now)
		return 0;
	if (next - now > INT_MAX)
		return INT_MAX;
	return (int)(next - now);
}

/* One line for a debug message at session start. */
const char *
keepalive_describe(const struct keepalive *ka, char *buf, size_t len)
{
	struct kbuf kb;
	const char *clock;
	long long secs;

	kb_init(&kb, buf, len);
	kb_str(&kb, "keepalive " KEEPALIVE_VERSION ": ");
	if (ka->interval == 0) {
		kb_str(&kb, "off");
		return buf;
	}
	/* Say it when the deadlines follow the wall clock. */
	if (!steady(&secs, &clock)) {
		kb_str(&kb, "no monotonic clock, deadlines on ");
		kb_str(&kb, clock);
		kb_str(&kb, ": ");
	}
	secs = ka->interval / MS_PER_SEC;
	if (ka->count > 0) {
		kb_str(&kb, "a probe after each ");
		kb_num(&kb, secs);
		kb_str(&kb, " s of silence, at most ");
		kb_num(&kb, ka->count);
		kb_str(&kb, ", peer given up after ");
		kb_num(&kb, add(0, (long long)ka->count + 1, secs));
		kb_str(&kb, " s of silence");
	} else if (ka->zero == KEEPALIVE_ZERO_PROBE) {
		kb_str(&kb, "a probe after each ");
		kb_num(&kb, secs);
		kb_str(&kb, " s of silence, peer never given up");
	} else {
		kb_str(&kb, "no probe, peer given up after ");
		kb_num(&kb, secs);
		kb_str(&kb, " s of silence");
	}
	return buf;
}

/* Why the peer was given up: for the log line that names the peer. */
const char *
keepalive_giveup_reason(const struct keepalive *ka, long long now, char *buf,
    size_t len)
{
	struct kbuf kb;

	kb_init(&kb, buf, len);
	kb_num(&kb, ka->sent);
	kb_str(&kb, ka->sent == 1 ? " probe" : " probes");
	kb_str(&kb, " unanswered, ");
	kb_secs(&kb, now > ka->heard ? now - ka->heard : 0);
	kb_str(&kb, " s of silence");
	return buf;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The value of c as a digit in base, or -1. */
static int
digit_value(int c, int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? v : -1;
}

/*
 * strtol() without errno or locale: white space, a sign, digits in base
 * (0: C's 0x and 0 prefixes).  Saturates at +-LLONG_MAX, which is at least
 * LONG_MAX.  Returns the number of characters used, 0 if there is none.
 */
static size_t
scan_number(const char *s, int base, long long *val, int *neg)
{
	const char *p = s, *digits;
	long long v = 0, cap = 0x7fffffffffffffffLL;
	int d;

	while (is_space((unsigned char)*p))
		p++;
	*neg = 0;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if (base == 0) {
		base = 10;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
		    digit_value((unsigned char)p[2], 16) >= 0) {
			base = 16;
			p += 2;
		} else if (p[0] == '0')
			base = 8;
	}
	digits = p;
	for (; (d = digit_value((unsigned char)*p, base)) >= 0; p++)
		v = v > (cap - d) / base ? cap : v * base + d;
	if (p == digits)
		return 0;
	*val = *neg ? -v : v;
	return (size_t)(p - s);
}

static int
unit_secs(int c)
{
	switch (c) {
	case 's':
	case 'S':
		return 1;
	case 'm':
	case 'M':
		return 60;
	case 'h':
	case 'H':
		return 60 * 60;
	case 'd':
	case 'D':
		return 24 * 60 * 60;
	case 'w':
	case 'W':
		return 7 * 24 * 60 * 60;
	}
	return 0;
}

/* Does s equal lower, a lower case word, ignoring the case of s? */
static int
same_word(const char *s, const char *lower)
{
	for (; *s != '\0' && *lower != '\0'; s++, lower++) {
		if ((*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s) != *lower)
			return 0;
	}
	return *s == *lower;
}

/*
 * An interval as convtime() reads it from OpenSSH 10.3 (convtime_double()
 * truncated to int), step by step so that every value keeps its meaning:
 * numbers of digits and at most one ".", each followed by a unit (s m h d w,
 * any case) or by nothing (seconds); a decimal only in seconds, ending in a
 * digit; seconds given once; the sum in double, at most INT_MAX.  Returns
 * the seconds, or -1.
 */
static int
decimal_secs(const char *s)
{
	const char *p = s, *start;
	char *end;
	double val, total = 0.0, mult;
	int seen_secs = 0;

	while (*p != '\0') {
		if (!is_digit((unsigned char)*p) && *p != '.')
			return -1;
		errno = 0;
		if ((val = strtod(p, &end)) < 0 || errno != 0 || end == p)
			return -1;
		if (p + strspn(p, "0123456789.") != end)
			return -1;
		start = p;
		p = end;
		if (*p == '\0' || *p == 's' || *p == 'S') {
			if (seen_secs++)
				return -1;
			mult = 1.0;
		} else if ((mult = unit_secs((unsigned char)*p)) == 0)
			return -1;
		if (memchr(start, '.', (size_t)(end - start)) != NULL &&
		    (mult > 1.0 || !is_digit((unsigned char)end[-1])))
			return -1;
		total += val * mult;
		if (*p != '\0')
			p++;
	}
	if (total > INT_MAX)
		return -1;
	return (int)total;
}

/*
 * An interval as OpenSSH's convtime() reads it: "30", "30s", "5m",
 * "1h30m" (units s m h d w, any case, a bare number is seconds), from 0 to
 * INT_MAX seconds.  KEEPALIVE_PF_NONE: "none" gives -1 (ssh_config).
 * KEEPALIVE_PF_CLAMP: releases up to 8.4 computed in long and refused only
 * what reached LONG_MAX, then truncated to int; what they let through is
 * clamped to INT_MAX with a warning, what they refused is refused.
 * KEEPALIVE_PF_DIGITS: each number is digits only, as convtime() reads it
 * from 9.8 (strtonum on the digits); before, strtol() also took leading
 * white space and a sign ("+5").  KEEPALIVE_PF_DECIMAL: as convtime()
 * reads it from 10.3 (decimal_secs()).
 */
int
keepalive_parse_interval(const char *file, int line, const char *keyword,
    const char *value, int flags, int *secs, char *msg, size_t msglen)
{
	struct kbuf kb;
	const char *p = value;
	long long total = 0, n, most = INT_MAX;
	size_t used;
	int neg, unit, over = 0;

	/* What the release could read at all: long, or int from 8.5. */
	if ((flags & KEEPALIVE_PF_CLAMP) && LONG_MAX - 1 < most)
		most = LONG_MAX - 1;
	kb_init(&kb, msg, msglen);
	if (value == NULL || *value == '\0') {
		kb_where(&kb, file, line, keyword);
		kb_str(&kb, "missing time value");
		return KEEPALIVE_PARSE_ERR;
	}
	/* strcmp(), as every release that has it compares. */
	if ((flags & KEEPALIVE_PF_NONE) && strcmp(value, "none") == 0) {
		*secs = -1;
		return KEEPALIVE_PARSE_OK;
	}
	if (flags & KEEPALIVE_PF_DECIMAL) {
		if ((*secs = decimal_secs(value)) < 0)
			goto bad;
		return KEEPALIVE_PARSE_OK;
	}
	while (*p != '\0') {
		if ((flags & KEEPALIVE_PF_DIGITS) && !is_digit((unsigned char)*p))
			goto bad;
		if ((used = scan_number(p, 10, &n, &neg)) == 0 || n < 0)
			goto bad;
		p += used;
		unit = 1;
		if (*p != '\0' && (unit = unit_secs((unsigned char)*p++)) == 0)
			goto bad;
		/*
		 * Refused as the release refused: with PF_CLAMP its long
		 * arithmetic (secs >= LONG_MAX / multiplier, total >= LONG_MAX -
		 * secs, where long may be 32 bits), else its int arithmetic.
		 */
		if ((flags & KEEPALIVE_PF_CLAMP) ?
		    (n >= LONG_MAX / unit || total >= LONG_MAX - n * unit) :
		    (n > INT_MAX / unit || total > INT_MAX - n * unit)) {
			over = 1;
			break;
		}
		total += n * unit;
	}
	if (over) {
		kb_where(&kb, file, line, keyword);
		kb_quoted(&kb, value);
		kb_str(&kb, " is too long: at most ");
		kb_num(&kb, most);
		kb_str(&kb, " s");
		return KEEPALIVE_PARSE_ERR;
	}
	if (total > INT_MAX) {
		/* A long the release truncated to int: clamped, loudly. */
		kb_where(&kb, file, line, keyword);
		kb_quoted(&kb, value);
		kb_str(&kb, " is too long, using 2147483647 s");
		*secs = INT_MAX;
		return KEEPALIVE_PARSE_WARN;
	}
	*secs = (int)total;
	return KEEPALIVE_PARSE_OK;
 bad:
	kb_where(&kb, file, line, keyword);
	kb_str(&kb, "invalid time value ");
	kb_quoted(&kb, value);
	kb_str(&kb, ": expected seconds, or a time such as 30s, 5m, 1h30m");
	return KEEPALIVE_PARSE_ERR;
}

/*
 * A count, from 0 to INT_MAX as OpenSSH 8.x and later read it.  Older
 * releases read counts more loosely and those forms keep their meaning:
 * KEEPALIVE_PF_ATOI (sshd before 8.x, atoi()): a sign, and trailing text
 * ignored with a warning; KEEPALIVE_PF_STRTOL (ssh before 8.x,
 * strtol(s, &e, 0) after a leading digit): 010 is 8, 0x10 is 16, trailing
 * text ignored with a warning.
 */
int
keepalive_parse_count(const char *file, int line, const char *keyword,
    const char *value, int flags, int *count, char *msg, size_t msglen)
{
	struct kbuf kb;
	long long n = 0;
	size_t used;
	int neg, loose = flags & (KEEPALIVE_PF_ATOI | KEEPALIVE_PF_STRTOL);

	kb_init(&kb, msg, msglen);
	if (value == NULL || *value == '\0') {
		kb_where(&kb, file, line, keyword);
		kb_str(&kb, "missing integer value");
		return KEEPALIVE_PARSE_ERR;
	}
	if ((flags & KEEPALIVE_PF_STRTOL) && !is_digit((unsigned char)*value))
		used = 0;
	else
		used = scan_number(value,
		    (flags & KEEPALIVE_PF_STRTOL) ? 0 : 10, &n, &neg);
	if (used == 0 && (flags & KEEPALIVE_PF_ATOI)) {
		/* atoi() made 0 of it, and 0 it stays, loudly. */
		*count = 0;
		kb_where(&kb, file, line, keyword);
		kb_quoted(&kb, value);
		kb_str(&kb, " is not a number, read as 0 as this release does");
		return KEEPALIVE_PARSE_WARN;
	}
	if (used == 0 || (!loose && value[used] != '\0') ||
	    (n < 0 && !(flags & KEEPALIVE_PF_ATOI))) {
		kb_where(&kb, file, line, keyword);
		kb_str(&kb, "invalid count ");
		kb_quoted(&kb, value);
		kb_str(&kb, ": expected a whole number from 0 to 2147483647");
		return KEEPALIVE_PARSE_ERR;
	}
	if (n > INT_MAX || n < -INT_MAX) {
		kb_where(&kb, file, line, keyword);
		kb_quoted(&kb, value);
		if (!loose) {
			kb_str(&kb, " is too large: at most 2147483647");
			return KEEPALIVE_PARSE_ERR;
		}
		kb_str(&kb, " is too large, using ");
		n = n < 0 ? -INT_MAX : INT_MAX;
		kb_num(&kb, n);
		*count = (int)n;
		return KEEPALIVE_PARSE_WARN;
	}
	*count = (int)n;
	if (value[used] != '\0') {
		kb_where(&kb, file, line, keyword);
		kb_quoted(&kb, value);
		kb_str(&kb, " read as ");
		kb_num(&kb, n);
		kb_str(&kb, ", trailing text ignored as this release does");
		return KEEPALIVE_PARSE_WARN;
	}
	return KEEPALIVE_PARSE_OK;
}

/*
 * ClientAliveInterval, ServerAliveInterval, ClientAliveCountMax or
 * ServerAliveCountMax: the keyword says which parser reads the value.
 */
int
keepalive_parse_option(const char *file, int line, const char *keyword,
    const char *value, int flags, int *result, char *msg, size_t msglen)
{
	if (keyword != NULL && (same_word(keyword, "clientalivecountmax") ||
	    same_word(keyword, "serveralivecountmax")))
		return keepalive_parse_count(file, line, keyword, value, flags,
		    result, msg, msglen);
	return keepalive_parse_interval(file, line, keyword, value, flags,
	    result, msg, msglen);
}

/*
 * A hint for a keyword given to the wrong program, to append to the
 * release's "Bad configuration option" error; "" when there is none.
 */
const char *
keepalive_hint(const char *keyword, int side)
{
	static const struct {
		const char	*keyword;
		int		 side;
		const char	*hint;
	} hints[] = {
		{ "serveraliveinterval", KEEPALIVE_SSHD,
		    " (ServerAliveInterval is an ssh_config option; "
		    "sshd uses ClientAliveInterval)" },
		{ "serveralivecountmax", KEEPALIVE_SSHD,
		    " (ServerAliveCountMax is an ssh_config option; "
		    "sshd uses ClientAliveCountMax)" },
		{ "clientaliveinterval", KEEPALIVE_SSH,
		    " (ClientAliveInterval is an sshd_config option; "
		    "ssh uses ServerAliveInterval)" },
		{ "clientalivecountmax", KEEPALIVE_SSH,
		    " (ClientAliveCountMax is an sshd_config option; "
		    "ssh uses ServerAliveCountMax)" },
	};
	size_t i;

	if (keyword == NULL)
		return "";
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		if (hints[i].side == side && same_word(keyword, hints[i].keyword))
			return hints[i].hint;
	}
	return "";
}

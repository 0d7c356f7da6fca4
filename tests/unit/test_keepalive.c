/*
 * Unit tests of module/keepalive.c, driven by an injected clock.
 * Prints one line per case, "ok NAME" or "not ok NAME: why", and exits
 * non-zero if any case failed.  Times are in ms.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keepalive.h"

static int failed;	/* checks failed in the current case */

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
		failed++;						\
	}								\
} while (0)

#define CHECK_LL(got, want) do {					\
	long long g_ = (got), w_ = (want);				\
	if (g_ != w_) {							\
		printf("#   %s:%d: %s is %lld, want %lld\n",		\
		    __FILE__, __LINE__, #got, g_, w_);			\
		failed++;						\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (strcmp(g_, w_) != 0) {					\
		printf("#   %s:%d: %s is \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__, #got, g_, w_);			\
		failed++;						\
	}								\
} while (0)

/*
 * A host event loop, simulated.  The host sleeps as the engine says,
 * wakes early at each time in wake[] (local activity: typing, program
 * output, forwarded traffic) and hears the peer at each time in heard[].
 * A probe is answered after reply ms if reply >= 0, ignored otherwise,
 * and only the first `answers` probes are answered.  late[] holds
 * (from, to) pairs during which the host cannot run (suspend, a blocked
 * write): it runs again at `to`.  Records when probes went out and when
 * the peer was given up, until `end`.
 */
#define MAXEV	64

struct sim {
	int		 interval, count, zero;
	long long	 heard[MAXEV];	/* peer traffic, ascending, -1 ends */
	long long	 wake[MAXEV];	/* local activity, ascending, -1 ends */
	long long	 late[MAXEV];	/* (from, to) pairs, -1 ends */
	long long	 reply;		/* ms until a probe is answered, -1 never */
	int		 answers;	/* how many probes are answered */
	long long	 end;

	long long	 probes[MAXEV];
	int		 nprobes;
	long long	 giveup;	/* -1 if not given up by end */
	int		 wakeups;
};

static long long
next_of(const long long *list, long long after)
{
	int i;

	for (i = 0; i < MAXEV && list[i] >= 0; i++)
		if (list[i] > after)
			return list[i];
	return -1;
}

static long long
min_pos(long long a, long long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

static void
sim_run(struct sim *s)
{
	struct keepalive ka;
	long long now = 0, t, answer = -1, wake;
	int i, w, answered = 0;

	s->nprobes = 0;
	s->giveup = -1;
	s->wakeups = 0;
	keepalive_init(&ka, s->interval, s->count, s->zero, now);
	while (now <= s->end && s->wakeups < 100000) {
		s->wakeups++;
		/* Input first, as the hosts read before they decide. */
		if ((answer >= 0 && answer <= now) ||
		    (next_of(s->heard, now - 1) == now)) {
			keepalive_heard(&ka, now);
			if (answer >= 0 && answer <= now)
				answer = -1;
		}
		switch (keepalive_check(&ka, now)) {
		case KEEPALIVE_GIVEUP:
			s->giveup = now;
			return;
		case KEEPALIVE_PROBE:
			if (s->nprobes < MAXEV)
				s->probes[s->nprobes++] = now;
			if (s->reply >= 0 && answered < s->answers) {
				answered++;
				answer = now + s->reply;
			}
			break;
		}
		/* Sleep until the engine's deadline or an earlier event. */
		w = keepalive_wait_ms(&ka, now);
		wake = w < 0 ? -1 : now + (w == 0 ? 1 : w);
		wake = min_pos(wake, next_of(s->heard, now));
		wake = min_pos(wake, next_of(s->wake, now));
		wake = min_pos(wake, answer > now ? answer : -1);
		if (wake < 0)
			wake = s->end + 1;
		/* The host may not run when it wants to. */
		for (i = 0; i + 1 < MAXEV && s->late[i] >= 0; i += 2) {
			t = s->late[i];
			if (wake >= t && wake < s->late[i + 1])
				wake = s->late[i + 1];
		}
		now = wake;
	}
}

static void
sim_init(struct sim *s, int interval, int count, int zero, long long end)
{
	memset(s, 0, sizeof(*s));
	s->interval = interval;
	s->count = count;
	s->zero = zero;
	s->end = end;
	s->reply = -1;
	s->heard[0] = s->wake[0] = s->late[0] = -1;
}

static void
check_probes(struct sim *s, const long long *want, int n, int line)
{
	int i;

	if (s->nprobes != n) {
		printf("#   line %d: %d probes, want %d:", line, s->nprobes, n);
		for (i = 0; i < s->nprobes; i++)
			printf(" %lld", s->probes[i]);
		printf("\n");
		failed++;
		return;
	}
	for (i = 0; i < n; i++) {
		if (s->probes[i] != want[i]) {
			printf("#   line %d: probe %d at %lld, want %lld\n",
			    line, i + 1, s->probes[i], want[i]);
			failed++;
		}
	}
}

#define PROBES(s, ...) do {						\
	static const long long w_[] = { __VA_ARGS__ };			\
	check_probes((s), w_, (int)(sizeof(w_) / sizeof(w_[0])), __LINE__);\
} while (0)

static void
test_idle_peer(void)
{
	struct sim s;

	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 60000);
	sim_run(&s);
	PROBES(&s, 2000, 4000);
	CHECK_LL(s.giveup, 6000);
}

static void
test_default_count(void)
{
	struct sim s;

	/* The OpenSSH default: CountMax 3, e.g. Interval 15. */
	sim_init(&s, 15, 3, KEEPALIVE_ZERO_GIVEUP, 600000);
	sim_run(&s);
	PROBES(&s, 15000, 30000, 45000);
	CHECK_LL(s.giveup, 60000);
}

static void
test_peer_answers(void)
{
	struct sim s;

	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 10000);
	s.reply = 100;
	s.answers = 1000;
	sim_run(&s);
	PROBES(&s, 2000, 4100, 6200, 8300);
	CHECK_LL(s.giveup, -1);
}

static void
test_peer_answers_some(void)
{
	struct sim s;

	/* Only the first probe is answered: count restarts from there. */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 60000);
	s.reply = 50;
	s.answers = 1;
	sim_run(&s);
	PROBES(&s, 2000, 4050, 6050);
	CHECK_LL(s.giveup, 8050);
}

static void
test_traffic_without_replies(void)
{
	struct sim s;
	int i;

	/* The peer talks every 1.5 s and never answers: no probe needed. */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 60000);
	for (i = 0; i < 20; i++)
		s.heard[i] = 1500LL * (i + 1);
	s.heard[20] = -1;
	sim_run(&s);
	PROBES(&s, 32000, 34000);
	CHECK_LL(s.giveup, 36000);
}

static void
test_peer_stops_talking(void)
{
	struct sim s;

	/* Traffic until 5 s, then silence: probes at 7, 9, give up at 11. */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 60000);
	s.heard[0] = 1000;
	s.heard[1] = 3000;
	s.heard[2] = 5000;
	s.heard[3] = -1;
	sim_run(&s);
	PROBES(&s, 7000, 9000);
	CHECK_LL(s.giveup, 11000);
}

static void
test_local_activity(void)
{
	struct sim s;
	int i;

	/*
	 * The local side is busy all the time (a program printing, stdin,
	 * forwarded ports): the host wakes every 7 ms.  Deadlines hold.
	 */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 60000);
	for (i = 0; i < MAXEV - 1; i++)
		s.wake[i] = 7LL * (i + 1) * 20;
	s.wake[MAXEV - 1] = -1;
	sim_run(&s);
	PROBES(&s, 2000, 4000);
	CHECK_LL(s.giveup, 6000);
}

static void
test_local_activity_every_ms(void)
{
	struct keepalive ka;
	long long now, probes[4];
	int n = 0, r;

	/* Polled every ms: exactly one probe per deadline, nothing early. */
	keepalive_init(&ka, 1, 3, KEEPALIVE_ZERO_GIVEUP, 0);
	for (now = 0; now < 10000; now++) {
		r = keepalive_check(&ka, now);
		if (r == KEEPALIVE_GIVEUP)
			break;
		if (r == KEEPALIVE_PROBE && n < 4)
			probes[n++] = now;
	}
	CHECK(n == 3);
	CHECK_LL(probes[0], 1000);
	CHECK_LL(probes[1], 2000);
	CHECK_LL(probes[2], 3000);
	CHECK_LL(now, 4000);
}

static void
test_count_zero_giveup(void)
{
	struct sim s;

	/* Before 8.2: count 0 gives up after one silent interval. */
	sim_init(&s, 2, 0, KEEPALIVE_ZERO_GIVEUP, 60000);
	sim_run(&s);
	CHECK(s.nprobes == 0);
	CHECK_LL(s.giveup, 2000);

	/* A negative count, which old parsers let through, is the same. */
	sim_init(&s, 2, -1, KEEPALIVE_ZERO_GIVEUP, 60000);
	sim_run(&s);
	CHECK(s.nprobes == 0);
	CHECK_LL(s.giveup, 2000);
}

static void
test_count_zero_probe(void)
{
	struct sim s;

	/* sshd 8.2 and later: count 0 probes for ever, never gives up. */
	sim_init(&s, 2, 0, KEEPALIVE_ZERO_PROBE, 10000);
	sim_run(&s);
	PROBES(&s, 2000, 4000, 6000, 8000, 10000);
	CHECK_LL(s.giveup, -1);
}

static void
test_count_one(void)
{
	struct keepalive ka;

	/* CountMax 1: one probe per interval, never two back to back. */
	keepalive_init(&ka, 2, 1, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK(keepalive_check(&ka, 1999) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 2000) == KEEPALIVE_PROBE);
	CHECK(keepalive_check(&ka, 2000) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 2001) == KEEPALIVE_NONE);
	CHECK_LL(keepalive_wait_ms(&ka, 2001), 1999);
	CHECK(keepalive_check(&ka, 3999) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 4000) == KEEPALIVE_GIVEUP);
}

/*
 * Two engines, sshd (s) and ssh (c), with their intervals and counts, and a
 * network that takes `delay` ms each way.  ssh yields to a server probe as
 * the glue makes it (keepalive_yield() when a probe of the server arrives);
 * each probe is answered.  Counts the probes of each side until `end`.
 */
static void
duo(int si, int ci, long long delay, int yield, long long end, int *sprobes,
    int *cprobes)
{
	struct keepalive s, c;
	long long now, to_s[64], to_c[64];	/* arrival times, -1 empty */
	int probe_c[64], i, ns = 0, nc = 0;

	for (i = 0; i < 64; i++)
		to_s[i] = to_c[i] = -1;
	keepalive_init(&s, si, 3, KEEPALIVE_ZERO_PROBE, 0);
	keepalive_init(&c, ci, 3, KEEPALIVE_ZERO_GIVEUP, 0);
	if (yield)	/* ssh lets a probing server go first from the start */
		keepalive_yield(&c, 0);
	*sprobes = *cprobes = 0;
	for (now = 0; now <= end; now++) {
		for (i = 0; i < 64; i++) {
			if (to_s[i] == now) {		/* sshd hears ssh */
				to_s[i] = -1;
				keepalive_heard(&s, now);
			}
			if (to_c[i] == now) {		/* ssh hears sshd */
				to_c[i] = -1;
				keepalive_heard(&c, now);
				if (probe_c[i] && yield)
					keepalive_yield(&c, now);
				if (probe_c[i])		/* ssh answers */
					to_s[ns++ % 64] = now + delay;
			}
		}
		if (keepalive_check(&s, now) == KEEPALIVE_PROBE) {
			(*sprobes)++;
			probe_c[nc % 64] = 1;
			to_c[nc++ % 64] = now + delay;
		}
		if (keepalive_check(&c, now) == KEEPALIVE_PROBE) {
			(*cprobes)++;
			/* sshd answers ssh's probe after it arrives */
			to_s[ns++ % 64] = now + delay;
			probe_c[nc % 64] = 0;
			to_c[nc++ % 64] = now + 2 * delay;
		}
	}
}

/*
 * ssh yielding, a minute of idle session: the probes of each side within
 * [min, max], one side alone.  The bound: sshd probes first while the
 * round trip (and its lateness in waking up, which adds the same way)
 * stays below I/2, and while its interval is below 1.5 times ssh's.
 */
static const struct {
	int		si, ci;		/* sshd's and ssh's interval, s */
	long long	delay;		/* ms each way */
	int		smin, smax, cmin, cmax;
} yield_cases[] = {
	{ 2, 2, 3,	28, 30, 0, 0 },	/* one interval: sshd alone */
	{ 2, 2, 300,	22, 23, 0, 0 },	/* RTT 0.6 s, past I/4, within I/2 */
	{ 4, 4, 750,	10, 11, 0, 0 },	/* RTT 1.5 s at I = 4 s */
	{ 8, 5, 3,	0, 0, 11, 12 },	/* ssh's shorter by over a third */
	{ 7, 5, 3,	8, 9, 0, 0 },	/* sshd's within 1.5 times ssh's */
	{ 5, 7, 3,	11, 12, 0, 0 },	/* sshd's shorter */
};

/* Both sides probing: one side probes, the other only answers. */
static void
test_yield_equal(void)
{
	size_t i;
	int sp, cp;

	for (i = 0; i < sizeof(yield_cases) / sizeof(yield_cases[0]); i++) {
		duo(yield_cases[i].si, yield_cases[i].ci, yield_cases[i].delay,
		    1, 60000, &sp, &cp);
		if (sp < yield_cases[i].smin || sp > yield_cases[i].smax ||
		    cp < yield_cases[i].cmin || cp > yield_cases[i].cmax) {
			printf("#   %s:%d: yield_cases[%lu]: sshd %d, ssh %d "
			    "probes\n", __FILE__, __LINE__, (unsigned long)i,
			    sp, cp);
			failed++;
		}
	}
	/* Without yielding, both sides probe (the race the yield ends). */
	duo(2, 2, 3, 0, 60000, &sp, &cp);
	CHECK(cp > 0);
	/* A round trip of 2.2 s, past I/2 at I = 4 s: ssh probes too. */
	duo(4, 4, 1100, 1, 60000, &sp, &cp);
	CHECK(cp > 0);
}

/*
 * After a server probe, ssh's first probe waits I/2 longer; the probes
 * after it and the give-up keep their times (heard + k*I, (C+1)*I).
 */
static void
test_yield_then_dead(void)
{
	struct sim s;
	struct keepalive ka;
	long long now;
	int k;

	keepalive_init(&ka, 4, 2, KEEPALIVE_ZERO_GIVEUP, 0);
	keepalive_heard(&ka, 1000);
	keepalive_yield(&ka, 1000);
	CHECK_LL(keepalive_wait_ms(&ka, 1000), 6000);
	for (now = 1000, k = 0; now < 20000; now++) {
		switch (keepalive_check(&ka, now)) {
		case KEEPALIVE_PROBE:
			CHECK_LL(now, k == 0 ? 7000 : 9000);
			k++;
			break;
		case KEEPALIVE_GIVEUP:
			CHECK_LL(now, 13000);
			CHECK_LL(k, 2);
			now = 20000;
			break;
		}
	}
	/* Count 1: the one probe moves, the give-up does not. */
	keepalive_init(&ka, 4, 1, KEEPALIVE_ZERO_GIVEUP, 0);
	keepalive_yield(&ka, 0);
	CHECK_LL(keepalive_check(&ka, 5999), KEEPALIVE_NONE);
	CHECK_LL(keepalive_check(&ka, 6000), KEEPALIVE_PROBE);
	CHECK_LL(keepalive_wait_ms(&ka, 6000), 2000);
	CHECK_LL(keepalive_check(&ka, 8000), KEEPALIVE_GIVEUP);
	/* A probe of the peer after ours: our schedule stays. */
	keepalive_init(&ka, 4, 3, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK_LL(keepalive_check(&ka, 4000), KEEPALIVE_PROBE);
	keepalive_yield(&ka, 4100);
	CHECK_LL(keepalive_wait_ms(&ka, 4100), 3900);
	/* Only the first probe since the peer was heard is put off. */
	keepalive_init(&ka, 4, 3, KEEPALIVE_ZERO_GIVEUP, 0);
	keepalive_yield(&ka, 0);
	keepalive_yield(&ka, 10);
	CHECK_LL(keepalive_wait_ms(&ka, 10), 5990);
	/* Off, or count 0 (no probes): nothing to put off. */
	keepalive_init(&ka, 0, 3, KEEPALIVE_ZERO_GIVEUP, 0);
	keepalive_yield(&ka, 0);
	CHECK_LL(keepalive_wait_ms(&ka, 0), -1);
	keepalive_init(&ka, 4, 0, KEEPALIVE_ZERO_GIVEUP, 0);
	keepalive_yield(&ka, 0);
	CHECK_LL(keepalive_check(&ka, 4000), KEEPALIVE_GIVEUP);
	(void)s;
}

static void
test_huge_interval(void)
{
	struct keepalive ka;
	long long i = (long long)INT_MAX * 1000;

	keepalive_init(&ka, INT_MAX, 1, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK_LL(keepalive_wait_ms(&ka, 0), INT_MAX);
	CHECK(keepalive_check(&ka, i - 1) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, i) == KEEPALIVE_PROBE);
	CHECK(keepalive_check(&ka, 2 * i - 1) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 2 * i) == KEEPALIVE_GIVEUP);

	/* (C+1)*I past the clock's range: saturates, never wraps. */
	keepalive_init(&ka, INT_MAX, INT_MAX, KEEPALIVE_ZERO_GIVEUP,
	    KEEPALIVE_NEVER - 10);
	CHECK_LL(ka.probe_at, KEEPALIVE_NEVER);
	CHECK(keepalive_check(&ka, KEEPALIVE_NEVER - 1) == KEEPALIVE_NONE);
	CHECK_LL(keepalive_wait_ms(&ka, KEEPALIVE_NEVER - 1), -1);
	keepalive_init(&ka, INT_MAX, INT_MAX, KEEPALIVE_ZERO_PROBE, 0);
	ka.sent = INT_MAX - 1;
	CHECK(keepalive_check(&ka, i) == KEEPALIVE_PROBE);
	CHECK(keepalive_check(&ka, KEEPALIVE_NEVER - 1) == KEEPALIVE_NONE);
	CHECK_LL(ka.sent, INT_MAX);

	/* Probing for ever: the count of probes sent stops at INT_MAX. */
	keepalive_init(&ka, 1, 0, KEEPALIVE_ZERO_PROBE, 0);
	ka.sent = INT_MAX;
	CHECK(keepalive_check(&ka, 1000) == KEEPALIVE_PROBE);
	CHECK_LL(ka.sent, INT_MAX);
	CHECK_LL(ka.probe_at, (INT_MAX + 1LL) * 1000);
}

static void
test_tiny_interval(void)
{
	struct sim s;

	sim_init(&s, 1, 1, KEEPALIVE_ZERO_GIVEUP, 60000);
	sim_run(&s);
	PROBES(&s, 1000);
	CHECK_LL(s.giveup, 2000);
}

static void
test_clock_backwards(void)
{
	struct keepalive ka;

	/*
	 * A wall clock (the time() fallback) steps back 1 s at 1.5 s: the
	 * engine keeps the 1.5 s already elapsed and counts on from there.
	 */
	keepalive_init(&ka, 2, 2, KEEPALIVE_ZERO_GIVEUP, 100000);
	CHECK(keepalive_check(&ka, 101500) == KEEPALIVE_NONE);
	CHECK_LL(keepalive_wait_ms(&ka, 100500), 500);
	CHECK(keepalive_check(&ka, 100999) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 101000) == KEEPALIVE_PROBE);
	CHECK(keepalive_check(&ka, 102999) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 103000) == KEEPALIVE_PROBE);
	/* A big step back right before the end: still not early. */
	CHECK(keepalive_check(&ka, 3000) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 4999) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, 5000) == KEEPALIVE_GIVEUP);
}

static void
test_suspend(void)
{
	struct sim s;

	/*
	 * Suspended from 1 s to 100 s (the boot-time clock counts it): on
	 * resume one overdue probe goes out at once, and the peer gets a
	 * full interval to answer each probe before it is given up.
	 */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 600000);
	s.wake[0] = 1000;
	s.wake[1] = -1;
	s.late[0] = 1001;
	s.late[1] = 100000;
	s.late[2] = -1;
	sim_run(&s);
	PROBES(&s, 100000, 102000);
	CHECK_LL(s.giveup, 104000);

	/* The peer answers after resume: alive, count restarts. */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 110000);
	s.wake[0] = 1000;
	s.wake[1] = -1;
	s.late[0] = 1001;
	s.late[1] = 100000;
	s.late[2] = -1;
	s.reply = 30;
	s.answers = 1000;
	sim_run(&s);
	PROBES(&s, 100000, 102030, 104060, 106090, 108120);
	CHECK_LL(s.giveup, -1);

	/* Count 0 before 8.2 is an idle limit: no probe, given up at once. */
	sim_init(&s, 2, 0, KEEPALIVE_ZERO_GIVEUP, 600000);
	s.wake[0] = 1000;
	s.wake[1] = -1;
	s.late[0] = 1001;
	s.late[1] = 100000;
	s.late[2] = -1;
	sim_run(&s);
	CHECK(s.nprobes == 0);
	CHECK_LL(s.giveup, 100000);
}

static void
test_rekey_pause(void)
{
	struct sim s;

	/*
	 * The host cannot run from 1 s to 4.5 s (a rekey stuck on a full
	 * send queue): both probes were due meanwhile.  The first goes at
	 * 4.5 s, the second one interval later, the peer is given up one
	 * interval after that: late, never early, never back to back.
	 */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 60000);
	s.wake[0] = 1000;
	s.wake[1] = -1;
	s.late[0] = 1001;
	s.late[1] = 4500;
	s.late[2] = -1;
	sim_run(&s);
	PROBES(&s, 4500, 6500);
	CHECK_LL(s.giveup, 8500);

	/* Kex packets from a live peer during the rekey count as heard. */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 20000);
	s.heard[0] = 1900;
	s.heard[1] = 1950;
	s.heard[2] = -1;
	sim_run(&s);
	PROBES(&s, 3950, 5950);
	CHECK_LL(s.giveup, 7950);

	/* A late check after the last probe: given up then, not before. */
	sim_init(&s, 2, 2, KEEPALIVE_ZERO_GIVEUP, 60000);
	s.late[0] = 5000;
	s.late[1] = 9000;
	s.late[2] = -1;
	sim_run(&s);
	PROBES(&s, 2000, 4000);
	CHECK_LL(s.giveup, 9000);
}

static void
test_off(void)
{
	struct keepalive ka;

	keepalive_init(&ka, 0, 3, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK_LL(keepalive_wait_ms(&ka, 0), -1);
	CHECK(keepalive_check(&ka, 0) == KEEPALIVE_NONE);
	CHECK(keepalive_check(&ka, KEEPALIVE_NEVER - 1) == KEEPALIVE_NONE);
	keepalive_heard(&ka, 5);
	CHECK_LL(keepalive_wait_ms(&ka, 5), -1);

	/* A negative interval is off too (the parsers never give one). */
	keepalive_init(&ka, -5, 0, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK(keepalive_check(&ka, 1000000) == KEEPALIVE_NONE);
}

static void
test_wait(void)
{
	struct keepalive ka;

	keepalive_init(&ka, 2, 2, KEEPALIVE_ZERO_GIVEUP, 1000);
	CHECK_LL(keepalive_wait_ms(&ka, 1000), 2000);
	CHECK_LL(keepalive_wait_ms(&ka, 2999), 1);
	CHECK_LL(keepalive_wait_ms(&ka, 3000), 0);
	CHECK_LL(keepalive_wait_ms(&ka, 9000), 0);
	CHECK(keepalive_check(&ka, 3000) == KEEPALIVE_PROBE);
	CHECK_LL(keepalive_wait_ms(&ka, 3000), 2000);
	keepalive_heard(&ka, 3500);
	CHECK_LL(keepalive_wait_ms(&ka, 3500), 2000);
	CHECK_LL(ka.sent, 0);
}

static void
test_now(void)
{
	long long a, b;
	int i;

	a = keepalive_now();
	CHECK(a > 0);
	for (i = 0; i < 1000; i++) {
		b = keepalive_now();
		CHECK(b >= a);
		a = b;
	}
#ifdef CLOCK_BOOTTIME
	if (getenv("KEEPALIVE_TEST_NO_CLOCK") == NULL)
		CHECK_STR(keepalive_clock(), "CLOCK_BOOTTIME");
#endif
}

/*
 * Without a monotonic clock (run with LD_PRELOAD=noclock.so, which makes
 * clock_gettime() fail, and KEEPALIVE_TEST_NO_CLOCK=1): the wall clock,
 * said in the line that describes the keepalive.  Otherwise nothing to do.
 */
static void
test_no_clock(void)
{
	struct keepalive ka;
	char buf[KEEPALIVE_MSGLEN];
	long long now, wall;

	if (getenv("KEEPALIVE_TEST_NO_CLOCK") == NULL)
		return;
	CHECK_STR(keepalive_clock(), "the wall clock");
	now = keepalive_now();
	wall = (long long)time(NULL) * 1000;
	CHECK(now >= wall - 2000 && now <= wall + 2000);
	keepalive_init(&ka, 15, 3, KEEPALIVE_ZERO_GIVEUP, now);
	CHECK_STR(keepalive_describe(&ka, buf, sizeof(buf)),
	    "keepalive " KEEPALIVE_VERSION ": no monotonic clock, deadlines "
	    "on the wall clock: a probe after each 15 s of silence, at most 3, "
	    "peer given up after 60 s of silence");
}

static void
test_messages(void)
{
	struct keepalive ka;
	char buf[KEEPALIVE_MSGLEN], tiny[8];

	keepalive_init(&ka, 2, 2, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK_STR(keepalive_describe(&ka, buf, sizeof(buf)),
	    "keepalive " KEEPALIVE_VERSION ": a probe after each 2 s of "
	    "silence, at most 2, peer given up after 6 s of silence");
	keepalive_init(&ka, 15, 1, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK_STR(keepalive_describe(&ka, buf, sizeof(buf)),
	    "keepalive " KEEPALIVE_VERSION ": a probe after each 15 s of "
	    "silence, at most 1, peer given up after 30 s of silence");
	keepalive_init(&ka, 5, 0, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK_STR(keepalive_describe(&ka, buf, sizeof(buf)),
	    "keepalive " KEEPALIVE_VERSION ": no probe, peer given up after "
	    "5 s of silence");
	keepalive_init(&ka, 5, 0, KEEPALIVE_ZERO_PROBE, 0);
	CHECK_STR(keepalive_describe(&ka, buf, sizeof(buf)),
	    "keepalive " KEEPALIVE_VERSION ": a probe after each 5 s of "
	    "silence, peer never given up");
	keepalive_init(&ka, 0, 3, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK_STR(keepalive_describe(&ka, buf, sizeof(buf)),
	    "keepalive " KEEPALIVE_VERSION ": off");

	keepalive_init(&ka, 2, 2, KEEPALIVE_ZERO_GIVEUP, 0);
	CHECK(keepalive_check(&ka, 2000) == KEEPALIVE_PROBE);
	CHECK_STR(keepalive_giveup_reason(&ka, 2000, buf, sizeof(buf)),
	    "1 probe unanswered, 2.0 s of silence");
	CHECK(keepalive_check(&ka, 4000) == KEEPALIVE_PROBE);
	CHECK(keepalive_check(&ka, 6042) == KEEPALIVE_GIVEUP);
	CHECK_STR(keepalive_giveup_reason(&ka, 6042, buf, sizeof(buf)),
	    "2 probes unanswered, 6.0 s of silence");
	CHECK_STR(keepalive_giveup_reason(&ka, 6942, buf, sizeof(buf)),
	    "2 probes unanswered, 6.9 s of silence");
	CHECK_STR(keepalive_giveup_reason(&ka, -5, buf, sizeof(buf)),
	    "2 probes unanswered, 0.0 s of silence");

	/* Short buffers are cut, always terminated, never overrun. */
	memset(tiny, 'x', sizeof(tiny));
	keepalive_describe(&ka, tiny, 5);
	CHECK_STR(tiny, "keep");
	CHECK(tiny[5] == 'x');
	keepalive_giveup_reason(&ka, 6000, tiny, 1);
	CHECK_STR(tiny, "");
	tiny[0] = 'x';
	keepalive_giveup_reason(&ka, 6000, tiny, 0);
	CHECK(tiny[0] == 'x');
}

struct parse_case {
	int		 flags;
	const char	*value;
	int		 rc;
	int		 result;
	const char	*msg;		/* substring of the message, or "" */
};

static void
run_parse_cases(const struct parse_case *pc, size_t n, int interval)
{
	char msg[KEEPALIVE_MSGLEN];
	int rc, val;
	size_t i;

	for (i = 0; i < n; i++) {
		val = -12345;
		if (interval)
			rc = keepalive_parse_interval("/etc/x_config", 7,
			    "Keyword", pc[i].value, pc[i].flags, &val,
			    msg, sizeof(msg));
		else
			rc = keepalive_parse_count("/etc/x_config", 7,
			    "Keyword", pc[i].value, pc[i].flags, &val,
			    msg, sizeof(msg));
		if (rc != pc[i].rc ||
		    (rc != KEEPALIVE_PARSE_ERR && val != pc[i].result) ||
		    (rc == KEEPALIVE_PARSE_OK && msg[0] != '\0') ||
		    (rc != KEEPALIVE_PARSE_OK &&
		    strstr(msg, pc[i].msg) == NULL) ||
		    (rc != KEEPALIVE_PARSE_OK &&
		    strncmp(msg, "/etc/x_config line 7: Keyword: ", 31) != 0)) {
			printf("#   \"%s\" flags %d: rc %d value %d msg \"%s\"; "
			    "want rc %d value %d msg ~ \"%s\"\n",
			    pc[i].value ? pc[i].value : "(null)", pc[i].flags,
			    rc, val, msg, pc[i].rc, pc[i].result, pc[i].msg);
			failed++;
		}
	}
}

#define OK	KEEPALIVE_PARSE_OK
#define WARN	KEEPALIVE_PARSE_WARN
#define ERR	KEEPALIVE_PARSE_ERR

static void
test_parse_interval(void)
{
	static const struct parse_case pc[] = {
		{ 0, "0", OK, 0, "" },
		{ 0, "15", OK, 15, "" },
		{ 0, "30s", OK, 30, "" },
		{ 0, "30S", OK, 30, "" },
		{ 0, "5m", OK, 300, "" },
		{ 0, "1h30m", OK, 5400, "" },
		{ 0, "1h30", OK, 3630, "" },
		{ 0, "1d", OK, 86400, "" },
		{ 0, "2W", OK, 1209600, "" },
		{ 0, "+5", OK, 5, "" },
		{ 0, " 5", OK, 5, "" },
		{ 0, "\t\n\v\f\r5", OK, 5, "" },
		{ 0, "-0", OK, 0, "" },
		/* 9.8 and later: digits only. */
		{ KEEPALIVE_PF_DIGITS, "15", OK, 15, "" },
		{ KEEPALIVE_PF_DIGITS, "1h30m", OK, 5400, "" },
		{ KEEPALIVE_PF_DIGITS, "+5", ERR, 0, "invalid time value \"+5\"" },
		{ KEEPALIVE_PF_DIGITS, " 5", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DIGITS, "-0", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DIGITS, "5m+3", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DIGITS | KEEPALIVE_PF_NONE, "none", OK, -1, "" },
		/* 10.3 on: convtime_double(), truncated to whole seconds. */
		{ KEEPALIVE_PF_DECIMAL, "15", OK, 15, "" },
		{ KEEPALIVE_PF_DECIMAL, "1.5", OK, 1, "" },
		{ KEEPALIVE_PF_DECIMAL, "0.5", OK, 0, "" },
		{ KEEPALIVE_PF_DECIMAL, ".5", OK, 0, "" },
		{ KEEPALIVE_PF_DECIMAL, "1.5s", OK, 1, "" },
		{ KEEPALIVE_PF_DECIMAL, "1m30.5", OK, 90, "" },
		{ KEEPALIVE_PF_DECIMAL, "1h30m", OK, 5400, "" },
		{ KEEPALIVE_PF_DECIMAL, "2147483647", OK, INT_MAX, "" },
		{ KEEPALIVE_PF_DECIMAL, "1.9999999999999999", OK, 2, "" },
		{ KEEPALIVE_PF_DECIMAL, "5.", ERR, 0, "invalid time value \"5.\"" },
		{ KEEPALIVE_PF_DECIMAL, "1.5m", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "1..5", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "1e3", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "+5", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "5s5", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "1s2s", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "1h1h", OK, 7200, "" },
		{ KEEPALIVE_PF_DECIMAL, "2147483647.5", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "2147483648", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "99999999999999999999", ERR, 0, "invalid" },
		{ KEEPALIVE_PF_DECIMAL, ".", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "5x", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL, "1"
		    "0000000000000000000000000000000000000000000000000000000000"
		    "0000000000000000000000000000000000000000000000000000000000"
		    "0000000000000000000000000000000000000000000000000000000000"
		    "0000000000000000000000000000000000000000000000000000000000"
		    "0000000000000000000000000000000000000000000000000000000000"
		    "0000000000000000000000000000000000000000000000000000000000",
		    ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_DECIMAL | KEEPALIVE_PF_NONE, "none", OK, -1, "" },
		{ KEEPALIVE_PF_DECIMAL | KEEPALIVE_PF_NONE, "None", ERR, 0, "invalid" },
		{ 0, "2147483647", OK, 2147483647, "" },
		{ 0, "2147483648", ERR, 0, "is too long: at most 2147483647" },
		{ 0, "2147483600s48", ERR, 0, "is too long: at most 2147483647" },
		{ 0, "2147483600s47", OK, INT_MAX, "" },
		{ 0, "99999999999999999999999999w", ERR, 0, "too long" },

#if LONG_MAX > 2147483647L	/* LP64: what 8.4 let through and truncated */
		{ KEEPALIVE_PF_CLAMP, "2147483648", WARN, INT_MAX,
		    "\"2147483648\" is too long, using 2147483647 s" },
		{ KEEPALIVE_PF_CLAMP, "4294967296", WARN, INT_MAX,
		    "too long, using" },
		{ KEEPALIVE_PF_CLAMP, "1000000000000w", WARN, INT_MAX,
		    "too long, using" },
		/* What 8.4's convtime() refused (LONG_MAX reached) stays so. */
		{ KEEPALIVE_PF_CLAMP, "9999999999999999999999w", ERR, 0,
		    "too long: at most" },
		{ KEEPALIVE_PF_CLAMP, "99999999999999999999", ERR, 0,
		    "too long: at most" },
		{ KEEPALIVE_PF_CLAMP, "9223372036854775807", ERR, 0,
		    "too long: at most" },
		{ KEEPALIVE_PF_CLAMP, "9223372036854775806", WARN, INT_MAX,
		    "too long, using" },
		{ KEEPALIVE_PF_CLAMP, "9223372036854775806s1", ERR, 0,
		    "too long: at most" },
		/* secs >= LONG_MAX / multiplier was refused: the edge. */
		{ KEEPALIVE_PF_CLAMP, "153722867280912930m", ERR, 0,
		    "too long: at most 2147483647 s" },
		{ KEEPALIVE_PF_CLAMP, "153722867280912929m", WARN, INT_MAX,
		    "too long, using" },
#else			/* ILP32: long is int, 8.4 refused from LONG_MAX on */
		{ KEEPALIVE_PF_CLAMP, "2147483646", OK, 2147483646, "" },
		{ KEEPALIVE_PF_CLAMP, "2147483647", ERR, 0,
		    "\"2147483647\" is too long: at most 2147483646 s" },
		{ KEEPALIVE_PF_CLAMP, "2147483648", ERR, 0,
		    "too long: at most 2147483646 s" },
		{ KEEPALIVE_PF_CLAMP, "99999999999999999999", ERR, 0,
		    "too long: at most 2147483646 s" },
		{ KEEPALIVE_PF_CLAMP, "35791395m", ERR, 0,
		    "too long: at most 2147483646 s" },
		{ KEEPALIVE_PF_CLAMP, "35791394m", ERR, 0,
		    "too long: at most 2147483646 s" },
		{ KEEPALIVE_PF_CLAMP, "35791393m", OK, 2147483580, "" },
		{ KEEPALIVE_PF_CLAMP, "2147483600s47", ERR, 0,
		    "too long: at most 2147483646 s" },
		{ KEEPALIVE_PF_CLAMP, "2147483600s46", OK, 2147483646, "" },
#endif
		{ 0, "", ERR, 0, "missing time value" },
		{ 0, NULL, ERR, 0, "missing time value" },
		{ 0, "-5", ERR, 0, "invalid time value \"-5\": expected "
		    "seconds, or a time such as 30s, 5m, 1h30m" },
		{ 0, "5x", ERR, 0, "invalid time value \"5x\"" },
		{ 0, "5 ", ERR, 0, "invalid time value" },
		{ 0, "m", ERR, 0, "invalid time value" },
		{ 0, "5ms", ERR, 0, "invalid time value" },
		{ 0, "abc", ERR, 0, "invalid time value" },
		{ 0, "1.5", ERR, 0, "invalid time value" },
		{ 0, "none", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_NONE, "none", OK, -1, "" },
		{ KEEPALIVE_PF_NONE, "NONE", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_NONE, "None", ERR, 0, "invalid time value" },
		{ KEEPALIVE_PF_NONE, "nonex", ERR, 0, "invalid" },
		{ 0, "\001\377", ERR, 0, "\"??\"" },
		{ 0, "\177", ERR, 0, "\"?\"" },
		{ 0, "123456789012345678901234567890123456789012345x", ERR, 0,
		    "\"1234567890123456789012345678901234567890...\"" },
	};

	run_parse_cases(pc, sizeof(pc) / sizeof(pc[0]), 1);
}

static void
test_parse_count(void)
{
	static const struct parse_case pc[] = {
		/* 8.x and later: strtonum(0, INT_MAX). */
		{ 0, "0", OK, 0, "" },
		{ 0, "3", OK, 3, "" },
		{ 0, "+3", OK, 3, "" },
		{ 0, " 3", OK, 3, "" },
		{ 0, "2147483647", OK, INT_MAX, "" },
		{ 0, "2147483648", ERR, 0, "is too large: at most 2147483647" },
		{ 0, "-1", ERR, 0, "invalid count \"-1\": expected a whole "
		    "number from 0 to 2147483647" },
		{ 0, "3x", ERR, 0, "invalid count" },
		{ 0, "010", OK, 10, "" },
		{ 0, "0x10", ERR, 0, "invalid count" },
		{ 0, "", ERR, 0, "missing integer value" },
		{ 0, NULL, ERR, 0, "missing integer value" },
		{ 0, "x", ERR, 0, "invalid count" },
		/* sshd before 8.x: atoi(). */
		{ KEEPALIVE_PF_ATOI, "3", OK, 3, "" },
		{ KEEPALIVE_PF_ATOI, "-1", OK, -1, "" },
		{ KEEPALIVE_PF_ATOI, "010", OK, 10, "" },
		{ KEEPALIVE_PF_ATOI, "3x", WARN, 3,
		    "\"3x\" read as 3, trailing text ignored" },
		{ KEEPALIVE_PF_ATOI, "abc", WARN, 0,
		    "\"abc\" is not a number, read as 0" },
		{ KEEPALIVE_PF_ATOI, "99999999999", WARN, INT_MAX,
		    "is too large, using 2147483647" },
		{ KEEPALIVE_PF_ATOI, "-99999999999", WARN, -INT_MAX,
		    "is too large, using -2147483647" },
		/* ssh before 8.x: a leading digit, then strtol(, , 0). */
		{ KEEPALIVE_PF_STRTOL, "3", OK, 3, "" },
		{ KEEPALIVE_PF_STRTOL, "010", OK, 8, "" },
		{ KEEPALIVE_PF_STRTOL, "0x10", OK, 16, "" },
		{ KEEPALIVE_PF_STRTOL, "0X1f", OK, 31, "" },
		{ KEEPALIVE_PF_STRTOL, "0xAB", OK, 171, "" },
		{ KEEPALIVE_PF_STRTOL, "08", WARN, 0, "read as 0" },
		{ KEEPALIVE_PF_STRTOL, "0x", WARN, 0, "read as 0" },
		{ KEEPALIVE_PF_STRTOL, "3x", WARN, 3, "read as 3" },
		{ KEEPALIVE_PF_STRTOL, "-1", ERR, 0, "invalid count" },
		{ KEEPALIVE_PF_STRTOL, "+1", ERR, 0, "invalid count" },
		{ KEEPALIVE_PF_STRTOL, " 1", ERR, 0, "invalid count" },
		{ KEEPALIVE_PF_STRTOL, "x", ERR, 0, "invalid count" },
		{ KEEPALIVE_PF_STRTOL, "99999999999", WARN, INT_MAX,
		    "too large" },
	};

	run_parse_cases(pc, sizeof(pc) / sizeof(pc[0]), 0);
}

static void
test_parse_messages(void)
{
	char msg[KEEPALIVE_MSGLEN], tiny[10];
	int v = 0;

	CHECK(keepalive_parse_interval("/etc/ssh/sshd_config", 12,
	    "ClientAliveInterval", "5x", 0, &v, msg, sizeof(msg)) == ERR);
	CHECK_STR(msg, "/etc/ssh/sshd_config line 12: ClientAliveInterval: "
	    "invalid time value \"5x\": expected seconds, or a time such as "
	    "30s, 5m, 1h30m");
	CHECK(keepalive_parse_count(NULL, 0, NULL, "x", 0, &v,
	    msg, sizeof(msg)) == ERR);
	CHECK_STR(msg, "(config) line 0: (keyword): invalid count \"x\": "
	    "expected a whole number from 0 to 2147483647");
	CHECK(keepalive_parse_count("command-line", 0, "ServerAliveCountMax",
	    "-3", 0, &v, tiny, sizeof(tiny)) == ERR);
	CHECK_STR(tiny, "command-l");
	CHECK(keepalive_parse_count("f", 1, "k", "1", 0, &v, tiny, 0) == OK);
	CHECK(v == 1);
}

static void
test_parse_option(void)
{
	char msg[KEEPALIVE_MSGLEN];
	int v = 0;

	/* The keyword picks the parser; the flags serve both. */
	CHECK(keepalive_parse_option("f", 1, "ClientAliveInterval", "1m",
	    KEEPALIVE_PF_NONE, &v, msg, sizeof(msg)) == OK && v == 60);
	CHECK(keepalive_parse_option("f", 1, "serveraliveinterval", "none",
	    KEEPALIVE_PF_NONE, &v, msg, sizeof(msg)) == OK && v == -1);
	CHECK(keepalive_parse_option("f", 1, "ClientAliveCountMax", "1m",
	    0, &v, msg, sizeof(msg)) == ERR);
	CHECK(strstr(msg, "invalid count") != NULL);
	CHECK(keepalive_parse_option("f", 1, "SERVERALIVECOUNTMAX", "010",
	    KEEPALIVE_PF_STRTOL | KEEPALIVE_PF_NONE, &v, msg,
	    sizeof(msg)) == OK && v == 8);
	CHECK(keepalive_parse_option("f", 1, NULL, "5", 0, &v,
	    msg, sizeof(msg)) == OK && v == 5);
}

static void
test_hint(void)
{
	CHECK_STR(keepalive_hint("ServerAliveInterval", KEEPALIVE_SSHD),
	    " (ServerAliveInterval is an ssh_config option; sshd uses "
	    "ClientAliveInterval)");
	CHECK_STR(keepalive_hint("serveralivecountmax", KEEPALIVE_SSHD),
	    " (ServerAliveCountMax is an ssh_config option; sshd uses "
	    "ClientAliveCountMax)");
	CHECK_STR(keepalive_hint("CLIENTALIVEINTERVAL", KEEPALIVE_SSH),
	    " (ClientAliveInterval is an sshd_config option; ssh uses "
	    "ServerAliveInterval)");
	CHECK_STR(keepalive_hint("ClientAliveCountMax", KEEPALIVE_SSH),
	    " (ClientAliveCountMax is an sshd_config option; ssh uses "
	    "ServerAliveCountMax)");
	/* The right file, other keywords, prefixes: no hint. */
	CHECK_STR(keepalive_hint("ClientAliveInterval", KEEPALIVE_SSHD), "");
	CHECK_STR(keepalive_hint("ServerAliveInterval", KEEPALIVE_SSH), "");
	CHECK_STR(keepalive_hint("ServerAlive", KEEPALIVE_SSHD), "");
	CHECK_STR(keepalive_hint("ServerAliveIntervalX", KEEPALIVE_SSHD), "");
	CHECK_STR(keepalive_hint("Port", KEEPALIVE_SSHD), "");
	CHECK_STR(keepalive_hint("", KEEPALIVE_SSH), "");
	CHECK_STR(keepalive_hint("5", KEEPALIVE_SSH), "");
	CHECK_STR(keepalive_hint(NULL, KEEPALIVE_SSH), "");
}

static const struct {
	const char	*name;
	void		(*fn)(void);
} tests[] = {
	{ "idle_peer", test_idle_peer },
	{ "default_count", test_default_count },
	{ "peer_answers", test_peer_answers },
	{ "peer_answers_some", test_peer_answers_some },
	{ "traffic_without_replies", test_traffic_without_replies },
	{ "peer_stops_talking", test_peer_stops_talking },
	{ "local_activity", test_local_activity },
	{ "local_activity_every_ms", test_local_activity_every_ms },
	{ "count_zero_giveup", test_count_zero_giveup },
	{ "count_zero_probe", test_count_zero_probe },
	{ "count_one", test_count_one },
	{ "huge_interval", test_huge_interval },
	{ "tiny_interval", test_tiny_interval },
	{ "clock_backwards", test_clock_backwards },
	{ "suspend", test_suspend },
	{ "rekey_pause", test_rekey_pause },
	{ "off", test_off },
	{ "wait", test_wait },
	{ "yield_equal", test_yield_equal },
	{ "yield_then_dead", test_yield_then_dead },
	{ "now", test_now },
	{ "no_clock", test_no_clock },
	{ "messages", test_messages },
	{ "parse_interval", test_parse_interval },
	{ "parse_count", test_parse_count },
	{ "parse_messages", test_parse_messages },
	{ "parse_option", test_parse_option },
	{ "hint", test_hint },
};

int
main(int argc, char **argv)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name) != 0)
			continue;
		failed = 0;
		tests[i].fn();
		printf("%s %s\n", failed ? "not ok" : "ok", tests[i].name);
		if (failed)
			bad++;
	}
	return bad != 0;
}

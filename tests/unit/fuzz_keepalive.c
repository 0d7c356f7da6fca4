/*
 * libFuzzer target for module/keepalive.c: the configuration parsers and
 * random event sequences, checked against the engine's promises:
 *  - never early: the peer is given up only after (C+1)*I of silence
 *    (I for count 0 before 8.2), after exactly C probes, each probe at
 *    least I after the previous one and the first at least I after the
 *    peer was last heard;
 *  - on time: a host that always wakes when told gives up exactly at
 *    heard + (C+1)*I and probes exactly at heard + k*I;
 *  - wait_ms is -1 (never) or 0..INT_MAX, and -1 only when nothing is due;
 *  - no overflow or undefined behaviour (build with -fsanitize=...).
 * Time in the model is "elapsed": clock steps backwards do not count.
 */

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalive.h"

#define FAIL(why) do {							\
	fprintf(stderr, "invariant broken: %s (line %d)\n", why, __LINE__);	\
	abort();							\
} while (0)

static uint64_t
take(const uint8_t **p, size_t *left, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0 && *left > 0) {
		v = (v << 8) | **p;
		(*p)++;
		(*left)--;
	}
	return v;
}

static void
fuzz_parsers(const uint8_t *data, size_t size)
{
	char value[64], msg[KEEPALIVE_MSGLEN];
	size_t n = size < sizeof(value) - 1 ? size : sizeof(value) - 1;
	int flags, rc, v;

	if (n == 0)
		return;
	flags = data[0] & 0x3f;
	memcpy(value, data + 1, n - 1);
	value[n - 1] = '\0';

	v = -7;
	rc = keepalive_parse_interval("f", 1, "k", value, flags, &v,
	    msg, sizeof(msg));
	if (rc < KEEPALIVE_PARSE_ERR || rc > KEEPALIVE_PARSE_WARN)
		FAIL("interval rc");
	if (rc != KEEPALIVE_PARSE_ERR && v < 0 &&
	    !(v == -1 && (flags & KEEPALIVE_PF_NONE)))
		FAIL("negative interval accepted");
	if (rc != KEEPALIVE_PARSE_OK && strlen(msg) == 0)
		FAIL("interval error without message");
	if (strlen(msg) >= sizeof(msg))
		FAIL("message overrun");

	v = -7;
	rc = keepalive_parse_count("f", 1, "k", value, flags, &v,
	    msg, sizeof(msg));
	if (rc < KEEPALIVE_PARSE_ERR || rc > KEEPALIVE_PARSE_WARN)
		FAIL("count rc");
	if (rc == KEEPALIVE_PARSE_OK && v < 0 &&
	    !(flags & KEEPALIVE_PF_ATOI))
		FAIL("negative count accepted");
	if (rc != KEEPALIVE_PARSE_OK && strlen(msg) == 0)
		FAIL("count error without message");
	(void)keepalive_hint(value, flags & 1);
}

static void
fuzz_engine(const uint8_t *data, size_t size)
{
	struct keepalive ka;
	char buf[KEEPALIVE_MSGLEN];
	long long now, elapsed = 0, heard_at = 0, last_probe = 0, iv, need;
	long long delta;
	int interval, count, zero, w = -1, r, probes = 0, on_time = 1, ops;
	uint8_t op;

	interval = (int)take(&data, &size, 4);
	count = (int)take(&data, &size, 4);
	zero = (int)(take(&data, &size, 1) & 1);
	/* Keep intervals mostly small so that sequences reach deadlines. */
	if (interval > 0 && (interval & 0x40000000) == 0)
		interval %= 10;
	if (count > 0 && (count & 0x40000000) == 0)
		count %= 5;
	now = (long long)(take(&data, &size, 5) & 0xffffffffffULL);
	iv = interval > 0 ? interval * 1000LL : 0;

	keepalive_init(&ka, interval, count, zero, now);
	(void)keepalive_describe(&ka, buf, sizeof(buf));
	w = keepalive_wait_ms(&ka, now);
	for (ops = 0; size >= 3 && ops < 4096; ops++) {
		op = (uint8_t)take(&data, &size, 1);
		delta = (long long)take(&data, &size, 2);
		switch (op & 3) {
		case 0:		/* time passes: on time, early, or late */
			if (w >= 0 && (op & 4))
				delta = w > (op >> 4) ? w - (op >> 4) : 0;
			else if (iv > 0 && (op & 8))
				delta = iv / 64 * (delta & 0xff) + (delta >> 8);
			if (w >= 0 && delta > w)
				on_time = 0;
			if (now + delta >= KEEPALIVE_NEVER - 1)
				return;
			now += delta;
			elapsed += delta;
			break;
		case 1:		/* the clock steps backwards */
			delta = delta * (op >> 2);
			now = now > delta ? now - delta : 0;
			on_time = 0;
			break;
		case 2:		/* the peer is heard */
			keepalive_heard(&ka, now);
			heard_at = elapsed;
			probes = 0;
			on_time = 1;
			break;
		}
		r = keepalive_check(&ka, now);
		if (r == KEEPALIVE_PROBE) {
			if (iv == 0)
				FAIL("probe while off");
			if (count > 0 && probes >= count)
				FAIL("more probes than the count");
			if (count <= 0 && zero == KEEPALIVE_ZERO_GIVEUP)
				FAIL("probe at count 0 before 8.2");
			need = probes == 0 ? heard_at : last_probe;
			if (elapsed - need < iv)
				FAIL("probe early");
			if (on_time && elapsed - heard_at !=
			    (probes + 1) * iv)
				FAIL("probe not on its deadline");
			probes++;
			last_probe = elapsed;
		} else if (r == KEEPALIVE_GIVEUP) {
			if (iv == 0)
				FAIL("given up while off");
			if (count > 0) {
				if (probes != count)
					FAIL("given up before all probes");
				if (elapsed - heard_at < (count + 1LL) * iv)
					FAIL("given up early");
				if (elapsed - last_probe < iv)
					FAIL("last probe not given time");
				if (on_time && elapsed - heard_at !=
				    (count + 1LL) * iv)
					FAIL("given up late");
			} else if (zero == KEEPALIVE_ZERO_PROBE)
				FAIL("given up at count 0 after 8.2");
			else if (elapsed - heard_at < iv)
				FAIL("idle limit early");
			(void)keepalive_giveup_reason(&ka, now, buf,
			    sizeof(buf));
			return;
		} else if (r != KEEPALIVE_NONE)
			FAIL("unknown verdict");
		w = keepalive_wait_ms(&ka, now);
		if (w < -1)
			FAIL("wait below -1");
		if (w == -1 && iv > 0 && (count > 0 ||
		    zero == KEEPALIVE_ZERO_PROBE) &&
		    (count <= 0 || probes < count) &&
		    now < KEEPALIVE_NEVER / 4 &&
		    iv <= KEEPALIVE_NEVER / 4 / (probes + 1LL))
			FAIL("wait for ever with a probe to send");
		if (w >= 0 && iv == 0)
			FAIL("wait while off");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 0x80)
		fuzz_parsers(data + 1, size - 1);
	else
		fuzz_engine(data + 1, size - 1);
	return 0;
}

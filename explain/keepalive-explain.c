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
 * keepalive-explain: what ClientAlive* and ServerAlive* do on one OpenSSH
 * release.  The values are read by the patch set's own parsers
 * (module/keepalive.c) with the release's rules (glue/facts, compiled in
 * as facts.h), and the probe and give-up times are those the module's
 * engine computes, so the verdict is the patched release's.  See
 * keepalive-explain.1.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalive.h"

/* What a release does, from glue/facts. */
struct release {
	const char	*name;
	int		 sshd_pf;	/* parser flags, sshd_config */
	int		 ssh_pf;	/* parser flags, ssh_config */
	int		 sshd_zero;	/* ClientAliveCountMax 0 */
	int		 up_serveralive; /* unpatched ssh has ServerAlive* */
	int		 up_printing;	/* unpatched sshd misses a dead client
					   while the program prints */
};

static const struct release releases[] = {
#include "facts.h"
};
#define NRELEASES	(sizeof(releases) / sizeof(releases[0]))

#define MAXNOTES	64
#define NOTELEN		(KEEPALIVE_MSGLEN + 256)
#define WHERELEN	256
#define LINELEN		4096
#define SHOWPROBES	5
#define MAXINPUTS	64

struct setting {
	int	 set;			/* 0: the default is in force */
	int	 value;
	char	 where[WHERELEN];	/* "FILE line N" */
};

struct side {
	int		 which;		/* KEEPALIVE_SSHD or KEEPALIVE_SSH */
	const char	*prog;		/* "sshd", "ssh" */
	const char	*peer;		/* "client", "server" */
	const char	*cfg;		/* "sshd_config", "ssh_config" */
	const char	*kind;		/* "ClientAlive", "ServerAlive" */
	const char	*ikw, *ckw;	/* its interval and count keywords */
	const char	*okw[2];	/* the other program's keywords */
	int		 flags;		/* the release's parser flags */
	int		 zero;		/* the release's meaning of count 0 */
	int		 known;		/* the program has the keywords */
	int		 given;		/* some configuration was read */
	int		 refused;	/* the program would not start */
	struct setting	 interval, count, tcpka;
	int		 nnotes;
	char		 notes[MAXNOTES][NOTELEN];
};

static const struct release *rel;
static int patched = 1;
static int exit_status;

static void __attribute__((noreturn))
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
"Usage: keepalive-explain -r RELEASE [options]\n"
"\n"
"What ClientAliveInterval / ClientAliveCountMax (sshd) and\n"
"ServerAliveInterval / ServerAliveCountMax (ssh) do on RELEASE, patched\n"
"with openssh-keepalive " KEEPALIVE_VERSION " (or unpatched): values the release\n"
"refuses, keywords given to the wrong program, when probes go out and when\n"
"the peer is given up, and whether an idle session outlives a middlebox's\n"
"idle limit.\n"
"\n"
"  -r, --release RELEASE   the OpenSSH release (e.g. 9.2p1)\n"
"  -u, --unpatched         explain the release without the patch set\n"
"  -s, --sshd-config FILE  an sshd_config, or the output of sshd -T\n"
"                          (repeatable; the first value read is in force)\n"
"  -c, --ssh-config FILE   an ssh_config, or the output of ssh -G HOST\n"
"                          (repeatable, e.g. ~/.ssh/config first)\n"
"  -O, --sshd-option K=V   an sshd -o option (read before the files)\n"
"  -o, --ssh-option K=V    an ssh -o option, as ssh, sshfs, scp take it\n"
"                          (read before the files)\n"
"  -i, --idle-limit SECS   a NAT, firewall or load balancer on the path\n"
"                          drops connections idle for SECS seconds\n"
"  -l, --list              list the releases known and exit\n"
"  -h, --help              this help\n"
"  -V, --version           print the version and exit\n"
"\n"
"Exit status: 0 the configuration is accepted (and, with --idle-limit,\n"
"idle sessions are kept); 1 a program would refuse it, or the idle limit\n"
"would cut idle sessions; 2 usage error or unreadable file.\n");
	exit(status);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("keepalive-explain: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void __attribute__((format(printf, 2, 3)))
note(struct side *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nnotes == MAXNOTES - 1)
		snprintf(s->notes[s->nnotes++], NOTELEN, "(more notes left out)");
	if (s->nnotes >= MAXNOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(s->notes[s->nnotes++], NOTELEN, fmt, ap);
	va_end(ap);
}

/* The release of that name, or NULL. */
static const struct release *
find_release(const char *name)
{
	size_t i;

	for (i = 0; i < NRELEASES; i++)
		if (strcmp(releases[i].name, name) == 0)
			return &releases[i];
	return NULL;
}

/* What each side is called; the other side's keywords are its mistakes. */
static const struct names {
	const char	*prog, *peer, *cfg, *kind, *ikw, *ckw;
} names[2] = {
	{ "sshd", "client", "sshd_config", "ClientAlive",
	    "ClientAliveInterval", "ClientAliveCountMax" },	/* KEEPALIVE_SSHD */
	{ "ssh", "server", "ssh_config", "ServerAlive",
	    "ServerAliveInterval", "ServerAliveCountMax" },	/* KEEPALIVE_SSH */
};

static void
side_init(struct side *s, int which)
{
	const struct names *n = &names[which], *o = &names[1 - which];

	memset(s, 0, sizeof(*s));
	s->which = which;
	s->prog = n->prog;
	s->peer = n->peer;
	s->cfg = n->cfg;
	s->kind = n->kind;
	s->ikw = n->ikw;
	s->ckw = n->ckw;
	s->okw[0] = o->ikw;
	s->okw[1] = o->ckw;
	s->known = 1;
	if (which == KEEPALIVE_SSHD) {
		s->flags = rel->sshd_pf;
		s->zero = rel->sshd_zero;
	} else {
		s->flags = rel->ssh_pf;
		/* ssh has always given up after one silent interval. */
		s->zero = KEEPALIVE_ZERO_GIVEUP;
		s->known = patched || rel->up_serveralive;
	}
	s->count.value = 3;		/* the default of every release */
	s->tcpka.value = 1;
}

static int
same(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

static void
refuse(struct side *s, const char *where, const char *what)
{
	note(s, "%s: %s", where, what);
	note(s, "  -> %s refuses to start with this configuration", s->prog);
	s->refused = 1;
	exit_status = 1;
}

/* One keyword and value, from FILE line LINE; ACTIVE: outside Host/Match. */
static void
option(struct side *s, const char *file, int line, const char *kw,
    const char *value, int active)
{
	char msg[KEEPALIVE_MSGLEN], where[WHERELEN], what[NOTELEN];
	struct setting *set;
	int r, v, i, is_count;

	snprintf(where, sizeof(where), "%s line %d", file, line);
	for (i = 0; i < 2; i++) {
		if (!same(kw, s->okw[i]))
			continue;
		snprintf(what, sizeof(what), "Bad configuration option: %s%s",
		    kw, patched ? keepalive_hint(kw, s->which) : "");
		refuse(s, where, what);
		if (!patched)
			note(s, "  (%s is a keyword of %s, not of %s)", s->okw[i],
			    s->which == KEEPALIVE_SSHD ? "ssh_config" :
			    "sshd_config", s->prog);
		return;
	}
	if (same(kw, "TCPKeepAlive") || same(kw, "KeepAlive")) {
		if (active && !s->tcpka.set) {
			s->tcpka.set = 1;
			s->tcpka.value = same(value, "yes");
			snprintf(s->tcpka.where, WHERELEN, "%s", where);
		}
		return;
	}
	if (same(kw, s->ikw))
		is_count = 0;
	else if (same(kw, s->ckw))
		is_count = 1;
	else
		return;		/* not a keepalive keyword */
	if (!s->known) {
		snprintf(what, sizeof(what), "Bad configuration option: %s "
		    "(ssh %s has no %s: it came in 3.8p1; the patched %s "
		    "has it)", kw, rel->name, kw, rel->name);
		refuse(s, where, what);
		return;
	}
	msg[0] = '\0';
	if (is_count)
		r = keepalive_parse_count(file, line, kw, value, s->flags,
		    &v, msg, sizeof(msg));
	else
		r = keepalive_parse_interval(file, line, kw, value, s->flags,
		    &v, msg, sizeof(msg));
	if (r == KEEPALIVE_PARSE_ERR) {
		note(s, "%s", msg);
		note(s, "  -> %s refuses to start with this configuration%s",
		    s->prog, patched ? "" : " (the unpatched release says it "
		    "in its own words)");
		s->refused = 1;
		exit_status = 1;
		return;
	}
	if (r == KEEPALIVE_PARSE_WARN)
		note(s, "%s%s", msg, patched ? " (a warning at startup)" :
		    " (unpatched: silently)");
	set = is_count ? &s->count : &s->interval;
	if (!active) {
		note(s, "%s: %s %s is inside a Host or Match block: not "
		    "counted here (ssh -G HOST / sshd -T -C ... show what a "
		    "connection gets)", where, kw, value);
		return;
	}
	if (set->set) {
		note(s, "%s: %s %s is ignored: the first value read (%s) is "
		    "in force", where, kw, value, set->where);
		return;
	}
	set->set = 1;
	set->value = v;
	snprintf(set->where, WHERELEN, "%s", where);
}

/* Split "Keyword value", "Keyword=value" or "Keyword = value" in place. */
static int
split(char *line, char **kw, char **value)
{
	char *p = line, *e;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	*kw = p;
	while (*p != '\0' && *p != '=' && !isspace((unsigned char)*p))
		p++;
	e = p;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '=')
		p++;
	while (isspace((unsigned char)*p))
		p++;
	*e = '\0';
	*value = p;
	/* The first word: what the release's parser reads. */
	if (*p == '"') {
		*value = ++p;
		while (*p != '\0' && *p != '"')
			p++;
	} else
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
	*p = '\0';
	return 1;
}

static void
read_option(struct side *s, const char *arg)
{
	char buf[LINELEN], *kw, *value;

	if (strlen(arg) >= sizeof(buf))
		die("option too long: %.40s...", arg);
	snprintf(buf, sizeof(buf), "%s", arg);
	if (!split(buf, &kw, &value) || strchr(arg, '=') == NULL)
		die("%s -o: expected KEYWORD=VALUE, got \"%s\"", s->prog, arg);
	s->given = 1;
	option(s, "command-line", 0, kw, value, 1);
}

static void
read_file(struct side *s, const char *path)
{
	char buf[LINELEN], *kw, *value;
	FILE *f;
	int line = 0, active = 1;
	size_t len;

	if ((f = fopen(path, "r")) == NULL)
		die("cannot read %s: %s", path, strerror(errno));
	s->given = 1;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		line++;
		len = strlen(buf);
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n')
			die("%s line %d: line longer than %d bytes", path, line,
			    LINELEN - 2);
		if (!split(buf, &kw, &value))
			continue;
		if (same(kw, "Host"))
			active = strcmp(value, "*") == 0;
		else if (same(kw, "Match"))
			active = same(value, "all");
		else if (same(kw, "Include"))
			note(s, "%s line %d: Include %s: not followed; give "
			    "that file too (-%c)", path, line, value,
			    s->which == KEEPALIVE_SSHD ? 's' : 'c');
		else
			option(s, path, line, kw, value, active);
	}
	if (ferror(f))
		die("error reading %s: %s", path, strerror(errno));
	fclose(f);
}

/* "45 s", "4 min (240 s)", "2 h (7200 s)". */
static const char *
dur(long long ms, char *buf, size_t len)
{
	long long s = ms / 1000;

	if (ms % 1000 != 0)
		snprintf(buf, len, "%lld.%03lld s", s, ms % 1000);
	else if (s >= 7200 && s % 3600 == 0)
		snprintf(buf, len, "%lld h (%lld s)", s / 3600, s);
	else if (s >= 120 && s % 60 == 0)
		snprintf(buf, len, "%lld min (%lld s)", s / 60, s);
	else
		snprintf(buf, len, "%lld s", s);
	return buf;
}

/* Does this side probe an idle, live peer?  Every how many ms? */
static long long
probe_period(const struct side *s)
{
	if (s->refused || s->interval.value <= 0)
		return 0;
	if (s->count.value > 0 || s->zero == KEEPALIVE_ZERO_PROBE)
		return s->interval.value * 1000LL;
	return 0;
}

static void
explain_side(struct side *s)
{
	struct keepalive ka;
	char b1[64], reason[KEEPALIVE_MSGLEN], desc[KEEPALIVE_MSGLEN];
	long long now = 0, probes[SHOWPROBES], giveup = -1;
	int i, n = 0, w, nprobes = 0;

	printf("\n%s (%s*, %s):\n", s->prog, s->kind, s->given ? "as configured" : "nothing given: the "
	    "defaults");
	for (i = 0; i < s->nnotes; i++)
		printf("  %s\n", s->notes[i]);
	if (!s->known) {
		printf("  ssh %s has no ServerAlive* keywords: it never probes "
		    "the server.\n", rel->name);
		return;
	}
	printf("  in force: %s %d (%s), %s %d (%s)\n", s->ikw,
	    s->interval.set ? s->interval.value : 0,
	    s->interval.set ? s->interval.where : "default",
	    s->ckw, s->count.value, s->count.set ? s->count.where : "default");
	if (s->interval.value <= 0) {
		if (s->which == KEEPALIVE_SSHD)
			printf("  sshd never probes: a client that vanishes "
			    "keeps its session until TCP gives up on it: with "
			    "output pending after about 15 min on Linux; when "
			    "idle %s.\n", s->tcpka.value ? "after the kernel's "
			    "TCP keepalive (TCPKeepAlive yes: 2 h and more by "
			    "default)" : "never (TCPKeepAlive no)");
		else
			printf("  ssh never probes the server: a dead server or "
			    "a forgotten NAT mapping leaves ssh (and sshfs, scp, "
			    "git over ssh) hanging until TCP gives up: with "
			    "output pending after about 15 min on Linux; when "
			    "idle %s.\n", s->tcpka.value ? "after the kernel's "
			    "TCP keepalive (TCPKeepAlive yes: 2 h and more by "
			    "default)" : "never (TCPKeepAlive no)");
		return;
	}

	/* The module's engine, on a peer that never answers. */
	keepalive_init(&ka, s->interval.value, s->count.value, s->zero, now);
	for (n = 0; n < 64 && giveup < 0; n++) {
		if ((w = keepalive_wait_ms(&ka, now)) < 0)
			break;
		now += w;
		switch (keepalive_check(&ka, now)) {
		case KEEPALIVE_PROBE:
			if (nprobes < SHOWPROBES)
				probes[nprobes] = now;
			nprobes++;
			break;
		case KEEPALIVE_GIVEUP:
			giveup = now;
			keepalive_giveup_reason(&ka, now, reason,
			    sizeof(reason));
			break;
		}
	}
	if (giveup < 0 && ka.giveup_at != KEEPALIVE_NEVER)
		giveup = ka.giveup_at;

	printf("  a %s that stops answering ", s->peer);
	if (s->count.value > 0) {
		printf("gets probes ");
		for (i = 0; i < nprobes && i < SHOWPROBES; i++)
			printf("%s%lld", i == 0 ? "" : ", ", probes[i] / 1000);
		if (s->count.value > SHOWPROBES)
			printf(", ... (%d probes)", s->count.value);
		printf(" s after its last packet and is %s %s after it.\n",
		    s->which == KEEPALIVE_SSHD ? "disconnected" : "given up",
		    dur(giveup, b1, sizeof(b1)));
	} else if (s->zero == KEEPALIVE_ZERO_PROBE)
		printf("gets a probe every %s and is never given up "
		    "(%s 0 on this release: probes only).\n",
		    dur(s->interval.value * 1000LL, b1, sizeof(b1)), s->ckw);
	else
		printf("gets no probe and is %s %s after its last packet "
		    "(%s 0 on this release: no probe, and an idle %s that is "
		    "alive is %s too unless it sends something).\n",
		    s->which == KEEPALIVE_SSHD ? "disconnected" : "given up",
		    dur(giveup, b1, sizeof(b1)), s->ckw, s->peer,
		    s->which == KEEPALIVE_SSHD ? "disconnected" : "given up");
	if (!patched) {
		if (s->count.value > 0)
			printf("  (unpatched: up to one interval later on "
			    "some releases)\n");
		if (s->which == KEEPALIVE_SSHD && rel->up_printing)
			printf("  unpatched %s sshd does not notice a dead "
			    "client while the remote program keeps printing "
			    "(tail -f, a build log): it waits for TCP, about "
			    "15 min on Linux.  The patched build does.\n",
			    rel->name);
		if (giveup >= 0)
			printf("  log: the release's own \"Timeout, %s not "
			    "responding\" line\n", s->peer);
		return;
	}
	if (giveup >= 0)
		printf("  log at give-up: the release's own \"Timeout, %s "
		    "not responding\" line, then \"%s: %s\"\n", s->peer,
		    s->kind, reason);
	keepalive_init(&ka, s->interval.value, s->count.value, s->zero, 0);
	printf("  %s shows: debug1: %s\n", s->which == KEEPALIVE_SSHD ?
	    "sshd -d" : "ssh -v", keepalive_describe(&ka, desc, sizeof(desc)));
}

static void
explain_both(const struct side *d, const struct side *c, long long limit)
{
	char b1[64], b2[64], b3[64];
	long long pd = probe_period(d), pc = probe_period(c), gap;

	if (pd > 0 && pc > 0) {
		printf("\nboth sides probe:\n");
		if (!patched)
			printf("  each on its own timer: up to two probe "
			    "exchanges per interval.\n");
		else if (pd <= pc + KEEPALIVE_YIELD_MS(pc))
			printf("  one probe exchange every %s of silence: sshd "
			    "probes and ssh only answers (ssh puts its first "
			    "probe after each message from the server off by "
			    "half its interval, %s; its give-up time does not "
			    "move).\n", dur(pd, b1, sizeof(b1)),
			    dur(KEEPALIVE_YIELD_MS(pc), b2, sizeof(b2)));
		else
			printf("  one probe exchange every %s of silence: ssh "
			    "probes, and its probes keep sshd's count at 0.\n",
			    dur(pc, b1, sizeof(b1)));
	}
	/* sshd with count 0 before 8.2: an idle timeout of its own. */
	if (!d->refused && d->interval.value > 0 && d->count.value <= 0 &&
	    d->zero == KEEPALIVE_ZERO_GIVEUP &&
	    (pc == 0 || pc >= d->interval.value * 1000LL)) {
		printf("\nidle sessions:\n  sshd ends every session idle "
		    "for %s (ClientAliveCountMax 0 on %s: no probe, so a live "
		    "but idle client is disconnected too)%s.\n",
		    dur(d->interval.value * 1000LL, b1, sizeof(b1)), rel->name,
		    pc == 0 ? "" : "; ssh's probes come too seldom to prevent "
		    "it");
		if (limit > 0)
			exit_status = 1;
	}
	if (limit <= 0)
		return;
	printf("\nidle limit %s on the path:\n", dur(limit, b1, sizeof(b1)));
	if (pd == 0 && pc == 0) {
		printf("  NOT kept: no side probes, so an idle session sends "
		    "nothing (TCPKeepAlive only after the kernel's "
		    "tcp_keepalive_time, 7200 s by default).  Set %s or %s "
		    "below %s, e.g. %lld.\n", d->ikw, c->ikw,
		    dur(limit, b2, sizeof(b2)), limit / 2000 > 0 ?
		    limit / 2000 : 1);
		exit_status = 1;
		return;
	}
	if (pd > 0 && pc > 0)
		gap = patched ? (pd < pc + KEEPALIVE_YIELD_MS(pc) ? pd :
		    pc + KEEPALIVE_YIELD_MS(pc)) :
		    (pd < pc ? pd : pc);
	else
		gap = pd > 0 ? pd : pc;
	if (gap >= limit) {
		printf("  NOT kept: an idle session sends a packet only every "
		    "%s.  Set the interval below %s, e.g. %lld.\n",
		    dur(gap, b2, sizeof(b2)), dur(limit, b3, sizeof(b3)),
		    limit / 2000 > 0 ? limit / 2000 : 1);
		exit_status = 1;
	} else if (gap * 10 > limit * 8)
		printf("  kept, with little margin: a packet at least every "
		    "%s; a probe delayed by load or a lost packet may come "
		    "too late.\n", dur(gap, b2, sizeof(b2)));
	else
		printf("  kept: an idle session sends a packet at least every "
		    "%s.\n", dur(gap, b2, sizeof(b2)));
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "release",	 required_argument, NULL, 'r' },
		{ "unpatched",	 no_argument,	    NULL, 'u' },
		{ "sshd-config", required_argument, NULL, 's' },
		{ "ssh-config",	 required_argument, NULL, 'c' },
		{ "sshd-option", required_argument, NULL, 'O' },
		{ "ssh-option",	 required_argument, NULL, 'o' },
		{ "idle-limit",	 required_argument, NULL, 'i' },
		{ "list",	 no_argument,	    NULL, 'l' },
		{ "help",	 no_argument,	    NULL, 'h' },
		{ "version",	 no_argument,	    NULL, 'V' },
		{ NULL,		 0,		    NULL, 0 }
	};
	struct {
		int		 side;		/* KEEPALIVE_SSHD or _SSH */
		int		 option;	/* -O/-o, else a file */
		const char	*arg;
	} inputs[MAXINPUTS];
	struct side sides[2];
	const char *relname = NULL;
	int ninputs = 0, ch, i, pass;
	long long limit = 0;
	char *end;
	size_t r;

	while ((ch = getopt_long(argc, argv, "r:us:c:O:o:i:lhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			relname = optarg;
			break;
		case 'u':
			patched = 0;
			break;
		case 's':
		case 'c':
		case 'O':
		case 'o':
			if (ninputs == MAXINPUTS)
				die("at most %d files and options", MAXINPUTS);
			inputs[ninputs].side = ch == 's' || ch == 'O' ?
			    KEEPALIVE_SSHD : KEEPALIVE_SSH;
			inputs[ninputs].option = ch == 'O' || ch == 'o';
			inputs[ninputs++].arg = optarg;
			break;
		case 'i':
			errno = 0;
			limit = strtoll(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    limit <= 0 || limit > INT_MAX)
				die("--idle-limit: expected seconds (1 to "
				    "2147483647), got \"%s\"", optarg);
			limit *= 1000;
			break;
		case 'l':
			for (r = 0; r < NRELEASES; r++)
				printf("%s\n", releases[r].name);
			return 0;
		case 'h':
			usage(0);
		case 'V':
			printf("keepalive-explain (openssh-keepalive %s)\n",
			    KEEPALIVE_VERSION);
			return 0;
		default:
			usage(2);
		}
	}
	if (optind != argc)
		die("unexpected argument \"%s\" (see --help)", argv[optind]);
	if (relname == NULL)
		die("which release? -r RELEASE (one of: %s ... %s; --list "
		    "lists them)", releases[0].name,
		    releases[NRELEASES - 1].name);
	if ((rel = find_release(relname)) == NULL)
		die("unknown release \"%s\"; --list lists the releases known",
		    relname);

	side_init(&sides[KEEPALIVE_SSHD], KEEPALIVE_SSHD);
	side_init(&sides[KEEPALIVE_SSH], KEEPALIVE_SSH);
	/* Command-line options first: the first value read is in force. */
	for (pass = 1; pass >= 0; pass--)
		for (i = 0; i < ninputs; i++) {
			if (inputs[i].option != pass)
				continue;
			if (pass)
				read_option(&sides[inputs[i].side],
				    inputs[i].arg);
			else
				read_file(&sides[inputs[i].side],
				    inputs[i].arg);
		}

	printf("OpenSSH %s, %s\n", rel->name, patched ?
	    "patched with openssh-keepalive " KEEPALIVE_VERSION : "unpatched");
	explain_side(&sides[KEEPALIVE_SSHD]);
	explain_side(&sides[KEEPALIVE_SSH]);
	explain_both(&sides[KEEPALIVE_SSHD], &sides[KEEPALIVE_SSH], limit);
	return exit_status;
}

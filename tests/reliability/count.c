/*
 * count.so: LD_PRELOAD it into ssh and sshd to count, per process, their
 * calls of clock_gettime() and of the poll family (poll, ppoll, select,
 * pselect: one per wakeup of the main loop).  Each call appends "PID c" or
 * "PID p" to the file KA_COUNT_FILE names.  For tests/reliability/off.t.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

/*
 * Each call opens the file anew: sshd closes descriptors it does not know
 * (closefrom) and reuses their numbers, so a descriptor kept open could
 * end up writing into the connection.  A chrooted process cannot reach the
 * file and is not counted (the pre-authentication child, which runs no
 * session loop).
 */
static void
mark(char what)
{
	const char *f = getenv("KA_COUNT_FILE");
	char b[32];
	int fd, n;

	if (f == NULL || (fd = open(f, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0666)) < 0)
		return;
	n = snprintf(b, sizeof(b), "%ld %c\n", (long)getpid(), what);
	if (n > 0 && write(fd, b, (size_t)n) < 0)
		n = 0;
	close(fd);
}

#define REAL(name) \
	static __typeof__(name) *real; \
	if (real == NULL) \
		real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	REAL(clock_gettime);
	mark('c');
	return real(id, ts);
}

int
poll(struct pollfd *fds, nfds_t n, int ms)
{
	REAL(poll);
	mark('p');
	return real(fds, n, ms);
}

int
ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts,
    const sigset_t *mask)
{
	REAL(ppoll);
	mark('p');
	return real(fds, n, ts, mask);
}

int
select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	REAL(select);
	mark('p');
	return real(n, r, w, e, tv);
}

int
pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts,
    const sigset_t *mask)
{
	REAL(pselect);
	mark('p');
	return real(n, r, w, e, ts, mask);
}

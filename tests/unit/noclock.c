/*
 * noclock.so: clock_gettime() fails, as where no monotonic clock works;
 * LD_PRELOAD it to test the wall-clock fallback of keepalive_now().
 */

#include <errno.h>
#include <time.h>

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	(void)id;
	(void)ts;
	errno = EINVAL;
	return -1;
}

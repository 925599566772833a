#include "clock_shim.h"

#include <errno.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int guide_clock_set_watch_open(void) {
    int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) return -errno;
    // The largest time_t: the kernel clamps it to its own end of time (year 2262), so the
    // timer cannot expire before the clock is set (systemd arms its watch the same way).
    struct itimerspec when = {0};
    when.it_value.tv_sec = (time_t)(((uint64_t)1 << (sizeof(time_t) * 8 - 1)) - 1);
    if (timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &when, NULL) < 0) {
        int code = errno;
        close(fd);
        return -code;
    }
    return fd;
}

#ifndef GUIDE_CLOCK_SHIM_H
#define GUIDE_CLOCK_SHIM_H

/// Opens a CLOCK_REALTIME timerfd (non-blocking, close-on-exec) armed at the end of time
/// with TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET. It never expires; instead the kernel
/// cancels it, so that it polls readable and `read` fails with ECANCELED, whenever the wall
/// clock is set (clock_settime, settimeofday, an NTP step, adjtimex ADJ_SETOFFSET, a leap
/// second) and when the system resumes from suspend (the kernel's timerfd_resume).
/// Returns the descriptor, or -errno.
///
/// Why C: Swift's Glibc module does not export <sys/timerfd.h>.
int guide_clock_set_watch_open(void);

#endif

/*
 * onset-reader FIFO LOG [GAP_MS]
 *
 * The far end of the benchmark's ALSA pipe device. Holds FIFO open read-write (so it
 * never sees end-of-file and writers never block on open), reads everything written to
 * it, and appends one line to LOG for every tone onset: the CLOCK_MONOTONIC time in
 * nanoseconds at which the first non-zero byte of a tone arrived. A tone starts at the
 * first non-zero byte that follows at least GAP_MS (default 150) without any non-zero
 * byte. Cues are written to the device as a whole (the file plugin over its null slave
 * takes samples instantly), so every byte of one cue arrives within a few ms, while
 * cues are at least a second apart.
 *
 * One persistent reader rather than `file "|command"`: the pipe form starts its command
 * (through /bin/sh) at every snd_pcm_open, and aplay opens the device once per tone, so
 * the baseline would be charged a shell start per cue. Both guided and the aplay loop
 * write to a FIFO read by this process, which is started before either.
 *
 * Exits on SIGTERM/SIGINT (default action); LOG is written line by line, unbuffered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: onset-reader FIFO LOG [GAP_MS]\n");
        return 64;
    }
    int64_t gap = (argc > 3 ? atoll(argv[3]) : 150) * 1000000LL;
    int in = open(argv[1], O_RDWR | O_CLOEXEC);
    if (in < 0) {
        fprintf(stderr, "onset-reader: cannot open %s: %s\n", argv[1], strerror(errno));
        return 66;
    }
    int out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) {
        fprintf(stderr, "onset-reader: cannot open %s: %s\n", argv[2], strerror(errno));
        return 73;
    }
    static unsigned char buffer[1 << 16];
    int64_t last_sound = INT64_MIN / 2;
    for (;;) {
        ssize_t n = read(in, buffer, sizeof buffer);
        int64_t t = now_ns();
        if (n < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "onset-reader: read: %s\n", strerror(errno));
            return 74;
        }
        if (n == 0) continue; /* cannot happen with O_RDWR, but never spin on it */
        int sound = 0;
        for (ssize_t i = 0; i < n; i++) {
            if (buffer[i] != 0) { sound = 1; break; }
        }
        if (!sound) continue;
        if (t - last_sound >= gap) {
            char line[32];
            int len = snprintf(line, sizeof line, "%lld\n", (long long)t);
            if (write(out, line, (size_t)len) != len) return 74;
        }
        last_sound = t;
    }
}

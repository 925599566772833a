/* The smallest status client there is, to tell a daemon's share of a whole-process
 * `status` from its CLI's: the same C program asks guided (one request line, one reply
 * line) or mpd (greeting, `status`, lines up to OK), so the difference between its two
 * rows is the daemons' alone. Built by run.sh; statically linked, like the guidectl
 * that is installed.
 *
 *   status-client SOCKET          guided's protocol
 *   status-client --mpd SOCKET    mpd's protocol
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static char buffer[1 << 16];

/* Reads until the bytes read so far end with `end`; returns their count, or -1. */
static int read_until(int fd, const char *end) {
    size_t total = 0, n = strlen(end);
    for (;;) {
        ssize_t got = read(fd, buffer + total, sizeof buffer - total);
        if (got <= 0) return -1;
        total += (size_t)got;
        if (total >= n && memcmp(buffer + total - n, end, n) == 0) return (int)total;
        if (total == sizeof buffer) return -1;
    }
}

int main(int argc, char **argv) {
    int mpd = argc == 3 && strcmp(argv[1], "--mpd") == 0;
    const char *path = argv[argc - 1];
    if (argc != 2 + mpd) {
        fprintf(stderr, "usage: status-client [--mpd] SOCKET\n");
        return 64;
    }
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strncpy(address.sun_path, path, sizeof address.sun_path - 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        perror(path);
        return 69;
    }
    int length;
    if (mpd) {
        if (read_until(fd, "\n") < 0 || write(fd, "status\n", 7) != 7) return 70;
        length = read_until(fd, "OK\n");
    } else {
        static const char request[] = "{\"id\":1,\"command\":\"status\"}\n";
        if (write(fd, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) return 70;
        length = read_until(fd, "\n");
    }
    if (length < 0) return 70;
    return fwrite(buffer, 1, (size_t)length, stdout) == (size_t)length ? 0 : 74;
}

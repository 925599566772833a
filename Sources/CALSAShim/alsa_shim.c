// libasound behind the small surface of alsa_shim.h. Kept deliberately thin: policy
// (retries, logging, status) lives in Swift; this file only turns ALSA's calling
// conventions into ones Swift can use.

#include "alsa_shim.h"

#include <alsa/asoundlib.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct guide_pcm {
    snd_pcm_t *pcm;
    unsigned channels;
};

// MARK: - Quiet error handler

static _Atomic(guide_alsa_message_fn) message_callback = NULL;
static pthread_once_t handler_once = PTHREAD_ONCE_INIT;

// The text of the last message on this thread, without the "ALSA lib file:line:(function) "
// prefix. libasound often reports a dead pipe as a bare -EIO and says "Broken pipe" only
// in its message; keeping it lets the error in the status say why.
static _Thread_local char last_message[512];

// libasound's default handler prints "ALSA lib file:line:(function) message" to stderr.
// This one formats the same text into a buffer and hands it to Swift (or drops it), so a
// missing device costs a log line at the level the daemon chooses instead of stderr noise.
static void quiet_error_handler(const char *file, int line, const char *function, int err,
                                const char *fmt, ...) {
    guide_alsa_message_fn callback = atomic_load(&message_callback);
    char buffer[1024];
    int used = snprintf(buffer, sizeof buffer, "ALSA lib %s:%d:(%s) ", file ? file : "?", line,
                        function ? function : "?");
    if (used < 0 || (size_t)used >= sizeof buffer) {
        used = 0;
    }
    va_list args;
    va_start(args, fmt);
    vsnprintf(buffer + used, sizeof buffer - (size_t)used, fmt, args);
    va_end(args);
    if (err != 0) {
        size_t length = strlen(buffer);
        snprintf(buffer + length, sizeof buffer - length, ": %s", snd_strerror(err));
    }
    snprintf(last_message, sizeof last_message, "%s", buffer + used);
    if (callback != NULL) {
        callback(buffer);
    }
}

static void install_handler(void) {
    snd_lib_error_set_handler(quiet_error_handler);
}

static void ensure_handler(void) {
    pthread_once(&handler_once, install_handler);
}

const char *guide_alsa_last_message(void) {
    return last_message;
}

void guide_alsa_clear_last_message(void) {
    last_message[0] = '\0';
}

void guide_alsa_set_message_callback(guide_alsa_message_fn callback) {
    atomic_store(&message_callback, callback);
    ensure_handler();
}

// MARK: - PCM

int guide_pcm_open(const char *name, unsigned rate, unsigned channels, unsigned latency_us,
                   guide_pcm **out) {
    *out = NULL;
    ensure_handler();
    if (name == NULL || channels == 0) {
        return -EINVAL;
    }
    snd_pcm_t *pcm = NULL;
    int err = snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, 0);
    if (err < 0) {
        return err;
    }
    err = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, channels,
                             rate, 1 /* soft resample */, latency_us);
    if (err < 0) {
        snd_pcm_close(pcm);
        return err;
    }
    // snd_pcm_set_params starts a stream only once its whole buffer is full; guide keeps
    // only a short stretch queued, so start on the first frame.
    snd_pcm_sw_params_t *software = NULL;
    err = snd_pcm_sw_params_malloc(&software);
    if (err == 0) {
        err = snd_pcm_sw_params_current(pcm, software);
        if (err == 0) err = snd_pcm_sw_params_set_start_threshold(pcm, software, 1);
        if (err == 0) err = snd_pcm_sw_params(pcm, software);
        snd_pcm_sw_params_free(software);
    }
    if (err < 0) {
        snd_pcm_close(pcm);
        return err;
    }
    guide_pcm *handle = malloc(sizeof *handle);
    if (handle == NULL) {
        snd_pcm_close(pcm);
        return -ENOMEM;
    }
    handle->pcm = pcm;
    handle->channels = channels;
    *out = handle;
    return 0;
}

int guide_pcm_delay(guide_pcm *pcm, long *frames) {
    snd_pcm_sframes_t delay = 0;
    int err = snd_pcm_delay(pcm->pcm, &delay);
    *frames = err < 0 ? 0 : (long)delay;
    return err;
}

long guide_pcm_avail(guide_pcm *pcm) {
    return (long)snd_pcm_avail_update(pcm->pcm);
}

int guide_pcm_is_instant(guide_pcm *pcm) {
    snd_pcm_type_t type = snd_pcm_type(pcm->pcm);
    return type == SND_PCM_TYPE_NULL || type == SND_PCM_TYPE_FILE;
}

int guide_pcm_ready(guide_pcm *pcm) {
    switch (snd_pcm_state(pcm->pcm)) {
    case SND_PCM_STATE_RUNNING:
    case SND_PCM_STATE_PREPARED:
        return 0;
    default:
        return snd_pcm_prepare(pcm->pcm);
    }
}

int guide_alsa_load_config(void) {
    ensure_handler();
    return snd_config_update();
}

int guide_pcm_prepare(guide_pcm *pcm) {
    return snd_pcm_prepare(pcm->pcm);
}

long guide_pcm_write(guide_pcm *pcm, const int16_t *frames, size_t count) {
    size_t done = 0;
    // Recovery that makes no progress is a dead device, not an underrun: give up after a
    // few tries instead of looping (a broken pipe can look like -EPIPE, which recover
    // "fixes" by preparing, and the next write fails again).
    int fruitless_recoveries = 0;
    while (done < count) {
        snd_pcm_sframes_t n =
            snd_pcm_writei(pcm->pcm, frames + done * pcm->channels, (snd_pcm_uframes_t)(count - done));
        if (n >= 0) {
            if (n > 0) {
                fruitless_recoveries = 0;
            }
            done += (size_t)n;
            continue;
        }
        if (n == -EAGAIN) {
            snd_pcm_wait(pcm->pcm, 100);
            continue;
        }
        if ((n == -EPIPE || n == -ESTRPIPE || n == -EINTR) && fruitless_recoveries < 3) {
            fruitless_recoveries += 1;
            int err = snd_pcm_recover(pcm->pcm, (int)n, 1 /* silent */);
            if (err < 0) {
                return err;
            }
            continue;
        }
        return (long)n;
    }
    return (long)done;
}

int guide_pcm_drain(guide_pcm *pcm) {
    return snd_pcm_drain(pcm->pcm);
}

int guide_pcm_drain_within(guide_pcm *pcm, unsigned timeout_ms) {
    snd_pcm_nonblock(pcm->pcm, 1);
    int err = snd_pcm_drain(pcm->pcm);
    unsigned waited = 0;
    while (err == -EAGAIN && snd_pcm_state(pcm->pcm) == SND_PCM_STATE_DRAINING) {
        if (waited >= timeout_ms) {
            snd_pcm_drop(pcm->pcm);
            err = -ETIMEDOUT;
            break;
        }
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
        waited += 10;
    }
    if (err == -EAGAIN) {
        err = 0;  // the drain finished while we looked
    }
    snd_pcm_nonblock(pcm->pcm, 0);
    return err;
}

void guide_pcm_close(guide_pcm *pcm) {
    if (pcm == NULL) {
        return;
    }
    snd_pcm_close(pcm->pcm);
    free(pcm);
}

const char *guide_strerror(int err) {
    return snd_strerror(err < 0 ? err : -err);
}

// MARK: - Device list

int guide_list_devices(guide_device_fn callback, void *context) {
    ensure_handler();
    void **hints = NULL;
    int err = snd_device_name_hint(-1, "pcm", &hints);
    if (err < 0) {
        return err;
    }
    for (void **hint = hints; *hint != NULL; hint++) {
        char *name = snd_device_name_get_hint(*hint, "NAME");
        char *description = snd_device_name_get_hint(*hint, "DESC");
        char *io = snd_device_name_get_hint(*hint, "IOID");
        // IOID is NULL for devices that do both directions; skip capture-only ones.
        if (name != NULL && (io == NULL || strcmp(io, "Output") == 0)) {
            callback(name, description, context);
        }
        free(name);
        free(description);
        free(io);
    }
    snd_device_name_free_hint(hints);
    return 0;
}

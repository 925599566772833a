#include "sndfile_shim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libsndfile is opened with dlopen the first time a session names a sound file, not
// linked: it pulls in FLAC, Vorbis, Opus, mpg123, LAME, … which every `guidectl status`
// would otherwise load and relocate. The header still comes from libsndfile1-dev, for
// the types.

/// The functions guide calls, typed from the header's declarations.
static struct {
    void *handle;
    __typeof__(sf_open_fd) *open_fd;
    __typeof__(sf_readf_float) *readf_float;
    __typeof__(sf_strerror) *strerror;
    __typeof__(sf_close) *close;
} api;

static char library_error[512];
/// Serializes everything: sf_strerror(NULL) reads one process-wide error after a failed open.
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/// Opens the library (once it is open, it stays); 0 or SNDFILE_SHIM_NO_LIBRARY with the
/// reason in library_error.
/// Called with `lock` held.
static int load_library(void) {
    if (api.handle) return 0;
    // A failure is not remembered: after `apt install libsndfile1`, a reload finds it.
    void *handle = dlopen(SNDFILE_SHIM_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(library_error, sizeof library_error, "%s (is libsndfile1 installed?)",
                 reason ? reason : SNDFILE_SHIM_LIBRARY);
        return SNDFILE_SHIM_NO_LIBRARY;
    }
#define LOOK_UP(field, symbol)                                                                         \
    do {                                                                                               \
        *(void **)&api.field = dlsym(handle, symbol);                                                  \
        if (api.field == NULL) {                                                                       \
            snprintf(library_error, sizeof library_error, "%s has no " symbol ": not libsndfile?",     \
                     SNDFILE_SHIM_LIBRARY);                                                            \
            memset(&api, 0, sizeof api);                                                               \
            dlclose(handle);                                                                           \
            return SNDFILE_SHIM_NO_LIBRARY;                                                            \
        }                                                                                              \
    } while (0)
    LOOK_UP(open_fd, "sf_open_fd");
    LOOK_UP(readf_float, "sf_readf_float");
    LOOK_UP(strerror, "sf_strerror");
    LOOK_UP(close, "sf_close");
#undef LOOK_UP
    api.handle = handle;  // kept open for the life of the process
    return 0;
}

/// Copies libsndfile's sentence, without its trailing full stop and newline, into `error`.
static void copy_error(const char *text, char *error, size_t error_size) {
    snprintf(error, error_size, "%s", text ? text : "unknown libsndfile error");
    size_t length = strlen(error);
    while (length > 0 && (error[length - 1] == '\n' || error[length - 1] == '.' || error[length - 1] == ' ')) {
        error[--length] = 0;
    }
}

static int read_locked(int fd, double max_seconds, sndfile_shim_sound *out, char *error, size_t error_size) {
    int status = load_library();
    if (status != 0) {
        snprintf(error, error_size, "%s", library_error);
        return status;
    }
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *file = api.open_fd(fd, SFM_READ, &info, 0);
    if (file == NULL) {
        copy_error(api.strerror(NULL), error, error_size);
        return SNDFILE_SHIM_UNDECODABLE;
    }
    out->sample_rate = info.samplerate;
    out->channels = info.channels;
    out->frames = info.frames;
    if (info.samplerate <= 0 || info.channels <= 0) {
        api.close(file);
        snprintf(error, error_size, "the file reports %d channels at %d Hz", info.channels, info.samplerate);
        return SNDFILE_SHIM_UNDECODABLE;
    }
    if ((double)info.frames > max_seconds * info.samplerate) {
        api.close(file);
        snprintf(error, error_size, "too long");
        return SNDFILE_SHIM_TOO_LONG;
    }
    if (info.frames <= 0) {
        api.close(file);
        snprintf(error, error_size, "holds no sound");
        return SNDFILE_SHIM_EMPTY;
    }
    int16_t *samples = malloc((size_t)info.frames * sizeof *samples);
    enum { CHUNK = 4096 };
    float *chunk = malloc((size_t)CHUNK * (size_t)info.channels * sizeof *chunk);
    if (samples == NULL || chunk == NULL) {
        free(samples);
        free(chunk);
        api.close(file);
        snprintf(error, error_size, "out of memory");
        return SNDFILE_SHIM_NO_MEMORY;
    }
    int64_t done = 0;
    while (done < info.frames) {
        sf_count_t want = info.frames - done < CHUNK ? info.frames - done : CHUNK;
        sf_count_t got = api.readf_float(file, chunk, want);
        if (got <= 0) break;
        for (sf_count_t frame = 0; frame < got; frame++) {
            double sum = 0;
            for (int channel = 0; channel < info.channels; channel++) sum += chunk[frame * info.channels + channel];
            double value = sum / info.channels * 32767.0;
            if (!(value > -32768.0)) value = -32768.0;  // also NaN
            if (value > 32767.0) value = 32767.0;
            samples[done + frame] = (int16_t)(value < 0 ? value - 0.5 : value + 0.5);
        }
        done += got;
    }
    free(chunk);
    // A file cut short decodes what it has; one whose data cannot be read at all is an error.
    if (done == 0) {
        copy_error(api.strerror(file), error, error_size);
        if (strcmp(error, "No Error") == 0) snprintf(error, error_size, "holds no sound");
        api.close(file);
        free(samples);
        return SNDFILE_SHIM_UNDECODABLE;
    }
    api.close(file);
    out->samples = samples;
    out->frames = done;
    return 0;
}

int sndfile_shim_read_mono(int fd, double max_seconds, sndfile_shim_sound *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    if (error_size > 0) error[0] = 0;
    pthread_mutex_lock(&lock);
    int status = read_locked(fd, max_seconds, out, error, error_size);
    pthread_mutex_unlock(&lock);
    return status;
}

void sndfile_shim_free(int16_t *samples) { free(samples); }

#include "espeak_shim.h"

#include <dlfcn.h>
#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libespeak-ng is opened with dlopen the first time a session wants a voice, not linked:
// it pulls in some 35 shared libraries (PulseAudio, X11, sndfile, FLAC, Vorbis, systemd,
// gcrypt, …) that an idle daemon, or one that never speaks, would otherwise load, relocate
// and keep resident. The header still comes from libespeak-ng-dev, for the types.

enum {
    SHIM_NOT_INITIALIZED = -1,
    SHIM_NO_DATA = -2,
    SHIM_NO_VOICE = -3,
    SHIM_SYNTH_FAILED = -4,
    SHIM_NO_MEMORY = -5,
    SHIM_BAD_PARAMETER = -6,
    SHIM_NO_LIBRARY = -7,
};

/// The functions guide calls, looked up in the library once it is open (typed from the
/// header's declarations, so a mismatch does not compile).
static struct {
    void *handle;
    __typeof__(espeak_Initialize) *Initialize;
    __typeof__(espeak_SetSynthCallback) *SetSynthCallback;
    __typeof__(espeak_SetVoiceByName) *SetVoiceByName;
    __typeof__(espeak_SetParameter) *SetParameter;
    __typeof__(espeak_Synth) *Synth;
    __typeof__(espeak_Synchronize) *Synchronize;
    __typeof__(espeak_Info) *Info;
    __typeof__(espeak_Terminate) *Terminate;
} api;

static char library_error[512];
static int initialized = 0;

/// Opens `library` (NULL: the default) and looks up the functions; 0 or SHIM_NO_LIBRARY,
/// with the reason in library_error. Once one library is open, later calls use it.
static int load_library(const char *library) {
    if (api.handle) return 0;
    const char *name = library ? library : ESPEAK_SHIM_DEFAULT_LIBRARY;
    void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        // dlerror names the file: "libespeak-ng.so.1: cannot open shared object file: …".
        snprintf(library_error, sizeof library_error, "%s (is libespeak-ng1 installed?)",
                 reason ? reason : name);
        return SHIM_NO_LIBRARY;
    }
#define LOOK_UP(field)                                                                                      \
    do {                                                                                                    \
        *(void **)&api.field = dlsym(handle, "espeak_" #field);                                             \
        if (api.field == NULL) {                                                                            \
            snprintf(library_error, sizeof library_error, "%s has no espeak_" #field ": not espeak-ng?", name); \
            memset(&api, 0, sizeof api);                                                                    \
            dlclose(handle);                                                                                \
            return SHIM_NO_LIBRARY;                                                                         \
        }                                                                                                   \
    } while (0)
    LOOK_UP(Initialize);
    LOOK_UP(SetSynthCallback);
    LOOK_UP(SetVoiceByName);
    LOOK_UP(SetParameter);
    LOOK_UP(Synth);
    LOOK_UP(Synchronize);
    LOOK_UP(Info);
    LOOK_UP(Terminate);
#undef LOOK_UP
    // Kept open for the life of the process once a session has spoken (as when it was
    // linked): espeak-ng keeps global state, and SpeechSynthesizer keeps its voice loaded.
    api.handle = handle;
    return 0;
}

struct collector {
    int16_t *samples;
    size_t count;
    size_t capacity;
    int failed;
};

/// Called by espeak_Synth (synchronously, on the calling thread) with each chunk of
/// samples; events[0].user_data is the collector given to espeak_Synth.
static int collect(short *wav, int count, espeak_EVENT *events) {
    if (wav == NULL || count <= 0 || events == NULL) return 0;
    struct collector *c = events[0].user_data;
    if (c == NULL || c->failed) return 0;
    if (c->count + (size_t)count > c->capacity) {
        size_t capacity = c->capacity ? c->capacity : 16384;
        while (capacity < c->count + (size_t)count) capacity *= 2;
        int16_t *grown = realloc(c->samples, capacity * sizeof(int16_t));
        if (grown == NULL) {
            c->failed = 1;
            return 1;  // abort synthesis
        }
        c->samples = grown;
        c->capacity = capacity;
    }
    memcpy(c->samples + c->count, wav, (size_t)count * sizeof(int16_t));
    c->count += (size_t)count;
    return 0;
}

int espeak_shim_initialize(const char *library, const char *data_path, int *sample_rate) {
    int loaded = load_library(library);
    if (loaded != 0) return loaded;
    // DONT_EXIT: without it espeak-ng calls exit() when its data is missing.
    int rate = api.Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, data_path, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) return SHIM_NO_DATA;
    api.SetSynthCallback(collect);
    initialized = 1;
    if (sample_rate) *sample_rate = rate;
    return 0;
}

int espeak_shim_set_voice(const char *name) {
    if (!initialized) return SHIM_NOT_INITIALIZED;
    return api.SetVoiceByName(name) == EE_OK ? 0 : SHIM_NO_VOICE;
}

int espeak_shim_set_rate(int words_per_minute) {
    if (!initialized) return SHIM_NOT_INITIALIZED;
    return api.SetParameter(espeakRATE, words_per_minute, 0) == EE_OK ? 0 : SHIM_BAD_PARAMETER;
}

int espeak_shim_set_volume(int volume) {
    if (!initialized) return SHIM_NOT_INITIALIZED;
    return api.SetParameter(espeakVOLUME, volume, 0) == EE_OK ? 0 : SHIM_BAD_PARAMETER;
}

int espeak_shim_synthesize(const char *text, int16_t **samples, size_t *count) {
    *samples = NULL;
    *count = 0;
    if (!initialized) return SHIM_NOT_INITIALIZED;
    struct collector c = {0};
    espeak_ERROR result = api.Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &c);
    if (result == EE_OK) result = api.Synchronize();
    if (c.failed) {
        free(c.samples);
        return SHIM_NO_MEMORY;
    }
    if (result != EE_OK) {
        free(c.samples);
        return SHIM_SYNTH_FAILED;
    }
    *samples = c.samples;
    *count = c.count;
    return 0;
}

void espeak_shim_free(int16_t *samples) { free(samples); }

const char *espeak_shim_error_text(int error) {
    switch (error) {
    case 0: return "no error";
    case SHIM_NOT_INITIALIZED: return "espeak-ng is not initialized";
    case SHIM_NO_DATA: return "espeak-ng cannot load its data (is espeak-ng-data installed?)";
    case SHIM_NO_VOICE: return "no such espeak-ng voice (see 'espeak-ng --voices')";
    case SHIM_SYNTH_FAILED: return "espeak-ng could not synthesize the text";
    case SHIM_NO_MEMORY: return "out of memory while synthesizing";
    case SHIM_BAD_PARAMETER: return "espeak-ng refused the rate or volume";
    case SHIM_NO_LIBRARY: return library_error[0] ? library_error : "cannot load " ESPEAK_SHIM_DEFAULT_LIBRARY;
    default: return "unknown espeak-ng error";
    }
}

const char *espeak_shim_version(void) {
    if (!api.handle) return NULL;
    const char *path = NULL;
    return api.Info(&path);
}

void espeak_shim_terminate(void) {
    if (initialized) api.Terminate();
    initialized = 0;
}

#include "espeak_shim.h"

#include <espeak-ng/speak_lib.h>
#include <stdlib.h>
#include <string.h>

enum {
    SHIM_NOT_INITIALIZED = -1,
    SHIM_NO_DATA = -2,
    SHIM_NO_VOICE = -3,
    SHIM_SYNTH_FAILED = -4,
    SHIM_NO_MEMORY = -5,
    SHIM_BAD_PARAMETER = -6,
};

struct collector {
    int16_t *samples;
    size_t count;
    size_t capacity;
    int failed;
};

static int initialized = 0;

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

int espeak_shim_initialize(const char *data_path, int *sample_rate) {
    // DONT_EXIT: without it espeak-ng calls exit() when its data is missing.
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, data_path, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) return SHIM_NO_DATA;
    espeak_SetSynthCallback(collect);
    initialized = 1;
    if (sample_rate) *sample_rate = rate;
    return 0;
}

int espeak_shim_set_voice(const char *name) {
    if (!initialized) return SHIM_NOT_INITIALIZED;
    return espeak_SetVoiceByName(name) == EE_OK ? 0 : SHIM_NO_VOICE;
}

int espeak_shim_set_rate(int words_per_minute) {
    if (!initialized) return SHIM_NOT_INITIALIZED;
    return espeak_SetParameter(espeakRATE, words_per_minute, 0) == EE_OK ? 0 : SHIM_BAD_PARAMETER;
}

int espeak_shim_set_volume(int volume) {
    if (!initialized) return SHIM_NOT_INITIALIZED;
    return espeak_SetParameter(espeakVOLUME, volume, 0) == EE_OK ? 0 : SHIM_BAD_PARAMETER;
}

int espeak_shim_synthesize(const char *text, int16_t **samples, size_t *count) {
    *samples = NULL;
    *count = 0;
    if (!initialized) return SHIM_NOT_INITIALIZED;
    struct collector c = {0};
    espeak_ERROR result = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &c);
    if (result == EE_OK) result = espeak_Synchronize();
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
    default: return "unknown espeak-ng error";
    }
}

const char *espeak_shim_version(void) {
    const char *path = NULL;
    return espeak_Info(&path);
}

void espeak_shim_terminate(void) {
    if (initialized) espeak_Terminate();
    initialized = 0;
}

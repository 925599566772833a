#ifndef ESPEAK_SHIM_H
#define ESPEAK_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// The whole of espeak-ng guide uses: synthesis to mono S16 samples in memory
/// (AUDIO_OUTPUT_SYNCHRONOUS with a callback that collects them), never espeak's own
/// audio output. espeak-ng keeps global state and is not thread-safe: call these from one
/// thread only. Errors are negative numbers; espeak_shim_error_text names them.

/// The shared library espeak_shim_initialize opens when given NULL (the runtime name, so
/// that only libespeak-ng1, not libespeak-ng-dev, is needed to speak).
#define ESPEAK_SHIM_DEFAULT_LIBRARY "libespeak-ng.so.1"

/// Opens libespeak-ng (`library` NULL for ESPEAK_SHIM_DEFAULT_LIBRARY; once one is open it
/// stays open and `library` is ignored), loads its data (`data_path` NULL for the default)
/// and reports the sample rate the samples come at (22050 Hz for espeak-ng). Returns 0 or a
/// negative error; espeak_shim_error_text says why the library could not be opened.
int espeak_shim_initialize(const char *library, const char *data_path, int *sample_rate);

/// Selects a voice by name ("en", "en-us", "de", …). Returns 0 or a negative error.
int espeak_shim_set_voice(const char *name);

/// Speaking rate in words per minute (80–450) and volume (0–200, 100 normal).
int espeak_shim_set_rate(int words_per_minute);
int espeak_shim_set_volume(int volume);

/// Speaks `text` (UTF-8) into a new buffer of mono S16 samples at the reported rate:
/// `*samples` is set to a malloc'd buffer (free it with espeak_shim_free) holding
/// `*count` samples. Returns 0 or a negative error (then *samples is NULL).
int espeak_shim_synthesize(const char *text, int16_t **samples, size_t *count);

void espeak_shim_free(int16_t *samples);

/// A sentence for an error returned by the functions above.
const char *espeak_shim_error_text(int error);

/// The library's version text, e.g. "1.51"; NULL before the library is open.
const char *espeak_shim_version(void);

void espeak_shim_terminate(void);

#endif

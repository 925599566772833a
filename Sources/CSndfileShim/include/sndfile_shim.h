#ifndef SNDFILE_SHIM_H
#define SNDFILE_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// The whole of libsndfile guide uses: decode one sound file (WAV, FLAC, Ogg Vorbis, …)
/// into mono S16 samples in memory, for cues that play a recorded sound. libsndfile is
/// opened with dlopen on first use, so that programs that never meet a sound file
/// (`guidectl status`, a daemon whose sessions use tones) do not load it and the ten
/// libraries it pulls in. Calls are serialized inside the shim (libsndfile reports open
/// errors through one global), so they may come from any thread.

/// The shared library the shim opens (the runtime name: libsndfile1, not -dev, is needed).
#define SNDFILE_SHIM_LIBRARY "libsndfile.so.1"

enum {
    /// libsndfile could not be opened; the text says why.
    SNDFILE_SHIM_NO_LIBRARY = -1,
    /// libsndfile does not recognise or cannot decode the data; the text is its own.
    SNDFILE_SHIM_UNDECODABLE = -2,
    /// The sound lasts longer than allowed; frames and sample_rate are set.
    SNDFILE_SHIM_TOO_LONG = -3,
    /// The file holds no samples.
    SNDFILE_SHIM_EMPTY = -4,
    SNDFILE_SHIM_NO_MEMORY = -5,
};

/// A decoded sound: `frames` mono samples at `sample_rate`, mixed down from `channels`.
typedef struct {
    int16_t *samples;
    int64_t frames;
    int sample_rate;
    int channels;
} sndfile_shim_sound;

/// Decodes the sound file open for reading on `fd` (the caller opened it, checked that it
/// is a regular file, and closes it afterwards). Every channel is averaged into one; samples
/// beyond full scale are clipped. A sound longer than `max_seconds` is refused from its
/// header, before anything is decoded. On success returns 0 and `out->samples` is a
/// malloc'd buffer to free with sndfile_shim_free; on failure returns one of the negative
/// codes above with a sentence in `error` (always NUL-terminated) and `out->samples` NULL.
int sndfile_shim_read_mono(int fd, double max_seconds, sndfile_shim_sound *out, char *error, size_t error_size);

void sndfile_shim_free(int16_t *samples);

#endif

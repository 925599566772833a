#pragma once
// The whole of libasound that guide uses, behind a surface Swift can call directly:
// plain C types, errors as negative errno values (text via guide_strerror), and no
// variadic functions or macros (Swift cannot see snd_pcm_hw_params_alloca or call a
// variadic error handler). Nothing outside this target includes <alsa/asoundlib.h>.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An open playback PCM (opaque; one thread at a time).
typedef struct guide_pcm guide_pcm;

/// Opens `name` for playback as S16_LE interleaved with `channels` channels at `rate` Hz
/// (libasound resamples in software if the device needs it) and about `latency_us` of
/// buffering. The stream starts with its first frame written (not once the buffer is
/// full), so a cue written into a fresh stream plays at once. On success stores the handle in `*out` and returns 0; on failure returns a
/// negative errno and leaves `*out` NULL. Installs the quiet error handler first.
int guide_pcm_open(const char *name, unsigned rate, unsigned channels, unsigned latency_us,
                   guide_pcm **out);

/// Frames between the next frame written and the listener's ear: what is queued in the
/// device (and, through a sound server, the server's own latency). Stores it in `*frames`;
/// returns 0 or a negative errno (-EPIPE after an underrun). `null` and `file` devices,
/// which take samples instantly, report 0 — that is how guide tells them from devices
/// that play in real time.
int guide_pcm_delay(guide_pcm *pcm, long *frames);

/// Frames that can be written without blocking (snd_pcm_avail_update), or a negative errno.
long guide_pcm_avail(guide_pcm *pcm);

/// 1 if the PCM is a `null` or `file` PCM (by its type), which take samples instantly
/// instead of playing them in real time; 0 otherwise.
int guide_pcm_is_instant(guide_pcm *pcm);

/// Makes the PCM writable again if it is not (after a drain, an underrun or a suspend it
/// is not RUNNING or PREPARED): snd_pcm_prepare then. Returns 0 or a negative errno.
int guide_pcm_ready(guide_pcm *pcm);

/// Reads libasound's configuration now (snd_config_update), so that the first open of a
/// session does not parse it while a cue is due.
int guide_alsa_load_config(void);

/// Readies the PCM for a new cue. Required before every cue: after a drain the PCM is in
/// SETUP state and writes fail with -EBADFD (snd_pcm_recover does not fix that).
int guide_pcm_prepare(guide_pcm *pcm);

/// Writes `count` frames, looping over partial writes and recovering underruns. Returns the
/// number of frames written, or a negative errno (e.g. -EPIPE/-EIO when the command of a
/// `file "|cmd"` device has gone away; SIGPIPE must be ignored by the process).
long guide_pcm_write(guide_pcm *pcm, const int16_t *frames, size_t count);

/// Blocks until every written frame has been played (the file plugin flushes its tail here).
/// Afterwards the PCM is in SETUP state; call guide_pcm_prepare before the next write.
int guide_pcm_drain(guide_pcm *pcm);

/// Lets everything written be played, as guide_pcm_drain, but gives up after
/// `timeout_ms` (a sound server may take far longer than what is queued) and then drops
/// the rest. Returns 0 when all was played, -ETIMEDOUT when it gave up, or a negative errno.
int guide_pcm_drain_within(guide_pcm *pcm, unsigned timeout_ms);

/// Closes the PCM and frees the handle; `pcm` must not be used again. NULL is ignored.
void guide_pcm_close(guide_pcm *pcm);

/// libasound's text for an error code (either sign), e.g. "No such file or directory".
const char *guide_strerror(int err);

/// Receives one formatted libasound diagnostic ("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate)
/// Unknown PCM hw:9"). Called on whichever thread made the failing ALSA call.
typedef void (*guide_alsa_message_fn)(const char *message);

/// Installs (once per process) an error handler that keeps libasound from printing to
/// stderr, and routes its messages to `callback` (NULL: messages are dropped).
void guide_alsa_set_message_callback(guide_alsa_message_fn callback);

/// The last libasound message on the calling thread, without its "ALSA lib file:line:(fn) "
/// prefix ("" if none since guide_alsa_clear_last_message). Valid until the thread's next
/// ALSA call. Used to explain a bare -EIO (e.g. "… write failed …: Broken pipe").
const char *guide_alsa_last_message(void);

/// Forgets the calling thread's last libasound message.
void guide_alsa_clear_last_message(void);

/// One PCM from the configuration's hints; `description` may contain newlines or be NULL.
typedef void (*guide_device_fn)(const char *name, const char *description, void *context);

/// Calls `callback` for every playback-capable PCM that libasound's hints know of.
/// Returns 0 or a negative errno.
int guide_list_devices(guide_device_fn callback, void *context);

#ifdef __cplusplus
}
#endif

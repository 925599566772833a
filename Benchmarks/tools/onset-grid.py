#!/usr/bin/env python3
"""Onset timing of a raw S16_LE mono 48 kHz recording against a 1 s grid.

usage: onset-grid.py RECORDING.raw CUES   ->  one line: heard due p50 p99 max first (ms)

Onsets are starts of sound after at least 250 ms of silence; the grid's place in the
recording is fitted (median of onset - due), so errors are relative to the other cues,
as a listener hears them. A cue counts as heard if a sound starts within 150 ms of its
place. The same method as GuideTestSupport's CueTimingReport.
"""
import struct, sys

path, cues = sys.argv[1], int(sys.argv[2])
data = open(path, 'rb').read()
samples = struct.unpack('<%dh' % (len(data) // 2), data[:len(data) // 2 * 2])
onsets, last = [], -10**9
for i, v in enumerate(samples):
    if abs(v) > 200:
        if i - last > 12000:
            onsets.append(i / 48000.0)
        last = i
due = [float(k) for k in range(cues)]
if not onsets:
    print(0, cues, 'nan', 'nan', 'nan', 'nan'); sys.exit()
anchor = onsets[0]
for _ in range(2):
    matched = []
    for d in due:
        place = anchor + d
        best = min(onsets, key=lambda o: abs(o - place))
        matched.append(best if abs(best - place) <= 0.4 else None)
    offsets = sorted(m - d for m, d in zip(matched, due) if m is not None)
    anchor = offsets[len(offsets) // 2]
errors = [None if m is None or abs(m - d - anchor) > 0.15 else (m - d - anchor) * 1000 for m, d in zip(matched, due)]
heard = sorted(abs(e) for e in errors if e is not None)
def q(f):
    import math
    return heard[min(len(heard) - 1, max(0, math.ceil(f * len(heard)) - 1))] if heard else float('nan')
first = 'missing' if errors[0] is None else '%+.1f' % errors[0]
print(len(heard), cues, '%.1f' % q(0.5), '%.1f' % q(0.99), '%.1f' % (heard[-1] if heard else float('nan')), first)

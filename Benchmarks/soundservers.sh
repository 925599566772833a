#!/usr/bin/env bash
# Cue timing through a sound server (issue 14): guided beside a `sleep 1; aplay` loop, on a
# private headless PulseAudio and on a private PipeWire, each with a null sink recorded from
# its monitor, two CPU hogs (nice 19) running meanwhile. Prints the markdown table of
# Benchmarks/RESULTS.md's "through a sound server" section.
#
#   Benchmarks/soundservers.sh [GUIDED] [CUES]
#
# GUIDED defaults to the debug build's guided; CUES (default 31) is the session's cue count
# on a 1 s grid. PulseAudio runs unpacked from GUIDE_PULSEAUDIO_ROOT (what .ci/run prepares).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
guided="${1:-$here/../.build/debug/guided}"
cues="${2:-31}"
pa_root="${GUIDE_PULSEAUDIO_ROOT:-/var/cache/guide-tests/pulseaudio}"
work="$(mktemp -d /tmp/guide-snd-bench-XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
start() { "$@" & pids+=($!); }

# A session of CUES-1 steps of 1 s: start cue at 0 s, a step cue each second, end cue.
python3 - "$work/sessions" "$cues" <<'EOF'
import json, os, sys
os.makedirs(sys.argv[1], exist_ok=True)
steps = [{"name": "Step %d" % i, "duration": 1} for i in range(1, int(sys.argv[2]))]
json.dump({"title": "Grid", "steps": steps}, open(sys.argv[1] + "/grid.json", "w"))
EOF
# The baseline's cue: the step tone (880 Hz, 200 ms).
sox -q -n -r 48000 -c 1 -b 16 "$work/cue.wav" synth 0.2 sine 880 fade 0.005 0.2 0.005 vol 0.5

server() {  # KIND DIR: start a private server of KIND with its runtime dir under DIR
    local kind="$1" dir="$2"
    mkdir -p "$dir/runtime" "$dir/home" "$dir/config/alsa"
    chmod 700 "$dir/runtime"
    export XDG_RUNTIME_DIR="$dir/runtime" HOME="$dir/home" XDG_CONFIG_HOME="$dir/config"
    if [ "$kind" = PulseAudio ]; then
        local modules; modules="$(ls -d "$pa_root"/usr/lib/pulse-*/modules)"
        LD_LIBRARY_PATH="$(ls -d "$pa_root"/usr/lib/*/pulseaudio):$modules" start "$pa_root/usr/bin/pulseaudio" \
            --daemonize=no --system=no --exit-idle-time=-1 --disallow-exit --use-pid-file=no -n -p "$modules" \
            -L "module-null-sink sink_name=guide_sink rate=48000" -L module-native-protocol-unix >"$dir/server.log" 2>&1
        printf 'pcm.!default { type pulse }\nctl.!default { type pulse }\n' >"$dir/config/alsa/asoundrc"
    else
        export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/runtime/bus"
        start dbus-daemon --session --nofork --nopidfile --address="$DBUS_SESSION_BUS_ADDRESS" >"$dir/server.log" 2>&1
        sleep 0.3
        start pipewire >>"$dir/server.log" 2>&1
        sleep 0.3
        start wireplumber >>"$dir/server.log" 2>&1
        start pipewire-pulse >>"$dir/server.log" 2>&1
        for _ in $(seq 100); do pw-metadata -n default 2>/dev/null | grep -q default. && break; sleep 0.1; done
        pactl load-module module-null-sink sink_name=guide_sink rate=48000 >/dev/null
        printf 'pcm.!default { type pipewire }\nctl.!default { type pipewire }\n' >"$dir/config/alsa/asoundrc"
    fi
    for _ in $(seq 100); do pactl list short sinks 2>/dev/null | grep -q guide_sink && break; sleep 0.1; done
    pactl set-default-sink guide_sink
}

record() {  # KIND FILE: records the sink's monitor; prints the recorder's pid once sound flows
    if [ "$1" = PulseAudio ]; then
        chrt -f 50 parec --latency-msec=1 -d guide_sink.monitor --format=s16le --rate=48000 --channels=1 --raw >"$2" &
    else
        chrt -f 50 pw-record -P '{ stream.capture.sink=true }' --target guide_sink --format s16 --rate 48000 --channels 1 - >"$2" &
    fi
    local pid=$!
    # A PulseAudio null sink renders its first 2 s block before anyone asks for less
    # latency and nothing until it is due (see SoundServer.record): wait for 100 ms of sound.
    for _ in $(seq 100); do [ "$(stat -c %s "$2")" -ge 9600 ] && break; sleep 0.05; done
    echo $pid
}

echo "| server | player | cues heard / due | onset error p50 | p99 | max | first cue |"
echo "|---|---|---|---|---|---|---|"
for kind in PulseAudio PipeWire; do
    dir="$work/$kind"
    server "$kind" "$dir"
      nice -n 19 sh -c 'while :; do :; done' & hog1=$!
      nice -n 19 sh -c 'while :; do :; done' & hog2=$!
      # guided
      rec=$(record "$kind" "$dir/guided.raw"); sleep 1
      "$guided" --socket "$dir/g.sock" --sessions-dir "$work/sessions" --audio-device default >"$dir/guided.log" 2>&1 & g=$!
      for _ in $(seq 100); do [ -S "$dir/g.sock" ] && break; sleep 0.05; done
      GUIDE_SOCKET="$dir/g.sock" "$(dirname "$guided")/guidectl" start grid >/dev/null
      sleep $((cues + 2))
      kill $g; wait $g || true
      sleep 2; kill $rec; wait $rec 2>/dev/null || true
      # the baseline: sleep 1; aplay, the way a shell script would do it
      rec=$(record "$kind" "$dir/aplay.raw"); sleep 1
      for _ in $(seq "$cues"); do aplay -q -D default "$work/cue.wav"; sleep 1; done
      sleep 2; kill $rec; wait $rec 2>/dev/null || true
      kill $hog1 $hog2; wait $hog1 $hog2 2>/dev/null || true
      for player in guided aplay; do
          read -r heard due p50 p99 max first < <(python3 "$here/tools/onset-grid.py" "$dir/$player.raw" "$cues")
          label=$([ $player = guided ] && echo guided || echo '`sleep 1; aplay` loop')
          echo "| $kind | $label | $heard / $due | $p50 ms | $p99 ms | $max ms | $first ms |"
      done
      for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
      for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
      pids=()
done

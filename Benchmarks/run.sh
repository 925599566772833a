#!/usr/bin/env bash
# Runs guide's benchmarks (issue 8) and writes Benchmarks/RESULTS.md.
#
#   Benchmarks/run.sh            # default: 300-cue timing run, 5 min drift, 60 s idle windows (~10 min)
#   Benchmarks/run.sh --quick    # 60 cues, 1 min drift, 15 s windows (~4 min)
#   Benchmarks/run.sh --long     # as default, with a 1 h drift session (~1 h 5 min)
#
# It installs what it needs from Debian if missing (mpd, mpc, hyperfine, alsa-utils, sox,
# libasound2-dev; as root, or with sudo), builds the binaries as systemd/install.sh does
# (systemd/build-release.sh: guided with --static-swift-stdlib, guidectl a static
# executable), the root package's guidectl with the static stdlib only and everything with
# the dynamic stdlib (for sections 5 and 6), and the benchmark driver (a separate package:
# the root `swift test` never builds it), then runs everything against those binaries.
# Builds go under Benchmarks/.build (ignored by git).
#
# GUIDE_BENCH_SOURCE=DIR builds guided/guidectl from another copy of the package (e.g.
# `git archive HEAD | tar -x -C DIR` while the work tree is mid-edit); GUIDE_BENCH_LABEL
# then names it in RESULTS.md (default: the commit, or the directory).
set -euo pipefail

mode=default
case "${1:-}" in
    "") ;;
    --quick) mode=quick ;;
    --long) mode=long ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (use --quick or --long)" >&2; exit 64 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "${GUIDE_BENCH_SOURCE:-$here/..}" && pwd)
build=$here/.build

say() { printf 'run.sh: %s\n' "$*" >&2; }

# 1. Tools. apt-get only for what is missing.
missing=()
for pair in mpd:mpd mpc:mpc hyperfine:hyperfine aplay:alsa-utils sox:sox cc:gcc; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ -e /usr/include/alsa/asoundlib.h ] || missing+=(libasound2-dev)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The Debian mpd package may start a system mpd; ours runs on its own temporary socket.

# What is measured: the commit, and whether the work tree had changes on top of it.
if [ -n "${GUIDE_BENCH_LABEL:-}" ]; then
    source_label=$GUIDE_BENCH_LABEL
elif commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
    source_label="commit $commit"
    [ -z "$(git -C "$root" status --porcelain -- Package.swift Sources 2>/dev/null)" ] || source_label+=" + uncommitted changes"
else
    source_label=$root
fi

# 2. Builds.
say "building guided and guidectl as installed (systemd/build-release.sh)"
GUIDE_BUILD_DIR="$build/root-static" "$root/systemd/build-release.sh" "$build/installed"
say "building guidectl (release, --static-swift-stdlib only)"
(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path "$build/root-static" >&2)
static_bin=$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path "$build/root-static" --show-bin-path)
say "building guided and guidectl (release, dynamic stdlib)"
(cd "$root" && swift build -c release --scratch-path "$build/root-dynamic" >&2)
dynamic_bin=$(cd "$root" && swift build -c release --scratch-path "$build/root-dynamic" --show-bin-path)
say "building guide-bench"
(cd "$here" && swift build -c release >&2)
bench=$(cd "$here" && swift build -c release --show-bin-path)/guide-bench

# 3. Run-time pieces: the onset reader and the baseline's tone (880 Hz, 200 ms, 5 ms ramps,
#    S16_LE mono 48 kHz: guided's step cue).
work=$(mktemp -d /tmp/guide-bench.XXXXXX)
cleanup() {
    # Daemons and readers are stopped by guide-bench; this only removes the files.
    rm -rf "$work"
}
trap cleanup EXIT
cc -O2 -Wall -o "$work/onset-reader" "$here/tools/onset-reader.c"
cc -O2 -Wall -static -o "$work/status-client" "$here/tools/status-client.c"
sox -q -n -r 48000 -c 1 -b 16 -e signed-integer "$work/tone.wav" synth 0.2 sine 880 vol 0.5 fade h 0.005 0.2 0.005

# 4. Run.
say "running ($mode); results go to Benchmarks/RESULTS.md"
"$bench" --mode "$mode" --static "$static_bin" --dynamic "$dynamic_bin" --installed "$build/installed" --client "$work/status-client" \
    --reader "$work/onset-reader" --tone "$work/tone.wav" --work "$work" --out "$here/RESULTS.md" --source "$source_label"

# 5. Through a sound server (issue 14): guided beside the `sleep 1; aplay` loop on private
#    PulseAudio and PipeWire servers, recorded from the sink monitor (soundservers.sh).
say "running the sound-server section"
{
    echo
    echo "## 8. Through a sound server"
    echo
    echo "guided's ALSA \`default\` routed to a private headless server with a null sink at 48 kHz,"
    echo "recorded from the sink's monitor (parec --latency-msec=1 / pw-record, at real-time"
    echo "priority), two CPU hogs (nice 19) running; a session of cues on a 1 s grid, then a"
    echo "\`sleep 1; aplay\` loop playing the step tone as many times, in the same run. Errors are"
    echo "against the median offset (the grid's place in the recording is fitted), as a listener"
    echo "hears them; a cue more than 150 ms off its place counts as not heard."
    echo
    "$here/soundservers.sh" "$static_bin/guided" 31
} >>"$here/RESULTS.md"
say "done: $here/RESULTS.md"

#!/usr/bin/env bash
# Builds the release binaries as they are installed, and copies them into OUTDIR:
#   systemd/build-release.sh OUTDIR
#
# - guided: release, Swift runtime linked statically (--static-swift-stdlib), so it runs
#   without the toolchain's lib/swift/linux.
# - guidectl: release, a fully static executable (-static-executable: no dynamic loader,
#   no shared libraries). A status bar runs `guidectl status` every second or two, and
#   a Swift executable spends most of its short life loading; statically linked it starts
#   like a C program (Benchmarks/RESULTS.md, section 5). It gets its own build directory,
#   because the flag differs from guided's build.
#
# guided links with its start-up symbol order (Sources/guided/Linker, see Package.swift).
# GUIDE_BUILD_DIR (default .build) is the build directory: guided's, with guidectl's in
# its static-executable/ subdirectory.
# Used by systemd/install.sh and Benchmarks/run.sh, so that what is measured is what is
# installed.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 64; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."

scratch=${GUIDE_BUILD_DIR:-.build}
guided_flags=(-c release --static-swift-stdlib --scratch-path "$scratch")
swift build "${guided_flags[@]}" --product guided >&2
guided_bin=$(swift build "${guided_flags[@]}" --show-bin-path)
ctl_flags=(-c release --static-swift-stdlib --scratch-path "$scratch/static-executable" -Xswiftc -static-executable)
swift build "${ctl_flags[@]}" --product guidectl >&2
ctl_bin=$(swift build "${ctl_flags[@]}" --show-bin-path)

install -m 0755 "$guided_bin/guided" "$ctl_bin/guidectl" "$out/"

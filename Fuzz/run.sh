#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS on a scratch copy of its seeds.
#
#   Fuzz/run.sh SECONDS [protocol|session]...
#
# Targets: `protocol` (LineFramer → Request.parse → WireCoding) and `session`
# (SessionDecoder → Timeline invariants). Everything goes under .build-fuzz/: the modules
# and binaries, corpus/TARGET (seeds and regressions copied in, grown by the fuzzer),
# artifacts/TARGET (crash-*, timeout-*, slow-unit-* inputs) and logs/TARGET.log.
# A crash input belongs in Fuzz/regressions/TARGET/ with a fix; the tests replay that
# directory. Needs only the Swift toolchain (libFuzzer ships in its clang runtime).
set -uo pipefail
# libFuzzer prints the stack of a trap itself; the Swift backtracer would only slow each crash.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}

usage() { echo "usage: Fuzz/run.sh SECONDS [protocol|session]..." >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
seconds=$1
shift
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(protocol session)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fuzz=$root/Fuzz
out=$root/.build-fuzz
swiftc=${SWIFTC:-swiftc}
mkdir -p "$out/modules" "$out/bin"

flags=(-sanitize=fuzzer,address -parse-as-library -O -g)
# The toolchain's lld links these quietly; gold warns about every ASan helper symbol.
if [[ -x "$(dirname "$(command -v "$swiftc")")/ld.lld" ]]; then flags+=(-use-ld=lld); fi

# libFuzzer comes with the toolchain's clang runtime; say so plainly if it is missing.
probe=$out/probe
if [[ ! -x $probe/ok ]]; then
    mkdir -p "$probe"
    printf '%s\n' '@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ d: UnsafePointer<UInt8>, _ n: Int) -> CInt { 0 }' \
        > "$probe/probe.swift"
    if ! "$swiftc" "${flags[@]}" "$probe/probe.swift" -o "$probe/ok" > "$probe/log" 2>&1; then
        cat "$probe/log" >&2
        echo "run.sh: $swiftc cannot build with -sanitize=fuzzer (see above); use a swift.org toolchain for Linux" >&2
        exit 1
    fi
fi

# Rebuilds $1 from the remaining arguments (sources) when any is newer.
stale() {
    local target=$1
    shift
    [[ -e $target ]] || return 0
    local f
    for f in "$@"; do [[ $f -nt $target ]] && return 0; done
    return 1
}

# GuideCore and GuideProtocol are built as real modules (so their `import`s and access
# levels are as in the package), instrumented for coverage, then linked into each target.
core=("$root"/Sources/GuideCore/*.swift)
proto=("$root"/Sources/GuideProtocol/*.swift)
oracle=$root/Sources/GuideTestSupport/FuzzOracle.swift
m=$out/modules
if stale "$m/GuideCore.o" "${core[@]}" "$0"; then
    echo "== building GuideCore"
    "$swiftc" "${flags[@]}" -c -wmo -module-name GuideCore -emit-module -emit-module-path "$m/GuideCore.swiftmodule" \
        "${core[@]}" -o "$m/GuideCore.o" || exit 1
fi
if stale "$m/GuideProtocol.o" "${proto[@]}" "$m/GuideCore.o"; then
    echo "== building GuideProtocol"
    "$swiftc" "${flags[@]}" -c -wmo -module-name GuideProtocol -I "$m" -emit-module \
        -emit-module-path "$m/GuideProtocol.swiftmodule" "${proto[@]}" -o "$m/GuideProtocol.o" || exit 1
fi

declare -A entry=([protocol]=ProtocolLineFuzz [session]=SessionFileFuzz)
declare -A maxlen=([protocol]=70000 [session]=100000)  # protocol: past the 64 KiB line cap
status=0
summary=()
for t in "${targets[@]}"; do
    [[ -n ${entry[$t]:-} ]] || { echo "run.sh: unknown target $t (protocol or session)" >&2; exit 2; }
    bin=$out/bin/fuzz-$t
    src=$fuzz/Targets/${entry[$t]}.swift
    if stale "$bin" "$src" "$oracle" "$m/GuideCore.o" "$m/GuideProtocol.o"; then
        echo "== building fuzz-$t"
        "$swiftc" "${flags[@]}" -module-name "${entry[$t]}" -I "$m" "$src" "$oracle" \
            "$m/GuideCore.o" "$m/GuideProtocol.o" -o "$bin" || exit 1
    fi
    # A scratch corpus: the committed seeds and regressions are copied, never written.
    corpus=$out/corpus/$t
    mkdir -p "$corpus" "$out/artifacts/$t/" "$out/logs"
    for dir in "$fuzz/seeds/$t" "$fuzz/regressions/$t"; do
        for f in "$dir"/*; do
            [[ -f $f && ! -e $corpus/${f##*/} ]] && cp "$f" "$corpus/"
        done
    done
    log=$out/logs/$t.log
    echo "== fuzzing $t for ${seconds}s (log: ${log#$root/})"
    "$bin" "$corpus" -dict="$fuzz/json.dict" -max_len="${maxlen[$t]}" -timeout=5 -rss_limit_mb=2048 \
        -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" > "$log" 2>&1
    rc=$?
    tail -n 3 "$log" | grep -v '^stat::' || true
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    if [[ $rc -ne 0 ]]; then
        status=1
        summary+=("$t: FAILED (exit $rc) after ${execs:-?} execs; see $log and $out/artifacts/$t/")
        grep -m1 -A3 -E 'ERROR: (libFuzzer|AddressSanitizer)|Fatal error|invariant broken' "$log" >&2 || true
    else
        summary+=("$t: ${execs:-?} execs in ${seconds}s, no findings")
    fi
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status

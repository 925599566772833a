#!/usr/bin/env bash
# Regenerates man/guidectl.1 and man/guided.1 from the ArgumentParser definitions with
# swift-argument-parser's generate-manual plugin, after a change to a command's flags
# or help text:
#   packaging/generate-man.sh
# (a release build of the package the first time: minutes). The pages are checked in, so
# that neither `swift test` nor packaging/build-deb.sh needs the plugin; ManPageTests
# checks them with `groff -man -z -ww` and against `guidectl --experimental-dump-help`.
# man/guide-session.5 is written by hand.
#
# The plugin's blank lines inside a description (paragraph breaks) become `.Pp`, which
# is what mdoc wants there (groff -ww warns about empty input lines).
set -euo pipefail
cd "$(dirname "$0")/.."
outputs=.build/plugins/GenerateManual/outputs
rm -rf "$outputs"
swift package --disable-sandbox generate-manual >&2
for page in guidectl/guidectl.1 guided/guided.1; do
    sed -e 's/^$/.Pp/' "$outputs/$page" >"man/$(basename "$page")"
done
for page in man/*.[1-8]; do
    groff -man -z -ww "$page"
done

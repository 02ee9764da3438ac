#!/usr/bin/env bash
# Writes every bundled scenario's outputs (scenarios/**/*.toml run one by
# one, the gallery's two comparisons, `explain` of each file and
# `validate`) with one hasim binary into one folder, so that two binaries
# can be compared byte for byte:
#
#   scripts/same_outputs.sh OLD_BINARY /tmp/before
#   scripts/same_outputs.sh target/release/hasim /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
#
# Used to check that a change meant to be faster changes no output.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "$1")
out=$2
rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")
# What the terminal says, with the output folder's own path taken out.
said() { sed "s|$out|OUT|g" >"$1"; }
find scenarios -name '*.toml' | sort | while read -r f; do
  name=${f#scenarios/}
  name=${name%.toml}
  name=${name//\//_}
  "$bin" run "$f" --out "$out/$name" | said "$out/$name.stdout"
  "$bin" explain "$f" >"$out/$name.explain"
done
"$bin" compare scenarios/compare/*.toml --out "$out/compare-architectures" | said "$out/compare.stdout"
"$bin" compare scenarios/placement-packed.toml scenarios/placement-spread.toml \
  --out "$out/compare-placement" | said "$out/compare-placement.stdout"
"$bin" validate >"$out/validate.stdout"

#!/usr/bin/env bash
# Regenerates the gallery in reports/: every bundled scenario, and the five
# architectures compared on one failure history. Deterministic: running it
# again changes no byte.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for f in scenarios/*.toml; do
  ./target/release/hasim run "$f" --out "reports/$(basename "$f" .toml)"
done
./target/release/hasim compare scenarios/compare/*.toml --out reports/compare-architectures
# SPEC §7: the same machines packed in one rack or spread over three.
./target/release/hasim compare scenarios/placement-packed.toml scenarios/placement-spread.toml --out reports/compare-placement

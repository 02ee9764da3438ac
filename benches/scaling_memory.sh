#!/usr/bin/env bash
# Peak memory against replications, run length and sweep points (issue 8).
# Run on demand (it takes minutes), not as a test:
#   benches/scaling_memory.sh [path/to/hasim]      # default target/release/hasim
# Prints one table row per run: what grew, its size, peak RSS (MiB) from
# /usr/bin/time -v, and for the long trace the sizes of timeline.svg and
# index.html. RAYON_NUM_THREADS (default 2) keeps runs comparable.
set -euo pipefail
HASIM=${1:-target/release/hasim}
HASIM=$(realpath "$HASIM")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-2}

# A 3-node cluster with no workload: outages only.
cluster() { # hours
  cat <<TOML
name = "mem3"
description = "3 nodes, outages only"
architecture = "symmetric-cluster"
seed = 1
duration = "$1h"
window = "$1h"
replications = 1
[nodes]
count = 3
failure = { dist = "exponential", mean = "4h" }
repair = { dist = "exponential", mean = "1h" }
TOML
}
# 120 nodes, for replication 0's trace over years.
fleet() { # years
  cat <<TOML
name = "mem120"
description = "120 nodes, trace of replication 0"
architecture = "symmetric-cluster"
seed = 1
duration = "$(( $1 * 365 ))d"
window = "$(( $1 * 365 ))d"
replications = 1
[nodes]
count = 120
failure = { dist = "exponential", mean = "30d" }
repair = { dist = "exponential", mean = "4h" }
TOML
}
peak() { # command… → peak RSS in MiB
  /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time" || { tail -3 "$WORK/time" >&2; echo "failed"; return; }
  awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$WORK/time"
}

echo "| what | size | peak RSS (MiB) | timeline.svg | index.html |"
echo "|---|---|---|---|---|"
for reps in 1024 4096; do
  for h in 25000 50000 100000 200000; do
    [ "$reps" = 4096 ] && [ "$h" != 200000 ] && continue
    cluster $h >"$WORK/c.toml"
    echo "| 3 nodes, $reps replications | $h h | $(peak "$HASIM" run "$WORK/c.toml" --replications $reps --out "$WORK/o") | | |"
  done
done
for y in 10 50 200; do
  fleet $y >"$WORK/f.toml"
  m=$(peak "$HASIM" run "$WORK/f.toml" --out "$WORK/o")
  echo "| 120 nodes, 1 replication | $y years | $m | $(stat -c %s "$WORK/o/timeline.svg" 2>/dev/null || echo -) | $(stat -c %s "$WORK/o/index.html" 2>/dev/null || echo -) |"
done
cluster 1000 >"$WORK/s.toml"
for n in 10 100 1000 10000; do
  [ "$n" -gt "${MAX_POINTS:-10000}" ] && continue

  echo "| sweep over seed, 1000 h each | $n points | $(peak "$HASIM" sweep "$WORK/s.toml" --set "seed=$(seq -s, 1 "$n")" --out "$WORK/sw") | | |"
done

#!/usr/bin/env bash
# The scenarios that once exhausted memory (issue 8 §5), each run under a
# 2 GiB address-space limit (prlimit --as, as `ulimit -v 2097152`), and the
# merge of shard files against their number. Run on demand (minutes):
#   benches/memory_limits.sh [path/to/hasim]      # default target/release/hasim
# Prints one table row per case: exit status (2 = refused by validation,
# 134 = out of memory), peak RSS (MiB) from /usr/bin/time -v, wall time.
set -euo pipefail
HASIM=$(realpath "${1:-target/release/hasim}")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-2}

flapping() { # name duration failure repair replications
  cat <<TOML
name = "$1"
description = "one node failing and repaired"
architecture = "cold-standby"
seed = 1
duration = "$2"
replications = $5
[nodes]
count = 1
failure = $3
repair = $4
[detection]
heartbeat = "0s"
[failover]
operator = "0s"
start = "0s"
TOML
}
NS='{ dist = "uniform", min = "0ns", max = "1ns" }'
SEC='{ dist = "fixed", value = "1s" }'
EXP='{ dist = "exponential", mean = "1s" }'
flapping ns 1s "$NS" "$NS" 1 >"$WORK/ns.toml"
flapping flap90 90d "$SEC" "$SEC" 1 >"$WORK/flap90.toml"
flapping flap365 365d "$SEC" "$SEC" 1 >"$WORK/flap365.toml"
flapping flap200y 73000d "$EXP" "$EXP" 1 >"$WORK/flap200y.toml"
cat >"$WORK/million.toml" <<TOML
name = "million"
description = "3 nodes, 1 000 000 replications of 1 h"
architecture = "symmetric-cluster"
seed = 1
duration = "1h"
replications = 1000000
[nodes]
count = 3
failure = { dist = "exponential", mean = "4h" }
repair = { dist = "exponential", mean = "1h" }
TOML
cat >"$WORK/windows.toml" <<TOML
name = "windows"
description = "3 nodes with a workload, 64 replications of 10 000 windows"
architecture = "symmetric-cluster"
seed = 1
duration = "10000s"
window = "1s"
replications = 64
[nodes]
count = 3
capacity = 4
failure = { dist = "exponential", mean = "4h" }
repair = { dist = "exponential", mean = "1h" }
[workload]
rate = 20.0
service = { dist = "exponential", mean = "20ms" }
TOML
limited() { # name command… → a table row
  local name=$1
  shift
  set +e
  /usr/bin/time -v prlimit --as=2147483648 "$@" >/dev/null 2>"$WORK/time"
  local rc=$?
  set -e
  echo "| $name | $rc | $(awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$WORK/time") | $(awk '/Elapsed/ {print $8}' "$WORK/time") |"
}
echo "| case (2 GiB limit) | exit | peak RSS (MiB) | wall |"
echo "|---|---|---|---|"
limited "1 node failing every 0-1 ns for 1 s" "$HASIM" run "$WORK/ns.toml" --out "$WORK/o"
limited "a node flapping every second for 90 days" "$HASIM" run "$WORK/flap90.toml" --out "$WORK/o"
limited "a node flapping every second for a year" "$HASIM" run "$WORK/flap365.toml" --out "$WORK/o"
limited "1 000 000 replications of 1 h" "$HASIM" run "$WORK/million.toml" --out "$WORK/o"
limited "64 replications x 10 000 windows with a workload" "$HASIM" run "$WORK/windows.toml" --out "$WORK/o"
limited "check --analytic, 200-year flapping node" "$HASIM" check --analytic "$WORK/flap200y.toml"

# merge: peak RSS against the number of shards of one run.
cat >"$WORK/m.toml" <<TOML
name = "mshard"
description = "1 node, every failure an outage"
architecture = "cold-standby"
seed = 1
duration = "20000h"
window = "20000h"
replications = 512
[nodes]
count = 1
failure = { dist = "exponential", mean = "4h" }
repair = { dist = "exponential", mean = "1h" }
TOML
echo
echo "| merge of 512 replications | shard files (MB) | exit | peak RSS (MiB) | wall |"
echo "|---|---|---|---|---|"
for n in 2 8 32; do
  rm -rf "$WORK/s"
  for k in $(seq 0 $((n - 1))); do
    "$HASIM" run "$WORK/m.toml" --shard "$k/$n" --out "$WORK/s" >/dev/null 2>&1
  done
  mb=$(du -sm "$WORK/s" | cut -f1)
  row=$(limited "$n shards" "$HASIM" merge "$WORK/s" --out "$WORK/o")
  echo "${row/| $n shards |/| $n shards | $mb |}"
done

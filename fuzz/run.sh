#!/usr/bin/env bash
# A short, repeatable fuzzing campaign, meant to run in the background on one core
# while other work goes on: every harness SECONDS long (default 600), one after another
# (--jobs 2 for two at a time), from the committed corpus in fuzz/corpus/ and the seeds
# fuzz/make_seeds.sh writes. Prints one row per harness for the table "Campaigns run"
# in fuzz/README.md: date, harness, seconds, executions, peak RSS, coverage and
# features at the end, and what was found (a crash's input is in build-fuzz/crashes/).
#   fuzz/run.sh [SECONDS] [--jobs N] [--update-corpus] [HARNESS...]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=600
args=()
jobs=1
while [ $# -gt 0 ]; do
  case $1 in
    --jobs) jobs=$2; shift ;;
    [0-9]*) seconds=$1 ;;
    *) args+=("$1") ;;
  esac
  shift
done
scripts/fuzz.sh "$seconds" --jobs "$jobs" "${args[@]}"
status=$?
harnesses=()
for a in "${args[@]}"; do [ "$a" = --update-corpus ] || harnesses+=("$a"); done
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_decode fuzz_report fuzz_rules fuzz_stdin fuzz_delta fuzz_pack fuzz_loose)
echo
echo "| date | harness | wall time | executions | peak RSS | cov / ft at the end | found |"
echo "|---|---|---|---|---|---|---|"
for h in "${harnesses[@]}"; do
  log=build-fuzz/logs/$h.log
  [ -f "$log" ] || { echo "| $(date -u +%F) | \`$h\` | | | | | no log: not run |"; continue; }
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  rss=$(grep -E '^stat::peak_rss_mb' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -1 | sed 's/cov: //; s/ ft: / \/ /')
  found=nothing
  # A slow unit (a slow-unit-* file) is noted by libFuzzer, not a failure.
  if grep -qE '^==[0-9]+==ERROR|^SUMMARY: |deadly signal|Test unit written to .*/[a-z_]*-(crash|leak|timeout|oom)-' "$log"; then
    found="$(grep -m1 -E 'SUMMARY: |ERROR: ' "$log" | cut -c1-120); input in build-fuzz/crashes/"
  fi
  wall="${seconds} s"
  [ "$found" = nothing ] || wall="stopped at the finding"
  echo "| $(date -u +%F) | \`$h\` | $wall | ${runs:-?} | ${rss:-?} MB | ${cov:-?} | $found |"
done
exit $status

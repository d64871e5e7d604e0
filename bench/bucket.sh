#!/usr/bin/env bash
# A bucket read directly (issue 31): SRC uploaded as objects to a local S3 endpoint that
# answers each request after LATENCY_MS (../shared/tools/s3-server.py, moto behind a
# SigV4 gate), swept by `sfmc-scan scan s3://bench` as a user runs it, against what a user
# would do instead: `rclone copy --transfers 64` of the bucket into a tmpfs (then scan the
# copy). Prints each run's wall time and the requests it made; then a monitoring
# re-sweep of the unchanged bucket with `--state` (recorded by an untimed sweep first).
#
# usage: bench/bucket.sh SRC [LATENCY_MS]     RUNS (default 3) pairs, in turn
# needs: rclone, python3 with moto and boto3, ../shared/tools/s3-server.py
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
src=$(realpath "$1"); latency=${2:-50}; runs=${RUNS:-3}
command -v rclone >/dev/null || { echo "bucket.sh: rclone missing (Debian rclone)" >&2; exit 2; }
work=$(mktemp -d /tmp/sfmc-bucket.XXXXXX)
copy=$(mktemp -d /dev/shm/sfmc-bucket-copy.XXXXXX)
server_pid=
trap 'kill $server_pid 2>/dev/null; rm -rf "$work" "$copy"' EXIT
source "$here/bench/s3-endpoint.sh"
bench_bucket "$work" "$src" "$latency"
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_REGION=us-east-1
remote=":s3,provider=Other,endpoint='$endpoint',access_key_id=AKIDBENCH,secret_access_key=bench-secret-key,force_path_style=true:bench"
requests() { wc -l <"$work/requests.jsonl"; }
"$scan" rules list >/dev/null
env -u AWS_CA_BUNDLE "$scan" scan s3://bench --endpoint-url "$endpoint" -q --no-progress --state "$work/bench.state" --format jsonl -o /dev/null || true
for i in $(seq "$runs"); do
  before=$(requests); start=$(date +%s.%N)
  found=$( (env -u AWS_CA_BUNDLE "$scan" scan s3://bench --endpoint-url "$endpoint" -q --no-progress --stats --format jsonl -o /dev/null 2>&1 || true) |
    sed -n 's/.*"inputs_scanned": \([0-9]*\).*/\1 inputs/p')
  end=$(date +%s.%N)
  echo "run $i sfmc-scan scan s3://bench: $(echo "$end - $start" | bc) s, $(( $(requests) - before )) requests ($found)"
  rm -rf "${copy:?}"/*
  before=$(requests); start=$(date +%s.%N)
  env -u AWS_CA_BUNDLE rclone copy --transfers 64 --checkers 64 "$remote" "$copy" 2>"$work/rclone.err" || { tail -3 "$work/rclone.err"; exit 2; }
  end=$(date +%s.%N)
  echo "run $i rclone copy --transfers 64: $(echo "$end - $start" | bc) s, $(( $(requests) - before )) requests ($(find "$copy" -type f | wc -l) files)"
  before=$(requests); start=$(date +%s.%N)
  unchanged=$( (env -u AWS_CA_BUNDLE "$scan" scan s3://bench --endpoint-url "$endpoint" -q --no-progress --stats --state "$work/bench.state" \
    --format jsonl -o /dev/null 2>&1 || true) | sed -n 's/.*"unchanged": \([0-9]*\).*/\1 objects unchanged/p')
  end=$(date +%s.%N)
  echo "run $i sfmc-scan --state re-sweep: $(echo "$end - $start" | bc) s, $(( $(requests) - before )) requests ($unchanged)"
done

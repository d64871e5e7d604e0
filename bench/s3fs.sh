#!/usr/bin/env bash
# A sweep of a bucket mounted with Debian's s3fs (issue 30): SRC uploaded as objects to a
# local S3 endpoint that answers each request after LATENCY_MS (../shared/tools/s3-server.py,
# moto behind a SigV4 gate), mounted with s3fs (a HEAD per stat, a GET per open), swept by
# `sfmc-scan scan MNT` as a user runs it and by `rg -j64 -uuu`, each run on a fresh mount
# (s3fs caches what it has seen). Prints each run's wall time and the requests it made.
#
# usage: bench/s3fs.sh SRC [LATENCY_MS]     RUNS (default 3) pairs, in turn
# needs: s3fs, ripgrep, python3 with moto and boto3, ../shared/tools/s3-server.py
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
src=$(realpath "$1"); latency=${2:-20}; runs=${RUNS:-3}
for tool in s3fs rg fusermount3; do command -v "$tool" >/dev/null || { echo "s3fs.sh: $tool missing" >&2; exit 2; }; done
work=$(mktemp -d /tmp/sfmc-s3fs.XXXXXX)
mnt=$work/mnt; mkdir -p "$mnt"
server_pid=
trap 'fusermount3 -u "$mnt" 2>/dev/null; kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
source "$here/bench/s3-endpoint.sh"
bench_bucket "$work" "$src" "$latency"
printf 'AKIDBENCH:bench-secret-key\n' >"$work/passwd"; chmod 600 "$work/passwd"
mount_fresh() {
  fusermount3 -u "$mnt" 2>/dev/null || true
  s3fs bench "$mnt" -o passwd_file="$work/passwd" -o url="$endpoint" -o use_path_request_style \
    -o ro -o stat_cache_expire=900 -o endpoint=us-east-1
  for _ in $(seq 100); do mountpoint -q "$mnt" && break; sleep 0.1; done
}
requests() { wc -l <"$work/requests.jsonl"; }
"$scan" rules list >/dev/null
for i in $(seq "$runs"); do
  for tool in sfmc rg; do
    mount_fresh
    before=$(requests); start=$(date +%s.%N)
    if [ $tool = sfmc ]; then found=$( ("$scan" scan "$mnt" -q --no-progress --stats --format jsonl -o /dev/null 2>&1 || true) | sed -n 's/.*"inputs_scanned": \([0-9]*\).*/\1 inputs/p')
    else found="$( (rg -j64 -uuu -c 'SFMC_[0-9A-Za-z]{59}' "$mnt" || true) | wc -l) files matched"; fi
    end=$(date +%s.%N)
    echo "run $i $tool: $(echo "$end - $start" | bc) s, $(( $(requests) - before )) requests ($found)"
  done
done

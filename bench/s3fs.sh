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
server=${S3_SERVER:-$here/../shared/tools/s3-server.py}
for tool in s3fs rg fusermount3; do command -v "$tool" >/dev/null || { echo "s3fs.sh: $tool missing" >&2; exit 2; }; done
work=$(mktemp -d /tmp/sfmc-s3fs.XXXXXX)
mnt=$work/mnt; mkdir -p "$mnt"
echo '{"AKIDBENCH": {"secret": "bench-secret-key", "token": null}}' >"$work/keys.json"
printf 'AKIDBENCH:bench-secret-key\n' >"$work/passwd"; chmod 600 "$work/passwd"
python3 "$server" --keys "$work/keys.json" --log "$work/requests.jsonl" --latency-ms "$latency" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
trap 'fusermount3 -u "$mnt" 2>/dev/null; kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^PORT' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^PORT //p' "$work/server.out")
echo "== $src as objects behind http://127.0.0.1:$port, $latency ms a request"
python3 - "$src" "$port" <<'PY'
import boto3, os, sys, concurrent.futures
src, port = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url='http://127.0.0.1:' + port, aws_access_key_id='AKIDBENCH',
                  aws_secret_access_key='bench-secret-key', region_name='us-east-1')
s3.create_bucket(Bucket='bench')
files = [os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if not os.path.islink(os.path.join(d, f))]
def put(p):
    with open(p, 'rb') as fh:
        s3.put_object(Bucket='bench', Key=os.path.relpath(p, src), Body=fh.read())
with concurrent.futures.ThreadPoolExecutor(32) as ex:
    list(ex.map(put, files))
print(f'{len(files)} objects uploaded')
PY
mount_fresh() {
  fusermount3 -u "$mnt" 2>/dev/null || true
  s3fs bench "$mnt" -o passwd_file="$work/passwd" -o url="http://127.0.0.1:$port" -o use_path_request_style \
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

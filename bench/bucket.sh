#!/usr/bin/env bash
# A bucket read directly (issue 31): SRC uploaded as objects to a local S3 endpoint that
# answers each request after LATENCY_MS (../shared/tools/s3-server.py, moto behind a
# SigV4 gate), swept by `sfmc-scan scan s3://bench` as a user runs it, against what a user
# would do instead: `rclone copy --transfers 64` of the bucket into a tmpfs (then scan the
# copy). Prints each run's wall time and the requests it made.
#
# usage: bench/bucket.sh SRC [LATENCY_MS]     RUNS (default 3) pairs, in turn
# needs: rclone, python3 with moto and boto3, ../shared/tools/s3-server.py
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
src=$(realpath "$1"); latency=${2:-50}; runs=${RUNS:-3}
server=${S3_SERVER:-$here/../shared/tools/s3-server.py}
command -v rclone >/dev/null || { echo "bucket.sh: rclone missing (Debian rclone)" >&2; exit 2; }
work=$(mktemp -d /tmp/sfmc-bucket.XXXXXX)
copy=$(mktemp -d /dev/shm/sfmc-bucket-copy.XXXXXX)
echo '{"AKIDBENCH": {"secret": "bench-secret-key", "token": null}}' >"$work/keys.json"
python3 "$server" --keys "$work/keys.json" --log "$work/requests.jsonl" --latency-ms "$latency" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; rm -rf "$work" "$copy"' EXIT
for _ in $(seq 100); do grep -q '^PORT' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^PORT //p' "$work/server.out")
endpoint=http://127.0.0.1:$port
echo "== $src as objects behind $endpoint, $latency ms a request"
python3 - "$src" "$endpoint" <<'PY'
import boto3, os, sys, concurrent.futures
src, endpoint = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id='AKIDBENCH',
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
export AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_REGION=us-east-1
remote=":s3,provider=Other,endpoint='$endpoint',access_key_id=AKIDBENCH,secret_access_key=bench-secret-key,force_path_style=true:bench"
requests() { wc -l <"$work/requests.jsonl"; }
"$scan" rules list >/dev/null
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
done

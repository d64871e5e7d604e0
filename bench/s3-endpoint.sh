# Sourced by bench/s3fs.sh and bench/bucket.sh: a local S3 endpoint for a benchmark.
#   bench_bucket WORK SRC LATENCY_MS
# starts ../shared/tools/s3-server.py ($S3_SERVER) on the loopback, answering each request
# after LATENCY_MS and logging it to WORK/requests.jsonl, with the key AKIDBENCH /
# bench-secret-key; uploads SRC's files into the bucket "bench"; sets server_pid, port and
# endpoint. The caller's EXIT trap kills $server_pid.
bench_bucket() {
  local work=$1 src=$2 latency=$3
  local server=${S3_SERVER:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/tools/s3-server.py}
  echo '{"AKIDBENCH": {"secret": "bench-secret-key", "token": null}}' >"$work/keys.json"
  python3 "$server" --keys "$work/keys.json" --log "$work/requests.jsonl" --latency-ms "$latency" \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
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
}

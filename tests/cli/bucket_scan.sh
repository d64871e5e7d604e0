#!/usr/bin/env bash
# s3://BUCKET[/PREFIX] as scan input (issue 31, step 1), against a real S3 endpoint the
# test starts on the loopback: ../shared/tools/s3-server.py (moto behind a gate that
# checks SigV4 as S3 does) where ../shared is, else moto's own server (any key passes).
# The bucket holds what a tree on disk holds: the same findings; listing across pages,
# prefixes, keys that need encoding, --exclude; a wrong key, a missing bucket and an
# unreachable endpoint are errors in the store's words, exit 2; no credential printed.
source "$(dirname "$0")/lib.sh"
fresh_work bucket_scan
python3 -c 'import moto, boto3' 2>/dev/null || { echo "skipped: python3 lacks moto and boto3"; exit 77; }

gate="${SFMC_SHARED_DIR:-$SFMC_SOURCE_DIR/../shared}/tools/s3-server.py"
key_id=AKIDSFMCTEST
key_secret="sk-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '{"%s": {"secret": "%s", "token": null}}\n' "$key_id" "$key_secret" >keys.json
if [ -f "$gate" ]; then
  python3 "$gate" --keys keys.json --log requests.jsonl >server.out 2>server.err &
  signed=true
else
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m moto.server -H 127.0.0.1 -p "$port" >server.log 2>server.err &
  echo "PORT $port" >server.out
  signed=false
fi
server_pid=$!
trap 'kill $server_pid 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do
  port=$(sed -n 's/^PORT //p' server.out)
  [ -n "$port" ] && python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.1
done
[ -n "$port" ] || { echo "skipped: the S3 endpoint did not start: $(tail -2 server.err)"; exit 77; }
endpoint="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=$key_id AWS_SECRET_ACCESS_KEY=$key_secret AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_CA_BUNDLE
export HOME="$work/home"  # no ~/.aws of the machine's

# The tree: secrets in text, below folders, in keys that need encoding, in a zip and in
# base64 (a Kubernetes Secret); 1,010 clean objects so the listing takes two pages.
mkdir -p tree/deploy/k8s "tree/odd names" tree/logs tree/bulk
printf 'SFMC_CLIENT_SECRET=%s\n' "$(new_token)" >tree/app.env
printf 'apiVersion: v1\nkind: Secret\ndata:\n  secret: %s\n' "$(printf 'secret=%s' "$(new_token)" | base64 -w0)" \
  >tree/deploy/k8s/sfmc-secret.yaml
printf 'secret=%s\n' "$(new_token)" >"tree/odd names/a b+c%d&é.txt"
printf 'secret=%s\n' "$(new_token)" >tree/logs/debug.log
(mkdir -p z && printf 'clientSecret: %s\n' "$(new_token)" >z/inner.yml && cd z && zip -q ../tree/bundle.zip inner.yml)
for i in $(seq -w 1 1010); do printf 'plain %s\n' "$i" >"tree/bulk/n$i.txt"; done
python3 - "$endpoint" "$key_id" "$key_secret" <<'PY' || exit 2
import boto3, os, sys
endpoint, key, secret = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                  region_name="us-east-1")
s3.create_bucket(Bucket="leaks")
s3.create_bucket(Bucket="empty")
for folder, _, files in os.walk("tree"):
    for f in files:
        path = os.path.join(folder, f)
        s3.put_object(Bucket="leaks", Key=os.path.relpath(path, "tree"), Body=open(path, "rb").read())
PY

# What a report found, with the root masked: relative path, line, column, secret's hash.
digest() {
  python3 - "$1" "$2" <<'PY'
import json, sys
root = sys.argv[2]
out = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "finding":
        out.append("%s %s %s %s" % (r["path"][len(root):], r["line"], r["column"], r["secret_sha256"]))
print("\n".join(sorted(out)))
PY
}

"$SFMC_SCAN" scan tree --format jsonl --no-progress >disk.jsonl 2>/dev/null
digest disk.jsonl tree/ >disk.txt
[ "$(wc -l <disk.txt)" -eq 5 ] && ok || fail "the tree on disk: $(wc -l <disk.txt) findings, want 5"

expect_status 1 "a bucket with secrets" -- "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --format jsonl --no-progress
cp "$work/last.out" bucket.jsonl
digest bucket.jsonl s3://leaks/ >bucket.txt
diff -u disk.txt bucket.txt >bucket.diff && ok || { fail "the bucket reports otherwise than the tree on disk"; head bucket.diff; }
expect_grep '"inputs_scanned":1016' bucket.jsonl "every object read, the zip's member too (two listing pages)"
expect_grep '"path":"s3://leaks/odd names/a b\+c%d&é.txt"' bucket.jsonl "a key that needs encoding is read and named as it is"
expect_grep '"path":"s3://leaks/bundle.zip!inner.yml"' bucket.jsonl "a zip in the bucket: its member named as in a file"
expect_grep '"etag":"[0-9a-f]{32}".*"path":"s3://leaks/app.env"' bucket.jsonl "a finding names the version of the object read (its ETag)"
expect_grep "\"mtime\":\"$(date -u +%Y-%m-%d)T[0-9:]+Z\".*\"path\":\"s3://leaks/app.env\"" bucket.jsonl \
  "... and when it was written (LastModified), which first-seen and expiry follow"
if $signed; then
  lists=$(grep -c '"query": "[^"]*list-type=2' requests.jsonl || true)
  [ "$lists" -ge 2 ] && ok || fail "the listing took $lists requests, want 2 pages or more"
  expect_no_grep '"status": 403' requests.jsonl "every request was signed as S3 checks it"
fi

# The requests in flight change nothing but the time: none (the scan threads read), one, the default.
for io in 0 1; do
  "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --io-threads "$io" --format jsonl --no-progress >"io$io.jsonl" 2>/dev/null
  digest "io$io.jsonl" s3://leaks/ >"io$io.txt"
  diff -u disk.txt "io$io.txt" >/dev/null && ok || fail "--io-threads $io reports otherwise"
done
"$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" -v --stats --format jsonl --no-progress >/dev/null 2>stats.err
expect_grep '"type": "s3"' stats.err "--stats: the bucket is a store read over the network"
expect_grep '"requests_in_flight": 64' stats.err "--stats: 64 requests in flight by default"

# A prefix, with and without its slash; --exclude and --max-depth as for a folder.
expect_status 1 "a prefix" -- "$SFMC_SCAN" scan s3://leaks/deploy --endpoint-url "$endpoint" --format jsonl --no-progress
expect_count 1 "$work/last.out" "only the prefix's object"
expect_grep '"path":"s3://leaks/deploy/k8s/sfmc-secret.yaml[!"]' "$work/last.out" "... the Kubernetes Secret, decoded"
expect_status 0 "a prefix with nothing to find" -- "$SFMC_SCAN" scan s3://leaks/bulk/ --endpoint-url "$endpoint" --format jsonl --no-progress
expect_grep '"inputs_scanned":1010' "$work/last.out" "the prefix's objects, across two pages"
expect_status 1 "--exclude on keys" -- "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --exclude '*.log' --exclude bulk \
  --format jsonl --no-progress
expect_count 4 "$work/last.out" "the excluded name and folder are passed over"
expect_grep '"inputs_scanned":5' "$work/last.out" "... and not read (as on disk)"
expect_status 1 "--max-depth on keys" -- "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --max-depth 1 --format jsonl --no-progress
expect_count 2 "$work/last.out" "only the keys at the top: app.env and the zip's member"
# A bucket beside a folder: both, in command-line order.
expect_status 1 "a folder and a bucket" -- "$SFMC_SCAN" scan tree/logs s3://leaks/app.env --endpoint-url "$endpoint" --format jsonl --no-progress
expect_count 2 "$work/last.out" "a finding from each root"
# The endpoint from the environment, as the AWS tools read it.
expect_status 1 "AWS_ENDPOINT_URL" -- env AWS_ENDPOINT_URL="$endpoint" "$SFMC_SCAN" scan s3://leaks/app.env --format jsonl --no-progress

# A sweep killed part way (at its 4th checkpoint) and resumed: every secret once. Two
# shards: between them, every secret once.
export SFMC_CHECKPOINT_MS=0
SFMC_TEST_KILL_AT_CHECKPOINT=4 "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --resume resume.state \
  --format jsonl -o resumed.jsonl -j1 -q
[ $? -eq 137 ] && ok || fail "the first run was not killed"
[ "$(count_findings resumed.jsonl)" -lt 5 ] && ok || fail "the killed run already reported every secret"
expect_status 1 "the sweep resumed" -- "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --resume resume.state \
  --format jsonl -o resumed.jsonl -q
digest resumed.jsonl s3://leaks/ >resumed.txt
diff -u disk.txt resumed.txt >resumed.diff && ok || { fail "killed and resumed: not every secret once"; head resumed.diff; }
unset SFMC_CHECKPOINT_MS
for k in 0 1; do
  "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --shard "$k/2" --format jsonl --no-progress >"shard$k.jsonl" 2>/dev/null
done
cat shard0.jsonl shard1.jsonl >shards.jsonl
digest shards.jsonl s3://leaks/ >shards.txt
diff -u disk.txt shards.txt >shards.diff && ok || { fail "two shards: not every secret once"; head shards.diff; }
[ "$(count_findings shard0.jsonl)" -gt 0 ] && [ "$(count_findings shard1.jsonl)" -gt 0 ] && ok ||
  fail "the shards did not split the findings: $(count_findings shard0.jsonl) and $(count_findings shard1.jsonl)"

# gs://: Cloud Storage's XML API, with HMAC keys (here the same endpoint stands in for it).
expect_status 1 "gs:// with HMAC keys" -- env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY GOOGLE_HMAC_ACCESS_ID="$key_id" \
  GOOGLE_HMAC_SECRET="$key_secret" "$SFMC_SCAN" scan gs://leaks/app.env --endpoint-url "$endpoint" --format jsonl --no-progress
expect_grep '"path":"gs://leaks/app.env"' "$work/last.out" "a gs:// object is named as such"

# A store that throttles (503 SlowDown, twice for each path) is asked again; an object
# deleted between the listing and its read, and one rewritten since (its ETag is not the
# one listed), are reported (exit 2) and the sweep goes on.
python3 "$SFMC_SOURCE_DIR/tests/cli/store_proxy.py" "$port" --slow-down 2 --gone debug.log --stale app.env >proxy.out 2>proxy.err &
proxy_pid=$!
trap 'kill $server_pid $proxy_pid 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q '^PORT' proxy.out 2>/dev/null && break; sleep 0.1; done
proxy="http://127.0.0.1:$(sed -n 's/^PORT //p' proxy.out)"
expect_status 2 "throttled, and an object gone" -- "$SFMC_SCAN" scan s3://leaks --endpoint-url "$proxy" --format jsonl --no-progress
cp "$work/last.out" throttled.jsonl
digest throttled.jsonl s3://leaks/ >throttled.txt
grep -v '^logs/debug.log \|^app.env ' disk.txt >disk-but-gone.txt
diff -u disk-but-gone.txt throttled.txt >throttled.diff && ok || { fail "throttled: not every other secret found"; head throttled.diff; }
expect_grep '"detail":"[^"]*gone \(deleted since it was listed\): HTTP 404 NoSuchKey[^"]*","path":"s3://leaks/logs/debug.log","reason":"unreadable"' \
  throttled.jsonl "the object gone is reported in the store's words"
expect_grep '"detail":"[^"]*changed since it was listed \(its ETag is no longer 0123456789abcdef0123456789abcdef\): HTTP 412[^"]*","path":"s3://leaks/app.env","reason":"unreadable"' \
  throttled.jsonl "the object rewritten since the listing is reported, not read across two versions"
made_up=$(grep -o 'made up 503' proxy.err | wc -l)
[ "$made_up" -ge 2000 ] && ok || fail "the proxy throttled $made_up requests, want 2 for each of more than 1,000 paths"

# Keys with control characters (a tab, a carriage return, BEL, an escape sequence): listed
# (URL-encoded by the store), read, named exactly in JSON, percent-encoded in SARIF's
# URIs, and never written raw to a terminal by the text report.
python3 - "$endpoint" "$key_id" "$key_secret" "$(new_token)" <<'PY' || exit 2
import boto3, sys
endpoint, key, secret, token = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                  region_name="us-east-1")
s3.create_bucket(Bucket="ctl")
for k in ["tab\there.env", "cr\rreturn.env", "bell\x07.env", "esc\x1b[31mred.env"]:
    s3.put_object(Bucket="ctl", Key=k, Body=("secret=%s\n" % token).encode())
PY
expect_status 1 "keys with control characters" -- "$SFMC_SCAN" scan s3://ctl --endpoint-url "$endpoint" --format jsonl --no-progress
expect_count 4 "$work/last.out" "... each read"
for k in 'tab\\there.env' 'cr\\rreturn.env' 'bell\\u0007.env' 'esc\\u001b\[31mred.env'; do
  expect_grep "\"path\":\"s3://ctl/$k\"" "$work/last.out" "the key $k named exactly in JSON"
done
expect_status 1 "... in SARIF" -- "$SFMC_SCAN" scan s3://ctl --endpoint-url "$endpoint" --format sarif --no-progress
for k in tab%09here.env cr%0Dreturn.env bell%07.env esc%1B%5B31mred.env; do
  expect_grep "\"uri\": *\"s3://ctl/$k\"" "$work/last.out" "the key $k percent-encoded in SARIF's URI"
done
expect_status 1 "... as text" -- "$SFMC_SCAN" scan s3://ctl --endpoint-url "$endpoint" --format text --no-progress
if LC_ALL=C grep -q $'[\x07\x1b\r]' "$work/last.out"; then fail "the text report writes a key's control characters raw"; else ok; fi

# --state: a monitoring re-sweep fetches only the objects whose ETag changed, reports only
# findings not reported before, and forgets objects deleted since; what it could not read
# it reads again next time; other buckets' records are kept; the state holds no secret.
store() {  # store put|delete BUCKET KEY [BODY]
  python3 - "$endpoint" "$key_id" "$key_secret" "$@" <<'PY'
import boto3, sys
endpoint, key, secret, op, bucket, name = sys.argv[1:7]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                  region_name="us-east-1")
if op == "bucket":
    s3.create_bucket(Bucket=bucket)
elif op == "put":
    s3.put_object(Bucket=bucket, Key=name, Body=sys.argv[7].encode())
else:
    s3.delete_object(Bucket=bucket, Key=name)
PY
}
# What the last sweep read, left as it was (--state) and did not report again.
swept() {
  tail -1 "$work/last.out" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["inputs_scanned"], j.get("unchanged", 0), j.get("reported_before", 0))'
}
expect_swept() {  # expect_swept "READ UNCHANGED REPORTED_BEFORE" DESCRIPTION
  local got; got=$(swept)
  [ "$got" = "$1" ] && ok || fail "$2: read, unchanged, reported before: $got, want $1"
}
object_gets() { if $signed; then grep -vc 'list-type=2' requests.jsonl || true; else echo 0; fi; }
token_a=$(new_token) token_b=$(new_token) token_c=$(new_token)
store bucket watch x
store put watch a.env "secret=$token_a"
store put watch deploy/b.env "secret=$token_b"
for i in $(seq -w 1 20); do store put watch "clean/n$i.txt" "plain $i"; done
sweep=("$SFMC_SCAN" scan s3://watch --endpoint-url "$endpoint" --state watch.state --format jsonl --no-progress)
expect_status 1 "--state: the first sweep" -- "${sweep[@]}"
expect_count 2 "$work/last.out" "... reports what it finds"
expect_swept "22 0 0" "... reading every object"
gets=$(object_gets)
expect_status 0 "--state: nothing changed" -- "${sweep[@]}"
expect_count 0 "$work/last.out" "... nothing reported again"
expect_swept "0 22 0" "... no object read"
[ "$(object_gets)" -eq "$gets" ] && ok || fail "--state: an unchanged bucket cost $(( $(object_gets) - gets )) object GETs, want none"
expect_grep "22 objects unchanged since the last sweep, not read \(--state\)" "$work/last.err" "... and the summary says so"
store put watch a.env "secret=$token_a
# touched"
store put watch new/d.env "secret=$token_c"
store delete watch clean/n05.txt
expect_status 1 "--state: one object changed, one new, one deleted" -- "${sweep[@]}"
expect_count 1 "$work/last.out" "... only the new secret reported"
finding "$token_c" >/dev/null && ok || fail "... the new secret is the one reported"
expect_swept "2 20 1" "... the changed and the new object read, the changed one's finding reported before"
expect_no_grep 'n05.txt' watch.state "... the deleted object forgotten"
expect_status 1 "--state --report-all" -- "${sweep[@]}" --report-all
expect_count 3 "$work/last.out" "... every finding reported"
expect_swept "3 19 0" "... the objects with findings read again, no other"
# A prefix, and another bucket, swept with the same state: the rest of what it holds stays.
expect_status 0 "--state: a prefix" -- "$SFMC_SCAN" scan s3://watch/deploy --endpoint-url "$endpoint" --state watch.state --format jsonl --no-progress
expect_swept "0 1 0" "... its object unchanged"
expect_status 1 "--state: another bucket" -- "$SFMC_SCAN" scan s3://leaks/app.env --endpoint-url "$endpoint" --state watch.state --format jsonl --no-progress
expect_status 0 "--state: the first bucket again" -- "${sweep[@]}"
expect_swept "0 22 0" "... nothing of it read again"
# Another scan (other decoders) trusts no read of this one.
expect_status 0 "--state with --no-archives" -- "${sweep[@]}" --no-archives
expect_swept "22 0 3" "... every object read again, no finding reported again"
# An object that cannot be read (deleted between listing and read) is read next time.
python3 "$SFMC_SOURCE_DIR/tests/cli/store_proxy.py" "$port" --gone b.env >proxy2.out 2>proxy2.err &
proxy2_pid=$!
trap 'kill $server_pid $proxy_pid $proxy2_pid 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q '^PORT' proxy2.out 2>/dev/null && break; sleep 0.1; done
expect_status 2 "--state: an object that cannot be read" -- "$SFMC_SCAN" scan s3://watch --state gone.state --format jsonl --no-progress \
  --endpoint-url "http://127.0.0.1:$(sed -n 's/^PORT //p' proxy2.out)"
expect_no_grep 'b\.env' gone.state "... is not recorded"
# The same endpoint (the state files objects under their store's address), the object back.
proxy2_port=$(sed -n 's/^PORT //p' proxy2.out)
kill $proxy2_pid; wait $proxy2_pid 2>/dev/null
python3 "$SFMC_SOURCE_DIR/tests/cli/store_proxy.py" "$port" --port "$proxy2_port" >proxy3.out 2>proxy3.err &
proxy2_pid=$!
for _ in $(seq 100); do grep -q '^PORT' proxy3.out 2>/dev/null && break; sleep 0.1; done
expect_status 1 "... the next sweep" -- "$SFMC_SCAN" scan s3://watch --endpoint-url "http://127.0.0.1:$proxy2_port" --state gone.state \
  --format jsonl --no-progress
expect_swept "1 21 0" "... reads it, and only it"
expect_count 1 "$work/last.out" "... and reports its secret, which was not reported before"
for t in "$token_a" "$token_b" "$token_c"; do
  grep -q -- "$t" watch.state gone.state && fail "a secret is in the state" || ok
done
# Misuse and damage: said, exit 2, the state left as it was.
expect_status 2 "--state with --resume" -- "${sweep[@]}" --resume r.state -o r.jsonl
expect_grep "does not combine with --resume" "$work/last.err" "... said"
cp watch.state kept.state
printf 'not json\n' >>watch.state
expect_status 2 "a damaged state" -- "${sweep[@]}"
expect_grep "damaged sfmc-scan --state file: line [0-9]+" "$work/last.err" "... named, with the line"
printf '{"type":"sfmc-scan-sweep-state","version":1,"repositories":{}}\n' >git.state
expect_status 2 "git's state" -- "$SFMC_SCAN" scan s3://watch --endpoint-url "$endpoint" --state git.state --format jsonl --no-progress
expect_grep "one of .sfmc-scan git.'s" "$work/last.err" "... said"

# Errors, in the store's words, exit 2; the scan of what can be read goes on.
expect_status 2 "a missing bucket" -- "$SFMC_SCAN" scan s3://no-such-bucket tree/app.env --endpoint-url "$endpoint" --format jsonl --no-progress
expect_grep '"detail":"cannot list: HTTP 404 NoSuchBucket' "$work/last.out" "the missing bucket is reported"
expect_count 1 "$work/last.out" "the file after it is still read"
expect_status 0 "an empty bucket" -- "$SFMC_SCAN" scan s3://empty --endpoint-url "$endpoint" --format jsonl --no-progress
expect_status 2 "an unreachable endpoint" -- "$SFMC_SCAN" scan s3://leaks --endpoint-url http://127.0.0.1:9 --io-timeout 5 --format jsonl --no-progress
expect_grep 'cannot list: no answer from http://127.0.0.1:9/leaks/' "$work/last.out" "the unreachable endpoint is reported"
expect_status 2 "not a bucket address" -- "$SFMC_SCAN" scan s3://x --endpoint-url "$endpoint"
expect_grep "is not a bucket name" "$work/last.err" "... said before scanning"
if $signed; then
  expect_status 2 "a wrong secret key" -- env AWS_SECRET_ACCESS_KEY=wrong "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --format jsonl --no-progress
  expect_grep '"detail":"cannot list: HTTP 403 SignatureDoesNotMatch' "$work/last.out" "the wrong key is reported in the store's words"
fi
# A profile in ~/.aws, named by AWS_PROFILE; a profile that is not there is an error.
mkdir -p home/.aws
printf '[ci]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key_id" "$key_secret" >home/.aws/credentials
printf '[profile ci]\nregion = us-east-1\n' >home/.aws/config
expect_status 1 "AWS_PROFILE" -- env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_PROFILE=ci \
  "$SFMC_SCAN" scan s3://leaks/app.env --endpoint-url "$endpoint" --format jsonl --no-progress
expect_status 2 "AWS_PROFILE naming nothing" -- env AWS_PROFILE=nope "$SFMC_SCAN" scan s3://leaks --endpoint-url "$endpoint" --format jsonl --no-progress
expect_grep "names the profile 'nope'" "$work/last.out" "... said"

# The credentials are never printed, whatever the output.
"$SFMC_SCAN" scan s3://leaks/app.env --endpoint-url "$endpoint" -v --stats --format sarif --no-progress >v.out 2>v.err
for f in "$work"/*.jsonl "$work"/v.out "$work"/v.err; do
  grep -q -- "$key_secret" "$f" && fail "the secret key is printed in $(basename "$f")" || ok
done
finish

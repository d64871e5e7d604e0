#!/usr/bin/env bash
# Hostile input, round 2 (issue 23): compression past the in-memory cut-off, base64
# nested past the depth limit, tampered shard reports and --state files, and the
# temporary files beside -o and --state. Each ends in bounded memory, a warning that
# names the input, exit 2 where content was left unscanned, never a crash.
source "$(dirname "$0")/lib.sh"
fresh_work hostile_input
finding() { grep '"type":"finding"' "$work/last.out" | grep "$(hash "$1")"; }
found() { if [ -n "$(finding "$1")" ]; then ok; else fail "$2: not reported"; fi; }
no_crash() {  # no_crash DESCRIPTION: the last command ended by exit, not by a signal
  if [ "$rc" -ge 128 ]; then fail "$1: killed by signal $((rc - 128))"; else ok; fi
}

# --- item 2: a compressed stream that inflates past 64 MiB is streamed whole, not called
# damaged and not cut off; for each compressor (numbered rows: a real dump's ratio, ~10:1)
t_gz=$(new_token)
{ seq 1 900000 | awk '{printf "INSERT INTO contacts VALUES (%d, \x27user%d@example.com\x27, \x27row %d\x27);\n", $1, $1*7919%1000003, $1}'
  printf "INSERT INTO config VALUES ('client_secret', '%s');\n" "$t_gz"; } >dump.sql
for c in "gzip -1" "xz -1 -T2" "zstd -1 -q" "bzip2 -1"; do
  $c -c dump.sql >dump.sql.z || { fail "$c is missing"; continue; }
  (ulimit -v "$(mem_limit 1500000)"; exec "$SFMC_SCAN" scan dump.sql.z --format jsonl) >"$work/last.out" 2>"$work/last.err"
  rc=$?
  [ "$rc" -eq 1 ] && ok || { fail "${c%% *}: 80 MB dump: exit $rc, want 1"; head -3 "$work/last.err"; }
  found "$t_gz" "${c%% *}: the secret at the end of an 80 MB dump"
  expect_no_grep 'damaged|"type":"skipped"' "$work/last.out" "${c%% *}: a sound stream is neither damaged nor skipped"
done
# Several members (pigz, bgzip, `cat a.gz b.gz`) past the in-memory size: each member
# is read, the last one's secret found; zero padding after the last is not damage.
t_mm=$(new_token)
{ gzip -1 -c dump.sql; printf 'k=%s\n' "$t_mm" | gzip -c; head -c 4096 /dev/zero; } >members.gz
expect_status 1 "a multi-member .gz" -- "$SFMC_SCAN" scan members.gz --format jsonl
found "$t_gz" "multi-member: the first member's secret"
found "$t_mm" "multi-member: the last member's secret"
expect_no_grep '"type":"skipped"' "$work/last.out" "multi-member with zero padding: nothing damaged"

# Past --archive-max-bytes a sound stream is an archive-limit warning and exit 2, never "damaged".
gzip -1 -c dump.sql >dump.sql.gz
expect_status 2 "a stream past --archive-max-bytes" -- "$SFMC_SCAN" scan dump.sql.gz --archive-max-bytes 10M --format jsonl
expect_grep '"path":"dump.sql.gz","reason":"archive-limit"' "$work/last.out" "the limit is named"
expect_no_grep 'damaged' "$work/last.out" "a sound stream past a limit is not called damaged"
rm -f dump.sql dump.sql.z dump.sql.gz

# A stream cut short or damaged, for each compressor: what decoded before the damage is
# matched, the damage is a warning naming the format, and the file's own bytes are
# matched too (plain text after the damage). bzip2 decodes whole 900 kB blocks, so its
# secret sits in a first block that is complete.
t_cut=$(new_token)
t_tail=$(new_token)
for c in gzip xz zstd bzip2; do
  { printf 'client_secret=%s\n' "$t_cut"; head -c 1200000 /dev/urandom | base64; } | $c -c >"whole.$c"
  head -c $(($(stat -c %s "whole.$c") * 9 / 10)) "whole.$c" >"cut.$c"
  printf '\nclient_secret=%s\n' "$t_tail" >>"cut.$c"
  expect_status 1 "$c cut short" -- "$SFMC_SCAN" scan "cut.$c" --format jsonl
  found "$t_cut" "$c cut short: the secret before the cut"
  found "$t_tail" "$c cut short: the file's own bytes after the cut"
  expect_grep "\"path\":\"cut.$c\",\"reason\":\"corrupt-archive\"" "$work/last.out" "$c cut short: a warning"
  expect_grep "damaged $c stream" "$work/last.out" "$c cut short: the warning names the format"
  rm -f "whole.$c"
done

# --- item 7: base64 nested up to 8 layers deep is decoded (layers shrink: no bomb), and
# does not spend --archive-depth; deeper is an encoding-limit warning and exit 2.
t_b64=$(new_token)
nest() { local s="SFMC_CLIENT_SECRET=$1" i; for ((i = 0; i < $2; i++)); do s=$(printf '%s' "$s" | base64 -w0); done; printf 'value: %s\n' "$s"; }
for level in 1 3 4 6 8; do
  nest "$t_b64" $level >"b64-$level.yaml"
  expect_status 1 "base64 nested $level deep" -- "$SFMC_SCAN" scan "b64-$level.yaml" --format jsonl
  found "$t_b64" "base64 nested $level deep"
done
expect_status 1 "base64 nested 4 deep with --archive-depth 1" -- "$SFMC_SCAN" scan b64-4.yaml --archive-depth 1 --format jsonl
found "$t_b64" "base64 layers do not spend --archive-depth"
nest "$t_b64" 10 >b64-10.yaml
expect_status 2 "base64 nested 10 deep is not a silent miss" -- "$SFMC_SCAN" scan b64-10.yaml --format jsonl
expect_grep 'encoding-limit' "$work/last.err" "the exit status is explained"
expect_grep '"path":"b64-10.yaml!base64[^"]*","reason":"encoding-limit"' "$work/last.out" "a skipped entry names the file and the limit"
expect_grep 'base64 nested more than 8 layers deep' "$work/last.out" "the warning names the limit"

# A mail or PDF past --archive-depth is matched as bytes with an archive-limit warning,
# never decoded in silence; MIME parts nested past 64 levels likewise (encoding-limit).
printf 'From: a@example.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nk=3D%s\n' "$t_b64" >deep.eml
for i in 1 2 3; do zip -q "z$i.zip" "$([ "$i" = 1 ] && echo deep.eml || echo "z$((i - 1)).zip")"; done
expect_status 2 "a mail nested past --archive-depth" -- "$SFMC_SCAN" scan z3.zip --format jsonl
expect_grep '"path":"z3.zip!z2.zip!z1.zip!deep.eml","reason":"archive-limit"' "$work/last.out" "the undecoded mail is named"
python3 - "$t_b64" <<'PY' || fail "could not write nested.eml"
import base64, sys
token = sys.argv[1]
head = "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n"
body = "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nk=3D%s\n" % token
for i in range(70):
    body = 'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n%s\n--b%d--\n' % (i, i, body, i)
open("nested.eml", "w").write(head + body)
PY
printf '%%PDF-1.7\n' >huge.pdf && truncate -s 300M huge.pdf  # sparse: no disk spent
expect_status 2 "a PDF too large to parse" -- "$SFMC_SCAN" scan huge.pdf --format jsonl
expect_grep '"detail":"larger than 256 MiB: matched as bytes, not parsed","path":"huge.pdf","reason":"archive-limit"' "$work/last.out" \
  "a PDF too large to parse is named, not matched as bytes in silence"
rm -f huge.pdf
expect_status 2 "MIME parts nested 70 deep" -- "$SFMC_SCAN" scan nested.eml --format jsonl
expect_grep '"detail":"parts nested more than 64 deep[^"]*","path":"nested.eml","reason":"encoding-limit"' "$work/last.out" \
  "MIME nesting past its limit is named"

# --- item 4: merge refuses tampered shard records and deep nesting by name, never crashes
t_m=$(new_token)
printf 'k=%s\n' "$t_m" >m.env
"$SFMC_SCAN" scan m.env --shard 0/2 --format jsonl -o s0.jsonl 2>/dev/null
"$SFMC_SCAN" scan m.env --shard 1/2 --format jsonl -o s1.jsonl 2>/dev/null
expect_status 1 "merge of two sound shards" -- "$SFMC_SCAN" merge s0.jsonl s1.jsonl --format jsonl
found "$t_m" "merged shards"
tamper() {  # tamper SED-EXPRESSION: s1.jsonl with its shard record edited, as bad.jsonl
  sed -E "/\"type\":\"shard\"/$1" s1.jsonl >bad.jsonl
}
for edit in 's/"shard":1/"shard":2/' 's/"shard":1/"shard":7/' 's/"of":2/"of":0/' 's/"of":2/"of":4294967295/' \
            's/"shard":1/"shard":-1/' 's/"of":2/"of":"x"/'; do
  tamper "$edit"
  (ulimit -v "$(mem_limit 1000000)"; exec "$SFMC_SCAN" merge s0.jsonl bad.jsonl --format jsonl) >"$work/last.out" 2>"$work/last.err"
  rc=$?
  [ "$rc" -eq 2 ] && ok || fail "merge with $edit: exit $rc, want 2"
  expect_grep 'bad.jsonl' "$work/last.err" "merge with $edit names the file"
done
python3 - <<'PY' || fail "could not write deep.jsonl"
import re
lines = open("s1.jsonl").read().splitlines()
out = [re.sub(r'"sweep":\{[^}]*\}', '"sweep":' + "[" * 200000, l) if '"type":"shard"' in l else l for l in lines]
open("deep.jsonl", "w").write("\n".join(out) + "\n")
PY
"$SFMC_SCAN" merge s0.jsonl deep.jsonl --format jsonl >"$work/last.out" 2>"$work/last.err"
rc=$?
[ "$rc" -eq 2 ] && ok || fail "merge of a sweep nested 200,000 deep: exit $rc, want 2"
expect_grep 'deep.jsonl' "$work/last.err" "the deep shard is named"
[ "$(wc -c <"$work/last.err")" -lt 4000 ] && ok || fail "the error dumps the document ($(wc -c <"$work/last.err") bytes)"

# --- item 5: a damaged --state is refused by name, not a crash and not a raw parser message
mkdir repo && (cd repo && git init -q && printf 'k=%s\n' "$t_m" >a.env && git add a.env && commit_at 2026-01-02T10:00:00Z "one")
expect_status 1 "a first sweep writes its state" -- "$SFMC_SCAN" git repo --state sweep.state --format jsonl
[ "$(stat -c %a sweep.state)" = 600 ] && ok || fail "--state is readable by others: mode $(stat -c %a sweep.state)"
python3 - <<'PY' || fail "could not edit the state"
import json
d = json.load(open("sweep.state"))
repo = next(iter(d["repositories"].values()))
open("deep.state", "w").write(json.dumps(d).replace(json.dumps(repo["reported"]), "[" * 200000, 1))
repo["reported"] = [1, 2]
json.dump(d, open("typed.state", "w"))
repo["reported"] = "x"; repo["tips"] = 7
json.dump(d, open("typed2.state", "w"))
PY
for bad in deep.state typed.state typed2.state; do
  "$SFMC_SCAN" git repo --state "$bad" --format jsonl >"$work/last.out" 2>"$work/last.err"
  rc=$?
  [ "$rc" -eq 2 ] && ok || fail "--state $bad: exit $rc, want 2"
  expect_grep "$bad" "$work/last.err" "--state $bad: the error names the file"
  expect_no_grep '\[json\.exception' "$work/last.err" "--state $bad: not nlohmann's raw message"
done
expect_grep 'typed2.state: a damaged sfmc-scan --state file: an object expected, a number found \(at /repositories/[^)]*/tips\)' \
  "$work/last.err" "--state: the error says what is wrong and where, as a JSON pointer"
"$SFMC_SCAN" git repo --state typed.state --format jsonl >/dev/null 2>"$work/last.err"
expect_grep 'a string expected, a number found \(at /repositories/[^)]*/reported/0\)' "$work/last.err" "--state: the pointer names the element"

# A tampered baseline and --resume checkpoint: refused by name and place, exit 2, never a crash.
"$SFMC_SCAN" baseline create m.env -o base.json 2>/dev/null
python3 - <<'PY' || fail "could not write the tampered baseline and checkpoint"
import json
b = json.load(open("base.json"))
b["findings"][0]["secret_sha256"] = 7
json.dump(b, open("typed-base.json", "w"))
open("deep-base.json", "w").write('{"findings":' + "[" * 200000 + "]" * 200000 + "}")
json.dump({"version": 1, "roots": ["m.env"], "roots_hex": ["6d2e656e76"], "completed": False, "root": 99, "relative_hex": ""}, open("bad.resume", "w"))
json.dump({"version": 1, "roots": ["m.env"], "roots_hex": ["6d2e656e76"], "completed": False, "output_bytes": "x"}, open("typed.resume", "w"))
PY
for b in typed-base.json deep-base.json; do
  expect_status 2 "--baseline $b" -- "$SFMC_SCAN" scan m.env --baseline "$b" --format jsonl
  expect_grep "$b" "$work/last.err" "--baseline $b: the error names the file"
done
expect_grep 'a string expected, a number found \(at /findings/0/secret_sha256\)' <("$SFMC_SCAN" scan m.env --baseline typed-base.json 2>&1) \
  "--baseline: what is wrong and where"
for r in bad.resume typed.resume; do
  cp "$r" cur.resume
  expect_status 2 "--resume $r" -- "$SFMC_SCAN" scan m.env --resume cur.resume -o resumed.jsonl --format jsonl
  expect_grep 'cur.resume: a damaged sfmc-scan resume state: .* \(at /' "$work/last.err" "--resume $r: what is wrong and where"
done

# --- item 8: temporary files are created exclusively; a planted link is not followed
printf 'precious\n' >victim
"$SFMC_SCAN" scan m.env --format json -o report.json 2>/dev/null
ls report.json.* 2>/dev/null | grep -q . && fail "a temporary file was left beside report.json" || ok
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
  # Root writing -o into a sticky folder where another user planted the name as a link.
  mkdir -m 1777 shared && ln -s "$work/victim" shared/report.json && chown -h nobody shared/report.json
  expect_status 2 "-o: another user's link in a shared folder is refused" -- "$SFMC_SCAN" scan m.env --format json -o shared/report.json
  expect_grep 'shared/report.json is a symbolic link owned by another user .*refused' "$work/last.err" "-o: the refusal says why"
  [ "$(cat victim)" = precious ] && ok || fail "root followed another user's link and overwrote its target"
  [ -L shared/report.json ] && ok || fail "the planted link was replaced: the report went where that user chose"
  ln -s "$work/victim" shared/sweep.state && chown -h nobody shared/sweep.state
  expect_status 2 "--state: another user's link in a shared folder is refused" -- "$SFMC_SCAN" git repo --state shared/sweep.state --format jsonl
  expect_grep 'shared/sweep.state is a symbolic link owned by another user' "$work/last.err" "--state: the refusal says why"
  ln -s "$work/victim" shared/sweep.resume && chown -h nobody shared/sweep.resume
  expect_status 2 "--resume: another user's link in a shared folder is refused" -- "$SFMC_SCAN" scan m.env --resume shared/sweep.resume -o r.jsonl --format jsonl
  [ "$(cat victim)" = precious ] && ok || fail "a planted --state or --resume link was followed"
fi
(umask 077; "$SFMC_SCAN" scan m.env --format json -o private.json 2>/dev/null)
[ "$(stat -c %a private.json)" = 600 ] && ok || fail "-o ignores the umask: mode $(stat -c %a private.json)"

finish

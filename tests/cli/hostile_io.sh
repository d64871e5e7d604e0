#!/usr/bin/env bash
# Hostile input to the readers and output of the scanner (issue 12, items 10-16):
# reports without locations, huge lines on standard input, control characters in
# printed strings, pseudo-file systems, runaway rules, writers that must not truncate.
source "$(dirname "$0")/lib.sh"
fresh_work hostile_io
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
# Under this much address space (KB) a reader must finish: far below what holding a
# 300 MB line costs, far above what the scanner needs.
mem_cap=$(mem_limit 600000)
long_line() { head -c 300000000 /dev/zero | tr '\0' "$1"; }

# --- item 13: SARIF results whose locations are empty or missing, and other shapes
a=$(new_token)
printf 'k=%s\n' "$a" >one.env
"$SFMC_SCAN" scan one.env --format sarif -o one.sarif 2>/dev/null
for edit in 'r["locations"]=[]' 'del r["locations"]' 'r["locations"]=[{}]' 'r["locations"]=[{"physicalLocation":7}]' \
            'r["partialFingerprints"]=None' 'r["properties"]="x"' 'del r["partialFingerprints"]'; do
  python3 - "$edit" <<'PY' || { fail "could not edit the SARIF"; continue; }
import json, sys
d = json.load(open("one.sarif"))
for r in d["runs"][0]["results"]:
    exec(sys.argv[1])
json.dump(d, open("edited.sarif", "w"))
PY
  expect_status 1 "report --by-secret, SARIF with $edit" -- "$SFMC_SCAN" report edited.sarif --by-secret
done
for doc in '{"runs":7}' '{"runs":[{"results":[1,"x",null]}]}' '{"findings":{"a":1}}' '{"findings":[{"rule":3,"git":5,"line":"x"}]}' '[]' '"x"'; do
  printf '%s\n' "$doc" >odd.json
  "$SFMC_SCAN" report odd.json --by-secret >/dev/null 2>"$work/last.err"
  rc=$?; [ "$rc" -le 2 ] && ok || fail "report on $doc: exit $rc (a crash?)"
done
printf '{"type":"finding","rule":7,"git":{"refs":[1,2]}}\n{"type":"finding","git":"x"}\n' >odd.jsonl
expect_status 1 "report on odd JSON Lines" -- "$SFMC_SCAN" report odd.jsonl --by-secret
for doc in '{"findings":[{"rule":1,"secret_sha256":2}]}' '{"findings":7}' '[1]'; do
  printf '%s\n' "$doc" >odd-baseline.json
  expect_status 2 "baseline $doc is refused, not a crash" -- "$SFMC_SCAN" scan one.env --baseline odd-baseline.json
done

# --- item 15: very long lines on standard input, in bounded memory, never ignored
expect_status 2 "locate with a 300 MB line" -- bash -c "ulimit -v $mem_cap; long_line() { head -c 300000000 /dev/zero | tr '\0' a; }; long_line | \"$SFMC_SCAN\" locate one.env"
expect_grep 'longer than' "$work/last.err" "locate says the line is too long"
git init -q -b main repo && cp one.env repo/ && (cd repo && git add one.env && commit_at 2026-03-01T10:00:00Z "add")
expect_status 2 "pre-push with a 300 MB line" -- bash -c "cd repo && ulimit -v $mem_cap; head -c 300000000 /dev/zero | tr '\0' a | \"$SFMC_SCAN\" git --pre-push"
expect_grep 'longer than' "$work/last.err" "pre-push says the line is too long"
expect_status 2 "pre-push input that is not git's" -- bash -c "cd repo && echo 'refs/heads/main only-two' | \"$SFMC_SCAN\" git --pre-push"
expect_grep 'pre-push input line 1' "$work/last.err" "pre-push names the line it could not read"
{ printf '{"type":"finding","pad":"'; head -c 300000000 /dev/zero | tr '\0' a; printf '"}\n'; } >long.jsonl
expect_status 2 "report with a 300 MB line" -- bash -c "ulimit -v $mem_cap; \"$SFMC_SCAN\" report long.jsonl --by-secret"
expect_grep 'longer than' "$work/last.err" "report says the line is too long"
rm -f long.jsonl

# --- item 16: whatever starts like a token is redacted in every snippet
t=$(new_token); bad="${t:0:60}0000"  # same shape, checksum broken
printf 'a=%s b=%s c=%sXYZ\n' "$t" "$bad" "$t" >neighbours.txt
for checksum in require report ignore; do
  for format in jsonl json sarif text; do
    "$SFMC_SCAN" scan neighbours.txt --checksum $checksum --format $format --color never >"$work/last.out" 2>&1
    expect_no_grep "${bad:5:40}" "$work/last.out" "--checksum $checksum, $format: the dropped token shown in full"
    expect_no_grep "${t:5:40}" "$work/last.out" "--checksum $checksum, $format: a token shown in full"
  done
done

# --- item 10: pseudo-file systems are skipped with a reason, never read forever
if [ -d /proc/self/task ]; then
  expect_status 0 "scan /proc/self/" -- timeout 60 "$SFMC_SCAN" scan /proc/self/ --format jsonl
  expect_grep '"path":"/proc/self/","reason":"pseudo-file-system"' "$work/last.out" "/proc is reported as skipped"
  # Named on the command line, a generated file is read, but only so far.
  expect_status 0 "an endless /proc file named on the command line" -- timeout 60 "$SFMC_SCAN" scan /proc/self/pagemap --format jsonl
  expect_grep '"path":"/proc/self/pagemap","reason":"pseudo-file-system"' "$work/last.out" "the endless file is reported as cut short"
  expect_status 0 "a short /proc file" -- timeout 60 "$SFMC_SCAN" scan /proc/self/status --format jsonl
  expect_grep '"inputs_scanned":1' "$work/last.out" "a short /proc file is read"
fi

# --- item 12: names that are not UTF-8, and writers that never leave a file half-written
mkdir -p bad8 && t=$(new_token) && printf 'k=%s\n' "$t" >"bad8/caf$(printf '\351').env"  # Latin-1 é
printf '{"keep":"me"}\n' >base.json
expect_status 0 "baseline create over a non-UTF-8 name" -- "$SFMC_SCAN" baseline create -o base.json bad8
expect_grep "$(hash "$t")" base.json "the baseline holds the finding"
python3 -c 'import json,sys; json.load(open("base.json"))' && ok || fail "the baseline is valid JSON"
expect_status 1 "locate --format json, non-UTF-8 name" -- bash -c "printf '%s\n' '$t' | \"$SFMC_SCAN\" locate bad8 --format json"
expect_grep "caf$(printf '\357\277\275').env" "$work/last.out" "the name is written with U+FFFD, as in every report"
expect_status 1 "--resume, non-UTF-8 name" -- "$SFMC_SCAN" scan bad8 --resume state.json -o resumed.jsonl
expect_status 0 "--resume again: complete" -- "$SFMC_SCAN" scan bad8 --resume state.json -o resumed.jsonl
expect_grep '"relative_hex"|"roots_hex"' state.json "the state keeps names exactly"
for f in sarif json jsonl txt; do
  expect_status 1 "-o out.$f, non-UTF-8 name" -- "$SFMC_SCAN" scan bad8 -o "out.$f"
done
ls | grep -q 'sfmc-tmp' && fail "a temporary file was left behind" || ok
printf 'old\n' >kept.sarif
expect_status 2 "a scan that fails before its report" -- "$SFMC_SCAN" scan bad8 --rules /nonexistent -o kept.sarif
expect_grep '^old$' kept.sarif "the existing report is left as it was"

# --- item 11: control sequences from scanned data never reach the terminal raw
mkdir -p ctl && esc=$(printf '\033') && rlo=$(printf '\342\200\256') && csi1=$(printf '\302\233')
t=$(new_token)
name="ctl/evil${esc}]0;owned${esc}\\${esc}[2J${rlo}vne.${csi1}31m.txt"
printf 'k=%s\n' "$t" >"$name"
printf 'k=%s %s[31m %s\n' "$t" "$esc" "$rlo" >ctl/snippet.txt
git init -q -b main ctlrepo && cp ctl/snippet.txt ctlrepo/ &&
  (cd ctlrepo && git add . && GIT_AUTHOR_NAME="Eve${esc}]0;title${esc}\\${esc}[31m${rlo}" commit_at 2026-03-01T10:00:00Z "add")
raw_controls() {  # raw_controls FILE DESCRIPTION: no ESC, C1 CSI or U+202E byte sequence in FILE
  if LC_ALL=C grep -q "$esc\|$rlo\|$csi1" "$1"; then fail "$2: raw control sequence printed"; LC_ALL=C grep -a "$esc\|$rlo" "$1" | cat -v | head -3; else ok; fi
}
"$SFMC_SCAN" scan ctl --format text --color never >out.txt 2>err.txt; raw_controls out.txt "scan text"; raw_controls err.txt "scan stderr"
expect_grep 'evil\\x1b\]0;owned' out.txt "the path is shown escaped"
expect_grep '\\u\{202e\}' out.txt "a bidi override is shown escaped"
"$SFMC_SCAN" scan ctl --group-by secret --format text --color never >out.txt 2>err.txt; raw_controls out.txt "--group-by secret text"
"$SFMC_SCAN" git ctlrepo --format text --color never >out.txt 2>err.txt; raw_controls out.txt "git text"
expect_grep 'Eve\\x1b' out.txt "the author is shown escaped"
"$SFMC_SCAN" git ctlrepo --format text --color always >out.txt 2>err.txt
LC_ALL=C grep -q "$rlo\|title" out.txt && LC_ALL=C grep -q "${esc}]0;title" out.txt && fail "--color always passes the author's OSC" || ok
"$SFMC_SCAN" scan ctl --format jsonl -o ctl.jsonl 2>/dev/null
"$SFMC_SCAN" report ctl.jsonl --by-secret >out.txt 2>err.txt; raw_controls out.txt "report --by-secret"
printf '%s\n' "$t" | "$SFMC_SCAN" locate ctl --git ctlrepo >out.txt 2>err.txt; raw_controls out.txt "locate"

# --- item 14: a rule that matches everywhere gives a bounded report
mkdir -p runaway && cat >runaway.toml <<'TOML'
[[rules]]
id = "runaway"
description = "any run of 4096 letters and digits"
regex = '''[0-9A-Za-z]{4096}'''
TOML
alnum() { head -c "$1" /dev/urandom | base64 -w0 | tr -dc '0-9A-Za-z' | head -c "$2"; }
{ printf 'x='; alnum 40000 20000; printf '\n'; } >runaway/l20k.txt
{ printf 'x='; alnum 200000 100000; printf '\n'; } >runaway/l100k.txt
peak_kb() { /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1; local st=$?; sed -i -n "\$p" "$work/rss"; echo $st; }
if [ -x /usr/bin/time ]; then
  st=$(peak_kb "$SFMC_SCAN" scan runaway --rules runaway.toml --no-base64 --format jsonl -o runaway.jsonl)
  [ "$st" -eq 1 ] && ok || fail "runaway rule: exit $st, want 1"
  [ "$(cat "$work/rss")" -lt 300000 ] && ok || fail "runaway rule: peak RSS $(cat "$work/rss") KB, want < 300 MB"
else
  expect_status 1 "runaway rule" -- "$SFMC_SCAN" scan runaway --rules runaway.toml --no-base64 --format jsonl -o runaway.jsonl
fi
# Non-overlapping: 20000/4096 = 4 and 100000/4096 = 24 findings, not one per byte.
n=$(grep -c '"type":"finding"' runaway.jsonl)
[ "$n" -eq 28 ] && ok || fail "runaway rule: $n findings, want 28 (4 + 24)"
[ "$(stat -c %s runaway.jsonl)" -lt 1000000 ] && ok || fail "runaway rule: report of $(stat -c %s runaway.jsonl) bytes"
# The limit per input: the rest of the input is a warning, not a silent cut.
expect_status 1 "--max-findings-per-input" -- "$SFMC_SCAN" scan runaway/l100k.txt --rules runaway.toml --no-base64 \
  --max-findings-per-input 5 --format jsonl -o limited.jsonl
[ "$(grep -c '"type":"finding"' limited.jsonl)" -eq 5 ] && ok || fail "--max-findings-per-input 5 kept $(grep -c '"type":"finding"' limited.jsonl)"
expect_grep '"reason":"findings-limit"' limited.jsonl "the cut is reported as a findings-limit record"
"$SFMC_SCAN" scan runaway/l100k.txt --rules runaway.toml --no-base64 --max-findings-per-input 5 --format text --color never >out.txt 2>err.txt
expect_grep 'findings-limit' err.txt "the text summary counts the findings-limit warning"

# --- writers: what is not a regular file is written in place, never renamed over
# (-o /dev/null as root once turned /dev/null into a regular file; a FIFO stands in for it)
mkdir -p wr && t=$(new_token) && printf 'k=%s\n' "$t" >wr/a.env
mkfifo wr/out.fifo && { timeout 20 cat wr/out.fifo >wr/got.jsonl & } && reader=$!
expect_status 1 "-o FIFO" -- "$SFMC_SCAN" scan wr/a.env --format jsonl -o wr/out.fifo
wait "$reader"
[ -p wr/out.fifo ] && ok || fail "-o FIFO: the FIFO was replaced"
expect_grep '"type":"finding"' wr/got.jsonl "-o FIFO: the report went through the FIFO"
printf 'old\n' >wr/real.jsonl && ln -s real.jsonl wr/link.jsonl
expect_status 1 "-o symlink" -- "$SFMC_SCAN" scan wr/a.env --format jsonl -o wr/link.jsonl
[ -L wr/link.jsonl ] && ok || fail "-o symlink: the link was replaced by a file"
expect_grep '"type":"finding"' wr/real.jsonl "-o symlink: the file it points to holds the report"
mkfifo wr/base.fifo && { timeout 20 cat wr/base.fifo >wr/base.got & } && reader=$!
expect_status 0 "baseline create -o FIFO" -- "$SFMC_SCAN" baseline create wr/a.env -o wr/base.fifo
wait "$reader"
[ -p wr/base.fifo ] && ok || fail "baseline create -o FIFO: the FIFO was replaced"

finish

#!/usr/bin/env bash
# No output holds more of any secret than its redacted form unless --show-secrets is
# given (issue 29, item 5): secrets glued to one another, on lines longer than the
# context the matcher keeps (so a snippet's edge cuts a secret), valid and invalid,
# scanned by every command in every format under each --checksum mode; every output
# and every message is searched for any 12-character piece of every planted secret.
source "$(dirname "$0")/lib.sh"
fresh_work no_secret_shown
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }

t1=$(new_token); t2=$(new_token); t3=$(new_token); t4=$(new_token)
bad="${t4:0:60}QQQQ"  # a checksum that fails: shown only under --checksum report/ignore, redacted
x40=$(printf 'x%.0s' $(seq 40)); x90=$(printf 'x%.0s' $(seq 90)); p150=$(printf 'p%.0s' $(seq 150))
mkdir tree
{
  printf 'a=%sb=%s\n' "$t1" "$t2"                    # glued: the first is no token, the second is
  printf 'a=%s%s%s\n' "$t1" "$x40" "$t2"             # the snippet's window starts inside the first
  printf '%sa=%s %s%s\n' "$p150" "$t2" "$x90" "$t3"  # and ends inside the next
  printf 'k=%s %s %s\n' "$bad" "$x40" "$t3"
  printf 'v=%s%s\n' "$t3" "$t1"
  printf 'w=%s\n' "$t4"
} >tree/glued.env
git init -q -b main repo && cp tree/glued.env repo/ && (cd repo && git add . && commit_at 2026-02-01T10:00:00Z "secrets")

outputs=()
run() {  # run NAME COMMAND...: stdout and stderr kept as out/NAME.{out,err}
  local name=$1; shift
  "$@" >"out/$name.out" 2>"out/$name.err"
  outputs+=("out/$name.out" "out/$name.err")
}
mkdir out
for ck in require report ignore; do
  for fmt in jsonl json sarif text gitlab; do
    run "scan-$ck-$fmt" "$SFMC_SCAN" scan tree --checksum "$ck" --format "$fmt" -o "out/scan-$ck.$fmt"
    outputs+=("out/scan-$ck.$fmt")
    run "git-$ck-$fmt" "$SFMC_SCAN" git repo --checksum "$ck" --format "$fmt" -o "out/git-$ck.$fmt"
    outputs+=("out/git-$ck.$fmt")
  done
  run "group-$ck" "$SFMC_SCAN" scan tree --checksum "$ck" --group-by secret --format json
  for fmt in text json jsonl; do run "report-$ck-$fmt" "$SFMC_SCAN" report "out/scan-$ck.jsonl" --format "$fmt"; done
  run "report-bysecret-$ck" "$SFMC_SCAN" report --by-secret "out/scan-$ck.sarif"
  run "baseline-$ck" "$SFMC_SCAN" baseline create tree --git repo --checksum "$ck" -o "out/baseline-$ck.json"
  outputs+=("out/baseline-$ck.json")
  run "shard0-$ck" "$SFMC_SCAN" scan tree --checksum "$ck" --shard 0/1 --format jsonl -o "out/shard-$ck.jsonl"
  outputs+=("out/shard-$ck.jsonl")
  run "merge-$ck" "$SFMC_SCAN" merge "out/shard-$ck.jsonl" --format text
done
for t in "$t1" "$t2" "$t3" "$t4" "$bad"; do
  for fmt in text json; do
    printf '%s\n' "$t" | "$SFMC_SCAN" locate tree --git repo --format "$fmt" >"out/locate.out" 2>"out/locate.err"
    cp out/locate.out "out/locate-${t:5:6}-$fmt.out"; cp out/locate.err "out/locate-${t:5:6}-$fmt.err"
    outputs+=("out/locate-${t:5:6}-$fmt.out" "out/locate-${t:5:6}-$fmt.err")
  done
done

grep -q '"type":"finding"' out/scan-report.jsonl && ok || fail "the scan found nothing: the test proves nothing"
grep -q 'SFMC_' out/scan-ignore.text && ok || fail "the text report shows no redacted secret"
leaks=0
for t in "$t1" "$t2" "$t3" "$t4" "$bad"; do
  for ((i = 0; i + 12 <= ${#t}; i++)); do
    piece=${t:i:12}
    if hits=$(grep -lF -- "$piece" "${outputs[@]}" 2>/dev/null); then
      fail "12 characters of a secret (${t:0:9}…, at $i) are shown in: $(echo $hits | tr '\n' ' ')"
      leaks=$((leaks + 1))
      break
    fi
  done
done
[ "$leaks" -eq 0 ] && ok
# --show-secrets is the one way to see them.
"$SFMC_SCAN" scan tree --show-secrets --format jsonl >shown.jsonl 2>/dev/null
grep -qF -- "$t2" shown.jsonl && ok || fail "--show-secrets does not show the secret"
finish

#!/usr/bin/env bash
# --shard K/N and merge: a tree where one folder holds most of the bytes, with archives,
# UTF-16 and a file that cannot be read, split four ways; the merged report is byte for
# byte the one-machine report in JSON Lines, JSON, SARIF, text and grouped by secret.
# Shards are balanced by bytes; merge refuses missing, doubled and foreign shards.
source "$(dirname "$0")/lib.sh"
fresh_work shard
command -v zip >/dev/null || { echo "skipped: zip is not installed"; exit 77; }
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
mkdir -p tree/big tree/a tree/zz && cd tree
shared=$(new_token)
for i in $(seq -w 1 40); do
  head -c $((150000 + 1000 * 10#$i)) /dev/urandom | base64 -w 76 >big/part$i.txt
  [ $((10#$i % 7)) -eq 0 ] && printf 'secret=%s\n' "$(new_token)" >>big/part$i.txt
done
printf 'k=%s\n' "$shared" >>big/part13.txt
for i in 1 2 3; do printf 'a=%s\n' "$(new_token)" >a/f$i.env; done
printf 'again=%s\n' "$shared" >a/again.env
printf 'z=%s\n' "$(new_token)" >zz/inner.env && (cd zz && zip -q ../bundle.zip inner.env) && rm zz/inner.env
printf 'secret=%s\r\n' "$(new_token)" | iconv -f utf-8 -t utf-16le >zz/export.ini 2>/dev/null || true
printf 'p=%s\n' "$(new_token --placeholder 2>/dev/null || echo SFMC_EXAMPLE)" >zz/placeholder.txt
printf 'x=%s\n' "$(new_token)" >zz/locked.env && chmod 000 zz/locked.env
cd ..
# As root the unreadable file is readable: say so rather than assert a skip that cannot happen.
norm() { sed -E 's/"seconds": ?[0-9.e+-]+/"seconds":0/g; s/"mb_per_second": ?[0-9.e+-]+/"mb_per_second":0/g; s/in [0-9.]+ s \([0-9]+ MB\/s\)/in T/' "$1"; }

expect_status 1 "one machine" -- "$SFMC_SCAN" scan tree --format jsonl -o one.jsonl
for k in 0 1 2 3; do
  expect_status 1 "shard $k/4" -- "$SFMC_SCAN" scan tree --shard $k/4 -o shard$k.jsonl
  [ $? ] ; sed -n '$p' shard$k.jsonl | grep -q '"type":"shard"' && ok || fail "shard $k: no closing shard record"
done
# Balance: no shard reads more than 1.5x the mean of the bytes.
bytes=$(for k in 0 1 2 3; do grep '"type":"summary"' shard$k.jsonl | grep -o '"bytes_scanned":[0-9]*' | cut -d: -f2; done)
total=$(echo "$bytes" | paste -sd+ | bc)
one_total=$(grep '"type":"summary"' one.jsonl | grep -o '"bytes_scanned":[0-9]*' | cut -d: -f2)
[ "$total" -eq "$one_total" ] && ok || fail "shards read $total bytes, one machine $one_total"
for b in $bytes; do [ $((b * 4 * 2)) -le $((total * 3)) ] && ok || fail "shard bytes $b > 1.5x mean of $total/4 ($(echo $bytes))"; done
for k in 0 1 2 3; do [ "$(echo "$bytes" | sed -n "$((k + 1))p")" -gt 0 ] && ok || fail "shard $k read nothing"; done
# Every input read by exactly one shard.
paths() { grep -h '"type":"finding"' "$@" | grep -o '"path":"[^"]*"' | sort; }
[ "$(paths one.jsonl)" = "$(paths shard0.jsonl shard1.jsonl shard2.jsonl shard3.jsonl)" ] && ok || fail "shards do not partition the findings"

for fmt in jsonl json sarif text; do
  "$SFMC_SCAN" scan tree --format $fmt -o one.$fmt >/dev/null 2>&1
  expect_status 1 "merge to $fmt" -- "$SFMC_SCAN" merge shard3.jsonl shard1.jsonl shard0.jsonl shard2.jsonl --format $fmt -o merged.$fmt
  cmp -s <(norm one.$fmt) <(norm merged.$fmt) && ok || { fail "merged $fmt differs from one machine"; diff <(norm one.$fmt) <(norm merged.$fmt) | head -5; }
done
"$SFMC_SCAN" scan tree --group-by secret --format json -o one-grouped.json >/dev/null 2>&1
expect_status 1 "merge --group-by secret" -- "$SFMC_SCAN" merge shard*.jsonl --group-by secret --format json -o merged-grouped.json
cmp -s <(norm one-grouped.json) <(norm merged-grouped.json) && ok || fail "merged inventory differs"
grep -c "$(hash "$shared")" merged-grouped.json | grep -q '^1$' && ok || fail "the shared secret is one entry across shards"
grep -A3 "$(hash "$shared")" merged-grouped.json >/dev/null && ok

# Refusals: a missing shard, a doubled one, one of another sweep, an incomplete one.
expect_status 2 "a missing shard" -- "$SFMC_SCAN" merge shard0.jsonl shard1.jsonl shard3.jsonl
expect_grep 'shard 2 of 4 missing' "$work/last.err" "says which shard is missing"
expect_status 2 "a doubled shard" -- "$SFMC_SCAN" merge shard0.jsonl shard1.jsonl shard2.jsonl shard3.jsonl shard2.jsonl
expect_grep 'shard 2 is given twice' "$work/last.err" "says which shard is doubled"
"$SFMC_SCAN" scan tree --shard 2/4 --checksum require -o other2.jsonl >/dev/null 2>&1
expect_status 2 "a shard made with other options" -- "$SFMC_SCAN" merge shard0.jsonl shard1.jsonl other2.jsonl shard3.jsonl
expect_grep 'different sweeps' "$work/last.err" "says the sweeps differ"
head -n 3 shard1.jsonl >cut1.jsonl
expect_status 2 "an incomplete shard" -- "$SFMC_SCAN" merge shard0.jsonl cut1.jsonl shard2.jsonl shard3.jsonl
expect_grep 'no closing shard record' "$work/last.err" "says the shard did not finish"
expect_status 2 "a report that is no shard report" -- "$SFMC_SCAN" merge one.jsonl
expect_status 2 "--shard out of range" -- "$SFMC_SCAN" scan tree --shard 4/4 -o x.jsonl
expect_status 2 "--shard writes JSON Lines only" -- "$SFMC_SCAN" scan tree --shard 0/4 --format sarif -o x.sarif
# The options that only say where output goes or how fast do not matter.
"$SFMC_SCAN" scan tree --shard 2/4 -j1 --no-progress -o fast2.jsonl >/dev/null 2>&1
expect_status 1 "-j differs between shards" -- "$SFMC_SCAN" merge shard0.jsonl shard1.jsonl fast2.jsonl shard3.jsonl --format jsonl

# Git: a fleet of repositories split by repository.
make_repo() { git init -q -b main "$1" && (cd "$1" && echo "secret=$2" >conf.env && git add . && commit_at 2026-01-02T10:00:00Z "c"); }
if command -v git >/dev/null; then
  for r in r1 r2 r3 r4 r5; do make_repo $r "$(new_token)"; done
  (cd r3 && head -c 400000 /dev/urandom | base64 >big.txt && git add big.txt && commit_at 2026-01-03T10:00:00Z big)
  "$SFMC_SCAN" git r1 r2 r3 r4 r5 --format jsonl -o git-one.jsonl >/dev/null 2>&1
  for k in 0 1 2; do "$SFMC_SCAN" git r1 r2 r3 r4 r5 --shard $k/3 -o git$k.jsonl >/dev/null 2>&1; done
  for fmt in jsonl json sarif; do
    "$SFMC_SCAN" git r1 r2 r3 r4 r5 --format $fmt -o git-one.$fmt >/dev/null 2>&1
    expect_status 1 "git merge to $fmt" -- "$SFMC_SCAN" merge git0.jsonl git1.jsonl git2.jsonl --format $fmt -o git-merged.$fmt
    cmp -s <(norm git-one.$fmt) <(norm git-merged.$fmt) && ok || { fail "git: merged $fmt differs"; diff <(norm git-one.$fmt) <(norm git-merged.$fmt) | head -5; }
  done
  n=0; for k in 0 1 2; do n=$((n + $(count_findings git$k.jsonl))); done
  [ "$n" -eq 5 ] && ok || fail "git shards: $n findings, want 5 (each repository once)"
fi
finish

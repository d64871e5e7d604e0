#!/usr/bin/env bash
# An interrupted sweep (killed with SIGKILL) resumed with --resume reports every
# finding exactly once across the two runs, and says when the sweep is complete.
source "$(dirname "$0")/lib.sh"
fresh_work resume
mkdir tree
tokens=()
for i in $(seq 1 400); do
  d="tree/d$((i / 20))"; mkdir -p "$d"  # 20 folders, two tokens each
  if [ $((i % 10)) -eq 0 ]; then t=$(new_token); tokens+=("$t"); printf 'x=1\nsecret=%s\n' "$t" >"$d/f$i.env"
  else head -c 20000 /dev/zero | tr '\0' 'a' >"$d/f$i.txt"; fi
done
export SFMC_CHECKPOINT_MS=0
# Killed at its 12th checkpoint (of 25), with that batch's output written but not recorded.
SFMC_TEST_KILL_AT_CHECKPOINT=12 "$SFMC_SCAN" scan tree --resume state.json --format jsonl -o out.jsonl -j1 -q
[ $? -eq 137 ] && ok || fail "the first run was not killed"
grep -q '"completed":false' state.json && ok || fail "state of the killed run"
first=$(count_findings out.jsonl)
[ "$first" -gt 0 ] && [ "$first" -lt ${#tokens[@]} ] && ok || fail "the killed run reported $first of ${#tokens[@]}"
expect_status 1 "resumed sweep" -- "$SFMC_SCAN" scan tree --resume state.json --format jsonl -o out.jsonl -j2 -q
grep -q '"completed":true' state.json && ok || fail "state says complete"
total=$(count_findings out.jsonl)
[ "$total" -eq ${#tokens[@]} ] && ok || fail "findings across both runs: $total, want ${#tokens[@]}"
for t in "${tokens[@]}"; do
  n=$(grep -c "$(printf '%s' "$t" | sha256sum | cut -c1-64)" out.jsonl)
  [ "$n" -eq 1 ] || { fail "a token reported $n times"; break; }
done
ok
expect_status 0 "a completed state" -- "$SFMC_SCAN" scan tree --resume state.json --format jsonl -o out.jsonl
expect_grep 'complete' "$work/last.err" "says the sweep is complete"
expect_status 2 "another sweep's state" -- "$SFMC_SCAN" scan tree/d1 --resume state.json --format jsonl -o other.jsonl
expect_status 2 "--resume with SARIF" -- "$SFMC_SCAN" scan tree --resume fresh.json --format sarif -o x.sarif
expect_status 2 "--resume without -o" -- "$SFMC_SCAN" scan tree --resume fresh.json --format jsonl
finish

#!/usr/bin/env bash
# What the team already knows: allow comments, baselines (matched by rule and secret
# hash, so moving a line keeps a finding accepted and a new secret is still reported),
# and the expiry bound (a certainly expired secret is a note, with the reason).
source "$(dirname "$0")/lib.sh"
fresh_work triage
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
a=$(new_token); b=$(new_token); c=$(new_token); d=$(new_token); e=$(new_token)

mkdir allow
printf 'k=%s # sfmc-scan:allow test fixture\n' "$a" >allow/a.env
printf 'k = "%s"  # gitleaks:allow\n' "$b" >allow/b.py
printf 'k: %s # pragma: allowlist secret\n' "$c" >allow/c.yaml
expect_status 0 "allow comments" -- "$SFMC_SCAN" scan allow --format jsonl
expect_count 0 "$work/last.out" "allowed findings stay out"
expect_grep '"suppressed":3' "$work/last.out" "...and are counted"
expect_status 0 "--include-suppressed" -- "$SFMC_SCAN" scan allow --include-suppressed --format jsonl
expect_count 3 "$work/last.out" "--include-suppressed shows them"
expect_grep '"suppressed":\{"justification":"gitleaks:allow comment on the line","kind":"inSource"\}' "$work/last.out" "marked with why"
expect_status 0 "SARIF with suppressions" -- "$SFMC_SCAN" scan allow --include-suppressed --format sarif -o allow.sarif
grep -q '"kind": "inSource"' allow.sarif && ok || fail "SARIF suppressions"
expect_status 0 "SARIF without" -- "$SFMC_SCAN" scan allow --format sarif -o plain.sarif
grep -q '"results": \[\]' plain.sarif && ok || fail "suppressed results left out of SARIF by default"

mkdir base
printf 'one=%s\n' "$d" >base/app.env
expect_status 0 "baseline create" -- "$SFMC_SCAN" baseline create -o baseline.json base
expect_grep "$(hash "$d")" baseline.json "baseline holds the secret's hash"
grep -q "$d" baseline.json && fail "the baseline holds the secret itself" || ok
expect_status 0 "baseline accepted" -- "$SFMC_SCAN" scan base --baseline baseline.json --format jsonl
printf '# moved down\n\n\none=%s\n' "$d" >base/app.env
expect_status 0 "moved line stays accepted" -- "$SFMC_SCAN" scan base --baseline baseline.json --format jsonl
printf '# moved down\n\n\none=%s\n' "$e" >base/app.env
expect_status 1 "a new secret in the same place" -- "$SFMC_SCAN" scan base --baseline baseline.json --format jsonl
expect_grep "$(hash "$e")" "$work/last.out" "the new secret is reported"
expect_status 2 "unreadable baseline" -- "$SFMC_SCAN" scan base --baseline nope.json

# Expiry: a file last modified on 2026-01-01 held its secret then.
mkdir old && printf 'k=%s\n' "$a" >old/a.env && touch -d 2026-01-01T00:00:00Z old/a.env
expect_status 0 "certainly expired: a note" -- "$SFMC_SCAN" scan old --now 2026-11-22 --format jsonl
expect_grep '"expired":true' "$work/last.out" "marked expired"
expect_grep '"expires_no_later_than":"2026-06-30T00:00:00Z"' "$work/last.out" "bound: first seen + 180 days"
expect_grep '"level":"note"' "$work/last.out" "level note"
expect_grep 'certainly expired' "$work/last.out" "with the reason"
expect_status 1 "--fail-on note fails on it" -- "$SFMC_SCAN" scan old --now 2026-11-22 --fail-on note --format jsonl
expect_status 1 "not yet expired" -- "$SFMC_SCAN" scan old --now 2026-03-01 --format jsonl
expect_grep '"expired":false' "$work/last.out" "not expired before the bound"
expect_status 2 "bad --now" -- "$SFMC_SCAN" scan old --now yesterday

# In history, the introducing commit's date is when it was first seen.
if command -v git >/dev/null; then
  git init -q -b main repo && printf 'k=%s\n' "$b" >repo/x.env && (cd repo && git add x.env && commit_at 2026-02-01T12:00:00Z "x")
  expect_status 0 "expired in history" -- "$SFMC_SCAN" git repo --now 2026-12-01 --format jsonl
  expect_grep '"first_seen":"2026-02-01T12:00:00Z"' "$work/last.out" "first seen at the commit date"
fi
# The same on a repository's history: allow comments, a baseline made from history,
# and the inventory grouping one secret committed twice.
if command -v git >/dev/null; then
  f=$(new_token); g=$(new_token)
  git init -q -b main hist && cd hist
  printf 'k=%s # sfmc-scan:allow\n' "$f" >allowed.env && git add . && commit_at 2026-04-01T10:00:00Z "allowed"
  printf 'k=%s\n' "$g" >one.env && printf 'again=%s\n' "$g" >two.env && git add . && commit_at 2026-04-02T10:00:00Z "twice"
  cd ..
  expect_status 1 "history: allow comment" -- "$SFMC_SCAN" git hist --format jsonl
  expect_no_grep "$(hash "$f")" "$work/last.out" "allowed in history"
  expect_grep '"suppressed":1' "$work/last.out" "...and counted"
  expect_status 0 "baseline of history" -- "$SFMC_SCAN" baseline create --git hist -o hist-baseline.json
  expect_status 0 "history against its baseline" -- "$SFMC_SCAN" git hist --baseline hist-baseline.json --format jsonl
  expect_status 1 "history grouped by secret" -- "$SFMC_SCAN" git hist --group-by secret --format jsonl
  grep "$(hash "$g")" "$work/last.out" | grep -q '"path":"one.env".*"path":"two.env"' && ok || fail "one secret, two places in history"
fi
finish

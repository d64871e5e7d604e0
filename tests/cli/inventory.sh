#!/usr/bin/env bash
# Where is each secret used? --group-by secret, `report --by-secret` on a saved report
# (JSON Lines and SARIF), and `locate` with the secret on standard input.
source "$(dirname "$0")/lib.sh"
fresh_work inventory
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
a=$(new_token); b=$(new_token)
mkdir -p tree/svc tree/z
printf 'SFMC_CLIENT_SECRET=%s\n' "$a" >tree/svc/app.env
printf '{"clientSecret":"%s"}\n' "$a" >tree/svc/settings.json
printf 'k=%s\n' "$a" >tree/z/inner.properties && (cd tree/z && zip -q ../bundle.zip inner.properties) && rm -r tree/z
printf 'other=%s\n' "$b" >tree/other.env

expect_status 1 "--group-by secret" -- "$SFMC_SCAN" scan tree --group-by secret --format jsonl
[ "$(grep -c '"type":"secret"' "$work/last.out")" -eq 2 ] && ok || fail "two distinct secrets"
grep "$(hash "$a")" "$work/last.out" | grep -o '"path":"[^"]*"' | sort >a.places
[ "$(wc -l <a.places)" -eq 3 ] && ok || fail "the first secret in three places"
grep -q 'bundle.zip!inner.properties' a.places && ok || fail "an archive member is one of them"
expect_status 1 "--group-by secret, json" -- "$SFMC_SCAN" scan tree --group-by secret --format json
expect_grep '"secrets"' "$work/last.out" "json inventory"
expect_status 2 "--group-by with SARIF" -- "$SFMC_SCAN" scan tree --group-by secret --format sarif

"$SFMC_SCAN" scan tree --format jsonl -o saved.jsonl 2>/dev/null
"$SFMC_SCAN" scan tree --format sarif -o saved.sarif 2>/dev/null
for saved in saved.jsonl saved.sarif; do
  expect_status 1 "report $saved" -- "$SFMC_SCAN" report "$saved" --by-secret --format jsonl
  [ "$(grep -c '"type":"secret"' "$work/last.out")" -eq 2 ] && ok || fail "report $saved: two secrets"
done
expect_status 2 "report of something else" -- "$SFMC_SCAN" report a.places --by-secret

git init -q -b main repo && cp tree/svc/app.env repo/ && (cd repo && git add app.env && commit_at 2026-03-01T10:00:00Z "add" && git rm -q app.env && commit_at 2026-03-02T10:00:00Z "remove")
expect_status 1 "locate the secret" -- bash -c "printf '%s\n' '$a' | \"$SFMC_SCAN\" locate tree --git repo"
[ "$(grep -c '^    ' "$work/last.out")" -eq 4 ] && ok || fail "locate: three files and one commit"
expect_grep 'commit [0-9a-f]{12} 2026-03-01' "$work/last.out" "the commit that held it"
expect_no_grep "$a" "$work/last.out" "locate never prints the secret"
expect_status 1 "locate by hash" -- bash -c "printf '%s\n' '$(hash "$a")' | \"$SFMC_SCAN\" locate tree --format json"
expect_grep '"secret_sha256": "'"$(hash "$a")"'"' "$work/last.out" "found by its hash"
expect_status 0 "a secret found nowhere" -- bash -c "printf '%s\n' '$(new_token)' | \"$SFMC_SCAN\" locate tree"
expect_status 2 "nothing on stdin" -- bash -c "\"$SFMC_SCAN\" locate tree </dev/null"
finish

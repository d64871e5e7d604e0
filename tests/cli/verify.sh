#!/usr/bin/env bash
# --verify against a local server playing the token endpoint: live, revoked, unknown
# (slow, 429, 500), unpaired; each distinct pair asked once; never without --verify.
source "$(dirname "$0")/lib.sh"
command -v node >/dev/null || { echo "skipped: Node.js is not installed (it plays the token endpoint)"; exit 77; }
fresh_work verify
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
sub=mc$(printf 'a%.0s' $(seq 1 26))
live_id=liveliveliveliveliveabcd; live=$(new_token); dead=$(new_token); slow=$(new_token); lim=$(new_token); brk=$(new_token); lone=$(new_token)
mkdir tree
entry() {  # entry FILE CLIENT_ID SECRET
  printf 'auth_url=https://%s.auth.marketingcloudapis.com/\nclient_id=%s\nclient_secret=%s\n' "$sub" "$2" "$3" >"tree/$1"
}
entry live.env "$live_id" "$live"
entry live-copy.env "$live_id" "$live"            # the same pair again: asked once
entry dead.env deaddeaddeaddeaddeadabcd "$dead"
entry slow.env slowslowslowslowslowabcd "$slow"
entry limited.env limitedlimitedlimitedabc "$lim"
entry broken.env brokenbrokenbrokenbroken "$brk"
printf 'client_secret=%s\n' "$lone" >tree/lone.env
# The live secret again, with two client ids near it: the live one is the farther.
printf 'auth_url=https://%s.auth.marketingcloudapis.com/\nclient_id=%s\nclient_id=otherotherotherotherothe\nclient_secret=%s\n' \
  "$sub" "$live_id" "$live" >tree/several.env
# Three ids and two subdomains: six pairs, more than are asked.
crowd=$(new_token)
{ printf 'a=https://%s.auth.marketingcloudapis.com/\nb=https://mc%s.auth.marketingcloudapis.com/\n' "$sub" "$(printf 'b%.0s' $(seq 1 26))"
  printf 'client_id=crowdonecrowdonecrowdone\nclient_id=crowdtwocrowdtwocrowdtwo\nclient_id=crowdthrcrowdthrcrowdthr\nsecret=%s\n' "$crowd"; } >tree/crowd.env

node "$(dirname "$0")/token_server.js" "$live_id" "$live" >port.txt 2>server.err &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 1 100); do [ -s port.txt ] && break; sleep 0.05; done
port=$(head -1 port.txt)
[ -n "$port" ] && ok || { fail "the test server did not start"; cat server.err; finish; exit 1; }

expect_status 1 "no verification by default" -- "$SFMC_SCAN" scan tree --format jsonl
[ -f requests.log ] && fail "a request was made without --verify" || ok
expect_no_grep '"verification"' "$work/last.out" "no verification field without --verify"

expect_status 1 "--verify" -- "$SFMC_SCAN" scan tree --verify --verify-endpoint "http://127.0.0.1:$port" --verify-timeout 1000 --format jsonl
out="$work/last.out"
v() { grep "$(hash "$1")" "$out" | grep -o '"verification":"[a-z]*"' | head -1 | cut -d'"' -f4; }
[ "$(v "$live")" = live ] && ok || fail "live pair: $(v "$live")"
[ "$(v "$dead")" = revoked ] && ok || fail "401: $(v "$dead")"
[ "$(v "$slow")" = unknown ] && ok || fail "timeout: $(v "$slow")"
[ "$(v "$lim")" = unknown ] && ok || fail "429: $(v "$lim")"
[ "$(v "$brk")" = unknown ] && ok || fail "500: $(v "$brk")"
[ "$(v "$lone")" = unpaired ] && ok || fail "no client id near: $(v "$lone")"
grep '"path":"tree/several.env"' "$out" | grep -q '"verification":"live"' && ok || fail "live found among two client ids"
grep "$(hash "$dead")" "$out" | grep -q '"level":"note"' && ok || fail "a revoked secret is a note"
grep "$(hash "$live")" "$out" | grep -q '"level":"error"' && ok || fail "a live secret is an error"
[ "$(grep -c "^POST /v2/token $live_id" requests.log)" -eq 1 ] && ok || fail "the same pair was asked more than once"
[ "$(v "$crowd")" = ambiguous ] && ok || fail "more pairs than asked: $(v "$crowd")"
# 5 single pairs + 1 new pair for the two ids (the live pair was asked already) + 4 of
# the crowd's 6.
[ "$(wc -l <requests.log)" -eq 10 ] && ok || fail "$(wc -l <requests.log) requests, want 10 (one per distinct pair, at most 4 per secret)"
expect_status 1 "plain HTTP elsewhere is refused" -- "$SFMC_SCAN" scan tree/dead.env --verify --verify-endpoint "http://192.0.2.1:9" --format jsonl
expect_grep 'neither HTTPS nor loopback' "$work/last.out" "refused, and said why"
finish

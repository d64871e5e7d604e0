#!/usr/bin/env bash
# Fleet credentials cannot be turned against the user (issue 29, item 1): a password is
# never sent over plain http unless --allow-insecure-http says so, never after a
# redirect, and a token in a URL's user name (https://TOKEN@host/...) authenticates but
# shows nowhere: not in any report format, the state file, stderr or the mirror's config.
source "$(dirname "$0")/lib.sh"
fresh_work git_credentials
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
command -v node >/dev/null || { echo "skipped: node is not installed"; exit 77; }
[ -x "$(git --exec-path)/git-http-backend" ] || { echo "skipped: git http-backend is not installed"; exit 77; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
t_http=$(new_token)
git init -q -b main src && (cd src && echo "secret=$t_http" >conf.env && git add . && commit_at 2026-01-02T10:00:00Z "add conf")
mkdir served && git clone -q --bare src served/http.git
node "$SFMC_SOURCE_DIR/tests/cli/git_http_server.js" "$work/served" "$work/http.port" 2>"$work/http.log" &
pids+=($!)
node "$SFMC_SOURCE_DIR/tests/cli/auth_trap_server.js" "$work/auth.log" "$work/trap.port" 2>"$work/trap.err" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/http.port" ] && [ -s "$work/trap.port" ] && break; sleep 0.1; done
hport=$(cat "$work/http.port"); tport=$(cat "$work/trap.port")

pw="pw-$(date +%s%N)"
# Plain http: refused, with the reason and the way out; the server never sees the password.
SFMC_GIT_PASSWORD="$pw" "$SFMC_SCAN" git "http://127.0.0.1:$tport/trap/r.git" --format jsonl >"$work/last.out" 2>"$work/last.err"
rc=$?
[ "$rc" -eq 2 ] && ok || fail "credentials asked for over http: exit $rc, want 2"
expect_grep 'over plain http.*--allow-insecure-http' "$work/last.out" "the refusal says why and what to do"
[ ! -s auth.log ] && ok || { fail "a credential was sent over plain http"; cat auth.log; }

# --allow-insecure-http: sent (the user said so), and a warning names the flag.
SFMC_GIT_PASSWORD="$pw" "$SFMC_SCAN" git "http://127.0.0.1:$tport/trap/r.git" --allow-insecure-http --format jsonl >"$work/last.out" 2>"$work/last.err"
expect_grep 'warning: --allow-insecure-http' "$work/last.err" "the flag is named in a warning"
grep -q "127.0.0.1:$tport /trap/r.git" auth.log && ok || fail "--allow-insecure-http: the credential was not sent"
grep -q -- "$pw" "$work/last.out" "$work/last.err" && fail "the password is in the output" || ok

# A redirect to another host: nothing sent there, even with --allow-insecure-http.
: >auth.log
SFMC_GIT_PASSWORD="$pw" "$SFMC_SCAN" git "http://127.0.0.1:$tport/redirect/r.git" --allow-insecure-http --format jsonl >"$work/last.out" 2>"$work/last.err"
rc=$?
[ "$rc" -eq 2 ] && ok || fail "a redirect: exit $rc, want 2"
grep -q "^localhost" auth.log && fail "a credential followed the redirect to another host" || ok

# A token as the URL's user name: the clone works, and the token shows nowhere.
tok="ghp_$(date +%s%N)tokenlike"
url="http://$tok@127.0.0.1:$hport/http.git"
for fmt in jsonl json sarif text gitlab; do
  "$SFMC_SCAN" git "$url" --clone-dir clones --format "$fmt" -o "report.$fmt" --stats >"stdout.$fmt" 2>"stderr.$fmt"
  rc=$?
  [ "$rc" -eq 1 ] && ok || { fail "$fmt: a URL with a user name: exit $rc, want 1"; cat "stderr.$fmt"; }
done
grep -q "\"repository\":\"http://127.0.0.1:$hport/http.git\"" report.jsonl && ok || fail "the report names the URL without its user name"
"$SFMC_SCAN" git "$url" --clone-dir clones --state sweep.state --format jsonl >state.out 2>state.err
mirror=$(ls -d clones/*/ | head -1)
git --git-dir="$mirror" config remote.origin.url | grep -q "^http://127.0.0.1:$hport/http.git$" && ok || fail "the mirror's URL: $(git --git-dir="$mirror" config remote.origin.url)"
leaks=$(grep -rl -- "$tok" report.* stdout.* stderr.* state.* sweep.state clones 2>/dev/null)
[ -z "$leaks" ] && ok || fail "the URL's user name is written in: $leaks"
# A URL with a password stays refused, and the refusal does not show it.
"$SFMC_SCAN" git "http://ann:$pw@127.0.0.1:$hport/http.git" --format jsonl >"$work/last.out" 2>"$work/last.err"
grep -q -- "$pw" "$work/last.out" "$work/last.err" && fail "a refused URL's password is printed" || ok
finish

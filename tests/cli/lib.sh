# Shared by the CLI tests: the binaries under test, a fresh work folder, the demo
# tree expanded with a fixed seed, and small assertion helpers.
set -uo pipefail
: "${SFMC_SCAN:?}" "${SFMC_GEN:?}" "${SFMC_SOURCE_DIR:?}" "${SFMC_WORK_DIR:?}"
export SFMC_CACHE_DIR="$SFMC_WORK_DIR/cache"
# The test repositories are dated early 2026: judge expiry as of mid-2026, when none
# of their secrets is past its 180 days yet (expiry has tests of its own).
export SFMC_NOW=2026-06-01
failures=0
passes=0

fresh_work() {  # fresh_work NAME: an empty folder of this test's own, made the current one
  work="$SFMC_WORK_DIR/$1"
  rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
}

demo_tree() {  # demo_tree DIR: the demo, expanded with a fixed seed so output is reproducible
  "$SFMC_GEN" --rules "$SFMC_SOURCE_DIR/rules" --seed 11 expand "$SFMC_SOURCE_DIR/demo" "$1" || exit 2
}

# An address-space cap for `ulimit -v`: none under ASan (SFMC_SANITIZED), whose shadow
# memory alone is terabytes of address space; the tests' exit codes and warnings hold either way.
mem_limit() { if [ -n "${SFMC_SANITIZED:-}" ]; then echo unlimited; else echo "$1"; fi; }

ok() { passes=$((passes + 1)); }
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }

expect_status() {  # expect_status WANT DESCRIPTION -- COMMAND...
  local want=$1 what=$2; shift 3
  "$@" >"$work/last.out" 2>"$work/last.err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else fail "$what: exit $got, want $want"; sed 's/^/  | /' "$work/last.err" | head -5; fi
}

expect_grep() {  # expect_grep PATTERN FILE DESCRIPTION
  if grep -qE -- "$1" "$2"; then ok; else fail "$3: no /$1/ in $2"; fi
}

expect_no_grep() {
  if grep -qE -- "$1" "$2"; then fail "$3: /$1/ found in $2"; else ok; fi
}

finish() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}

# Git with a fixed identity, fixed dates and no user or system config.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ann Example" GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME="Ann Example" GIT_COMMITTER_EMAIL=ann@example.com

commit_at() {  # commit_at DATE MESSAGE [git commit args...]: commit what is staged at a fixed date
  local date=$1 msg=$2; shift 2
  GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" git commit -q --no-verify -m "$msg" "$@"
}

new_token() { "$SFMC_GEN" --rules "$SFMC_SOURCE_DIR/rules" token "$@"; }

# mail_with_attachment TOKEN FILE: a MIME message whose base64 attachment "sfmc.env"
# holds TOKEN; found with "decoded":["sfmc.env"] only when the mail module is loaded.
mail_with_attachment() {
  {
    printf 'From: ops@example.com\nSubject: credentials\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
    printf -- '--b\nContent-Type: text/plain; name="sfmc.env"\nContent-Disposition: attachment; filename="sfmc.env"\n'
    printf 'Content-Transfer-Encoding: base64\n\n'
    printf 'SFMC_CLIENT_SECRET=%s\n' "$1" | base64 -w76
    printf -- '--b--\n'
  } >"$2"
}
count_findings() { grep -c '"type":"finding"' "$1" || true; }

expect_count() {  # expect_count N FILE DESCRIPTION
  local got; got=$(count_findings "$2")
  if [ "$got" -eq "$1" ]; then ok; else fail "$3: $got findings, want $1"; fi
}

# Findings in JSON Lines output ($work/last.out), by the token's hash (the report never
# holds the token itself): where the decoder tests assert a user would click.
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
finding() { grep '"type":"finding"' "$work/last.out" | grep "$(hash "$1")"; }
found_at() {  # found_at TOKEN PATH LINE COLUMN [ENCODING [DECODED]]: reported there, once
  local f n; f=$(finding "$1"); n=$(printf '%s' "$f" | grep -c . || true)
  if [ "$n" -ne 1 ]; then fail "$2: token found $n times, want 1"; return; fi
  printf '%s' "$f" | grep -qF "\"path\":\"$2\"" || { fail "$2: path is $(printf '%s' "$f" | grep -o '"path":"[^"]*"')"; return; }
  printf '%s' "$f" | grep -q "\"line\":$3," || { fail "$2: line is $(printf '%s' "$f" | grep -o '"line":[0-9]*'), want $3"; return; }
  printf '%s' "$f" | grep -q "\"column\":$4," || { fail "$2: column is $(printf '%s' "$f" | grep -o '"column":[0-9]*'), want $4"; return; }
  if [ -n "${5:-}" ]; then printf '%s' "$f" | grep -q "\"encoding\":\"$5\"" || { fail "$2: encoding not $5"; return; }; fi
  # The encodings decoded in place, said apart from the path (a JSON array), or none.
  if [ -n "${6:-}" ]; then
    printf '%s' "$f" | grep -qF "\"decoded\":$6" || { fail "$2: decoded is $(printf '%s' "$f" | grep -o '"decoded":[^]]*]'), want $6"; return; }
  elif printf '%s' "$f" | grep -q '"decoded":'; then
    fail "$2: decoded is $(printf '%s' "$f" | grep -o '"decoded":[^]]*]'), want none"; return
  fi
  ok
}
not_found() { if [ -n "$(finding "$1")" ]; then fail "$2: reported"; else ok; fi; }

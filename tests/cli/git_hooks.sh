#!/usr/bin/env bash
# `sfmc-scan hook install`: the hooks block what they should, honour core.hooksPath,
# and never clobber a hook that is not theirs without --force or --chain.
source "$(dirname "$0")/lib.sh"
fresh_work git_hooks
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
git init -q -b main repo && cd repo || exit 2
echo hi >a.txt; git add a.txt; commit_at 2026-03-01T10:00:00Z "init"

expect_status 0 "install pre-commit" -- "$SFMC_SCAN" hook install
[ -x .git/hooks/pre-commit ] && ok || fail "pre-commit hook installed and executable"
echo "s=$(new_token)" >secret.env; git add secret.env
if GIT_AUTHOR_DATE=2026-03-02T10:00:00Z GIT_COMMITTER_DATE=2026-03-02T10:00:00Z git commit -q -m "leak" >commit.log 2>&1; then
  fail "the pre-commit hook let a secret through"
else
  ok; grep -q 'sfmc-client-secret' commit.log && ok || fail "the hook says which secret"
fi
git reset -q; rm secret.env
echo "fine" >b.txt; git add b.txt
GIT_AUTHOR_DATE=2026-03-03T10:00:00Z GIT_COMMITTER_DATE=2026-03-03T10:00:00Z git commit -q -m "fine" && ok || fail "a clean commit passes the hook"
expect_status 0 "reinstall over our own hook" -- "$SFMC_SCAN" hook install

# Someone else's hook: refused, then chained, then replaced.
printf '#!/bin/sh\necho other-hook-ran\n' >.git/hooks/pre-push; chmod +x .git/hooks/pre-push
expect_status 2 "refuses to clobber" -- "$SFMC_SCAN" hook install --pre-push
expect_grep 'not sfmc-scan' "$work/last.err" "says why"
expect_status 0 "--chain" -- "$SFMC_SCAN" hook install --pre-push --chain
[ -x .git/hooks/pre-push.sfmc-chained ] && ok || fail "the old hook is kept"
zero=0000000000000000000000000000000000000000
out=$(echo "refs/heads/main $(git rev-parse HEAD) refs/heads/main $zero" | .git/hooks/pre-push origin x 2>&1); rc=$?
[ $rc -eq 0 ] && ok || fail "chained pre-push on clean history exits $rc"
echo "$out" | grep -q other-hook-ran && ok || fail "the chained hook ran"

# core.hooksPath, relative to the top of the working tree.
git config core.hooksPath .githooks
expect_status 0 "install with core.hooksPath" -- "$SFMC_SCAN" hook install
[ -x .githooks/pre-commit ] && ok || fail "installed into core.hooksPath"
printf '#!/bin/sh\nexit 0\n' >.githooks/pre-push; chmod +x .githooks/pre-push
expect_status 0 "--force" -- "$SFMC_SCAN" hook install --pre-push --force
grep -q 'sfmc-scan pre-push hook' .githooks/pre-push && ok || fail "--force replaced the hook"
finish

#!/usr/bin/env bash
# Change modes: --range / --since-commit (only lines the commits add), --staged (only
# what `git commit` would record), --pre-push (what the push sends).
source "$(dirname "$0")/lib.sh"
fresh_work git_changes
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
git init -q -b main repo && cd repo || exit 2
old=$(new_token); new=$(new_token); staged=$(new_token); unstaged=$(new_token); untracked=$(new_token)
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }

printf 'a=1\nold=%s\n' "$old" >app.env; git add app.env; commit_at 2026-02-01T10:00:00Z "old secret"
base=$(git rev-parse HEAD)
printf 'a=1\nold=%s\nb=2\nnew=%s\n' "$old" "$new" >app.env; git add app.env; commit_at 2026-02-02T10:00:00Z "new secret"
git mv app.env moved.env; commit_at 2026-02-03T10:00:00Z "rename only"
cd ..

expect_status 1 "range" -- "$SFMC_SCAN" git repo --range "$base..main" --format jsonl
expect_count 1 "$work/last.out" "range: only the secret the range adds"
expect_grep "$(hash "$new")" "$work/last.out" "range finds the new secret"
expect_grep '"line":4' "$work/last.out" "range: line in the new version"
expect_grep '"date":"2026-02-02T10:00:00\+00:00"' "$work/last.out" "range: the introducing commit"
expect_status 1 "since-commit" -- "$SFMC_SCAN" git repo --since-commit "$base" --format jsonl
expect_count 1 "$work/last.out" "since-commit is the same range"
expect_status 0 "rename-only range" -- "$SFMC_SCAN" git repo --range "HEAD~1..HEAD" --format jsonl
expect_status 2 "bad range" -- "$SFMC_SCAN" git repo --range "nope..main"
expect_status 2 "two modes" -- "$SFMC_SCAN" git repo --staged --all-objects

# Staged versus unstaged versus untracked.
cd repo
printf 'x=1\nstaged=%s\n' "$staged" >staged.env; git add staged.env
printf 'y=%s\n' "$unstaged" >>moved.env           # modified, not staged
printf 'z=%s\n' "$untracked" >untracked.env       # never added
cd ..
expect_status 1 "staged" -- bash -c "cd repo && \"$SFMC_SCAN\" git --staged --format jsonl"
expect_count 1 "$work/last.out" "staged: only the staged secret"
expect_grep "$(hash "$staged")" "$work/last.out" "staged secret found"
expect_grep '"path":"staged.env"' "$work/last.out" "staged: path"
expect_grep '"line":2' "$work/last.out" "staged: line in the staged version"
expect_no_grep '"commit"' "$work/last.out" "staged findings carry no commit"
(cd repo && git reset -q)
expect_status 0 "nothing staged" -- bash -c "cd repo && \"$SFMC_SCAN\" git --staged --format jsonl"

# Pre-push: new branch (remote sha zero) and an update of a known remote tip.
(cd repo && git checkout -q moved.env && rm -f untracked.env && git add staged.env && commit_at 2026-02-04T10:00:00Z "staged secret")
head=$(cd repo && git rev-parse HEAD)
zero=0000000000000000000000000000000000000000
expect_status 1 "pre-push, new branch" -- bash -c "cd repo && echo 'refs/heads/main $head refs/heads/main $zero' | \"$SFMC_SCAN\" git --pre-push --format jsonl"
expect_count 3 "$work/last.out" "pre-push of a new branch sends every secret"
prev=$(cd repo && git rev-parse HEAD~1)
expect_status 1 "pre-push, update" -- bash -c "cd repo && echo 'refs/heads/main $head refs/heads/main $prev' | \"$SFMC_SCAN\" git --pre-push --format jsonl"
expect_count 1 "$work/last.out" "pre-push of one new commit"
expect_grep "$(hash "$staged")" "$work/last.out" "pre-push: the pushed secret"
expect_status 0 "pre-push, deletion" -- bash -c "cd repo && echo '(delete) $zero refs/heads/x $prev' | \"$SFMC_SCAN\" git --pre-push --format jsonl"
finish

#!/usr/bin/env bash
# Range and push modes scan the messages of the commits and annotated tags they send
# (and only those): a secret pasted into a commit message is a finding too.
source "$(dirname "$0")/lib.sh"
fresh_work git_change_messages
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
git init -q -b main repo && cd repo || exit 2
old_msg=$(new_token); new_msg=$(new_token); tag_msg=$(new_token)
echo a >a.txt && git add a.txt && commit_at 2026-04-01T10:00:00Z "before the range: $old_msg"
base=$(git rev-parse HEAD)
echo b >>a.txt && git add a.txt && commit_at 2026-04-02T10:00:00Z "in the range: $new_msg"
in_range=$(git rev-parse HEAD)
GIT_COMMITTER_DATE=2026-04-03T10:00:00Z git tag -a v1 -m "release key $tag_msg"
tag=$(git rev-parse v1)
cd ..
expect_status 1 "a secret in a commit message of the range" -- "$SFMC_SCAN" git repo --range "$base..main" --format jsonl
expect_count 1 "$work/last.out" "only the range's commit message"
expect_grep "$(hash "$new_msg")" "$work/last.out" "the range's message secret"
expect_grep '"object":"commit-message"' "$work/last.out" "located as a commit message"
expect_grep "\"commit\":\"$in_range\"" "$work/last.out" "by its commit"
expect_status 0 "a range without it" -- "$SFMC_SCAN" git repo --range "$in_range..main" --format jsonl
zero=0000000000000000000000000000000000000000
expect_status 1 "pushing an annotated tag" -- bash -c \
  "cd repo && echo 'refs/tags/v1 $tag refs/tags/v1 $zero' | \"$SFMC_SCAN\" git --pre-push --format jsonl"
expect_grep "$(hash "$tag_msg")" "$work/last.out" "the pushed tag's message"
expect_grep '"object":"tag-message"' "$work/last.out" "located as a tag message"
finish

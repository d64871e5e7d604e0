#!/usr/bin/env bash
# What a range introduces, decided by blob ids and line diffs (no similarity-based
# rename detection): merges (a merge adds only what differs from every parent, an
# evil merge's own line counts), renames with and without edits, copies, mode
# changes, binary files, deletions, archive members.
source "$(dirname "$0")/lib.sh"
fresh_work git_range_edges
for tool in git zip; do command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }; done
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
range() { "$SFMC_SCAN" git repo --range "$1" --format jsonl; }
git init -q -b main repo && cd repo || exit 2
base_tok=$(new_token)
printf 'a=1\nkey=%s\n' "$base_tok" >keep.env
printf 'x\n' >shared.txt
git add . && commit_at 2026-01-01T10:00:00Z "base"
base=$(git rev-parse HEAD)

# Merges. side adds side_tok; main adds main_tok to the same file as side changed;
# the merge resolves the conflict by keeping both lines and adds evil_tok itself.
side_tok=$(new_token); main_tok=$(new_token); evil_tok=$(new_token)
git checkout -q -b side
printf 'x\nside=%s\n' "$side_tok" >shared.txt && git add . && commit_at 2026-01-02T10:00:00Z "side"
side=$(git rev-parse HEAD)
git checkout -q main
printf 'x\nmain=%s\n' "$main_tok" >shared.txt && git add . && commit_at 2026-01-03T10:00:00Z "main"
main1=$(git rev-parse HEAD)
git merge -q --no-commit side >/dev/null 2>&1
printf 'x\nmain=%s\nside=%s\n' "$main_tok" "$side_tok" >shared.txt
printf 'evil=%s\n' "$evil_tok" >evil.env
git add . && commit_at 2026-01-04T10:00:00Z "merge side"
merge=$(git rev-parse HEAD)
cd ..

expect_status 1 "merge range from the side branch" -- range "$side..$merge"
expect_count 2 "$work/last.out" "side..merge: main's secret and the merge's own"
expect_grep "$(hash "$main_tok")" "$work/last.out" "main's secret, from main's commit"
expect_grep "\"commit\":\"$main1\"" "$work/last.out" "main's secret is attributed to main's commit"
expect_grep "$(hash "$evil_tok")" "$work/last.out" "the evil merge's own secret"
expect_grep "\"commit\":\"$merge\"" "$work/last.out" "the evil secret is attributed to the merge"
expect_no_grep "$(hash "$side_tok")" "$work/last.out" "the side branch's secret is the side's, not the merge's"
expect_status 1 "the merge alone" -- range "$merge~1..$merge"
expect_count 2 "$work/last.out" "merge^1..merge: the side's commit and the merge's own line"
expect_no_grep "$(hash "$main_tok")" "$work/last.out" "what the first parent has is not the merge's"
expect_status 1 "whole range" -- range "$base..$merge"
expect_count 3 "$work/last.out" "base..merge: each secret once"

# Renames, copies, mode changes, deletions.
cd repo
git mv keep.env moved.env && commit_at 2026-01-05T10:00:00Z "exact rename"
cp moved.env copy.env && git add copy.env && commit_at 2026-01-06T10:00:00Z "exact copy"
chmod +x moved.env && git add moved.env && commit_at 2026-01-07T10:00:00Z "mode change"
git rm -q copy.env && commit_at 2026-01-08T10:00:00Z "deletion"
plain=$(git rev-parse HEAD)
renamed_tok=$(new_token)
git mv moved.env renamed.env && printf 'added=%s\n' "$renamed_tok" >>renamed.env && git add . && commit_at 2026-01-09T10:00:00Z "rename and edit"
cd ..
expect_status 0 "rename, copy, mode change and deletion add nothing" -- range "$merge..$plain"
expect_count 0 "$work/last.out" "no finding from moving or copying an existing secret"
expect_status 1 "rename with an edit" -- range "$plain..main"
expect_count 1 "$work/last.out" "rename and edit: only the added line"
expect_grep "$(hash "$renamed_tok")" "$work/last.out" "the added secret"
expect_grep '"path":"renamed.env"' "$work/last.out" "under its new name"
expect_grep '"line":3' "$work/last.out" "at its line in the new version"

# The same for what is staged: a rename with an edit adds only the edited line.
staged_tok=$(new_token)
(cd repo && git mv renamed.env staged.env && printf 'staged=%s\n' "$staged_tok" >>staged.env && git add staged.env)
expect_status 1 "staged rename with an edit" -- bash -c "cd repo && \"$SFMC_SCAN\" git --staged --format jsonl"
expect_count 1 "$work/last.out" "staged rename and edit: only the added line"
expect_grep "$(hash "$staged_tok")" "$work/last.out" "staged: the added secret"
(cd repo && git reset -q --hard)
(cd repo && cp renamed.env copy3.env && git add copy3.env)
expect_status 0 "a staged exact copy adds nothing" -- bash -c "cd repo && \"$SFMC_SCAN\" git --staged --format jsonl"
(cd repo && git reset -q --hard && rm -f copy3.env)

# Binary files: a new one, then an edit that adds a second secret.
cd repo
bin1=$(new_token); bin2=$(new_token)
{ printf '\x00\x01\x02binary\n'; printf 'k=%s\n' "$bin1"; printf '\x00\xff\n'; } >blob.bin
git add blob.bin && commit_at 2026-01-10T10:00:00Z "binary"
before_bin=$(git rev-parse HEAD~1); one_bin=$(git rev-parse HEAD)
printf 'j=%s\n\x00\n' "$bin2" >>blob.bin && git add blob.bin && commit_at 2026-01-11T10:00:00Z "binary edit"
cd ..
expect_status 1 "a new binary file" -- range "$before_bin..$one_bin"
expect_count 1 "$work/last.out" "binary: its secret"
expect_grep "$(hash "$bin1")" "$work/last.out" "binary: the first secret"
expect_status 1 "an edited binary file" -- range "$one_bin..main"
expect_count 1 "$work/last.out" "binary edit: only the new secret"
expect_grep "$(hash "$bin2")" "$work/last.out" "binary edit: the second secret"

# A secret in an archive member counts whenever the archive's blob is new: its lines
# are not the archive's lines.
cd repo
zip_old=$(new_token); zip_new=$(new_token)
mkdir -p z && printf 'a=%s\n' "$zip_old" >z/one.env && (cd z && zip -q ../bundle.zip one.env)
git add bundle.zip && commit_at 2026-01-12T10:00:00Z "zip"
zip1=$(git rev-parse HEAD)
printf 'filler\nfiller\nb=%s\n' "$zip_new" >z/two.env && (cd z && zip -q ../bundle.zip two.env) && rm -r z
git add bundle.zip && commit_at 2026-01-13T10:00:00Z "zip grows"
cd ..
expect_status 1 "an archive changed in the range" -- range "$zip1..main"
expect_grep "$(hash "$zip_new")" "$work/last.out" "the new member's secret"
expect_grep 'bundle.zip!two.env' "$work/last.out" "named by member"
finish

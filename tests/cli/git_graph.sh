#!/usr/bin/env bash
# History tips and places beyond files: a detached HEAD and the other pseudo-refs,
# commit and annotated-tag messages, notes, stashes, dangling and reflog-only commits,
# blobs no commit holds, unreadable refs, many findings and many refs in one history.
source "$(dirname "$0")/lib.sh"
fresh_work git_graph
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
sha() { printf '%s' "$1" | sha256sum | cut -c1-64; }
line() { grep "$(sha "$1")" "$2"; }

# A detached HEAD (what CI checks out for a pull request) is history.
git init -q -b main detached && cd detached || exit 2
echo "plain" >README; git add README; commit_at 2026-02-01T10:00:00Z "init"
tok=$(new_token)
git checkout -q --detach
echo "s=$tok" >pr.env; git add pr.env; commit_at 2026-02-02T10:00:00Z "pull request head"
head=$(git rev-parse HEAD)
cd ..
expect_status 1 "detached HEAD: its commit is scanned" -- "$SFMC_SCAN" git detached --format jsonl
expect_count 1 "$work/last.out" "detached HEAD: the secret only HEAD reaches"
line "$tok" "$work/last.out" | grep -q "\"commit\":\"$head\"" && line "$tok" "$work/last.out" | grep -q '"refs":\["HEAD"\]' &&
  line "$tok" "$work/last.out" | grep -q '"reachable":true' && ok || fail "detached HEAD: commit, reachable, refs [HEAD]"
expect_status 1 "detached HEAD with --all-objects" -- "$SFMC_SCAN" git detached --all-objects --format jsonl
expect_no_grep '"reachable":false' "$work/last.out" "a blob HEAD reaches is never unreachable"

# Messages, tags, notes, stash, dangling and reflog-only commits, a blob in no commit.
git init -q -b main repo && cd repo || exit 2
msg=$(new_token); tagmsg=$(new_token); note=$(new_token); stash=$(new_token)
dangling=$(new_token); reflog=$(new_token); orphan=$(new_token); orig=$(new_token)
echo "plain" >README; git add README; commit_at 2026-03-01T10:00:00Z "init"
echo "more" >>README; git add README; commit_at 2026-03-02T10:00:00Z "rotate the key, old one was $msg"
msg_commit=$(git rev-parse HEAD)
GIT_COMMITTER_DATE=2026-03-03T10:00:00Z git tag -a v1 -m "release; deploy with $tagmsg"
GIT_COMMITTER_DATE=2026-03-04T10:00:00Z git notes add -m "note: $note" HEAD
echo "plain" >>README; git add README; commit_at 2026-03-04T11:00:00Z "plain"  # stash messages quote HEAD's subject
echo "wip=$stash" >wip.env; git add wip.env; GIT_COMMITTER_DATE=2026-03-05T10:00:00Z git stash -q
# A commit no ref, reflog or pseudo-ref names (what a force-pushed-away fetch leaves).
echo "d=$dangling" >dangling.env
tree=$(git add dangling.env && git write-tree); git rm -q --cached dangling.env; rm dangling.env
dcommit=$(GIT_COMMITTER_DATE=2026-03-06T10:00:00Z git commit-tree -p HEAD -m "never on a branch" "$tree")
# A commit only the reflog names.
echo "r=$reflog" >reflog.env; git add reflog.env; commit_at 2026-03-07T10:00:00Z "oops"
rcommit=$(git rev-parse HEAD)
git reset -q --hard HEAD~1
git update-ref -d ORIG_HEAD
# A blob no commit holds.
orphan_blob=$(echo "o=$orphan" | git hash-object -w --stdin)
cd ..

expect_status 1 "messages, tags, notes, stash" -- "$SFMC_SCAN" git repo --format jsonl
out="$work/default.jsonl"; cp "$work/last.out" "$out"
expect_count 4 "$out" "default mode: commit message, tag message, note, stash"
line "$msg" "$out" | grep -q "\"object\":\"commit-message\"" && line "$msg" "$out" | grep -q "\"commit\":\"$msg_commit\"" &&
  line "$msg" "$out" | grep -q '"path":""' && line "$msg" "$out" | grep -q '"refs":\["refs/heads/main"' && ok ||
  fail "commit message: object, commit, no file path, refs"
line "$tagmsg" "$out" | grep -q '"object":"tag-message"' && line "$tagmsg" "$out" | grep -q '"tag":"v1"' &&
  line "$tagmsg" "$out" | grep -q '"refs":\["refs/tags/v1"\]' && ok || fail "tag message: object, tag name, refs"
line "$note" "$out" | grep -q "\"path\":\"$msg_commit\"" && line "$note" "$out" | grep -q '"refs/notes/commits"' && ok ||
  fail "note: the annotated commit as path, on refs/notes/commits"
line "$stash" "$out" | grep -q '"path":"wip.env"' && line "$stash" "$out" | grep -q '"refs/stash"' && ok || fail "stash: path and ref"
for t in dangling reflog orphan; do
  line "${!t}" "$out" >/dev/null && fail "default mode reports the $t secret" || ok
done

expect_status 1 "--all-objects" -- "$SFMC_SCAN" git repo --all-objects --format jsonl
all="$work/all.jsonl"; cp "$work/last.out" "$all"
expect_count 7 "$all" "--all-objects adds the dangling, reflog-only and orphan secrets"
line "$dangling" "$all" | grep -q '"path":"dangling.env"' && line "$dangling" "$all" | grep -q "\"commit\":\"$dcommit\"" &&
  line "$dangling" "$all" | grep -q '"reachable":false' && ok || fail "dangling commit: path, commit, unreachable"
line "$reflog" "$all" | grep -q '"path":"reflog.env"' && line "$reflog" "$all" | grep -q "\"commit\":\"$rcommit\"" &&
  line "$reflog" "$all" | grep -q '"reachable":false' && ok || fail "reflog-only commit: path, commit, unreachable"
line "$orphan" "$all" | grep -q '"path":""' && line "$orphan" "$all" | grep -q "\"blob\":\"$orphan_blob\"" &&
  line "$orphan" "$all" | grep -q '"reachable":false' && ok || fail "blob in no commit: by blob id, no path"

# A tag of a blob makes the blob reachable, though no commit holds it.
tagged_blob=$(new_token)
(cd repo && b=$(echo "k=$tagged_blob" | git hash-object -w --stdin) && git tag -a key-file -m "the key" "$b")
expect_status 1 "a tag of a blob" -- "$SFMC_SCAN" git repo --format jsonl
line "$tagged_blob" "$work/last.out" | grep -q '"reachable":true' && line "$tagged_blob" "$work/last.out" | grep -q '"refs":\["refs/tags/key-file"\]' &&
  ok || fail "a blob a tag points at: reported in default mode, with its tag"

# ORIG_HEAD is a tip too.
(cd repo && echo "x=$orig" >orig.env && git add orig.env && commit_at 2026-03-08T10:00:00Z "orig" && git reset -q --hard HEAD~1)
expect_status 1 "ORIG_HEAD" -- "$SFMC_SCAN" git repo --format jsonl
line "$orig" "$work/last.out" | grep -q '"refs":\["ORIG_HEAD"\]' && ok || fail "a commit ORIG_HEAD names is scanned"

# Text and SARIF show messages by their commit or tag, not by a path.
expect_status 1 "text" -- "$SFMC_SCAN" git repo --format text --color never
expect_grep "commit ${msg_commit:0:12} message:1:" "$work/last.out" "text: the commit message"
expect_grep "tag v1 message:1:" "$work/last.out" "text: the tag message"
expect_status 1 "SARIF" -- "$SFMC_SCAN" git repo --all-objects --format sarif -o repo.sarif
grep -q "\"fullyQualifiedName\": \"commit/$msg_commit\"" repo.sarif && grep -q '"tag": "v1"' repo.sarif && ok ||
  fail "SARIF: logical locations for messages, properties.tag"
expect_status 1 "report reads a SARIF with message results" -- "$SFMC_SCAN" report --by-secret repo.sarif
tools="${SFMC_SHARED_DIR:-}/tools/sarif"
if command -v node >/dev/null && [ -x "$tools/gh-validate.sh" ]; then
  if "$tools/gh-validate.sh" --no-multitool repo.sarif >validate.log 2>&1; then ok; else fail "SARIF with message and orphan-blob results validates"; cat validate.log; fi
fi

# Refs that cannot be read: an error, never a clean result.
git init -q -b main badrefs && (cd badrefs && echo x >x && git add x && commit_at 2026-04-01T10:00:00Z "x" && git tag t1 &&
  git pack-refs --all && printf 'garbage here\n\001\002 nonsense\n' >.git/packed-refs)
expect_status 2 "garbage packed-refs" -- "$SFMC_SCAN" git badrefs --format jsonl
expect_grep "refs" "$work/last.err" "garbage packed-refs: the message says the refs cannot be read"

# 1,000 findings in one history, and 3,000 refs.
git init -q -b main big && cd big || exit 2
new_token -n 1000 >../tokens
mkdir -p conf; i=0
while read -r t; do i=$((i + 1)); echo "k=$t" >"conf/f$i.env"; done <../tokens
git add conf; commit_at 2026-05-01T10:00:00Z "a thousand"
echo later >README; git add README; commit_at 2026-05-02T10:00:00Z "later"
root=$(git rev-parse HEAD~1)
for i in $(seq 1 3000); do echo "create refs/heads/b$i $root"; done | git update-ref --stdin
cd ..
expect_status 1 "1,000 findings" -- "$SFMC_SCAN" git big --format jsonl
expect_count 1000 "$work/last.out" "1,000 findings, each once"
n=$(grep -c "\"commit\":\"$root\"" "$work/last.out")
[ "$n" -eq 1000 ] && ok || fail "1,000 findings: each introduced by the first commit ($n)"
grep -m1 '"type":"finding"' "$work/last.out" | grep -q '"ref_count":3001' && ok || fail "3,001 refs reach each: counted"
refs=$(grep -m1 '"type":"finding"' "$work/last.out" | sed -E 's/.*"refs":\[([^]]*)\].*/\1/' | tr ',' '\n' | wc -l)
[ "$refs" -le 8 ] && ok || fail "a handful of refs listed per finding, not $refs"
grep -m1 '"type":"finding"' "$work/last.out" | grep -q '"refs":\["refs/heads/b1"' && ok || fail "refs listed: branches, sorted"
finish

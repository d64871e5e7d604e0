#!/usr/bin/env bash
# A pull request (or push) cannot waive its own finding: in --range and --pre-push
# modes the project configuration and its baseline come from the base commit's tree,
# not from the working tree the change checked out. An allow comment the change adds
# does not count either: the finding is reported, saying so (issue 29, item 4).
source "$(dirname "$0")/lib.sh"
fresh_work git_pr_waiver
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
git init -q -b main repo && cd repo || exit 2
printf 'readme\n' >README && printf '[allow]\npaths = ["fixtures/*"]\n' >.sfmc-scan.toml
git add . && commit_at 2026-03-01T10:00:00Z "base"
base=$(git rev-parse HEAD)

pr() {  # pr NAME: a branch off base, checked out
  git checkout -q -b "$1" "$base"
}
# 1. The PR allow-lists every path.
pr allow-paths
tok1=$(new_token)
printf 'key=%s\n' "$tok1" >app.env
printf '[allow]\npaths = ["*"]\n' >.sfmc-scan.toml
git add . && commit_at 2026-03-02T10:00:00Z "allow every path"
# 2. The PR allow-lists the rule.
pr allow-rule
tok2=$(new_token)
printf 'key=%s\n' "$tok2" >app.env
printf '[allow]\nrules = ["sfmc-client-secret"]\n' >.sfmc-scan.toml
git add . && commit_at 2026-03-03T10:00:00Z "allow the rule"
# 3. The PR adds a baseline holding its secret, and names it.
pr baseline
tok3=$(new_token)
printf 'key=%s\n' "$tok3" >app.env
"$SFMC_SCAN" baseline create -o .sfmc-baseline.json app.env >/dev/null 2>&1
printf '[allow]\npaths = ["fixtures/*"]\n[defaults]\nbaseline = ".sfmc-baseline.json"\n' >.sfmc-scan.toml
git add . && commit_at 2026-03-04T10:00:00Z "baseline it"
# 4. The PR adds an allow comment on its secret's line.
pr comment
tok4=$(new_token)
printf 'key=%s # sfmc-scan:allow\n' "$tok4" >app.env
git add . && commit_at 2026-03-05T10:00:00Z "allow comment"
comment_commit=$(git rev-parse HEAD)
# 5. The base's own allow-list still applies.
pr fixture
tok5=$(new_token)
mkdir -p fixtures && printf 'key=%s\n' "$tok5" >fixtures/sample.env
git add . && commit_at 2026-03-06T10:00:00Z "fixture"
cd ..

for branch in allow-paths allow-rule baseline; do
  git -C repo checkout -q "$branch"  # as CI checks out a pull request: its own configuration in the working tree
  expect_status 1 "$branch: the PR's own configuration does not apply" -- "$SFMC_SCAN" git repo --range "$base..$branch" --format jsonl
  expect_count 1 "$work/last.out" "$branch: its secret is reported"
done
expect_grep "$(hash "$tok3")" "$work/last.out" "the baselined secret is reported"
expect_grep "is not used" "$work/last.err" "a note says the working tree's configuration is not used"
expect_status 1 "since-commit is judged by the base too" -- "$SFMC_SCAN" git repo --since-commit "$base" --format jsonl
zero=0000000000000000000000000000000000000000
tip=$(git -C repo rev-parse allow-rule)
expect_status 1 "pre-push is judged by the remote's side" -- bash -c \
  "cd repo && echo 'refs/heads/allow-rule $tip refs/heads/allow-rule $base' | \"$SFMC_SCAN\" git --pre-push --format jsonl"
expect_count 1 "$work/last.out" "pre-push: the secret is reported"
expect_status 0 "the base's allow-list applies" -- "$SFMC_SCAN" git repo --range "$base..fixture" --format jsonl
expect_count 0 "$work/last.out" "a fixture the base allow-lists"
printf '[allow]\npaths = ["*"]\n' >explicit.toml
expect_status 0 "an explicit --config applies" -- "$SFMC_SCAN" git repo --range "$base..allow-paths" --config explicit.toml --format jsonl

# An allow comment added in the range does not count: the finding is reported and
# fails, saying its allow comment is new; never a suppression the reviewer misses.
expect_status 1 "an allow comment the PR adds does not waive its finding" -- "$SFMC_SCAN" git repo --range "$base..comment" --format jsonl
expect_grep "$(hash "$tok4")" "$work/last.out" "the finding is reported"
expect_grep '"allow_comment_added_by":"'"$comment_commit"'"' "$work/last.out" "the finding says its allow comment is new"
expect_no_grep '"suppressed":\{' "$work/last.out" "not reported as suppressed"
expect_grep '"new_allow_comments":\["app.env:1 \(sfmc-client-secret, commit '"${comment_commit:0:12}" "$work/last.out" "the summary lists it"
expect_status 1 "text summary" -- "$SFMC_SCAN" git repo --range "$base..comment" --format text --color never
expect_grep 'allow comment added by the changes, not honoured: app.env:1' "$work/last.out" "the text summary lists it"
expect_grep 'not honoured\]' "$work/last.out" "the text finding says so"
expect_status 1 "SARIF" -- "$SFMC_SCAN" git repo --range "$base..comment" --format sarif
python3 - "$work/last.out" "$comment_commit" <<'PY' && ok || fail "SARIF: a result with a property, not a suppression"
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(results) == 1, results
r = results[0]
assert not r.get("suppressions"), r
assert r["properties"]["allowCommentAddedBy"] == sys.argv[2], r["properties"]
assert "allow comment is added by this change" in r["message"]["text"], r["message"]
PY
tip=$(git -C repo rev-parse comment)
expect_status 1 "pre-push: an allow comment the push adds does not count" -- bash -c \
  "cd repo && echo 'refs/heads/comment $tip refs/heads/comment $base' | \"$SFMC_SCAN\" git --pre-push --format jsonl"
expect_grep '"allow_comment_added_by"' "$work/last.out" "pre-push: the finding says why"
# The author's own pre-commit honours the author's comment.
git -C repo checkout -q -b staged-comment "$base"
printf 'key=%s # sfmc-scan:allow\n' "$(new_token)" >repo/staged.env && git -C repo add staged.env
expect_status 0 "--staged honours the author's allow comment" -- bash -c "cd repo && \"$SFMC_SCAN\" git --staged --format jsonl"
finish

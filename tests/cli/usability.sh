#!/usr/bin/env bash
# What a new user trips on: an output name that picks no format, the summary when the
# report goes to a file, a missing path, an empty repository, .git folders under a
# scanned one, mistyped commands and flags, the progress line's total, gitleaks' flags.
source "$(dirname "$0")/lib.sh"
fresh_work usability
token=$(new_token)
mkdir -p tree && printf 'secret=%s\n' "$token" >tree/app.env
mkdir -p clean && echo "nothing" >clean/a.txt

# -o with a name that says no format is an error, not silent JSON Lines.
expect_status 2 "-o out.xml" -- "$SFMC_SCAN" scan tree -o out.xml
expect_grep 'error: cannot tell the report format from the name out.xml' "$work/last.err" "says why"
[ ! -s out.xml ] && ok || fail "nothing written to out.xml"
expect_status 2 "-o without an extension" -- "$SFMC_SCAN" scan tree -o report
expect_status 1 "... unless --format says" -- "$SFMC_SCAN" scan tree -o out.xml --format sarif
expect_grep '"version": "2.1.0"' out.xml "--format wins over the name"

# The summary reaches the terminal (stderr) when the report goes to a file, text too.
expect_status 1 "text report to a file" -- "$SFMC_SCAN" scan tree -o out.txt
expect_grep '^sfmc-scan: scanned 1 input.*1 finding' "$work/last.err" "summary on stderr"
expect_grep 'scanned 1 input' out.txt "and in the text report"
expect_status 1 "json report to a file" -- "$SFMC_SCAN" scan tree -o out.json
expect_grep '^sfmc-scan: scanned 1 input' "$work/last.err" "summary on stderr (json)"
expect_status 1 "-q" -- "$SFMC_SCAN" scan tree -o out.txt -q
[ ! -s "$work/last.err" ] && ok || fail "-q: nothing on stderr"

# A missing path is an error, said as one, before anything is scanned.
expect_status 2 "missing path" -- "$SFMC_SCAN" scan tree does-not-exist
expect_grep '^sfmc-scan: error: does-not-exist: no such file or folder' "$work/last.err" "error message"
expect_no_grep 'warning' "$work/last.err" "not a warning"
expect_no_grep '"type":"finding"' "$work/last.out" "nothing scanned"

# An empty repository says it has no commits.
git init -q -b main empty
expect_status 0 "empty repository" -- "$SFMC_SCAN" git empty
expect_grep 'empty has no commits yet' "$work/last.err" "says so"
# ... and what is staged there is still found by --staged.
printf 'secret=%s\n' "$token" >empty/first.env && git -C empty add first.env
expect_status 1 "staged in an empty repository" -- "$SFMC_SCAN" git empty --staged

# scan DIR does not read .git internals, says so once, and points to `sfmc-scan git`.
mkdir -p repos && for r in a b; do
  git init -q -b main repos/$r && printf 'x=1\n' >repos/$r/ok.txt
  printf 'secret=%s\n' "$(new_token)" >repos/$r/.git/description  # a token inside .git itself
done
expect_status 0 "scan skips .git" -- "$SFMC_SCAN" scan repos
[ "$(grep -c 'not read (git internals)' "$work/last.err")" -eq 1 ] && ok || fail ".git: said exactly once"
expect_grep '^sfmc-scan: note: 2 .git folders were not read .*sfmc-scan git DIR.*--include-git-dir' "$work/last.err" "note names both ways"
expect_grep '"reason":"git-internals"' "$work/last.out" "each skipped .git is in the report"
expect_status 1 "--include-git-dir" -- "$SFMC_SCAN" scan repos --include-git-dir
expect_count 2 "$work/last.out" "--include-git-dir reads them"
expect_status 1 "a .git folder named on the command line is read" -- "$SFMC_SCAN" scan repos/a/.git
expect_status 0 "text: the per-folder skips only with -v" -- "$SFMC_SCAN" scan repos --format text
expect_no_grep 'skipped \(git-internals\)' "$work/last.err" "no per-folder warning"

# "Did you mean" for mistyped subcommands and flags.
expect_status 2 "mistyped subcommand" -- "$SFMC_SCAN" scna tree
expect_grep "unknown command 'scna'; did you mean 'scan'\?" "$work/last.err" "subcommand suggestion"
expect_status 2 "mistyped flag" -- "$SFMC_SCAN" scan tree --fromat json
expect_grep 'unknown option --fromat for scan; did you mean --format\?' "$work/last.err" "flag suggestion"
expect_status 2 "mistyped git flag" -- "$SFMC_SCAN" git empty --all-object
expect_grep 'did you mean --all-objects\?' "$work/last.err" "git flag suggestion"
expect_status 2 "nothing close" -- "$SFMC_SCAN" scan tree --zzzzzzzz
expect_no_grep 'did you mean' "$work/last.err" "no wild guesses"

# gitleaks' flags: --report-format, --report-path, --redact (already the default), --exit-code.
expect_status 1 "--report-format/--report-path" -- "$SFMC_SCAN" scan tree --report-format sarif --report-path gl.out
expect_grep '"version": "2.1.0"' gl.out "SARIF at --report-path"
expect_status 1 "--redact" -- "$SFMC_SCAN" scan tree --redact --format jsonl
expect_no_grep "$token" "$work/last.out" "--redact: redacted"
expect_status 1 "--redact=50" -- "$SFMC_SCAN" scan tree --redact=50 --format jsonl
expect_status 2 "--redact with --show-secrets" -- "$SFMC_SCAN" scan tree --redact --show-secrets
expect_status 7 "--exit-code 7 on findings" -- "$SFMC_SCAN" scan tree --exit-code 7
expect_status 0 "--exit-code 7, clean" -- "$SFMC_SCAN" scan clean --exit-code 7

# The progress line (on a terminal) shows the total and an ETA once the total is known.
if command -v script >/dev/null; then
  mkdir -p many && for i in $(seq 1 400); do printf 'line %s\n' "$i" >many/f$i.txt; done
  printf 'secret=%s\n' "$token" >many/z.env
  # Standard input last, kept open for 1.5 s: the line is drawn while it waits.
  SFMC_PROGRESS_MS=20 script -qec "sleep 1.5 | \"$SFMC_SCAN\" scan many - -o progress.jsonl -j1" typescript >/dev/null 2>&1
  expect_grep '[0-9]+/402 inputs \([0-9]+%, ETA [0-9]+m[0-9]{2}s\)' typescript "progress: n/total and ETA"
  expect_count 1 progress.jsonl "the scan under a terminal still reports"
else
  echo "progress check skipped: no script(1)"
fi
finish

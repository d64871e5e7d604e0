#!/usr/bin/env bash
# Exit status 0 / 1 / 2 and per-input problems, end to end through the binary.
source "$(dirname "$0")/lib.sh"
fresh_work exit_codes
demo_tree demo
mkdir -p clean && echo "nothing to see" >clean/a.txt
token=$("$SFMC_GEN" --rules "$SFMC_SOURCE_DIR/rules" token)
bad=$("$SFMC_GEN" --rules "$SFMC_SOURCE_DIR/rules" token --variant bad-checksum)
mkdir -p warn && echo "old=$bad" >warn/a.txt

expect_status 0 "clean tree" -- "$SFMC_SCAN" scan clean
expect_status 1 "findings" -- "$SFMC_SCAN" scan demo
expect_status 1 "a checksum-invalid token fails at the default --fail-on warning" -- "$SFMC_SCAN" scan warn
expect_status 0 "... but not with --fail-on error" -- "$SFMC_SCAN" scan warn --fail-on error
expect_status 0 "... and is dropped by --checksum require" -- "$SFMC_SCAN" scan warn --checksum require
expect_grep '"findings":0' "$work/last.out" "--checksum require drops it"
expect_status 2 "missing path" -- "$SFMC_SCAN" scan does-not-exist
expect_grep 'does-not-exist: no such file or folder' "$work/last.err" "missing path is an error message"
expect_status 2 "unknown option" -- "$SFMC_SCAN" scan --no-such-option clean
expect_status 2 "bad --format" -- "$SFMC_SCAN" scan --format xml clean
expect_status 2 "unreadable rules" -- "$SFMC_SCAN" scan --rules does-not-exist.toml clean
expect_grep 'does-not-exist.toml' "$work/last.err" "names the rule file"
printf '[[rules]]\nid = "x"\ndescription = "x"\nregex = "a+"\n' >unbounded.toml
expect_status 2 "unbounded rule" -- "$SFMC_SCAN" scan --rules unbounded.toml clean
expect_status 2 "unwritable output" -- "$SFMC_SCAN" scan clean -o /nonexistent-dir/out.sarif

# Standard input.
echo "secret=$token" >stdin.txt
expect_status 1 "stdin with a token" -- bash -c "\"$SFMC_SCAN\" scan - <stdin.txt"
expect_grep '"path":"-"' "$work/last.out" "stdin finding names '-'"
expect_no_grep "$token" "$work/last.out" "stdin: secret redacted"
expect_status 1 "--show-secrets" -- bash -c "\"$SFMC_SCAN\" scan - --show-secrets <stdin.txt"
expect_grep "$token" "$work/last.out" "--show-secrets prints the secret"

# An input that fails to read is a warning; the scan goes on, but is no clean bill: exit 2.
expect_status 2 "read error is a warning, and exit 2" -- "$SFMC_SCAN" scan /proc/self/mem clean
expect_grep 'unreadable' "$work/last.out" "read error listed"
expect_grep '1 skipped' "$work/last.err" "read error counted in the summary"
expect_grep '1 input was not read or decoded fully: a read failed \(unreadable\)' "$work/last.err" "exit 2 is explained"

# Repeated --exclude takes one glob each; the paths after it stay paths.
mkdir -p ex && echo "x=$token" >ex/a.log && echo "x=$token" >ex/b.txt && echo "x=$token" >ex/c.tmp
expect_status 1 "repeated --exclude" -- "$SFMC_SCAN" scan --exclude '*.log' --exclude '*.tmp' ex ex/b.txt
[ "$(grep -c '"type":"finding"' "$work/last.out")" -eq 2 ] && ok || fail "--exclude: b.txt twice (as part of ex and by name), a.log and c.tmp never"
expect_no_grep 'a\.log|c\.tmp' "$work/last.out" "excluded files stay out"

# --exclude-from reads globs from a file; --max-depth stops the walk.
printf '# comment\n*.log\n\n*.tmp\n' >globs.txt
expect_status 1 "--exclude-from" -- "$SFMC_SCAN" scan --exclude-from globs.txt ex --format jsonl
[ "$(grep -c '"type":"finding"' "$work/last.out")" -eq 1 ] && ok || fail "--exclude-from: only b.txt"
mkdir -p depth/a/b && echo "x=$token" >depth/a/b/deep.txt
expect_status 0 "--max-depth" -- "$SFMC_SCAN" scan depth --max-depth 2
expect_status 1 "--max-depth deep enough" -- "$SFMC_SCAN" scan depth --max-depth 3

# Format from -o's extension.
expect_status 1 "sarif by extension" -- "$SFMC_SCAN" scan demo -o out.sarif
expect_grep '"version": "2.1.0"' out.sarif "-o out.sarif writes SARIF"

# Symlink loops with --follow-symlinks.
mkdir -p loop/sub && ln -s .. loop/sub/up && echo "x=$token" >loop/sub/f.txt
expect_status 1 "symlink loop survived" -- "$SFMC_SCAN" scan loop --follow-symlinks --format jsonl
expect_grep 'symlink-loop' "$work/last.out" "loop reported"
[ "$(grep -c '"type":"finding"' "$work/last.out")" -eq 1 ] && ok || fail "loop: the token is reported exactly once"
finish

#!/usr/bin/env bash
# .sfmc-scan.toml: allow-listed paths and rules, extra rules, default options (the
# command line still wins), --config, on a tree and on a repository's history.
source "$(dirname "$0")/lib.sh"
fresh_work config
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
fixture=$(new_token); warn=$(new_token --variant bad-checksum); skipped=$(new_token)
mkdir -p tree/fixtures tree/src
printf 'k=%s\n' "$fixture" >tree/fixtures/sample.env
printf 'k=%s\n' "$warn" >tree/src/app.env
printf 'k=%s\n' "$skipped" >tree/src/old.skip
cat >tree/.sfmc-scan.toml <<'TOML'
[allow]
paths = ["fixtures/*"]

[defaults]
fail_on = "error"
exclude = ["*.skip"]

[[rules]]
id = "demo-token"
description = "A demo token"
regex = '''DEMO_[A-Z]{8}'''
TOML

expect_status 0 "defaults: fail_on error" -- "$SFMC_SCAN" scan tree --format jsonl
expect_grep '"suppressed":1' "$work/last.out" "the fixture is allow-listed"
expect_no_grep "$(hash "$fixture")" "$work/last.out" "allow-listed finding left out"
expect_no_grep "$(hash "$skipped")" "$work/last.out" "defaults.exclude applied"
expect_grep "$(hash "$warn")" "$work/last.out" "the warning is still reported"
expect_status 1 "the command line wins" -- "$SFMC_SCAN" scan tree --fail-on warning --format jsonl
printf 'token = DEMO_ABCDEFGH\n' >tree/src/demo.txt
expect_status 1 "the config's own rule" -- "$SFMC_SCAN" scan tree --format jsonl
expect_grep '"rule":"demo-token"' "$work/last.out" "the config's own rule is used"
printf '[allow]\nrules = ["sfmc-client-secret"]\n' >other.toml
expect_status 0 "--config" -- "$SFMC_SCAN" scan tree --config other.toml --fail-on note --format jsonl
expect_grep '"suppressed":3' "$work/last.out" "--config replaces the tree's file (its rule is gone too)"
printf '[allow]\npaths = "not a list"\n' >broken.toml
expect_status 2 "broken config" -- "$SFMC_SCAN" scan tree --config broken.toml
expect_grep 'allow.paths' "$work/last.err" "names the field"

if command -v git >/dev/null; then
  git init -q -b main repo && mkdir -p repo/fixtures && cp tree/fixtures/sample.env repo/fixtures/ &&
    printf '[allow]\npaths = ["fixtures/*"]\n' >repo/.sfmc-scan.toml &&
    (cd repo && git add . && commit_at 2026-03-01T10:00:00Z "fixtures")
  expect_status 0 "history honours the working tree's config" -- "$SFMC_SCAN" git repo --format jsonl
  expect_grep '"suppressed":1' "$work/last.out" "allow-listed in history too"
fi
finish

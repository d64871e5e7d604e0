#!/usr/bin/env bash
# `rules check` passes on the bundled rules and fails on a broken copy; `rules list` lists them.
source "$(dirname "$0")/lib.sh"
fresh_work rules_check
expect_status 0 "rules check" -- "$SFMC_SCAN" rules check
expect_grep '^[0-9]+ passed, 0 failed$' "$work/last.out" "rules check summary"
sed 's/not_followed_by = "\[0-9A-Za-z\]"//' "$SFMC_SOURCE_DIR/rules/sfmc.toml" >broken.toml
expect_status 2 "rules check on a broken rule" -- "$SFMC_SCAN" rules check --rules broken.toml
expect_grep '^FAIL sfmc-client-secret: negative example' "$work/last.out" "names the failing example"
expect_status 0 "rules list" -- "$SFMC_SCAN" rules list
expect_grep '^sfmc-client-secret	secret	' "$work/last.out" "lists the secret rule"
finish

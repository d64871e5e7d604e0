#!/usr/bin/env bash
# The SARIF of a demo scan against the OASIS 2.1.0 schema and GitHub code scanning's
# ingestion rules (../shared/tools/sarif). Skipped (77) without Node or ../shared.
source "$(dirname "$0")/lib.sh"
tools="${SFMC_SHARED_DIR:-}/tools/sarif"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then echo "skipped: Node.js is not installed"; exit 77; fi
if [ ! -x "$tools/gh-validate.sh" ]; then echo "skipped: no $tools (../shared is not here)"; exit 77; fi
fresh_work sarif_schema
demo_tree demo
mkdir -p demo/broken && ln -s /nonexistent demo/broken/link
"$SFMC_SCAN" scan demo /proc/self/mem --format sarif -v -o demo.sarif
[ -s demo.sarif ] && ok || fail "no SARIF written"
multitool=()
[ "${SFMC_SARIF_MULTITOOL:-1}" = 0 ] && multitool=(--no-multitool)
if "$tools/gh-validate.sh" "${multitool[@]}" demo.sarif >validate.log 2>&1; then ok; else fail "gh-validate.sh"; cat validate.log; fi
grep -E '^(== |gh-validate|sarif:|github:)' validate.log
finish

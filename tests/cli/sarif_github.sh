#!/usr/bin/env bash
# SARIF as GitHub code scanning reads it: only the first location's URI counts (a
# finding in an archive member points at the archive), message.text is the alert title
# (member chain, commit, "no longer exists at HEAD"), automationDetails.id and
# versionControlProvenance; more results than GitHub accepts are never a silent reject.
# Validated with ../shared/tools/sarif/gh-validate.sh when it is there.
source "$(dirname "$0")/lib.sh"
command -v node >/dev/null || { echo "skipped: Node.js is not installed"; exit 77; }
for tool in zip tar gzip; do command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }; done
jsq() { node "$SFMC_SOURCE_DIR/tests/cli/jsq.js" "$@"; }
expect_eq() {  # expect_eq WANT GOT DESCRIPTION
  if [ "$1" = "$2" ]; then ok; else fail "$3: got '$2', want '$1'"; fi
}
tools="${SFMC_SHARED_DIR:-}/tools/sarif"
validate() {  # validate FILE [--no-multitool] [--not-strict]: gh-validate.sh when ../shared is here
  [ -x "$tools/gh-validate.sh" ] || { echo "gh-validate.sh not run on $1: no ../shared"; return 0; }
  local options=(--strict)  # warnings fail too
  [[ " $* " == *" --not-strict "* ]] && options=()
  [ "${SFMC_SARIF_MULTITOOL:-1}" = 0 ] || [[ " $* " == *" --no-multitool "* ]] && options+=(--no-multitool)
  if "$tools/gh-validate.sh" "${options[@]}" "$1" >"$1.validate.log" 2>&1; then ok; else fail "gh-validate.sh $1"; tail -20 "$1.validate.log"; fi
}
fresh_work sarif_github

# Archive members, two levels deep: the alert points at the archive in the tree.
t_deep=$(new_token); t_plain=$(new_token)
mkdir -p tree/z && printf 'a=1\nk: %s\n' "$t_deep" >tree/z/prod.yaml
(cd tree/z && zip -q ../inner.zip prod.yaml) && (cd tree && tar czf bundle.tgz inner.zip) && rm -r tree/z tree/inner.zip
printf 'x=%s\n' "$t_plain" >tree/plain.env
expect_status 1 "archive scan" -- "$SFMC_SCAN" scan tree --format sarif -o archive.sarif
member='d.runs[0].results.find(r => r.properties.chain)'
expect_eq "tree/bundle.tgz" "$(jsq archive.sarif "$member.locations[0].physicalLocation.artifactLocation.uri")" "first location is the archive"
# Where to read more: the tool's home page, and each rule's page on what to do.
expect_eq "true" "$(jsq archive.sarif '/^https:\/\/[^ ]+$/.test(d.runs[0].tool.driver.informationUri)')" "tool.driver.informationUri"
expect_eq "true" "$(jsq archive.sarif 'd.runs[0].tool.driver.rules.every(r => /^https:\/\/[^ ]+#rotating-a-leaked-secret$/.test(r.helpUri))')" \
  "every rule's helpUri: the rotation runbook"
expect_eq "0" "$(jsq archive.sarif "d.runs[0].artifacts[$member.locations[0].physicalLocation.artifactLocation.index].parentIndex === undefined ? 0 : 1")" "its index is the outermost artifact"
expect_eq "1" "$(jsq archive.sarif "$member.locations[0].physicalLocation.region.startLine")" "region: the archive's first line"
jsq archive.sarif "$member.message.text" >msg.txt
expect_grep 'at line 2 of inner\.zip!prod\.yaml inside tree/bundle\.tgz' msg.txt "message names the member chain and line"
expect_eq '["tree/bundle.tgz","inner.zip","prod.yaml"]' "$(jsq archive.sarif "$member.properties.chain")" "chain in properties"
expect_eq "prod.yaml" "$(jsq archive.sarif "$member.relatedLocations[0].physicalLocation.artifactLocation.uri")" "member as related location"
expect_eq "2" "$(jsq archive.sarif "$member.relatedLocations[0].physicalLocation.region.startLine")" "member region kept"
plain='d.runs[0].results.find(r => !r.properties.chain)'
expect_eq "tree/plain.env" "$(jsq archive.sarif "$plain.locations[0].physicalLocation.artifactLocation.uri")" "a plain file is itself"
expect_eq "undefined" "$(jsq archive.sarif "String($plain.relatedLocations)")" "no related location for a plain file"
expect_eq "sfmc-scan/scan/" "$(jsq archive.sarif "d.runs[0].automationDetails.id")" "default category of a tree scan"
expect_no_grep "$t_deep|$t_plain" archive.sarif "secrets redacted"
validate archive.sarif
expect_status 1 "--sarif-category" -- "$SFMC_SCAN" scan tree --format sarif -o cat.sarif --sarif-category nightly/tree
expect_eq "nightly/tree/" "$(jsq cat.sarif "d.runs[0].automationDetails.id")" "--sarif-category, ending in /"

# History: a secret committed, then its file deleted; another still at HEAD.
t_gone=$(new_token); t_kept=$(new_token)
git init -q -b main repo && cd repo
printf 'secret=%s\n' "$t_gone" >old.env && git add old.env && commit_at "2026-01-05T10:00:00Z" "add old"
printf 'secret=%s\n' "$t_kept" >kept.env && git add kept.env && commit_at "2026-02-07T10:00:00Z" "add kept"
git rm -q old.env && commit_at "2026-03-01T10:00:00Z" "remove old"
git remote add origin "https://ann:hunter2token@example.com/acme/shop.git"
first=$(git rev-list --reverse HEAD | head -1); head=$(git rev-parse HEAD)
cd ..
expect_status 1 "history scan" -- "$SFMC_SCAN" git repo --format sarif -o history.sarif
gone='d.runs[0].results.find(r => r.locations[0].physicalLocation.artifactLocation.uri === "old.env")'
kept='d.runs[0].results.find(r => r.locations[0].physicalLocation.artifactLocation.uri === "kept.env")'
jsq history.sarif "$gone.message.text" >gone.txt
expect_grep "introduced in commit ${first:0:7} \(2026-01-05\)" gone.txt "message names the commit and its date"
expect_grep 'old\.env no longer exists at HEAD' gone.txt "message says the file is gone at HEAD"
expect_eq "false" "$(jsq history.sarif "$gone.properties.pathAtHead")" "pathAtHead false"
jsq history.sarif "$kept.message.text" >kept.txt
expect_grep 'introduced in commit [0-9a-f]{7} \(2026-02-07\)' kept.txt "kept: commit named"
expect_no_grep 'no longer exists' kept.txt "kept: still at HEAD"
expect_eq "sfmc-scan/git/" "$(jsq history.sarif "d.runs[0].automationDetails.id")" "default category of a history scan"
expect_eq "https://example.com/acme/shop.git" "$(jsq history.sarif "d.runs[0].versionControlProvenance[0].repositoryUri")" "repository URI from the remote"
expect_no_grep 'hunter2token' history.sarif "remote credentials never reach the report"
expect_eq "$head" "$(jsq history.sarif "d.runs[0].versionControlProvenance[0].revisionId")" "revision is HEAD"
expect_eq "main" "$(jsq history.sarif "d.runs[0].versionControlProvenance[0].branch")" "branch"
validate history.sarif
git -C repo checkout -q --detach HEAD
expect_status 1 "detached HEAD" -- "$SFMC_SCAN" git repo --format sarif -o detached.sarif
expect_eq "undefined" "$(jsq detached.sarif "String(d.runs[0].versionControlProvenance[0].branch)")" "no branch when detached"

# More results than GitHub accepts in one run (25,000): said on stderr, with a way out.
mkdir many && new_token -n 25100 | sed 's/^/secret=/' >many/tokens.env
expect_status 1 "25,100 findings" -- "$SFMC_SCAN" scan many --format sarif -o many.sarif
expect_eq "25100" "$(jsq many.sarif "d.runs[0].results.length")" "every result is written when not asked otherwise"
expect_grep 'warning: SARIF: 25100 results; GitHub code scanning rejects a run of more than 25000' "$work/last.err" "over the limit: said on stderr"
expect_grep '--max-results 25000' "$work/last.err" "... with the flag that fits"
expect_status 1 "--max-results 25000 still fails on findings" -- "$SFMC_SCAN" scan many --format sarif -o cut.sarif --max-results 25000
expect_eq "25000" "$(jsq cut.sarif "d.runs[0].results.length")" "--max-results keeps 25,000"
expect_grep '100 of 25100 results left out by --max-results 25000' "$work/last.err" "the cut is said on stderr"
expect_eq "max-results" "$(jsq cut.sarif "d.runs[0].invocations[0].toolExecutionNotifications.find(n => n.descriptor.id === 'max-results').descriptor.id")" "... and in the report"
# The multitool skips files over 10 MB; the schema and GitHub's rules still apply.
# At GitHub's limit of 25,000 results on purpose: its warning that it keeps the top 5,000
# is the one expected.
validate cut.sarif --no-multitool --not-strict
# The most severe are the ones kept.
bad=$(new_token --variant bad-checksum)
mkdir mixed && { new_token -n 3 | sed 's/^/a=/'; echo "b=$bad"; } >mixed/a.env && printf 'c=%s\n' "$(new_token)" >mixed/b.env
expect_status 1 "mixed levels" -- "$SFMC_SCAN" scan mixed --format sarif -o mixed.sarif --max-results 4
expect_eq '["error","error","error","error"]' "$(jsq mixed.sarif "d.runs[0].results.map(r => r.level)")" "errors kept before warnings"
expect_status 2 "--max-results is for SARIF" -- "$SFMC_SCAN" scan mixed --format json --max-results 4
finish

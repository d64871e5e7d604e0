#!/usr/bin/env bash
# --format gitlab: GitLab's secret-detection report, checked against the required
# fields of its schema (gitlab_report_check.js), never holding a secret; picked by the
# name gl-secret-detection-report.json; archive members and history commits.
source "$(dirname "$0")/lib.sh"
command -v node >/dev/null || { echo "skipped: Node.js is not installed"; exit 77; }
command -v zip >/dev/null || { echo "skipped: zip is not installed"; exit 77; }
jsq() { node "$SFMC_SOURCE_DIR/tests/cli/jsq.js" "$@"; }
check() { if node "$SFMC_SOURCE_DIR/tests/cli/gitlab_report_check.js" "$1" >"$1.check" 2>&1; then ok; else fail "schema check of $1"; head -20 "$1.check"; fi; }
expect_eq() { if [ "$1" = "$2" ]; then ok; else fail "$3: got '$2', want '$1'"; fi; }
fresh_work gitlab_report

t_env=$(new_token); t_zip=$(new_token); bad=$(new_token --variant bad-checksum)
mkdir -p tree/z && printf 'a=1\nsecret=%s\nold=%s\n' "$t_env" "$bad" >tree/app.env
printf 'k: %s\n' "$t_zip" >tree/z/prod.yaml && (cd tree/z && zip -q ../bundle.zip prod.yaml) && rm -r tree/z
expect_status 1 "-o gl-secret-detection-report.json" -- "$SFMC_SCAN" scan tree -o gl-secret-detection-report.json
check gl-secret-detection-report.json
r=gl-secret-detection-report.json
expect_eq "secret_detection" "$(jsq $r "d.scan.type")" "picked by the file name"
expect_eq "3" "$(jsq $r "d.vulnerabilities.length")" "one vulnerability per finding"
expect_no_grep "$t_env|$t_zip|$bad" $r "no secret in the report, raw_source_code_extract included"
expect_grep 'SFMC_' $r "the redacted form is there"
app='d.vulnerabilities.find(v => v.location.file === "tree/app.env" && v.severity === "Critical")'
expect_eq "2" "$(jsq $r "$app.location.start_line")" "line of the finding"
expect_eq "0000000" "$(jsq $r "$app.location.commit.sha")" "no commit outside git"
expect_eq "sfmc-client-secret" "$(jsq $r "$app.identifiers[0].value")" "the rule is the primary identifier"
expect_eq "Medium" "$(jsq $r "d.vulnerabilities.find(v => v.details.verdict.value === 'checksum-invalid').severity")" "checksum-invalid: Medium"
member='d.vulnerabilities.find(v => v.location.file === "tree/bundle.zip")'
expect_grep 'at line 1 of prod\.yaml inside tree/bundle\.zip' <(jsq $r "$member.description") "member chain in the description"
expect_eq "tree/bundle.zip!prod.yaml" "$(jsq $r "$member.details.inner_location.file_name")" "member location in the details"
# Stable ids: the same findings give the same ids in the next pipeline.
expect_status 1 "--format gitlab to stdout" -- "$SFMC_SCAN" scan tree --format gitlab
expect_eq "$(jsq $r "d.vulnerabilities.map(v => v.id).join()")" "$(jsq "$work/last.out" "d.vulnerabilities.map(v => v.id).join()")" "ids are stable"
expect_status 0 "clean tree" -- bash -c "mkdir -p clean && echo nothing >clean/a && \"$SFMC_SCAN\" scan clean --format gitlab -o clean.json"
check clean.json
expect_eq "0" "$(jsq clean.json "d.vulnerabilities.length")" "an empty report is still a report"
expect_status 2 "--group-by secret is not for gitlab" -- "$SFMC_SCAN" scan tree --format gitlab --group-by secret

# History: the commit that introduced it.
git init -q -b main repo && cd repo
printf 'secret=%s\n' "$t_env" >conf.env && git add conf.env && commit_at "2026-01-05T10:00:00Z" "add"
sha=$(git rev-parse HEAD)
cd ..
expect_status 1 "history" -- "$SFMC_SCAN" git repo --format gitlab -o history.json
check history.json
expect_eq "$sha" "$(jsq history.json "d.vulnerabilities[0].location.commit.sha")" "commit sha"
expect_eq "conf.env" "$(jsq history.json "d.vulnerabilities[0].location.file")" "repository path"
expect_grep "introduced in commit ${sha:0:7} \(2026-01-05\)" <(jsq history.json "d.vulnerabilities[0].description") "commit in the description"
# The checker itself catches a report that lacks what the schema requires.
node -e 'const d=require(process.argv[1]); delete d.vulnerabilities[0].location.commit; delete d.scan.end_time; console.log(JSON.stringify(d))' "$work/history.json" >broken.json
if node "$SFMC_SOURCE_DIR/tests/cli/gitlab_report_check.js" broken.json >broken.check; then fail "the checker accepted a broken report"; else ok; fi
expect_grep 'location/commit: required' broken.check "checker: missing commit"
expect_grep 'scan/end_time: required' broken.check "checker: missing end_time"
finish

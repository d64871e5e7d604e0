#!/usr/bin/env bash
# `sfmc-scan git` on a repository built here with fixed dates: deleted secrets,
# unmerged branches, tags, renames, merges, packed and loose objects, unreachable
# objects, shallow clones, submodules, corrupt objects, and no writes to the repository.
source "$(dirname "$0")/lib.sh"
fresh_work git_history
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
git init -q -b main repo && cd repo || exit 2

deleted=$(new_token); branch=$(new_token); tagged=$(new_token); renamed=$(new_token)
merged=$(new_token); loose=$(new_token); dangling=$(new_token)

echo "plain file" >README; git add README; commit_at 2026-01-01T10:00:00Z "init"
echo "client_secret=$deleted" >config.env; git add config.env; commit_at 2026-01-02T10:00:00Z "add config"
git rm -q config.env; commit_at 2026-01-03T10:00:00Z "remove config"
echo "token: $renamed" >old-name.yaml; git add old-name.yaml; commit_at 2026-01-04T10:00:00Z "add yaml"
git mv old-name.yaml new-name.yaml; commit_at 2026-01-05T10:00:00Z "rename yaml"

git checkout -q -b feature
echo "s=$branch" >feature.txt; git add feature.txt; commit_at 2026-01-06T10:00:00Z "feature work"
git checkout -q main
git checkout -q --detach
echo "s=$tagged" >release.txt; git add release.txt; commit_at 2026-01-07T10:00:00Z "release only"
git tag -a v1.0 -m v1.0
git checkout -q main

# A merge whose own tree adds a secret that neither parent has.
git checkout -q -b topic; echo "topic" >topic.txt; git add topic.txt; commit_at 2026-01-08T10:00:00Z "topic"
git checkout -q main; echo "main" >main.txt; git add main.txt; commit_at 2026-01-09T10:00:00Z "main"
git merge -q --no-ff --no-commit topic 2>/dev/null
echo "merge_secret=$merged" >merge.env; git add merge.env
commit_at 2026-01-10T10:00:00Z "merge topic"
merge_commit=$(git rev-parse HEAD)

git gc -q 2>/dev/null   # everything so far is packed
echo "late=$loose" >late.txt; git add late.txt; commit_at 2026-01-11T10:00:00Z "loose object"
# A secret committed, then reset away: only the reflog still names it.
echo "oops=$dangling" >oops.txt; git add oops.txt; commit_at 2026-01-12T10:00:00Z "oops"
git reset -q --hard HEAD~1
git update-ref -d ORIG_HEAD  # ORIG_HEAD counts as a tip (git_graph.sh); here only the reflog names it
cd ..

touch marker; sleep 1
expect_status 1 "history scan" -- "$SFMC_SCAN" git repo --format jsonl
out="$work/history.jsonl"; cp "$work/last.out" "$out"
expect_count 6 "$out" "history: deleted, branch, tag, renamed, merge, loose"
for t in deleted branch tagged renamed merged loose; do
  grep -q "$(printf '%s' "${!t}" | sha256sum | cut -c1-64)" "$out" && ok || fail "history: the $t secret is missing"
done
grep -q "$(printf '%s' "$dangling" | sha256sum | cut -c1-64)" "$out" && fail "history: the reset-away secret is reported without --all-objects" || ok
line() { grep "$(printf '%s' "$1" | sha256sum | cut -c1-64)" "$out"; }
line "$deleted" | grep -q '"path":"config.env"' && line "$deleted" | grep -q '"date":"2026-01-02T10:00:00+00:00"' && ok || fail "deleted secret: path and date"
line "$deleted" | grep -q '"author":"Ann Example <ann@example.com>"' && ok || fail "deleted secret: author"
line "$branch" | grep -q '"refs":\["refs/heads/feature"\]' && ok || fail "branch secret: only on refs/heads/feature"
line "$tagged" | grep -q '"refs":\["refs/tags/v1.0"\]' && ok || fail "tagged secret: only on refs/tags/v1.0"
line "$renamed" | grep -q '"path":"old-name.yaml"' && line "$renamed" | grep -q '"other_paths":\["new-name.yaml"\]' && ok || fail "renamed: first path and the other"
line "$merged" | grep -q "\"commit\":\"$merge_commit\"" && ok || fail "merge secret: introduced by the merge commit"
line "$loose" | grep -q '"path":"late.txt"' && ok || fail "loose object secret"

# An encoded secret in a deleted file (issue 33): located at the line and column of its
# file where the base64 run holds it, the decoding said apart (never as a path), the
# same in JSON, SARIF and the GitLab report.
git init -q -b main encoded && (cd encoded && encoded=$(new_token) && echo "$encoded" >../encoded.token &&
  printf 'apiVersion: v1\nkind: Secret\ndata:\n  note: aGVsbG8=\n  secret: %s\n' "$(printf '%s' "$encoded" | base64 -w0)" >secret.yaml &&
  git add secret.yaml && commit_at 2026-02-01T10:00:00Z "add secret" && git rm -q secret.yaml && commit_at 2026-02-02T10:00:00Z "remove secret")
expect_status 1 "history: an encoded secret in a deleted file" -- "$SFMC_SCAN" git encoded --format jsonl
found_at "$(cat encoded.token)" "secret.yaml" 5 11 base64 '["base64@5:11"]'
expect_status 1 "... in SARIF" -- "$SFMC_SCAN" git encoded --format sarif
python3 - "$work/last.out" <<'PY' && ok || fail "SARIF: the encoded secret is not at secret.yaml line 5, column 11"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"][0]
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "secret.yaml", loc
assert (loc["region"]["startLine"], loc["region"]["startColumn"]) == (5, 11), loc
assert r["properties"]["decoded"] == ["base64@5:11"] and "decoded from base64@5:11" in r["message"]["text"], r
assert "relatedLocations" not in r, r
PY
expect_status 1 "... in the GitLab report" -- "$SFMC_SCAN" git encoded --format gitlab
python3 - "$work/last.out" <<'PY' && ok || fail "GitLab: the encoded secret is not at secret.yaml line 5"
import json, sys
v = json.load(open(sys.argv[1]))["vulnerabilities"][0]
assert (v["location"]["file"], v["location"]["start_line"]) == ("secret.yaml", 5), v["location"]
assert "decoded from base64@5:11" in v["description"], v["description"]
PY

expect_status 1 "--all-objects" -- "$SFMC_SCAN" git repo --all-objects --format jsonl
expect_count 7 "$work/last.out" "--all-objects adds the reset-away secret"
grep "$(printf '%s' "$dangling" | sha256sum | cut -c1-64)" "$work/last.out" | grep -q '"reachable":false' && ok || fail "reset-away secret is marked unreachable"

# Nothing in the repository was written by the scans.
changed=$(find repo/.git -newer marker | head -5)
[ -z "$changed" ] && ok || fail "the scan wrote to the repository: $changed"

# SARIF of a history scan: commit properties and fingerprints.
expect_status 1 "history SARIF" -- "$SFMC_SCAN" git repo --format sarif -o history.sarif
grep -q '"commitSecretHash/v1"' history.sarif && grep -q '"commit": "' history.sarif && ok || fail "SARIF carries commit provenance"
tools="${SFMC_SHARED_DIR:-}/tools/sarif"
if command -v node >/dev/null && [ -x "$tools/gh-validate.sh" ]; then
  if "$tools/gh-validate.sh" --no-multitool history.sarif >validate.log 2>&1; then ok; else fail "history SARIF validation"; cat validate.log; fi
fi

# Shallow clone: said plainly, and what is there is scanned.
git clone -q --depth 1 "file://$work/repo" shallow 2>/dev/null
expect_status 1 "shallow clone" -- "$SFMC_SCAN" git shallow --format jsonl
expect_grep '"reason":"shallow-history"' "$work/last.out" "shallow clone is reported"

# Bare repositories and worktrees.
git clone -q --bare "file://$work/repo" bare.git 2>/dev/null
expect_status 1 "bare repository" -- "$SFMC_SCAN" git bare.git --format jsonl
expect_count 6 "$work/last.out" "bare clone: every secret reachable from a ref (a clone copies branches and tags)"
(cd repo && git worktree add -q ../wt HEAD~1 2>/dev/null)
expect_status 1 "worktree" -- bash -c "cd wt && \"$SFMC_SCAN\" git --format jsonl"
expect_count 6 "$work/last.out" "worktree: the shared history"

# A partial clone says that what it never fetched was not scanned.
git -C repo config uploadpack.allowFilter true
git clone -q --filter=blob:none --no-checkout "file://$work/repo" partial 2>/dev/null
expect_status 0 "partial clone (no blobs fetched)" -- "$SFMC_SCAN" git partial --format jsonl
expect_grep '"reason":"partial-clone"' "$work/last.out" "partial clone reported"

# A submodule is reported as not scanned.
git init -q -b main sub && (cd sub && echo x >x && git add x && commit_at 2026-01-13T10:00:00Z "sub")
(cd repo && git -c protocol.file.allow=always submodule -q add "$work/sub" vendor/sub 2>/dev/null && commit_at 2026-01-14T10:00:00Z "add submodule")
expect_status 1 "submodule" -- "$SFMC_SCAN" git repo --format jsonl
expect_grep '"path":"vendor/sub","reason":"submodule"' "$work/last.out" "submodule reported, with its path"

# A corrupt loose object is a warning; everything else is still scanned.
cp -r repo corrupt
obj=$(cd corrupt && git rev-parse HEAD:late.txt)
f="corrupt/.git/objects/${obj:0:2}/${obj:2}"
if [ -f "$f" ]; then
  chmod u+w "$f"; printf 'not zlib at all' >"$f"
  expect_status 2 "corrupt object: findings, and content not read" -- "$SFMC_SCAN" git corrupt --format jsonl
  expect_grep '"reason":"unreadable"' "$work/last.out" "corrupt object reported"
  expect_count 5 "$work/last.out" "the other secrets are still found"
else
  fail "expected late.txt's blob to be loose"
fi
expect_status 2 "not a repository" -- "$SFMC_SCAN" git "$work/sub/nope"

# The pack reader: the same findings whatever the packing (offset deltas, ref deltas,
# several overlapping packs), and a damaged object inside a pack is a warning.
(cd repo && git reset -q --hard && git reflog expire --expire=now --all && git gc -q --prune=now 2>/dev/null)
"$SFMC_SCAN" git repo --format jsonl >packed.jsonl
want=$(count_findings packed.jsonl)
[ "$want" -eq 6 ] && ok || fail "packed repository: $want findings, want 6"
summary() { grep '"type":"finding"' "$1" | sed -E 's/.*"fingerprint":"([^"]*)".*"path":"([^"]*)".*"secret_sha256":"([^"]*)".*/\1 \2 \3/' | sort; }
cp -r repo refdelta
(cd refdelta && git -c repack.useDeltaBaseOffset=false repack -a -d -f -q --depth=10 && git verify-pack -v .git/objects/pack/*.idx | grep -q REF_DELTA 2>/dev/null || true)
"$SFMC_SCAN" git refdelta --format jsonl >refdelta.jsonl
diff <(summary packed.jsonl) <(summary refdelta.jsonl) >/dev/null && ok || fail "ref-delta packing changes the findings"
cp -r repo manypacks
(cd manypacks && for i in 1 2 3; do git -c pack.window=0 repack -q; done; git repack -q -a; ls .git/objects/pack/*.pack | wc -l >npacks)
"$SFMC_SCAN" git manypacks --format jsonl >manypacks.jsonl
diff <(summary packed.jsonl) <(summary manypacks.jsonl) >/dev/null && ok || fail "overlapping packs change the findings"
cp -r repo damaged
pack=$(ls damaged/.git/objects/pack/*.pack | head -1)
blob=$(cd damaged && git rev-parse HEAD:late.txt)
offset=$(cd damaged && git verify-pack -v .git/objects/pack/*.idx | awk -v b="$blob" '$1==b {print $5}')
if [ -n "$offset" ]; then
  chmod u+w "$pack"
  printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of="$pack" bs=1 seek=$((offset + 4)) conv=notrunc status=none
  expect_status 2 "damaged pack object: findings, and content not read" -- "$SFMC_SCAN" git damaged --format jsonl
  expect_grep '"reason":"unreadable"' "$work/last.out" "damaged pack object reported"
  expect_count 5 "$work/last.out" "the rest of the pack is still scanned"
else
  fail "late.txt's blob should be in the pack"
fi
finish

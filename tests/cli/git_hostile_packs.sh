#!/usr/bin/env bash
# Crafted packs and loose objects (issue 12, items 1-4 and 6), each made here by
# `sfmc-gen pack` / `sfmc-gen loose` next to an ordinary commit: delta cycles, sizes
# the pack cannot hold, a cycle through two packs (libgit2 refuses bases in other
# packs, so it ends there), reserved types, a delta base inside another object, damaged
# compressed data, a 3,000-delta chain, deltas copying their base 16 and 256 times (a
# 17 KB pack decoding to 4 GiB), and a loose header stating 4 GB. Each must be a
# warning, never a hang, an abort or a silent drop, and every intact secret still found.
source "$(dirname "$0")/lib.sh"
fresh_work git_hostile_packs
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }

hash_of() { printf '%s' "$1" | sha256sum | cut -c1-64; }

# make_repo NAME: a repository with one commit holding a secret, packed by git.
make_repo() {
  git init -q -b main "$1" && (
    cd "$1" && echo "client_secret=$committed" >app.env && git add app.env && commit_at 2026-01-02T10:00:00Z "add app" &&
      git gc -q 2>/dev/null)
}

committed=$(new_token)
# kind | what the warnings must say (extended regex, one per line)
declare -A expected=(
  [cycle]='delta cycle: its chain of delta bases leads back to itself
its delta base [0-9a-f]{40} is damaged'
  [cross-cycle]='(base entry delta is not in the same pack|delta cycle)'
  [huge-size]='states 1099511627776 bytes, more than its [0-9]+ compressed bytes can hold
states 4294967296 bytes, more than its [0-9]+ compressed bytes can hold
object size field longer than 64 bits
delta result is smaller than the 1099511627776 bytes it states
delta result is smaller than the 4294967296 bytes it states
delta size field longer than 64 bits'
  [reserved]='object of reserved type 5
its delta base offset [0-9]+ is inside another object, not the start of one'
  [truncated]='the [0-9]+ bytes that decoded were scanned'
  [chain]=''
  [delta-bomb]='its delta result states 268435440 bytes, more than the compressed bytes of its delta chain can hold
its delta base [0-9a-f]{40} is damaged: its delta result states'
)
declare -A warnings=([cycle]=4 [cross-cycle]=2 [huge-size]=6 [reserved]=2 [truncated]=1 [chain]=0 [delta-bomb]=2)

for kind in cycle cross-cycle huge-size reserved truncated chain delta-bomb; do
  make_repo "$kind"
  "$SFMC_GEN" --rules "$SFMC_SOURCE_DIR/rules" pack "$kind/.git/objects/pack" --kind "$kind" >"$kind.planted" || exit 2
  # Memory must not follow the claims or the chain depth: 1 GB of address space is plenty
  # (holding every base of the 3,000-delta chain took 3 GB; a 2^32-byte claim 4 GB).
  (ulimit -v "$(mem_limit 1000000)"; timeout 120 "$SFMC_SCAN" git "$kind" --all-objects -j2 --format jsonl >"$kind.out" 2>"$kind.err")
  status=$?
  # Findings, and objects that could not be read (chain has none): not a clean bill, exit 2.
  want_status=$([ "${warnings[$kind]}" -gt 0 ] && echo 2 || echo 1)
  [ "$status" -eq "$want_status" ] && ok || { fail "$kind: exit $status, want $want_status"; sed 's/^/  | /' "$kind.err" | head -5; }
  grep -q "$(hash_of "$committed")" "$kind.out" && ok || fail "$kind: the committed secret is missing"
  while read -r expect token; do
    if [ "$expect" = found ]; then
      grep -q "$(hash_of "$token")" "$kind.out" && ok || fail "$kind: a secret in an intact or recoverable object is missing"
    fi
  done <"$kind.planted"
  got=$(grep -c '"reason":"unreadable"' "$kind.out" || true)
  [ "$got" -eq "${warnings[$kind]}" ] && ok || { fail "$kind: $got warnings, want ${warnings[$kind]}"; grep unreadable "$kind.out" | head -8; }
  while IFS= read -r want; do
    [ -z "$want" ] && continue
    grep '"reason":"unreadable"' "$kind.out" | grep -qE -- "$want" && ok || fail "$kind: no warning saying /$want/"
  done <<<"${expected[$kind]}"
  # The default (reachable) mode sweeps the same packs: it must end too, with the commit's secret.
  expect_status "$want_status" "$kind: default mode" -- timeout 120 "$SFMC_SCAN" git "$kind" -j2 --format jsonl
  grep -q "$(hash_of "$committed")" "$work/last.out" && ok || fail "$kind: default mode lost the committed secret"
done

# A loose blob whose header states 2^32 bytes over one short line.
make_repo loose
"$SFMC_GEN" --rules "$SFMC_SOURCE_DIR/rules" loose loose/.git/objects --stated-size 4294967296 >loose.planted || exit 2
read -r _ loose_token <loose.planted
(ulimit -v "$(mem_limit 1000000)"; timeout 60 "$SFMC_SCAN" git loose --all-objects --format jsonl --stats >loose.out 2>loose.err)
status=$?
[ "$status" -eq 2 ] && ok || { fail "loose: exit $status, want 2 (a finding, and an object not read whole)"; head -5 loose.err; }
grep -q "$(hash_of "$loose_token")" loose.out && ok || fail "loose: the secret in the lying loose object is missing"
expect_grep 'header states 4294967296 bytes but it holds [0-9]+; the [0-9]+ bytes it holds were scanned' loose.out "loose: the size lie is a warning"
scanned=$(grep -o '"bytes_scanned":[0-9]*' loose.out | cut -d: -f2)
[ "${scanned:-0}" -lt 100000 ] && ok || fail "loose: $scanned bytes scanned; the header's 4 GB must not be"

# --- objects the history names that the repository lacks (issue 8: "a missing object is
# a warning"): a blob, a subtree, a damaged tree. No secret anywhere: the warnings must
# come without a finding to place, and the run exits 2 (content not swept).
loose_path() { echo "$1/.git/objects/${2:0:2}/${2:2}"; }
git init -q -b main missing && (cd missing && mkdir -p conf deep/er && echo one >conf/big.bin && echo two >deep/er/x.txt &&
  echo three >top.txt && git add . && commit_at 2026-01-03T10:00:00Z "add files")
blob=$(git -C missing rev-parse HEAD:conf/big.bin)
rm -f "$(loose_path missing "$blob")"
expect_status 2 "a missing blob" -- "$SFMC_SCAN" git missing --format jsonl
expect_grep '"path":"conf/big.bin","reason":"missing-object"' "$work/last.out" "the missing blob is named by its path"
expect_grep "not in the repository.*blob $blob" "$work/last.out" "... and by its id"
expect_grep 'missing-object' "$work/last.err" "the summary counts it"
expect_status 0 "--no-tree-check" -- "$SFMC_SCAN" git missing --format jsonl --no-tree-check
expect_no_grep 'missing-object' "$work/last.out" "--no-tree-check does not read trees on a clean repository"
# A subtree gone: what it holds was not scanned, said once.
sub=$(git -C missing rev-parse HEAD:deep/er)
rm -f "$(loose_path missing "$sub")"
expect_status 2 "a missing tree" -- "$SFMC_SCAN" git missing --format jsonl
expect_grep "tree $sub, named by tree [0-9a-f]{40}, is not in the repository" "$work/last.out" "the missing tree is reported"
# A tree whose object is damaged (garbage where the zlib stream was).
deep=$(git -C missing rev-parse HEAD:deep)
f=$(loose_path missing "$deep") && chmod u+w "$f" && printf 'not zlib at all' >"$f"
expect_status 2 "a damaged tree" -- "$SFMC_SCAN" git missing --format jsonl
expect_grep "damaged loose object $deep" "$work/last.out" "the damaged tree is reported by id"
expect_no_grep "tree $deep, named by" "$work/last.out" "... once: not also as missing"

finish

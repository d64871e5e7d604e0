#!/usr/bin/env bash
# History scan against `git cat-file --batch` reading the same blobs in pack order in
# one process, and against `git log -p --all | rg`; then `git --staged` latency.
#
# usage: bench/git-compare.sh [REPO...]
#   Each REPO is measured in both modes: default (blobs reachable from the tips,
#   against cat-file over the reachable blob list) and --all-objects (against cat-file
#   over every blob), with peak RSS and the phases (SFMC_HISTORY_PHASES). PLANT=N
#   first clones each REPO (git clone --mirror, into GIT_BENCH_DIR) and commits N
#   generated secrets on a branch of its own, so attribution has work to do.
#   With no REPO, builds two history repositories in /dev/shm (GIT_BENCH_DIR) with
#   `sfmc-gen history | git fast-import`: one from this machine's /usr/include (real
#   file contents, synthetic edits), one of generated source; both repacked with
#   delta chains up to 50 as `git gc --aggressive` would. Give real repositories'
#   paths to measure those instead (they must be on a tmpfs too).
# A real mirror lacking blobs (the stored snapshots drop those of 4 MiB and more):
# missing objects are left out of cat-file's lists, and warnings of ours.
#   ONLY=range: only the --range comparison (and --staged latency).
# needs: git, hyperfine, ripgrep, python3 (scripts/install-deps.sh --bench)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
gen=${SFMC_GEN:-$here/build/sfmc-gen}
dir=${GIT_BENCH_DIR:-/dev/shm/sfmc-git}
export SFMC_CACHE_DIR=${SFMC_CACHE_DIR:-/dev/shm/sfmc-cache}
regex='SFMC_[0-9A-Za-z]{59}'

make_repo() {  # make_repo NAME GEN-ARGS...
  local repo="$dir/$1"; shift
  [ -d "$repo/.git" ] && return
  mkdir -p "$repo" && git -C "$repo" init -q -b main
  "$gen" --seed 5 history "$@" | git -C "$repo" fast-import --quiet
  git -C "$repo" repack -a -d -f -q --depth=50 --window=10
}

repos=("$@")
if [ ${#repos[@]} -eq 0 ]; then
  make_repo usr-include --from /usr/include --files 0 --commits 20000 --tokens 40
  make_repo generated --files 3000 --commits 30000 --tokens 0
  repos=("$dir/usr-include" "$dir/generated")
fi

plant() {  # plant REPO N: a mirror clone of REPO with N secrets on refs/heads/sfmc-planted
  local src=$1 n=$2 dst="$dir/planted-$(basename "$1" .git)-$2.git"
  if [ ! -d "$dst" ]; then
    git clone -q --mirror "$src" "$dst"
    local idx; idx=$(mktemp -u); local tmp; tmp=$(mktemp -d)
    "$gen" --rules "$here/rules" token -n "$n" >"$tmp/tokens"
    GIT_INDEX_FILE=$idx git -C "$dst" read-tree HEAD
    local i=0
    while read -r t; do
      i=$((i + 1))
      blob=$(printf 'client_secret=%s\n' "$t" | git -C "$dst" hash-object -w --stdin)
      echo "100644 blob $blob	sfmc-planted/secret-$i.env"
    done <"$tmp/tokens" | GIT_INDEX_FILE=$idx git -C "$dst" update-index --index-info
    tree=$(GIT_INDEX_FILE=$idx git -C "$dst" write-tree)
    commit=$(git -C "$dst" -c user.name=bench -c user.email=bench@example.com commit-tree -p HEAD -m "planted" "$tree")
    git -C "$dst" update-ref refs/heads/sfmc-planted "$commit"
    git -C "$dst" repack -q -d  # the planted objects in a pack of their own
    rm -rf "$idx" "$tmp"
  fi
  echo "$dst"
}

peak_rss() {  # peak_rss CMD...: peak resident set size of CMD in MB
  { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.0f", $1 / 1024}'
}

# ONLY=range measures the pull-request range alone (the sweeps take minutes).
if [ "${ONLY:-}" != range ]; then
for repo in "${repos[@]}"; do
  [ -n "${PLANT:-}" ] && repo=$(plant "$repo" "$PLANT")
  gitdir=$(git -C "$repo" rev-parse --absolute-git-dir)
  all=$(mktemp); reach=$(mktemp)
  git -C "$repo" cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)' --unordered |
    awk '$2=="blob"{print $1}' >"$all"
  # Reachable from the refs and HEAD; objects the snapshot lacks are left out.
  git -C "$repo" rev-list --objects --all --missing=print HEAD 2>/dev/null | grep -v '^?' | cut -d' ' -f1 |
    git -C "$repo" cat-file --batch-check='%(objectname) %(objecttype)' 2>/dev/null | awk '$2=="blob"{print $1}' >"$reach"
  read -r blobs bytes < <(git -C "$repo" cat-file --batch-check='%(objectsize)' <"$all" | awk '{n++; s+=$1} END {print n, s}')
  commits=$(git -C "$repo" rev-list --all --count 2>/dev/null || echo "?")
  refs=$(git -C "$repo" for-each-ref | wc -l)
  echo "== $repo: $commits commits, $refs refs, $blobs blobs ($(wc -l <"$reach") reachable), $bytes bytes uncompressed, pack $(du -sh "$gitdir/objects/pack" | cut -f1)"
  for mode in default all-objects; do
    list=$reach flag=""
    [ $mode = all-objects ] && list=$all flag=--all-objects
    json=$(mktemp)
    hyperfine --warmup "${WARMUP:-1}" --runs "${RUNS:-3}" -N -i --export-json "$json" \
      -n cat-file "sh -c 'git -C $repo cat-file --batch < $list > /dev/null'" \
      -n sfmc-scan "$scan git $repo $flag -j2 -q --format jsonl -o /dev/null" >/dev/null
    rss=$(peak_rss "$scan" git "$repo" $flag -j2 -q --format jsonl -o /dev/null)
    phases=$({ SFMC_HISTORY_PHASES=1 "$scan" git "$repo" $flag -j2 --format jsonl -o /dev/null 2>&1 || true; } | grep -E '^phases|findings' | tr '\n' ' ')
    python3 - "$json" "$mode" "$rss" "$phases" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"  {sys.argv[2]:>11}: git cat-file --batch {r['cat-file']:.2f} s   sfmc-scan git -j2 {r['sfmc-scan']:.2f} s   "
      f"speed-up {r['cat-file'] / r['sfmc-scan']:.2f}x (target >= 2, goal 3)   peak RSS {sys.argv[3]} MB (target <= 300)")
print(f"               {sys.argv[4]}")
PY
    rm -f "$json"
  done
  rm -f "$all" "$reach"
done
fi

if [ "${WITH_GIT_LOG:-1}" = 1 ] && [ "${ONLY:-}" != range ]; then
  repo=${repos[0]}
  hyperfine --runs 1 -N -i -n "git log -p --all | rg" "sh -c 'git -C $repo log -p --all | rg -c $regex >/dev/null'" \
    -n "sfmc-scan git" "$scan git $repo -j2 -q --format jsonl -o /dev/null" 2>&1 | grep -E 'Benchmark|Time'
fi

# A pull-request range (RANGE, default HEAD~200..HEAD) against `git log -p RANGE | rg`,
# in the same hyperfine run (target: sfmc-scan in at most half the time).
range=${RANGE:-HEAD~200..HEAD}
for repo in "${repos[@]}"; do
  git -C "$repo" rev-parse -q --verify "${range%%..*}^{commit}" >/dev/null || continue
  echo "== $repo --range $range: $(git -C "$repo" rev-list --count "$range") commits"
  json=$(mktemp)
  hyperfine --warmup 1 --runs "${RANGE_RUNS:-10}" -N -i --export-json "$json" \
    -n git-log "sh -c 'git -C $repo log -p $range | rg -c \"$regex\" >/dev/null'" \
    -n sfmc-scan "$scan git $repo --range $range -j2 -q --format jsonl -o /dev/null" >/dev/null
  python3 - "$json" <<'PY'
import json, sys
res = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
g, s = res["git-log"], res["sfmc-scan"]
print(f"  git log -p | rg: {g['median']:.3f} s (user+sys {g['user'] + g['system']:.3f} s)   "
      f"sfmc-scan --range: {s['median']:.3f} s (user+sys {s['user'] + s['system']:.3f} s)   "
      f"ratio {s['median'] / g['median']:.2f} (target <= 0.5)")
PY
  rm -f "$json"
done

# --staged on a small change, warm compiled-rules cache (target: median <= 30 ms).
staged="$dir/staged"
if [ ! -d "$staged/.git" ]; then
  git init -q -b main "$staged"
  for i in $(seq 1 200); do echo "line $i" >"$staged/f$i.txt"; done
  git -C "$staged" add . && git -C "$staged" -c user.name=b -c user.email=b@x commit -q -m init
  echo "changed" >>"$staged/f7.txt" && git -C "$staged" add f7.txt
fi
(cd "$staged" && hyperfine --warmup 3 --runs 50 -N -i "$scan git --staged -q" 2>&1 | grep -E 'Time|Range')

#!/usr/bin/env bash
# Fleet figures for bench/RESULTS.md (issue 9):
#   1. a fleet of the mirrors plus generated repositories swept in one run (side by side)
#      versus one `sfmc-scan git` after another;
#   2. a re-sweep with --state when nothing moved, against `git for-each-ref`;
#   3. --shard on a large tree: each shard's wall time and bytes, and its walk alone.
# Usage: bench/fleet.sh BUILD_DIR WORK_DIR [TREE]   (mirrors from $MIRRORS, default /dev/shm/mirrors)
set -uo pipefail
build=$(cd "$1" && pwd); work=$2; tree=${3:-/usr/share}
scan="$build/sfmc-scan"; gen="$build/sfmc-gen"; rules="$(dirname "$0")/../rules"
mirrors=${MIRRORS:-/dev/shm/mirrors}
mkdir -p "$work" && cd "$work" || exit 2
export SFMC_CACHE_DIR="$work/cache"

# 1. The fleet: three mirrors and 20 generated histories of 200 commits each.
: >fleet.txt
for m in git deno gitleaks; do [ -d "$mirrors/$m.git" ] && echo "$mirrors/$m.git" >>fleet.txt; done
for i in $(seq -w 1 20); do
  r="gen/r$i"
  if [ ! -d "$r" ]; then
    git init -q --bare "$r" && "$gen" --rules "$rules" --seed "$i" history --commits 200 --files 40 2>/dev/null | git -C "$r" fast-import --quiet
  fi
  echo "$work/$r" >>fleet.txt
done
echo "fleet: $(wc -l <fleet.txt) repositories"
hyperfine --warmup 1 --runs ${RUNS:-3} --ignore-failure --export-markdown fleet.md \
  -n "one run, side by side" "$scan git --repos-from fleet.txt -j2 --format jsonl -o /dev/null -q" \
  -n "one after another" "while read -r r; do $scan git \"\$r\" -j2 --format jsonl -o /dev/null -q; done <fleet.txt"

# 2. Re-sweep of an unchanged fleet with --state, per mirror and for the three together.
for m in git deno gitleaks; do
  rm -f "state-$m.json"
  /usr/bin/time -f "first sweep of $m: %e s, %M KB" "$scan" git --repos-from <(echo "$mirrors/$m.git") --state "state-$m.json" -j2 --format jsonl -o /dev/null -q
done
cmds=()
for m in git deno gitleaks; do
  cmds+=(-n "re-sweep $m" "$scan git --repos-from <(echo $mirrors/$m.git) --state state-$m.json -j2 --format jsonl -o /dev/null -q")
  cmds+=(-n "git for-each-ref $m" "git --git-dir=$mirrors/$m.git for-each-ref >/dev/null")
done
hyperfine --warmup 1 --runs ${RUNS:-5} --ignore-failure --shell=bash --export-markdown resweep.md "${cmds[@]}"

# 3. Shards of a large tree: wall time and bytes of each, and the walk alone
#    (--max-file-size 1: every file is walked, weighed and skipped unread).
"$scan" scan "$tree" -j2 --no-archives --format jsonl -o one.jsonl -q 2>/dev/null
echo "one machine: $(grep '"type":"summary"' one.jsonl | grep -o '"bytes_scanned":[0-9]*')"
for k in 0 1 2 3; do
  /usr/bin/time -f "shard $k/4: %e s wall" "$scan" scan "$tree" --shard $k/4 -j2 --no-archives -o shard$k.jsonl -q 2>&1 | grep wall
  echo "  $(grep '"type":"summary"' shard$k.jsonl | grep -o '"bytes_scanned":[0-9]*')"
done
cmds=(-n "full scan, one machine" "$scan scan $tree -j2 --no-archives --format jsonl -o /dev/null -q")
for k in 0 3; do cmds+=(-n "walk only, shard $k/4" "$scan scan $tree --shard $k/4 --max-file-size 1 -j2 --no-archives -o /dev/null --format jsonl -q"); done
cmds+=(-n "walk only, no shard" "$scan scan $tree --max-file-size 1 -j2 --no-archives --format jsonl -o /dev/null -q")
hyperfine --warmup 1 --runs ${RUNS:-3} --ignore-failure --export-markdown shard-walk.md "${cmds[@]}"

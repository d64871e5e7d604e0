#!/usr/bin/env bash
# Fuzzing campaign: builds the libFuzzer harnesses with clang (ASan + UBSan) into
# build-fuzz/, makes the seed corpora, and runs every harness SECONDS long (default 60),
# two at a time, at the lowest priority. What each run adds to the corpus is kept in
# build-fuzz/corpus/; `--update-corpus` minimises it into fuzz/corpus/ (the in-tree
# corpus, from which the next campaign continues), leaving out every input in which
# sfmc-scan itself finds a secret-shaped string. Crashes land in build-fuzz/crashes/.
#   scripts/fuzz.sh [SECONDS] [--jobs N] [--update-corpus] [HARNESS...]
# (fuzz/run.sh: every harness one after another on one core, results as table rows.)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=60
update=0
jobs=2
only=()
while [ $# -gt 0 ]; do
  case $1 in
    --update-corpus) update=1 ;;
    --jobs) jobs=$2; shift ;;
    [0-9]*) seconds=$1 ;;
    *) only+=("$1") ;;
  esac
  shift
done
harnesses=(fuzz_decode fuzz_report fuzz_rules fuzz_stdin fuzz_delta fuzz_pack fuzz_loose)
[ ${#only[@]} -gt 0 ] && harnesses=("${only[@]}")
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang (apt-get install clang libclang-rt-14-dev)"; exit 2; }
b=build-fuzz
if [ ! -f $b/CMakeCache.txt ]; then
  cmake -S . -B $b -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DSFMC_FUZZ=ON \
    -DSFMC_BUILD_TESTS=OFF -DSFMC_BUILD_BENCH=OFF ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null || exit 2
fi
nice -n 19 cmake --build $b -j2 --target sfmc-scan sfmc-gen "${harnesses[@]}" >/dev/null || exit 2
fuzz/make_seeds.sh $b $b/seeds >/dev/null || exit 2
mkdir -p $b/crashes $b/logs
status=0
run() {
  local h=$1 dict=()
  mkdir -p $b/corpus/$h fuzz/corpus/$h
  [ -f fuzz/dicts/$h.dict ] && dict=(-dict=fuzz/dicts/$h.dict)
  # 256 MB per allocation, 10 s per input: the campaign's bounds (fuzz/README.md).
  ASAN_OPTIONS=detect_leaks=1 nice -n 19 $b/fuzz/$h -max_total_time="$seconds" -timeout=10 -malloc_limit_mb=256 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$b/crashes/$h- "${dict[@]}" \
    $b/corpus/$h fuzz/corpus/$h $b/seeds/$h >$b/logs/$h.log 2>&1
  local rc=$?
  local line; line=$(grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' $b/logs/$h.log | tail -1)
  echo "$h: exit $rc, ${seconds}s, ${line:-see $b/logs/$h.log}"
  return $rc
}
# --jobs at a time (2 by default), the next started as soon as one ends (a harness that
# stops early on a crash frees its core at once).
running=0
for h in "${harnesses[@]}"; do
  if [ $running -ge "$jobs" ]; then wait -n || status=1; running=$((running - 1)); fi
  run "$h" &
  running=$((running + 1))
done
while [ $running -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
if [ $update -eq 1 ]; then
  for h in "${harnesses[@]}"; do
    rm -rf $b/min/$h && mkdir -p $b/min/$h
    nice -n 19 $b/fuzz/$h -merge=1 $b/min/$h fuzz/corpus/$h $b/corpus/$h >/dev/null 2>&1
    # No secret-shaped string enters the tree, not even inside an archive, nor behind an
    # allow comment the fuzzer wrote next to it (--include-suppressed).
    $b/sfmc-scan scan $b/min/$h --no-cache --checksum ignore --include-suppressed --format jsonl 2>/dev/null |
      grep '"type":"finding"' | sed 's/.*"path":"\([^"]*\)".*/\1/; s/!.*//' | sort -u | xargs -r rm -f
    # Nor a token that a more forgiving decompressor recovers from a damaged stream the
    # scanner gives up on (a truncated .gz: gzip -dc yields what decoded, sfmc-scan
    # nothing; see fuzz/README.md): each input decompressed by every tool, then scanned.
    rm -rf $b/dec && mkdir -p $b/dec
    for f in $b/min/$h/*; do
      k=0
      for d in "gzip -dc" "bzip2 -dc" "xz -dc" "zstd -dcq" "unzip -p" "tar -xOf"; do
        timeout 10 $d "$f" 2>/dev/null | head -c 64000000 >$b/dec/"$(basename "$f")".$k
        k=$((k + 1))
      done
    done
    $b/sfmc-scan scan $b/dec --no-cache --checksum ignore --include-suppressed --format jsonl 2>/dev/null |
      grep '"type":"finding"' | sed 's/.*"path":"\([^"]*\)".*/\1/; s/!.*//; s|.*/||; s/\.[0-9]*$//' | sort -u |
      sed "s|^|$b/min/$h/|" | xargs -r rm -f
    # Nor what starts like this project's own token and runs on (mutated seeds: a token
    # glued to more letters, which the scanner rightly does not report, is still its shape).
    { grep -laE 'SFMC_[0-9A-Za-z]{59}' $b/min/$h/* $b/dec/* 2>/dev/null || true; } | sed 's|.*/||; s/\.[0-9]*$//' | sort -u |
      sed "s|^|$b/min/$h/|" | xargs -r rm -f
    rm -rf fuzz/corpus/$h && mv $b/min/$h fuzz/corpus/$h
    echo "$h: $(ls fuzz/corpus/$h | wc -l) inputs in fuzz/corpus/$h"
  done
fi
exit $status

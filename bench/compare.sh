#!/usr/bin/env bash
# End-to-end comparison with ripgrep on the same regex, both at 2 threads, warm cache,
# from a tmpfs; then peak memory on one large file. Prints MB/s and ratios.
#
# usage: bench/compare.sh [CORPUS_DIR]     (default /dev/shm/sfmc-corpus; kept for reruns)
# needs: hyperfine, ripgrep, GNU time (scripts/install-deps.sh --bench)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
gen=${SFMC_GEN:-$here/build/sfmc-gen}
corpus=${1:-/dev/shm/sfmc-corpus}
big=${BIG_DIR:-/dev/shm/sfmc-big}
export SFMC_CACHE_DIR=${SFMC_CACHE_DIR:-/dev/shm/sfmc-cache}
regex='SFMC_[0-9A-Za-z]{59}'

for tool in hyperfine rg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool missing (scripts/install-deps.sh --bench)" >&2; exit 2; }
done
[ -d "$corpus" ] || SFMC_GEN="$gen" "$here/bench/make-corpus.sh" "$corpus"
bytes=$(du -sb "$corpus" | cut -f1)
files=$(find "$corpus" -type f | wc -l)
echo "corpus: $corpus, $bytes bytes, $files files"

# Both must agree on what they find before their speed means anything.
ours=$("$scan" scan "$corpus" -j2 -q --format jsonl | grep -c '"type":"finding"' || true)
theirs=$(rg -uuu -j2 -c --no-filename "$regex" "$corpus" | awk '{s+=$1} END {print s+0}')
echo "tokens found: sfmc-scan $ours (validated), rg $theirs (regex matches, unvalidated)"

"$scan" rules list >/dev/null  # warm the compiled-rules cache
# Like for like: rg -uuu reads compressed files as bytes, so sfmc-scan does too
# (--no-archives). Opening archives is compared with rg -z, which decompresses.
json=$(mktemp)
hyperfine --warmup 2 --runs 10 -N -i --export-json "$json" \
  -n sfmc-scan "$scan scan $corpus -j2 -q --no-archives --format jsonl -o /dev/null" \
  -n rg "rg -uuu -j2 -c $regex $corpus" \
  -n sfmc-scan-archives "$scan scan $corpus -j2 -q --format jsonl -o /dev/null"
if [ "${WITH_RG_Z:-1}" = 1 ]; then
  hyperfine --runs 1 -N -i --export-json "$json.z" -n rg-z "rg -z -uuu -j2 -c $regex $corpus" >/dev/null
fi
python3 - "$json" "$bytes" "$json.z" <<'PY'
import json, os, sys
runs = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
if os.path.exists(sys.argv[3]):
    runs.update({r["command"]: r["median"] for r in json.load(open(sys.argv[3]))["results"]})
size = int(sys.argv[2])
for name, t in runs.items():
    print(f"{name:20s} median {t:.3f} s  {size / t / 1e6:8.0f} MB/s (of the corpus on disk)")
print(f"time ratio sfmc-scan/rg, both reading compressed files as bytes = {runs['sfmc-scan'] / runs['rg']:.2f}  (target <= 1.0)")
if "rg-z" in runs:
    print(f"time ratio with decompression, sfmc-scan/rg -z = {runs['sfmc-scan-archives'] / runs['rg-z']:.2f}")
PY
rm -f "$json" "$json.z"

# Peak memory on a single 2 GB file (target: under 100 MB).
if [ ! -f "$big/big.txt" ]; then
  mkdir -p "$big"
  "$gen" --seed 3 corpus "$big/gen" --bytes 2G --files 1 --tokens 50
  mv "$big/gen/d0/s0/f0.txt" "$big/big.txt" && rm -rf "$big/gen"
fi
/usr/bin/time -v "$scan" scan "$big/big.txt" -j2 -q --format jsonl -o /dev/null 2>"$big/time.log" || true
rss=$(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' "$big/time.log")
wall=$(awk '/Elapsed/ {print $NF}' "$big/time.log")
echo "single file $(stat -c %s "$big/big.txt") bytes: peak RSS ${rss} KB, wall ${wall} (target: < 100 MB)"

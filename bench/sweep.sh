#!/usr/bin/env bash
# A file-store sweep: a generated tree of 100,000+ files and 2+ GB with archives mixed
# in (tar.gz, zip, gzip of generated text). Reports files/s, MB/s and peak memory, and
# what the archives cost against decompressing them alone.
#
# usage: bench/sweep.sh [DIR]   (default /dev/shm/sfmc-sweep; kept for reruns)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
gen=${SFMC_GEN:-$here/build/sfmc-gen}
dir=${1:-/dev/shm/sfmc-sweep}
export SFMC_CACHE_DIR=${SFMC_CACHE_DIR:-/dev/shm/sfmc-cache}

if [ ! -d "$dir" ]; then
  "$gen" --seed 9 corpus "$dir/plain" --bytes 2100M --files 100000 --tokens 200
  mkdir -p "$dir/archives"
  # Archives of other generated trees: 200 tar.gz, 200 zip, 200 gzip'd files.
  "$gen" --seed 10 corpus "$dir/tmp" --bytes 300M --files 6000 --tokens 60
  i=0
  for sub in "$dir"/tmp/d*/s*; do
    i=$((i + 1))
    case $((i % 3)) in
      0) tar czf "$dir/archives/a$i.tar.gz" -C "$sub" . ;;
      1) (cd "$sub" && zip -qr "$dir/archives/a$i.zip" .) ;;
      2) for f in "$sub"/*; do gzip -c "$f" >"$dir/archives/a$i-$(basename "$f").gz"; break; done ;;
    esac
  done
  rm -rf "$dir/tmp"
fi
files=$(find "$dir" -type f | wc -l)
bytes=$(du -sb "$dir" | cut -f1)
echo "tree: $dir, $files files, $bytes bytes on disk ($(find "$dir/archives" -type f | wc -l) archives)"

for mode in "" "--no-archives"; do
  log=$(mktemp)
  /usr/bin/time -v "$scan" scan "$dir" -j2 -q --stats $mode --format jsonl -o /dev/null 2>"$log" || true
  python3 - "$log" "${mode:-with archives}" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
stats = json.loads(text[text.index("{"):text.rindex("}") + 1])
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
s = stats["seconds"]
print(f"{sys.argv[2]:14s} {stats['inputs_scanned']:7d} inputs  {stats['bytes_scanned'] / 1e6:8.0f} MB  {s:6.2f} s  "
      f"{stats['inputs_scanned'] / s:8.0f} inputs/s  {stats['bytes_scanned'] / 1e6 / s:6.0f} MB/s  "
      f"peak RSS {rss / 1024:.0f} MB  findings {stats['findings']}")
PY
  rm -f "$log"
done
# Decompression alone, one process per format, for comparison with the archive share.
start=$(date +%s.%N)
for f in "$dir"/archives/*.tar.gz; do tar xzf "$f" -O >/dev/null; done
for f in "$dir"/archives/*.zip; do unzip -p "$f" >/dev/null 2>&1 || true; done
for f in "$dir"/archives/*.gz; do case $f in *.tar.gz) ;; *) gzip -dc "$f" >/dev/null ;; esac; done
end=$(date +%s.%N)
echo "decompressing the archives alone (tar, unzip, gzip; one process each): $(echo "$end - $start" | bc) s"

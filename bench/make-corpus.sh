#!/usr/bin/env bash
# Builds the benchmark corpus in a tmpfs: real files from this machine (headers,
# documentation, data, shared libraries: text and binary mixed, as in a real file
# store) plus generated files with planted tokens, which never touch the disk.
#
# usage: bench/make-corpus.sh DIR [MIN_BYTES]     (default 1.2 GB)
# DIR should be on a tmpfs (/dev/shm): otherwise every figure measures the disk.
set -euo pipefail
dir=${1:?usage: make-corpus.sh DIR [MIN_BYTES]}
min_bytes=${2:-1200000000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gen=${SFMC_GEN:-$here/build/sfmc-gen}

rm -rf "$dir"
mkdir -p "$dir/real" "$dir/planted"
total=0
for src in /usr/include /usr/share /usr/lib/x86_64-linux-gnu /usr/lib/gcc /usr/libexec /usr/bin; do
  [ -d "$src" ] || continue
  [ "$total" -ge "$min_bytes" ] && break
  # No symlinks are followed (-P), so both scanners see the same regular files.
  cp -rP "$src" "$dir/real/$(echo "$src" | tr / _)" 2>/dev/null || true
  total=$(du -sb "$dir" | cut -f1)
done
# 100 tokens spread over 2,000 generated source-like files (40 MB).
"$gen" --seed 20261122 corpus "$dir/planted" --bytes 40M --files 2000 --tokens 100
echo "corpus: $(du -sb "$dir" | cut -f1) bytes in $(find "$dir" -type f | wc -l) files at $dir" >&2

#!/usr/bin/env bash
# One large compressed dump (issue 28): a ~94 MB SQL dump whose one secret is on its
# last line, compressed with gzip, xz, zstd and bzip2, scanned whole against
# `zcat FILE | rg` (and xzcat, zstdcat, bzcat) in the same farm-bench call, paired;
# then a PDF whose page 1 inflates to 2 GB with the secret on page 2. Prints time and
# peak RSS; both tools must find the secret before their speed means anything.
#
# usage: bench/compressed.sh [WORK_DIR]     (default /dev/shm/sfmc-compressed; kept for reruns)
# needs: farm-bench, ripgrep, gzip, xz, zstd, bzip2, python3
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
gen=${SFMC_GEN:-$here/build/sfmc-gen}
work=${1:-/dev/shm/sfmc-compressed}
runs=${RUNS:-10}
export SFMC_CACHE_DIR=${SFMC_CACHE_DIR:-/dev/shm/sfmc-cache}
regex='SFMC_[0-9A-Za-z]{59}'
for tool in farm-bench rg gzip xz zstd bzip2 python3; do
  command -v "$tool" >/dev/null || { echo "compressed.sh: $tool missing" >&2; exit 2; }
done
mkdir -p "$work" && cd "$work"
if [ ! -f dump.sql.gz ]; then
  token=$("$gen" --rules "$here/rules" token)
  { seq 1 1200000 | awk '{printf "INSERT INTO contacts VALUES (%d, \x27user%d@example.com\x27, \x27row %d\x27);\n", $1, $1*7919%1000003, $1}'
    printf "INSERT INTO config VALUES ('client_secret', '%s');\n" "$token"; } >dump.sql
  gzip -6 -c dump.sql >dump.sql.gz; xz -6 -T1 -c dump.sql >dump.sql.xz
  zstd -q -3 -c dump.sql >dump.sql.zst; bzip2 -9 -c dump.sql >dump.sql.bz2
  python3 "$here/tests/cli/hostile_pdf.py" bomb "$token" bomb.pdf 2000000000
  rm dump.sql
fi
ls -l dump.sql.* bomb.pdf
"$scan" rules list >/dev/null  # warm the compiled-rules cache
for pair in "gz zcat" "xz xzcat" "zst zstdcat" "bz2 bzcat"; do
  set -- $pair
  f=dump.sql.$1
  ours=$("$scan" scan "$f" -q --format jsonl | grep -c '"type":"finding"' || true)
  theirs=$($2 "$f" | rg -c "$regex" || true)
  echo "== $f: sfmc-scan finds $ours, $2 | rg finds $theirs"
  farm-bench -n "$runs" --warmup 1 --timeout 600 --vs "sh -c '$2 $work/$f | rg -c \"$regex\"'" -- \
    sh -c "exec $scan scan $work/$f -q --format jsonl -o /dev/null"
done
echo "== bomb.pdf (page 1 inflates to 2 GB, the secret on page 2)"
"$scan" scan bomb.pdf -q --format jsonl | grep -c '"type":"finding"' || true
farm-bench -n 3 --warmup 0 --timeout 600 -- sh -c "exec $scan scan $work/bomb.pdf -q --format jsonl -o /dev/null"

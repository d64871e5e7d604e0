#!/usr/bin/env bash
# A sweep of a slow store mounted with FUSE (issue 30): SRC served by latencyfs with
# object-store latency (each open and folder listing waits OPEN_MS, each new MiB read
# READ_MS, each stat of a path STAT_MS), swept by `sfmc-scan scan MNT` as a user runs it
# (no flags) against `rg -j64 -uuu` (tuned by hand) in the same farm-bench call, paired.
# Both must report the same number of files as on the source tree first.
#
# usage: bench/mount.sh SRC [OPEN_MS [STAT_MS]]   e.g. bench/mount.sh /tmp/corpora/ram/tree/src/git 20
# needs: farm-bench, ripgrep, fuse3, python3-fusepy, ../shared/tools/latencyfs.py; RUNS (default 5)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scan=${SFMC_SCAN:-$here/build/sfmc-scan}
src=$(realpath "$1"); open_ms=${2:-20}; stat_ms=${3:-0}; runs=${RUNS:-5}
latencyfs=${LATENCYFS:-$here/../shared/tools/latencyfs.py}
regex='SFMC_[0-9A-Za-z]{59}'
for tool in farm-bench rg fusermount3; do command -v "$tool" >/dev/null || { echo "mount.sh: $tool missing" >&2; exit 2; }; done
[ -f "$latencyfs" ] || { echo "mount.sh: $latencyfs missing" >&2; exit 2; }
export SFMC_CACHE_DIR=${SFMC_CACHE_DIR:-/dev/shm/sfmc-cache}
mnt=$(mktemp -d /tmp/sfmc-mount.XXXXXX)
/usr/bin/python3 "$latencyfs" "$src" "$mnt" --open-ms "$open_ms" --read-ms 5 --stat-ms "$stat_ms" >"$mnt.log" 2>&1 &
trap 'fusermount3 -u "$mnt" 2>/dev/null; rmdir "$mnt" 2>/dev/null; rm -f "$mnt.log"' EXIT
for _ in $(seq 50); do mountpoint -q "$mnt" && break; sleep 0.1; done
"$scan" rules list >/dev/null  # warm the compiled-rules cache
echo "== $src through latencyfs --open-ms $open_ms --read-ms 5 --stat-ms $stat_ms"
echo "files: $(find "$src" -type f | wc -l) on disk; rg -j64 searched $(rg -j64 -uuu --files "$mnt" | wc -l) on the mount;" \
     "sfmc-scan: $("$scan" scan "$mnt" -q --stats --format jsonl -o /dev/null 2>&1 | sed -n 's/.*"inputs_scanned": \([0-9]*\).*/\1/p') inputs" \
     "($("$scan" scan "$src" -q --stats --format jsonl -o /dev/null 2>&1 | sed -n 's/.*"inputs_scanned": \([0-9]*\).*/\1/p') on disk)"
# A pause before each run: the kernel keeps FUSE entries and attributes for 1 s.
farm-bench -n "$runs" --warmup 0 --timeout 3600 --vs "sh -c 'sleep 1.2; exec rg -j64 -uuu -c \"$regex\" $mnt >/dev/null'" -- \
  sh -c "sleep 1.2; exec $scan scan $mnt -q --no-progress --format jsonl -o /dev/null"

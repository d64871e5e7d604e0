#!/usr/bin/env bash
# Golden output: the demo tree scanned in text, JSON and SARIF must match the files in
# tests/golden/ after timings and the absolute work folder are masked.
# UPDATE_GOLDEN=1 rewrites them (then read the diff before committing).
source "$(dirname "$0")/lib.sh"
fresh_work golden
demo_tree demo
golden="$SFMC_SOURCE_DIR/tests/golden"

normalise() {
  sed -E -e 's/in [0-9.]+ s \([0-9]+ MB\/s\)/in T s (R MB\/s)/' \
         -e 's/"(seconds|mb_per_second)": ?[0-9.e+-]+/"\1": 0/g' \
         -e 's/"(mtime|first_seen|expires_no_later_than|firstSeen|expiresNoLaterThan)": ?"[^"]*"/"\1": "DATE"/g' \
         -e "s#file://$work/#file:///WORK/#g"
}

for fmt in text json sarif; do
  "$SFMC_SCAN" scan demo --format "$fmt" --color never --threads 2 >"$fmt.raw" 2>"$fmt.err"
  status=$?
  [ "$status" -eq 1 ] && ok || fail "$fmt: exit $status, want 1 (findings)"
  normalise <"$fmt.raw" >"$fmt.out"
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    mkdir -p "$golden" && cp "$fmt.out" "$golden/demo.$fmt"
  fi
  if diff -u "$golden/demo.$fmt" "$fmt.out" >"$fmt.diff"; then ok; else fail "$fmt output differs from tests/golden/demo.$fmt"; head -40 "$fmt.diff"; fi
done
# --io-threads: files opened and their start read by I/O threads, the descriptor handed
# to the scan (sources/prefetch_source.hpp): the same report, byte for byte.
for io in 1 16; do
  "$SFMC_SCAN" scan demo --format json --color never --threads 2 --io-threads "$io" 2>/dev/null | normalise >"io$io.out"
  diff -u "$golden/demo.json" "io$io.out" >"io$io.diff" && ok || { fail "--io-threads $io changes the report"; head -20 "io$io.diff"; }
done
finish

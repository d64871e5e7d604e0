#!/usr/bin/env bash
# Runs one fuzz harness briefly over the in-tree corpus and freshly made seeds, so a
# harness cannot rot (fuzz/README.md). Built with -DSFMC_FUZZ=ON it is libFuzzer;
# otherwise the standalone driver replays the inputs and mutates them.
#   fuzz_smoke.sh HARNESS BINARY [SECONDS]
source "$(dirname "$0")/lib.sh"
h=$1 bin=$2 seconds=${3:-10}
fresh_work "fuzz-$h"
"$SFMC_SOURCE_DIR/fuzz/make_seeds.sh" "$(dirname "$SFMC_SCAN")" seeds >/dev/null 2>&1 || { echo "could not make seeds"; exit 2; }
mkdir -p corpus  # libFuzzer writes what it finds into the first folder: never the tree's
dirs=(corpus)
[ -d "$SFMC_SOURCE_DIR/fuzz/corpus/$h" ] && dirs+=("$SFMC_SOURCE_DIR/fuzz/corpus/$h")
dirs+=("seeds/$h")
expect_status 0 "$h runs $seconds s without a crash" -- "$bin" -max_total_time="$seconds" -timeout=10 -malloc_limit_mb=256 "${dirs[@]}"
tail -3 "$work/last.out" "$work/last.err" | grep -v '^$' | tail -4
finish

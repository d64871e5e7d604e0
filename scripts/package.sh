#!/usr/bin/env bash
# Builds sfmc-scan and its Debian package: BUILD_DIR/packages/sfmc-scan_<version>_<arch>.deb.
# The Dockerfile's build stage runs this, and so does tests/install/deb_package.sh on
# the test build, so the package the image installs is made the way the tests check.
#   scripts/package.sh [BUILD_DIR]      (default: build)
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${1:-$source_dir/build}"
# An existing build folder keeps its configuration (a test build has tests on);
# a new one gets only what the package holds.
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DSFMC_BUILD_TESTS=OFF -DSFMC_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build_dir" -j"$(nproc)" --target sfmc-scan sfmc-scan-docs
rm -f "$build_dir"/packages/sfmc-scan_*.deb
(cd "$build_dir" && cpack -G DEB >/dev/null)
ls "$build_dir"/packages/sfmc-scan_*.deb

#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build, and scan the bundled demo tree.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target sfmc-scan sfmc-gen -j"$(nproc)"
# The demo's secrets are generated now: the repository holds only templates.
rm -rf build/demo
build/sfmc-gen expand demo build/demo
echo
echo "\$ build/sfmc-scan scan build/demo --format text"
status=0
build/sfmc-scan scan build/demo --format text || status=$?
# Exit status 1 means "findings", which is what the demo is for.
[ "$status" -le 1 ] || exit "$status"
echo
echo "Exit status $status (0 clean, 1 findings, 2 error). Try: build/sfmc-scan scan build/demo --format sarif -o demo.sarif"

#!/usr/bin/env bash
# Quick start, step 2: build everything and run the whole test suite (unit, reference
# vectors, CLI golden output, SARIF schema and GitHub checks).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSFMC_BUILD_TESTS=ON -DSFMC_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"

#!/usr/bin/env bash
# Submits a sweep in N shards and the merge job that waits for them.
#
#   deploy/slurm/submit.sh N REPORTS_DIR sfmc-scan-arguments...
#   deploy/slurm/submit.sh 16 /shared/reports scan /mnt/store
#   deploy/slurm/submit.sh 8 /shared/reports git --repos-from /shared/repos.txt --clone-dir /shared/mirrors
#
# Prints the merge job's id. Add --wait to block until the merge has ended.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=$1 reports=$2; shift 2
wait=()
if [ "${1:-}" = "--wait" ]; then wait=(--wait); shift; fi
export SWEEP_REPORTS=$reports
array=$(sbatch --parsable --array=0-$((n - 1)) --export=ALL "$here/sweep.sbatch" "$@")
sbatch --parsable "${wait[@]}" --dependency=afterok:"${array%%;*}" --export=ALL "$here/merge.sbatch"

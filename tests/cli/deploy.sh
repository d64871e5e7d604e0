#!/usr/bin/env bash
# deploy/: the Kubernetes manifests parse as YAML and say what a sharded sweep needs (an
# Indexed Job whose index is the shard, reports on a shared volume, a merge Job), and
# the Slurm scripts are valid shell that hand the array index to --shard.
source "$(dirname "$0")/lib.sh"
fresh_work deploy
d="$SFMC_SOURCE_DIR/deploy"
for f in "$d"/slurm/*.sbatch "$d"/slurm/submit.sh; do bash -n "$f" && ok || fail "$f: not valid shell"; done
grep -q -- '--shard "$K/$N"' "$d/slurm/sweep.sbatch" && grep -q 'SLURM_ARRAY_TASK_ID' "$d/slurm/sweep.sbatch" && ok || fail "sweep.sbatch: the array index is not the shard"
grep -q -- '--dependency=afterok' "$d/slurm/submit.sh" && ok || fail "submit.sh: the merge does not wait for the array"
command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null || { echo "skipped: python3 with yaml is not installed"; finish; exit $?; }
python3 - "$d/kubernetes" <<'PY' >check.out 2>&1 && ok || { fail "kubernetes manifests: $(cat check.out)"; }
import glob, sys, yaml
docs = {}
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    for doc in yaml.safe_load_all(open(path)):
        assert isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc, path + ": not a Kubernetes object"
        docs[(doc["kind"], doc["metadata"]["name"])] = doc
sweep = docs[("Job", "sfmc-sweep")]["spec"]
assert sweep["completionMode"] == "Indexed", "the sweep is not an Indexed Job"
assert sweep["completions"] == sweep["parallelism"], "completions and parallelism differ"
pod = sweep["template"]["spec"]
c = pod["containers"][0]
shards = [e["value"] for e in c["env"] if e["name"] == "SHARDS"][0]
assert int(shards) == sweep["completions"], "SHARDS is not the number of completions"
script = " ".join(c["args"])
assert '--shard "$JOB_COMPLETION_INDEX/$SHARDS"' in script, "the pod's index is not its shard"
claims = {v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
merge = docs[("Job", "sfmc-merge")]["spec"]["template"]["spec"]
assert "sfmc-scan merge /reports/shard-*.jsonl" in " ".join(merge["containers"][0]["args"]), "the merge Job does not merge the shards"
assert {v["persistentVolumeClaim"]["claimName"] for v in merge["volumes"]} <= claims, "merge reads another volume"
for claim in claims:
    assert ("PersistentVolumeClaim", claim) in docs, "no claim " + claim
assert "ReadWriteMany" in docs[("PersistentVolumeClaim", "sfmc-reports")]["spec"]["accessModes"]
PY
finish

#!/usr/bin/env bash
# A real single-node Slurm cluster (Debian's slurm-wlm and munge, started here as root
# and stopped by pid at the end): a 4-shard job array over a generated tree and over a
# set of repositories, the merge job after it (afterok), and the merged reports
# compared with one machine's in JSON Lines, JSON and SARIF.
source "$(dirname "$0")/lib.sh"
fresh_work slurm
[ "$(id -u)" -eq 0 ] || { echo "skipped: starting slurmctld, slurmd and munged needs root"; exit 77; }
for t in slurmctld slurmd sbatch sinfo munged munge unmunge git; do
  command -v $t >/dev/null || { echo "skipped: $t is not installed (scripts/install-deps.sh installs slurm-wlm and munge)"; exit 77; }
done
id munge >/dev/null 2>&1 || { echo "skipped: no munge user"; exit 77; }
D="$work/cluster"; mkdir -p "$D/state" "$D/spool" "$D/log" "$D/munge"
pids=()
cleanup() {
  for f in "$D/slurmd.pid" "$D/slurmctld.pid" "$D/munge/munged.pid"; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  sleep 0.5
  for f in "$D/slurmd.pid" "$D/slurmctld.pid" "$D/munge/munged.pid"; do [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
  return 0
}
trap cleanup EXIT

# munge, on a socket of its own so it never meets another munged on the machine.
key=/etc/munge/munge.key
if [ ! -s "$key" ]; then mkdir -p /etc/munge && dd if=/dev/urandom of="$key" bs=1 count=1024 status=none; fi
chown munge:munge "$key" && chmod 400 "$key"
chown munge:munge "$D/munge" && chmod 700 "$D/munge"
sock="$D/munge/munge.socket"
su -s /bin/sh munge -c "munged --force --socket=$sock --pid-file=$D/munge/munged.pid --log-file=$D/munge/munged.log --seed-file=$D/munge/seed" ||
  { echo "skipped: munged does not start here: $(tail -2 "$D/munge/munged.log" 2>/dev/null)"; exit 77; }
munge -S "$sock" -n | unmunge -S "$sock" | grep -q Success && ok || fail "munge credentials do not round-trip"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,()=>{console.log(s.address().port);s.close()})' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }
H=$(hostname -s)
cat >"$D/slurm.conf" <<CONF
ClusterName=sweep
SlurmctldHost=$H
SlurmUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/ctld.log
SlurmdLogFile=$D/log/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$H CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$D/slurm.conf"
slurmctld -f "$SLURM_CONF" && slurmd -f "$SLURM_CONF" || { fail "slurm daemons do not start: $(tail -3 "$D"/log/*.log)"; finish; exit 1; }
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 0.5; done
sinfo -h -o %t | grep -q idle && ok || { fail "the node never became idle: $(sinfo 2>&1; tail -5 "$D"/log/*.log)"; finish; exit 1; }

# What to sweep: a tree with one heavy folder, and five repositories.
mkdir -p tree/heavy tree/light
for i in $(seq 1 24); do head -c $((60000 + 3000 * i)) /dev/urandom | base64 >tree/heavy/f$i.txt; done
for i in 3 11 19; do printf 'secret=%s\n' "$(new_token)" >>tree/heavy/f$i.txt; done
for i in 1 2; do printf 'k=%s\n' "$(new_token)" >tree/light/c$i.env; done
for r in r1 r2 r3 r4 r5; do
  git init -q -b main $r && (cd $r && echo "s=$(new_token)" >conf.env && git add . && commit_at 2026-01-02T10:00:00Z c)
  echo "$work/$r" >>repos.txt
done
cat >job.sh <<JOB
#!/bin/bash
cd "$work"
"$SFMC_SCAN" scan tree --shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT -j1 -o tree-shard-\$SLURM_ARRAY_TASK_ID.jsonl
[ \$? -le 1 ] || exit 2
"$SFMC_SCAN" git --repos-from repos.txt --shard \$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT -j1 -o repos-shard-\$SLURM_ARRAY_TASK_ID.jsonl
[ \$? -le 1 ] || exit 2
exit 0
JOB
cat >merge.sh <<JOB
#!/bin/bash
cd "$work"
for f in jsonl json sarif; do
  "$SFMC_SCAN" merge tree-shard-*.jsonl --format \$f -o tree-merged.\$f; [ \$? -le 1 ] || exit 2
  "$SFMC_SCAN" merge repos-shard-*.jsonl --format \$f -o repos-merged.\$f; [ \$? -le 1 ] || exit 2
done
exit 0
JOB
array=$(sbatch --parsable --array=0-3 --chdir="$work" --output="$work/task-%a.log" --export=ALL job.sh)
[ -n "$array" ] && ok || { fail "sbatch refused the array"; finish; exit 1; }
timeout 300 sbatch --parsable --wait --dependency=afterok:"$array" --chdir="$work" --output="$work/merge.log" --export=ALL merge.sh >/dev/null
[ $? -eq 0 ] && ok || fail "the merge job did not succeed: $(cat merge.log task-*.log 2>/dev/null | tail -5)"
for k in 0 1 2 3; do [ -s tree-shard-$k.jsonl ] && [ -s repos-shard-$k.jsonl ] && ok || fail "array task $k wrote no report"; done
norm() { sed -E 's/"seconds": ?[0-9.e+-]+/"seconds":0/g; s/"mb_per_second": ?[0-9.e+-]+/"mb_per_second":0/g' "$1"; }
for f in jsonl json sarif; do
  "$SFMC_SCAN" scan tree --format $f -o tree-one.$f 2>/dev/null
  "$SFMC_SCAN" git --repos-from repos.txt --format $f -o repos-one.$f 2>/dev/null
  cmp -s <(norm tree-one.$f) <(norm tree-merged.$f) && ok || fail "tree: merged $f differs from one machine"
  cmp -s <(norm repos-one.$f) <(norm repos-merged.$f) && ok || fail "repositories: merged $f differs from one machine"
done
expect_count 5 tree-one.jsonl "the tree's five secrets"
expect_count 5 repos-merged.jsonl "one secret per repository"
finish

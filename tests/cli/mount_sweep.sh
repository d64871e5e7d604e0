#!/usr/bin/env bash
# A sweep of a slow store mounted with FUSE (tests/cli/slowfs.py: listings, opens and
# stats that wait, listings that give no entry types) finds what the same tree finds on
# disk, in the same order, whatever the requests in flight: folders listed ahead of the
# walk and types learnt in parallel (sources/folder_lister.hpp) change no result.
source "$(dirname "$0")/lib.sh"
fresh_work mount_sweep
[ -e /dev/fuse ] || { echo "skipped: no /dev/fuse here"; exit 77; }
command -v fusermount3 >/dev/null || { echo "skipped: fusermount3 missing (Debian fuse3)"; exit 77; }
/usr/bin/python3 -c 'import fusepy' 2>/dev/null || { echo "skipped: python3-fusepy missing"; exit 77; }

# The tree: secrets at several depths, in a file past its first MiB, below an ignored
# folder, beside a symlink; and 40 folders of small files.
mkdir -p tree/deep/x/y/z tree/ignored tree/wide
printf 'SFMC_CLIENT_SECRET=%s\n' "$(new_token)" >tree/a.env
printf 'clientSecret: %s\n' "$(new_token)" >tree/deep/x/y/z/config.yml
printf 'secret=%s\n' "$(new_token)" >tree/ignored/leak.txt
printf 'ignored/\n' >tree/.gitignore
{ head -c 3000000 /dev/zero | tr '\0' 'a'; printf '\nsecret=%s\n' "$(new_token)"; } >tree/big.txt
# Secrets across the edges of the ranges a large file is read in (1 MiB each, the first
# with the open), and a compressed file larger than one range.
python3 - "$(new_token)" "$(new_token)" >tree/straddle.txt <<'PY'
import sys
out = bytearray(b"x" * (5 << 20))
for edge, token in ((1 << 20, sys.argv[1]), (3 << 20, sys.argv[2])):
    line = b"\nsecret=" + token.encode() + b"\n"
    out[edge - 30:edge - 30 + len(line)] = line
sys.stdout.buffer.write(bytes(out))
PY
{ head -c 1500000 /dev/urandom | base64; printf 'secret=%s\n' "$(new_token)"; } | gzip -1 >tree/packed.log.gz
ln -s a.env tree/link.env
for i in $(seq -w 1 40); do
  mkdir -p "tree/wide/f$i/sub"
  for j in 1 2 3; do printf 'plain %s %s\n' "$i" "$j" >"tree/wide/f$i/n$j.txt"; done
  [ $((10#$i % 9)) -eq 0 ] && printf 'token=%s\n' "$(new_token)" >"tree/wide/f$i/sub/s.properties"
done

mkdir mnt
/usr/bin/python3 "$SFMC_SOURCE_DIR/tests/cli/slowfs.py" tree mnt --list-ms 5 --open-ms 5 --stat-ms 2 --read-ms 2 \
  >slowfs.out 2>slowfs.err &
fs_pid=$!
hang_pid=
unmount_all() {
  # The hanging store's read never returns, and its daemon would wait for it at exit.
  [ -n "$hang_pid" ] && kill -9 "$hang_pid" 2>/dev/null
  for m in mnt hang; do fusermount3 -u -z "$work/$m" 2>/dev/null; done
  kill $fs_pid 2>/dev/null
  wait 2>/dev/null
}
trap unmount_all EXIT
for _ in $(seq 100); do grep -q ready slowfs.out 2>/dev/null && [ -e mnt/a.env ] && break; sleep 0.1; done
[ -e mnt/a.env ] || { echo "skipped: the FUSE mount did not come up: $(tail -2 slowfs.err)"; exit 77; }

# What a report says, with the root's name masked: findings in order, the summary's counts.
digest() {
  python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "finding":
        print("finding", r["path"].split("/", 1)[1], r["line"], r["column"], r["secret_sha256"])
    elif r.get("type") == "skipped":
        print("skipped", r["path"].split("/", 1)[1], r["reason"])
    elif r.get("type") == "summary":
        print("summary", r["inputs_scanned"], r["bytes_scanned"], r["findings"], r["skipped"])
PY
}

for opts in "" "--respect-gitignore" "--exclude wide --max-depth 3"; do
  # shellcheck disable=SC2086
  "$SFMC_SCAN" scan tree $opts --format jsonl --no-progress >disk.jsonl 2>/dev/null
  digest disk.jsonl >disk.txt
  [ "$(grep -c '^finding' disk.txt)" -ge 2 ] && ok || fail "[$opts] the tree on disk: $(grep -c '^finding' disk.txt) findings"
  for io in 0 1 16 64; do
    # shellcheck disable=SC2086
    "$SFMC_SCAN" scan mnt $opts --io-threads "$io" --format jsonl --no-progress >"mnt$io.jsonl" 2>"mnt$io.err"
    digest "mnt$io.jsonl" >"mnt$io.txt"
    if diff -u disk.txt "mnt$io.txt" >"mnt$io.diff"; then ok; else
      fail "[$opts] the mount with --io-threads $io reports otherwise than the tree on disk"; head -20 "mnt$io.diff"
    fi
  done
done
"$SFMC_SCAN" scan tree --format jsonl --no-progress >all_disk.jsonl 2>/dev/null
# By default, many requests in flight on the mount and none on the disk: what was seen and
# chosen is said with -v and in --stats.
"$SFMC_SCAN" scan mnt -v --stats --format jsonl --no-progress >default.jsonl 2>default.err
digest default.jsonl >default.txt
digest <("$SFMC_SCAN" scan tree --format jsonl --no-progress 2>/dev/null) >disk.txt
diff -u disk.txt default.txt >default.diff && ok || { fail "the default sweep of the mount reports otherwise"; head default.diff; }
expect_grep "reading from a network or FUSE store: $work/mnt \(fuse[^)]*\): 64 " default.err "-v says what was detected"
expect_grep '"requests_in_flight": 64' default.err "--stats: requests in flight on the mount"
expect_grep '"chosen": "for the stores read"' default.err "--stats: chosen, not given"
"$SFMC_SCAN" scan tree --stats --format jsonl --no-progress >/dev/null 2>disk.err
expect_grep '"requests_in_flight": 0' disk.err "--stats: none in flight on a local disk"
expect_grep '"network_stores": \[\]' disk.err "--stats: no store on a local disk"
# A mount below a root is seen too, unless --one-file-system keeps the walk out of it.
"$SFMC_SCAN" scan . --stats --format jsonl --no-progress >/dev/null 2>parent.err
expect_grep '"requests_in_flight": 64' parent.err "a mount below the root"
"$SFMC_SCAN" scan . --one-file-system --stats --format jsonl --no-progress >/dev/null 2>parent1.err
expect_grep '"requests_in_flight": 0' parent1.err "--one-file-system: the mount below is not walked"
"$SFMC_SCAN" scan mnt --io-threads 3 --stats --format jsonl --no-progress >/dev/null 2>given.err
expect_grep '"chosen": "--io-threads"' given.err "--io-threads given"
expect_grep '"requests_in_flight": 3' given.err "--io-threads given: as many as asked"

# `locate` finds the places of a secret on the mount, with its default requests in flight.
t_loc=$(sed -n 's/^SFMC_CLIENT_SECRET=//p' tree/a.env)
printf '%s\n' "$t_loc" | "$SFMC_SCAN" locate mnt --format json >locate.json 2>locate.err
expect_grep 'mnt/a.env' locate.json "locate on the mount: the file holding the secret"

# A store that stops answering, and a file deleted between the listing and the open: the
# sweep reports both and goes on to the files after them.
mkdir -p store hang
mkdir -p store/stalled-dir
for f in a.env m-gone.txt s-stalled.txt stalled-dir/x.env z.env; do printf 'secret=%s\n' "$(new_token)" >"store/$f"; done
# A file whose first MiB comes, and whose rest never does: its start is scanned.
{ printf 'secret=%s\n' "$(new_token)"; head -c 3000000 /dev/zero; } >store/l-late.bin
/usr/bin/python3 "$SFMC_SOURCE_DIR/tests/cli/slowfs.py" store hang --open-ms 5 --stall stalled --stall-late late \
  --vanish gone \
  >hang.out 2>hang.err &
hang_pid=$!
for _ in $(seq 100); do [ -e hang/a.env ] && break; sleep 0.1; done
"$SFMC_SCAN" scan hang --io-timeout 2 --format jsonl --no-progress >hang.jsonl 2>hang.scan.err &
scan_pid=$!
# The sweep reports everything and ends; the process itself cannot exit while one of its
# threads waits on a request the kernel has sent to a store that never answers, so the
# store is then taken down (as an admin would abort the mount), and the status collected.
for _ in $(seq 600); do grep -q '"type":"summary"' hang.jsonl && break; sleep 0.1; done
grep -q '"type":"summary"' hang.jsonl && ok || fail "a store that hangs: the sweep did not finish its report within 60 s"
kill -9 "$hang_pid" 2>/dev/null
wait "$scan_pid"
status=$?
[ "$status" -eq 2 ] && ok || fail "a store that hangs: exit $status, want 2"
expect_count 3 hang.jsonl "the files before and after the stalled and the vanished ones are read, and the cut one's start"
expect_grep '"path":"hang/s-stalled.txt","reason":"io-timeout"' hang.jsonl "the stalled file is reported"
expect_grep 'within 2 s \(--io-timeout\)' hang.jsonl "... saying why"
expect_grep '"path":"hang/stalled-dir","reason":"io-timeout"' hang.jsonl "the folder whose listing stalls is reported"
expect_grep 'within 2 s listing this folder' hang.jsonl "... saying why"
expect_grep '"path":"hang/m-gone.txt","reason":"unreadable"' hang.jsonl "the vanished file is reported"
expect_grep 'No such file or directory' hang.jsonl "... with its error"
expect_grep '"detail":"read failed after [0-9]+ bytes: no answer from the store within 2 s[^"]*","path":"hang/l-late.bin","reason":"io-timeout"' \
  hang.jsonl "the file cut mid-read is reported, saying where"
expect_grep '4 inputs were not read or decoded fully: a read failed \(unreadable\), .*io-timeout' hang.scan.err "exit 2 is explained"

# A sweep of the mount killed part way (SIGKILL at its 4th checkpoint) and resumed, with
# its default requests in flight: every secret once across the two runs.
export SFMC_CHECKPOINT_MS=0
SFMC_TEST_KILL_AT_CHECKPOINT=4 "$SFMC_SCAN" scan mnt --resume resume.state --format jsonl -o resumed.jsonl -j1 -q
[ $? -eq 137 ] && ok || fail "the first run on the mount was not killed"
first=$(count_findings resumed.jsonl)
[ "$first" -lt 11 ] && ok || fail "the killed run already reported all $first"
expect_status 1 "the sweep of the mount resumed" -- "$SFMC_SCAN" scan mnt --resume resume.state --format jsonl -o resumed.jsonl -q
grep -q '"completed":true' resume.state && ok || fail "the resumed sweep is not complete"
digest resumed.jsonl | grep '^finding' | sort >resumed.txt
digest all_disk.jsonl | grep '^finding' | sort >all_disk.txt
diff -u all_disk.txt resumed.txt >resumed.diff && ok || { fail "killed and resumed: not every secret once"; head resumed.diff; }
unset SFMC_CHECKPOINT_MS

# Without options: every secret, the ignored one and the one past the first MiB too.
"$SFMC_SCAN" scan mnt --io-threads 16 --format jsonl --no-progress >all.jsonl 2>/dev/null
expect_count 11 all.jsonl "every secret on the mount"
finish

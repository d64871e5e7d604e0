#!/usr/bin/env bash
# Sweeping a fleet: several local repositories and remote URLs in one run, served here
# by a real `git daemon` and `git http-backend` on 127.0.0.1 (one URL fails to clone);
# --repos-from, --clone-dir, credentials never taken from a URL, and --state re-sweeps.
source "$(dirname "$0")/lib.sh"
fresh_work fleet
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 77; }
command -v node >/dev/null || { echo "skipped: node is not installed"; exit 77; }
[ -x "$(git --exec-path)/git-daemon" ] && [ -x "$(git --exec-path)/git-http-backend" ] || { echo "skipped: git daemon or git http-backend is not installed"; exit 77; }
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }

make_repo() {  # make_repo DIR TOKEN: a repository whose history holds TOKEN in conf.env
  git init -q -b main "$1" && (cd "$1" && echo "secret=$2" >conf.env && echo readme >README &&
    git add . && commit_at 2026-01-02T10:00:00Z "add conf")
}
t_a=$(new_token); t_b=$(new_token); t_git=$(new_token); t_http=$(new_token); t_new=$(new_token)
make_repo local-a "$t_a"
make_repo local-b "$t_b"
mkdir served not-a-repo
make_repo src-git "$t_git" && git clone -q --bare src-git served/daemon.git
make_repo src-http "$t_http" && git clone -q --bare src-http served/http.git

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
git daemon --reuseaddr --base-path="$work/served" --export-all --listen=127.0.0.1 --port="$port" "$work/served" 2>"$work/daemon.log" &
pids+=($!)
node "$SFMC_SOURCE_DIR/tests/cli/git_http_server.js" "$work/served" "$work/http.port" 2>"$work/http.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/http.port" ] && git ls-remote "git://127.0.0.1:$port/daemon.git" >/dev/null 2>&1 && break; sleep 0.1; done
hport=$(cat "$work/http.port")
git ls-remote "http://127.0.0.1:$hport/http.git" >/dev/null 2>&1 && ok || fail "the local smart-HTTP server does not serve"

fleet=(local-a "git://127.0.0.1:$port/daemon.git" not-a-repo "http://127.0.0.1:$hport/http.git"
       "git://127.0.0.1:$port/missing.git" local-b)
expect_status 1 "a fleet of local and remote repositories" -- "$SFMC_SCAN" git "${fleet[@]}" --format jsonl
cp "$work/last.out" fleet.jsonl; cp "$work/last.err" fleet.err
expect_count 4 fleet.jsonl "one finding per repository that could be read"
for t in t_a t_b t_git t_http; do grep "$(hash "${!t}")" fleet.jsonl | grep -q '"repository":' && ok || fail "fleet: $t missing or without its repository"; done
grep "$(hash "$t_git")" fleet.jsonl | grep -q "\"path\":\"git://127.0.0.1:$port/daemon.git!conf.env\"" && ok || fail "fleet: a remote finding names URL!path"
grep "$(hash "$t_a")" fleet.jsonl | grep -q '"repository":"local-a"' && ok || fail "fleet: a local finding names its repository"
expect_grep '"path":"not-a-repo","reason":"repository-unavailable"' fleet.jsonl "a folder that is no repository is a warning"
expect_grep '"path":"git://127.0.0.1:'"$port"'/missing.git".*"reason":"repository-unavailable"' fleet.jsonl "a URL that fails to clone is a warning"
expect_grep '"repository_unavailable"|"repository-unavailable":2' fleet.jsonl "the summary counts both"
# Output order is the command line's, whatever ran side by side.
order=$(grep -o '"repository":"[^"]*"' fleet.jsonl | uniq | tr '\n' ' ')
[ "$order" = "\"repository\":\"local-a\" \"repository\":\"git://127.0.0.1:$port/daemon.git\" \"repository\":\"not-a-repo\" \"repository\":\"http://127.0.0.1:$hport/http.git\" \"repository\":\"git://127.0.0.1:$port/missing.git\" \"repository\":\"local-b\" " ] && ok || fail "fleet order: $order"
# The same with one thread: byte for byte the same report (minus wall-clock).
norm() { sed -E 's/"seconds":[0-9.e+-]+/"seconds":0/g; s/"mb_per_second":[0-9.e+-]+/"mb_per_second":0/g' "$1"; }
expect_status 1 "the fleet one repository after another" -- "$SFMC_SCAN" git "${fleet[@]}" --format jsonl -j1
cmp -s <(norm fleet.jsonl) <(norm "$work/last.out") && ok || fail "side by side and one after another differ"

# --repos-from, with comments; SARIF names remote artifacts by URL.
printf '# the fleet\nlocal-a   # first\n\nhttp://127.0.0.1:%s/http.git\n' "$hport" >repos.txt
expect_status 1 "--repos-from" -- "$SFMC_SCAN" git --repos-from repos.txt --format jsonl
expect_count 2 "$work/last.out" "--repos-from: two repositories"
expect_status 1 "fleet SARIF" -- "$SFMC_SCAN" git --repos-from repos.txt --format sarif
expect_grep "\"uri\": \"http://127.0.0.1:$hport/http.git\"" "$work/last.out" "SARIF: the remote repository is an artifact named by its URL"
expect_grep '"parentIndex"' "$work/last.out" "SARIF: files in a repository point at it"

# Credentials: never from a URL. Refused, and the password shows nowhere.
pw="hunter2-$(date +%s%N)"
expect_status 2 "a URL with a password, alone" -- "$SFMC_SCAN" git "http://ann:$pw@127.0.0.1:$hport/http.git" --clone-dir clones-pw --format jsonl
expect_status 1 "a URL with a password in a fleet" -- "$SFMC_SCAN" git local-a "http://ann:$pw@127.0.0.1:$hport/http.git" --clone-dir clones-pw --format jsonl
expect_grep 'password in a URL is refused' "$work/last.out" "the refusal says why"
grep -rq -- "$pw" "$work/last.out" "$work/last.err" && fail "the password appears in the output" || ok
[ ! -d clones-pw ] || ! grep -rq -- "$pw" clones-pw && ok || fail "the password is in a clone"
# From the environment instead: it reaches the server, never the clone's config.
SFMC_GIT_USERNAME=ann SFMC_GIT_PASSWORD="$pw" "$SFMC_SCAN" git "http://127.0.0.1:$hport/http.git" --clone-dir clones --format jsonl >env.out 2>env.err
[ $? -eq 1 ] && ok || fail "credentials from the environment: exit status"
grep -rq -- "$pw" clones env.out env.err && fail "the password from the environment was written somewhere" || ok
mirror=$(ls -d clones/*/ | head -1)
git --git-dir="$mirror" config remote.origin.url | grep -q "^http://127.0.0.1:$hport/http.git$" && ok || fail "the mirror's remote URL"
git --git-dir="$mirror" config --bool remote.origin.mirror | grep -q true && ok || fail "a mirror clone"
# A kept mirror is updated, not cloned again.
(cd src-http && echo "new=$t_new" >new.env && git add new.env && commit_at 2026-01-03T10:00:00Z "new" && git push -q "$work/served/http.git" main)
expect_status 1 "--clone-dir: the second run fetches" -- "$SFMC_SCAN" git "http://127.0.0.1:$hport/http.git" --clone-dir clones --format jsonl
expect_count 2 "$work/last.out" "the fetched mirror has the new commit"
[ "$(ls clones | wc -l)" -eq 1 ] && ok || fail "--clone-dir holds one mirror per URL"
# Without --clone-dir nothing is left behind.
before=$(ls -d "${TMPDIR:-/tmp}"/sfmc-scan-clones-* 2>/dev/null | wc -l)
"$SFMC_SCAN" git "git://127.0.0.1:$port/daemon.git" --format jsonl >/dev/null 2>&1
after=$(ls -d "${TMPDIR:-/tmp}"/sfmc-scan-clones-* 2>/dev/null | wc -l)
[ "$before" -eq "$after" ] && ok || fail "the temporary clone folder was not removed"

# --state: the next sweep of an unchanged fleet reports nothing, then only what is new.
st=(local-a local-b "git://127.0.0.1:$port/daemon.git")
expect_status 1 "--state: first sweep" -- "$SFMC_SCAN" git "${st[@]}" --state sweep.state --format jsonl
expect_count 3 "$work/last.out" "first sweep: everything"
grep -q -- "$t_a" sweep.state && fail "the state holds a secret" || ok
expect_status 0 "--state: nothing moved" -- "$SFMC_SCAN" git "${st[@]}" --state sweep.state --format jsonl
expect_count 0 "$work/last.out" "unchanged fleet: no finding"
expect_grep '"inputs_scanned":0' "$work/last.out" "unchanged fleet: nothing scanned"
(cd local-b && echo "other=$t_new" >other.env && git add other.env && commit_at 2026-01-04T10:00:00Z "another")
expect_status 1 "--state: one repository moved" -- "$SFMC_SCAN" git "${st[@]}" --state sweep.state --format jsonl
expect_count 1 "$work/last.out" "only the new finding"
grep "$(hash "$t_new")" "$work/last.out" | grep -q '"repository":"local-b"' && ok || fail "the new finding is local-b's"
cp sweep.state sweep3.state
(cd local-b && echo x >x && git add x && commit_at 2026-01-05T10:00:00Z "x")
expect_status 1 "--report-all reports old findings of moved repositories" -- "$SFMC_SCAN" git "${st[@]}" --state sweep3.state --report-all --format jsonl
expect_count 2 "$work/last.out" "--report-all: both of local-b's"
# A repository lacking an object its history names (a mirror without its large blobs):
# recorded with the object, not swept again while nothing moved, swept again once it arrives.
git init -q -b main holey && (cd holey && echo "payload" >big.bin && echo ok >small.txt && git add . &&
  commit_at 2026-01-06T10:00:00Z "holey")
hole=$(git -C holey rev-parse HEAD:big.bin) && rm -f "holey/.git/objects/${hole:0:2}/${hole:2}"
expect_status 2 "--state: a missing object" -- "$SFMC_SCAN" git holey --repos-from /dev/null --state holey.state --format jsonl
expect_grep '"reason":"missing-object"' "$work/last.out" "the missing blob is a warning"
grep -q "$hole" holey.state && ok || fail "the state records the missing object"
expect_status 0 "--state: still missing" -- "$SFMC_SCAN" git holey --repos-from /dev/null --state holey.state --format jsonl
expect_grep '"inputs_scanned":0' "$work/last.out" "nothing moved, nothing arrived: not swept again"
(cd holey && echo "payload" | git hash-object -w --stdin >/dev/null)
expect_status 0 "--state: the object arrived" -- "$SFMC_SCAN" git holey --repos-from /dev/null --state holey.state --format jsonl
expect_no_grep '"inputs_scanned":0' "$work/last.out" "the object arrived: swept again"
expect_no_grep 'missing-object' "$work/last.out" "... and it is missing no more"
grep -q "$hole" holey.state && fail "the state still records the object as missing" || ok

# A blob holding an archive whose member cannot be read (a truncated tar) is damaged for
# good: the sweep is recorded, not repeated on every run (git/git has one such test file).
git init -q -b main cuttar && (cd cuttar && head -c 20000 /dev/urandom >payload.bin && tar cf t.tar payload.bin &&
  head -c 12000 t.tar >cut.tar && rm -f t.tar payload.bin && git add cut.tar && commit_at 2026-01-07T10:00:00Z "cut tar")
expect_status 2 "--state: a damaged archive member" -- "$SFMC_SCAN" git cuttar --repos-from /dev/null --state cuttar.state --format jsonl
expect_grep 'cut.tar!payload.bin","reason":"unreadable"' "$work/last.out" "the member that cannot be read is a warning"
expect_status 0 "--state: unchanged" -- "$SFMC_SCAN" git cuttar --repos-from /dev/null --state cuttar.state --format jsonl
expect_grep '"inputs_scanned":0' "$work/last.out" "a blob damaged for good is not swept again"

# The progress line, on a terminal: a fleet's repositories done of all and the one under
# way (here a URL whose server holds the connection 1.5 s, then drops it); a repository's
# phase while its history is swept (a 48 MB blob keeps it busy long enough to be drawn).
if command -v script >/dev/null; then
  python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8); print(s.getsockname()[1], flush=True)
c, _ = s.accept(); time.sleep(1.5); c.close()' >slow.port &
  pids+=($!)
  for _ in $(seq 50); do [ -s slow.port ] && break; sleep 0.1; done
  SFMC_PROGRESS_MS=20 script -qec "\"$SFMC_SCAN\" git local-a local-b http://127.0.0.1:$(cat slow.port)/slow.git --format jsonl -o progress.jsonl -j1" \
    typescript >/dev/null 2>&1
  expect_grep '2/3 repositories \(67%, ETA [0-9]+m[0-9]{2}s\)' typescript "progress: a fleet's repositories done of all"
  expect_grep 'slow\.git' typescript "... and the one under way"
  expect_count 3 progress.jsonl "the fleet under a terminal still reports"
  git init -q -b main big && (cd big && head -c 48000000 /dev/zero | tr '\0' 'a' >big.txt && git add big.txt &&
    commit_at 2026-01-08T10:00:00Z "big" && git gc -q)
  SFMC_PROGRESS_MS=2 script -qec "\"$SFMC_SCAN\" git big --format jsonl -o big.jsonl" typescript-big >/dev/null 2>&1
  expect_grep '(planning|reading) the pack|reading loose objects|walking the history|reading trees|placing findings' typescript-big \
    "progress: a history sweep says its phase"
  expect_no_grep "[0-9]+ inputs, [0-9.]+ MB, " typescript-big "... not a count of inputs it has no total for"
else
  echo "progress check skipped: no script(1)"
fi

# A state file that is something else is refused, and left alone.
echo '{"hello":1}' >other.state
expect_status 2 "a foreign state file" -- "$SFMC_SCAN" git local-a --repos-from /dev/null --state other.state
grep -q hello other.state && ok || fail "the foreign state file was overwritten"
finish

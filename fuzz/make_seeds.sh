#!/usr/bin/env bash
# Writes a seed corpus for each harness into OUT/<harness>/ (default fuzz/seeds-generated):
# real archives and encodings around a generated token, reports the scanner itself
# wrote, the bundled rules, pre-push lines. Nothing secret-shaped is kept in the tree:
# run this (scripts/fuzz.sh does) to make them.
#   fuzz/make_seeds.sh BUILD_DIR [OUT]
set -euo pipefail
build=${1:?build folder with sfmc-scan and sfmc-gen}
out=${2:-$(dirname "$0")/seeds-generated}
mkdir -p "$out" && out=$(cd "$out" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
gen() { "$build/sfmc-gen" --rules "$src/rules" "$@"; }
mkdir -p "$out"/{fuzz_decode,fuzz_report,fuzz_rules,fuzz_stdin,fuzz_delta,fuzz_pack,fuzz_loose}
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
t=$(gen --seed 7 token)
printf 'a=1\nsecret=%s\n' "$t" >"$tmp/app.env"

d="$out/fuzz_decode"
cp "$tmp/app.env" "$d/plain.txt"
gzip -c "$tmp/app.env" >"$d/app.env.gz"
command -v bzip2 >/dev/null && bzip2 -c "$tmp/app.env" >"$d/app.env.bz2"
command -v xz >/dev/null && xz -c "$tmp/app.env" >"$d/app.env.xz"
command -v zstd >/dev/null && zstd -q -c "$tmp/app.env" >"$d/app.env.zst"
(cd "$tmp" && tar cf "$d/a.tar" app.env && zip -q "$d/a.zip" app.env && zip -q -0 "$tmp/in.zip" app.env && zip -q -0 "$d/nested.zip" in.zip)
(cd "$tmp" && tar czf "$d/a.tgz" app.env)
printf 'secret=%s\r\n' "$t" | iconv -f utf-8 -t utf-16le >"$d/utf16le.txt"
{ printf '\xfe\xff'; printf 'secret=%s\r\n' "$t" | iconv -f utf-8 -t utf-16be; } >"$d/utf16be-bom.txt"
{ head -c 512 /dev/zero; cat "$tmp/app.env"; } | gzip -c >"$d/nul-prefixed.gz"

r="$out/fuzz_report"
"$build/sfmc-scan" scan "$tmp/app.env" --no-cache --format jsonl -o "$r/report.jsonl" >/dev/null 2>&1 || true
"$build/sfmc-scan" scan "$tmp/app.env" --no-cache --format json -o "$r/report.json" >/dev/null 2>&1 || true
"$build/sfmc-scan" scan "$tmp/app.env" --no-cache --format sarif -o "$r/report.sarif" >/dev/null 2>&1 || true
"$build/sfmc-scan" baseline create --no-cache -o "$r/baseline.json" "$tmp/app.env" >/dev/null 2>&1 || true
"$build/sfmc-scan" scan "$tmp/app.env" --no-cache --shard 0/1 --format jsonl -o "$r/shard.jsonl" >/dev/null 2>&1 || true
(cd "$tmp" && git init -q -b main state-repo && cp app.env state-repo/ && cd state-repo && git add app.env &&
  git -c user.name=f -c user.email=f@example.com commit -q -m seed) &&
  "$build/sfmc-scan" git "$tmp/state-repo" --no-cache --state "$r/sweep.state" --format jsonl >/dev/null 2>&1 || true
# A --resume checkpoint of a sweep of "tree" (the harness's roots), taken mid-way.
mkdir -p "$tmp/tree" && for i in $(seq 50); do cp "$tmp/app.env" "$tmp/tree/f$i.env"; done
scanner_bin=$(cd "$build" && pwd)/sfmc-scan resume_seed=$(cd "$r" && pwd)/scan.resume
{ (cd "$tmp" && SFMC_CHECKPOINT_MS=0 SFMC_TEST_KILL_AT_CHECKPOINT=3 "$scanner_bin" scan tree --no-cache --resume "$resume_seed" \
  -o "$tmp/resumed.jsonl" --format jsonl -q) >/dev/null 2>&1 || true; } 2>/dev/null  # killed at its 3rd checkpoint, on purpose

cp "$src"/rules/*.toml "$out/fuzz_rules/"

s="$out/fuzz_stdin"
z=0000000000000000000000000000000000000000
printf 'refs/heads/main %s refs/heads/main %s\n' "${z//0/a}" "$z" >"$s/new-branch"
printf '(delete) %s refs/heads/x %s\n' "$z" "${z//0/b}" >"$s/delete"
printf '%s\n' "$t" >"$s/secret-line"

# Deltas: a copy of the whole base and an insert; sizes as varints.
printf '\x00\x05hello\x05\x0b\x90\x05\x06 world' >"$out/fuzz_delta/copy-insert"
printf '\x00\x00\x00\x03\x03abc' >"$out/fuzz_delta/insert-only"

# Packs and loose objects: no token in them at all. Their contents are compressed, so
# the corpus filter (sfmc-scan over the inputs) could not see one; none is planted.
# A repository git itself packs, with delta chains (--depth=50) and every object type.
l="$out/fuzz_loose" p="$out/fuzz_pack"
if command -v git >/dev/null; then
g="$tmp/repo"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
git init -q -b main "$g"  # the same seeds on every run: fixed dates, no user configuration
gitc() { git -C "$g" -c user.name=Fuzz -c user.email=fuzz@example.invalid "$@"; }
for k in $(seq 1 40); do
  seq 1 $((200 + k)) | sed "$((k * 5))s/.*/changed in revision $k/" >"$g/notes.txt"  # deltas of each other
  printf 'version %d\nname = demo\n' "$k" >"$g/config.ini"
  mkdir -p "$g/sub" && printf 'part %d\n' $((k % 7)) >"$g/sub/part.txt"
  gitc add -A && gitc commit -q -m "revision $k"
done
gitc tag -a -m "a release" v1
# Loose objects as git writes them, before they are packed.
n=0
for f in $(cd "$g/.git/objects" && ls -d ??/* | head -12); do
  { printf '\x00'; cat "$g/.git/objects/$f"; } >"$l/git-loose-$n"
  n=$((n + 1))
done
gitc repack -q -adf --depth=50 --window=50
pk=$(ls "$g"/.git/objects/pack/*.pack | head -1)
{ printf '\x00'; cat "$pk"; } >"$p/git-depth50"
{ printf '\x02'; cat "$pk"; } >"$p/git-depth50-small-cache"   # bases rebuilt from the root
fi

# Crafted entries (the harness's list format, fuzz/fuzz_pack.cpp): kind, length, body.
ent() {  # ent KIND FILE: one entry of the list
  local len; len=$(stat -c %s "$2")
  printf "\\x$(printf %02x "$1")\\x$(printf %02x $((len & 255)))\\x$(printf %02x $((len >> 8)))"
  cat "$2"
}
zent() {  # zent KIND HEADER CONTENT (printf formats): header, then the content deflated by the harness
  printf "$2" >"$tmp/h"
  { printf "\\x$(printf %02x "$(stat -c %s "$tmp/h")")"; cat "$tmp/h"; printf "$3"; } >"$tmp/body"
  ent $(($1 | 1)) "$tmp/body"
}
id0='\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
id1='\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
id2='\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
delta='\x05\x0b\x90\x05\x06 world'   # base 5 bytes, result 11: copy all, insert " world"
# A blob and a REF delta on it (object 0 by the harness's ids).
{ printf '\x00'; zent 0 '\x35' 'hello'; zent 0 "\\x7b$id0" "$delta"; } >"$p/ref-delta"
{ printf '\x01'; zent 0 '\x35' 'hello'; zent 0 "\\x7b$id0" "$delta"; zent 0 "\\x7b$id1" '\x0b\x0b\x90\x0b'; } >"$p/ref-chain-no-cache"
# A's base is B, B's base is A, C's is C, D's is A: a cycle, a self-reference, a chain into the cycle.
{ printf '\x00'; zent 0 "\\x7b$id1" "$delta"; zent 0 "\\x7b$id0" "$delta"; zent 0 "\\x7b$id2" "$delta"; zent 0 "\\x7b$id0" "$delta"; } >"$p/cycle"
# A blob and an OFS delta 14 bytes back (the blob's entry: header and zlib of "hello" at level 1).
{ printf '\x00'; zent 0 '\x35' 'hello'; zent 0 '\x6b\x0e' "$delta"; } >"$p/ofs-delta"
# Reserved type 5; a blob stating 2^40 bytes over 4; a size field 20 bytes long.
{ printf '\x00'; zent 0 '\x55' 'hello'; zent 0 '\xb0\x80\x80\x80\x80\x80\x10' 'abcd';
  zent 0 '\xb0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01' 'abcd'; } >"$p/bad-headers"
# Index offsets: one 3 bytes inside an object (kind bit 2, distance in the high nibble), one
# through the large-offset table (bit 3), one entry not listed (bit 1).
{ printf '\x00'; zent 0 '\x35' 'hello'; zent 0x34 '\x35' 'hello'; zent 8 '\x35' 'world'; zent 2 '\x35' 'xxxxx'; } >"$p/index-offsets"
# A commit, a tree and a tag (the sweep parses them), stated sizes true.
tree_body='100644 a.txt\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13'
commit_body='tree 0123456789abcdef0123456789abcdef01234567\nparent 0123456789abcdef0123456789abcdef01234567\nauthor A <a@example.invalid> 1700000000 +0000\ncommitter A <a@example.invalid> 1700000000 +0000\n\nmessage\n'
tag_body='object 0123456789abcdef0123456789abcdef01234567\ntype commit\ntag v1\ntagger A <a@example.invalid> 1700000000 +0000\n\nrelease\n'
hdr() {  # hdr TYPE CONTENT: a pack entry header with the content's true size
  local n; n=$(printf "$2" | wc -c)
  printf '\\x%02x\\x%02x' $((0x80 | ($1 << 4) | (n & 15))) $((n >> 4))
}
{ printf '\x00'; zent 0 "$(hdr 2 "$tree_body")" "$tree_body"; zent 0 "$(hdr 1 "$commit_body")" "$commit_body"; zent 0 "$(hdr 4 "$tag_body")" "$tag_body"; } >"$p/metadata"

# Loose objects: the harness deflates what follows a first byte of 1.
lz() { printf '\x01'; printf "$1"; }
lz 'blob 12\x00hello world\n' >"$l/blob"
lz 'blob 4294967296\x00abcd' >"$l/stated-4g"
lz 'blob 1x\x00abcd' >"$l/size-not-a-number"
lz 'frob 3\x00abc' >"$l/unknown-type"
lz "commit $(printf "$commit_body" | wc -c)\\x00$commit_body" >"$l/commit"
lz "tag $(printf "$tag_body" | wc -c)\\x00$tag_body" >"$l/tag"
lz "tree $(printf "$tree_body" | wc -c)\\x00$tree_body" >"$l/tree"
lz 'commit 99999999999\x00tree 0123' >"$l/commit-stated-huge"
echo "seeds in $out"

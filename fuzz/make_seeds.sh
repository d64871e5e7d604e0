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
mkdir -p "$out"/{fuzz_decode,fuzz_report,fuzz_rules,fuzz_stdin,fuzz_delta}
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

cp "$src"/rules/*.toml "$out/fuzz_rules/"

s="$out/fuzz_stdin"
z=0000000000000000000000000000000000000000
printf 'refs/heads/main %s refs/heads/main %s\n' "${z//0/a}" "$z" >"$s/new-branch"
printf '(delete) %s refs/heads/x %s\n' "$z" "${z//0/b}" >"$s/delete"
printf '%s\n' "$t" >"$s/secret-line"

# Deltas: a copy of the whole base and an insert; sizes as varints.
printf '\x00\x05hello\x05\x0b\x90\x05\x06 world' >"$out/fuzz_delta/copy-insert"
printf '\x00\x00\x00\x03\x03abc' >"$out/fuzz_delta/insert-only"
echo "seeds in $out"

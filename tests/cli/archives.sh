#!/usr/bin/env bash
# File-store content: tokens inside gzip, zip, tar.gz, a jar, zip-in-zip three levels
# deep; UTF-16 LE and BE with and without BOM; a token in random binary bytes; a zip
# bomb and a corrupt zip (warnings, no crash); --no-archives, --no-binary, depth limit.
source "$(dirname "$0")/lib.sh"
for tool in zip gzip tar iconv; do command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }; done
fresh_work archives
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
found() {  # found TOKEN PATH: the token is reported at that display path
  grep '"type":"finding"' "$work/last.out" | grep "$(hash "$1")" | grep -q "\"path\":\"$2\"" && ok || fail "$1 not found at $2"
}
mkdir tree && cd tree

t_gz=$(new_token); t_zip=$(new_token); t_tgz=$(new_token); t_jar=$(new_token); t_deep=$(new_token)
t_le=$(new_token); t_be=$(new_token); t_lebom=$(new_token); t_bebom=$(new_token); t_bin=$(new_token); t_corrupt=$(new_token)

printf 'password=1\nsecret=%s\n' "$t_gz" >app.env && gzip app.env                      # app.env.gz
mkdir -p z/conf && printf 'k: %s\n' "$t_zip" >z/conf/prod.yaml && (cd z && zip -qr ../bundle.zip conf) && rm -r z
mkdir -p t && printf 'x=%s\n' "$t_tgz" >t/a.properties && tar czf backup.tgz t && rm -r t
mkdir -p j/META-INF j/com && printf 'Manifest-Version: 1.0\n' >j/META-INF/MANIFEST.MF &&
  printf 'sfmc.secret=%s\n' "$t_jar" >j/com/app.properties && (cd j && zip -qr ../service.jar META-INF com) && rm -r j
printf 'deep=%s\n' "$t_deep" >deep.env && zip -q l1.zip deep.env && zip -q l2.zip l1.zip && zip -q l3.zip l2.zip && rm deep.env l1.zip l2.zip
printf 'a=1\r\nsecret=%s\r\n' "$t_le" | iconv -f utf-8 -t utf-16le >export-le.ini
printf 'a=1\r\nsecret=%s\r\n' "$t_be" | iconv -f utf-8 -t utf-16be >export-be.ini
{ printf '\xff\xfe'; printf 'caf\xc3\xa9=1\r\nsecret=%s\r\n' "$t_lebom" | iconv -f utf-8 -t utf-16le; } >export-lebom.reg
{ printf '\xfe\xff'; printf 'secret=%s\r\n' "$t_bebom" | iconv -f utf-8 -t utf-16be; } >export-bebom.reg
head -c 3000 /dev/urandom >blob.bin && printf '\0%s\0' "$t_bin" >>blob.bin && head -c 3000 /dev/urandom >>blob.bin
# A stored (uncompressed) zip whose headers are then destroyed: still matched as bytes.
printf 'k=%s\n' "$t_corrupt" >c.env && zip -q -0 broken.zip c.env && rm c.env
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of=broken.zip bs=1 seek=8 conv=notrunc status=none
# The same damaged zip inside a good one: still matched as bytes, in full.
t_nested=$(new_token)
printf 'k=%s\n' "$t_nested" >n.env && zip -q -0 nbroken.zip n.env && rm n.env
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of=nbroken.zip bs=1 seek=8 conv=notrunc status=none
zip -q -0 holder.zip nbroken.zip && rm nbroken.zip
cd ..

expect_status 1 "archives and encodings" -- "$SFMC_SCAN" scan tree --format jsonl
found "$t_gz" "tree/app.env.gz!app.env"
found "$t_zip" "tree/bundle.zip!conf/prod.yaml"
found "$t_tgz" "tree/backup.tgz!t/a.properties"
found "$t_jar" "tree/service.jar!com/app.properties"
found "$t_deep" "tree/l3.zip!l2.zip!l1.zip!deep.env"
found "$t_le" "tree/export-le.ini"
found "$t_be" "tree/export-be.ini"
found "$t_lebom" "tree/export-lebom.reg"
found "$t_bebom" "tree/export-bebom.reg"
found "$t_bin" "tree/blob.bin"
found "$t_corrupt" "tree/broken.zip"
found "$t_nested" "tree/holder.zip!nbroken.zip"
expect_count 12 "$work/last.out" "every token once"
grep "$(hash "$t_gz")" "$work/last.out" | grep -q '"line":2,' && ok || fail "gzip member: line 2"
lebom=$(grep "$(hash "$t_lebom")" "$work/last.out")
echo "$lebom" | grep -q '"line":2,' && echo "$lebom" | grep -q '"column":8,' && echo "$lebom" | grep -q '"encoding":"utf-16le"' &&
  ok || fail "UTF-16 with BOM: line 2, column 8 (after a BOM and an é), encoding"
grep "$(hash "$t_be")" "$work/last.out" | grep -q '"encoding":"utf-16be"' && ok || fail "UTF-16BE encoding reported"
grep "$(hash "$t_bin")" "$work/last.out" | grep -q '"encoding":"binary"' && ok || fail "binary encoding reported"
expect_grep '"path":"tree/broken.zip","reason":"corrupt-archive"' "$work/last.out" "corrupt zip reported"
expect_grep '"mtime":"20' "$work/last.out" "findings carry mtime"

expect_status 2 "depth limit (content left unopened: exit 2)" -- "$SFMC_SCAN" scan tree --archive-depth 2 --format jsonl
expect_grep '"path":"tree/l3.zip!l2.zip!l1.zip","reason":"archive-limit"' "$work/last.out" "depth limit reported"
# The innermost zip is matched as bytes; its tiny member is stored uncompressed, so the
# token is still found, at the container's path.
found "$t_deep" "tree/l3.zip!l2.zip!l1.zip"
expect_status 1 "--no-archives" -- "$SFMC_SCAN" scan tree --no-archives --format jsonl
grep -q "$(hash "$t_gz")" "$work/last.out" && fail "--no-archives opened a gzip" || ok
expect_status 1 "--no-binary" -- "$SFMC_SCAN" scan tree --no-binary --no-archives --format jsonl
expect_grep '"path":"tree/blob.bin","reason":"binary"' "$work/last.out" "--no-binary skips binary files"

# A zip bomb: 100 MB of zeros in a ~100 KB zip. The ratio limit stops it, the scan goes on.
mkdir bomb && head -c 100000000 /dev/zero | zip -q bomb/bomb.zip - && cp tree/app.env.gz bomb/
expect_status 2 "zip bomb (the rest left unread: exit 2)" -- "$SFMC_SCAN" scan bomb --archive-max-ratio 100 --format jsonl
expect_grep '"reason":"archive-limit"' "$work/last.out" "zip bomb stopped by the ratio limit"
expect_count 1 "$work/last.out" "the other file is still scanned"

# Other compressors, each a single compressed file.
mkdir more
for c in bzip2 xz zstd; do
  command -v $c >/dev/null || { echo "($c not installed: not tested)"; continue; }
  t=$(new_token); printf 'via=%s\nsecret=%s\n' "$c" "$t" >"more/$c.env" && $c -q "more/$c.env" 2>/dev/null
  [ -f "more/$c.env" ] && rm "more/$c.env"  # zstd keeps its input
  expect_status 1 "$c" -- "$SFMC_SCAN" scan more --format jsonl
  expect_grep "$(hash "$t")" "$work/last.out" "$c-compressed token found"
done

# SARIF: members are artifacts pointing at their containers.
expect_status 1 "SARIF" -- "$SFMC_SCAN" scan tree --format sarif -o tree.sarif
grep -q '"parentIndex"' tree.sarif && ok || fail "SARIF members have parentIndex"
tools="${SFMC_SHARED_DIR:-}/tools/sarif"
if command -v node >/dev/null && [ -x "$tools/gh-validate.sh" ]; then
  if "$tools/gh-validate.sh" --no-multitool tree.sarif >validate.log 2>&1; then ok; else fail "archive SARIF validation"; cat validate.log; fi
fi

# Archives in git history are opened too.
if command -v git >/dev/null; then
  git init -q -b main repo && cp tree/bundle.zip repo/ && (cd repo && git add bundle.zip && commit_at 2026-04-01T10:00:00Z "add bundle")
  expect_status 1 "archive in history" -- "$SFMC_SCAN" git repo --format jsonl
  expect_grep '"path":"bundle.zip!conf/prod.yaml"' "$work/last.out" "zip member found in history, with its path"
fi
# A truncated .gz (a copy cut short, a download that stopped): what decoded before the
# cut is matched, with a warning, and so are the file's own bytes. Found by fuzz_decode's
# corpus filter: the decoded part used to be dropped whole, the token with it.
mkdir -p cut && tcut=$(new_token) && { printf 'client_secret=%s\n' "$tcut"; head -c 300000 /dev/urandom | base64; } >cut/a.txt &&
  gzip -n cut/a.txt && sz=$(stat -c %s cut/a.txt.gz) && head -c $((sz / 2)) cut/a.txt.gz >cut/half.gz && rm cut/a.txt.gz
expect_status 1 "a truncated .gz" -- "$SFMC_SCAN" scan cut --format jsonl
expect_grep '"path":"cut/half.gz!half"' "$work/last.out" "the token before the cut is found, in the decoded member"
expect_grep 'damaged gzip stream, truncated.*bytes that decoded were matched' "$work/last.out" "the cut is a warning"

finish

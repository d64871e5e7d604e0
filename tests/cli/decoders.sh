#!/usr/bin/env bash
# Secrets in encoded form, each generated here: a Kubernetes Secret's base64 data, a
# base64'd .env in JSON, base64url, a base64 zip, base64 UTF-16, MIME-wrapped base64;
# negatives (base64 of a bad-checksum token, of a placeholder, of a token glued to more
# alphanumerics, random base64). Each asserts the location a user would click.
source "$(dirname "$0")/lib.sh"
for tool in base64 zip iconv python3; do command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }; done
fresh_work decoders
b64() { printf '%s' "$1" | base64 -w0; }
b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
mkdir tree && cd tree

# A Kubernetes Secret: each data value is the base64 of one value. The token begins at
# decoded offsets 0, 1 and 2 (the three ways it can sit against base64's 3-byte groups).
t_k0=$(new_token); t_k1=$(new_token); t_k2=$(new_token)
cat >secret.yaml <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: sfmc
type: Opaque
data:
  client_secret: $(b64 "$t_k0")
  with_one: $(b64 "x$t_k1")
  with_two: $(b64 "xy$t_k2")
EOF
# A whole .env file, base64'd into a JSON document (CI variable exports); the token is on
# the .env's third line, so it starts at decoded byte 32 (not a multiple of 3 on purpose
# after the leading text below).
t_env=$(new_token)
env_b64=$(printf 'APP=orders\nREGION=eu-west-1\nSFMC_CLIENT_SECRET=%s\nDEBUG=0\n' "$t_env" | base64 -w0)
printf '{\n  "name": "prod",\n  "variables": {"dotenv": "%s"}\n}\n' "$env_b64" >ci-export.json
# base64url without padding, in a cookie-like header.
t_url=$(new_token)
printf 'Set-Cookie: session=%s; Path=/; HttpOnly\n' "$(b64url "{\"k\":\"$t_url\"}")" >cookie.txt
# A zip, base64'd into YAML (a Helm chart's bundled file).
t_zip=$(new_token)
mkdir z && printf 'sfmc.secret=%s\n' "$t_zip" >z/app.properties && (cd z && zip -q ../inner.zip app.properties) && rm -r z
printf 'bundle: %s\n' "$(base64 -w0 inner.zip)" >chart.yaml && rm inner.zip
# UTF-16 text, base64'd.
t_u16=$(new_token)
printf 'config: %s\n' "$(printf 'a=1\r\nsecret=%s\r\n' "$t_u16" | iconv -f utf-8 -t utf-16le | base64 -w0)" >u16.yaml
# MIME-style wrapping at 76 columns (CRLF) and PEM-style at 64 (LF); the token spans a break.
t_wrap=$(new_token); t_pem=$(new_token)
{ printf 'blob:\r\n'; printf 'padding text to move the token: %s trailing words\n' "$t_wrap" | base64 -w76 | sed 's/$/\r/'; printf '\r\nend\r\n'; } >wrapped.txt
{ printf -- '-----BEGIN DATA-----\n'; printf 'lead %s tail\n' "$t_pem" | base64 -w64; printf -- '-----END DATA-----\n'; } >pem.txt
# JSON with escaped line breaks inside the base64 string.
t_esc=$(new_token)
printf '{"cert": "%s"}\n' "$(printf 'words before the token %s and after\n' "$t_esc" | base64 -w60 | sed ':a;N;$!ba;s/\n/\\n/g')" >escaped.json
# Nested: base64 of a YAML that itself holds base64.
t_nest=$(new_token)
printf 'outer: %s\n' "$(printf 'inner: %s\n' "$(b64 "$t_nest")" | base64 -w0)" >nested.yaml

# Runs across the matcher's 1 MiB chunks: one line, and one wrapped (CRLF) whose line
# breaks fall around the boundary.
t_big=$(new_token); t_bigw=$(new_token)
# 20-byte filler lines: 52,426 of them end 56 bytes before 1 MiB, 52,425 of them 76 before.
{ yes 'filler line of text' | head -n 52426; printf 'value: %s\n' "$(b64 "lead $t_big")"; } >big.txt
{ yes 'filler line of text' | head -n 52425; printf 'some words first %s then more\n' "$t_bigw" | base64 -w76 | sed 's/$/\r/'; } >bigw.txt
big_line=52426; bigw_line=52426

# Negatives: base64 of a token with a bad checksum (reported as checksum-invalid, not
# valid), of a placeholder (a note), of a token glued to more alphanumerics (nothing),
# and random base64 (nothing).
t_bad=$(new_token --variant bad-checksum); t_ph=$(new_token --variant body=EXAMPLE); t_glued=$(new_token)
printf 'bad: %s\nplaceholder: %s\nglued: %s\n' "$(b64 "$t_bad")" "$(b64 "$t_ph")" "$(b64 "${t_glued}abc")" >negatives.yaml
head -c 3000000 /dev/urandom | base64 -w0 >random.b64
head -c 3000000 /dev/urandom | base64 -w76 >random-wrapped.b64
head -c 300000 /dev/urandom | base64 -w0 | tr '+/' '-_' >random-url.b64
cd ..

expect_status 1 "encoded secrets" -- "$SFMC_SCAN" scan tree --format jsonl
# A base64 value is located at the characters that encode the token: its first
# character is 4*(offset/3) into the value.
found_at "$t_k0" "tree/secret.yaml" 7 18 base64 '["base64@7:18"]'
found_at "$t_k1" "tree/secret.yaml" 8 13 base64 '["base64@8:13"]'
found_at "$t_k2" "tree/secret.yaml" 9 13 base64 '["base64@9:13"]'
off=$(printf 'APP=orders\nREGION=eu-west-1\nSFMC_CLIENT_SECRET=' | wc -c)
found_at "$t_env" "tree/ci-export.json" 3 $((28 + off / 3 * 4)) base64 '["base64@3:28"]'
found_at "$t_url" "tree/cookie.txt" 1 $((21 + 6 / 3 * 4)) base64 '["base64@1:21"]'
found_at "$t_zip" "tree/chart.yaml!base64@1:9!app.properties" 1 13 utf-8
found_at "$t_u16" "tree/u16.yaml" 1 9 utf-16le '["base64@1:9"]'
off=$(printf 'padding text to move the token: ' | wc -c)   # 32: character 40 of the run, on its first line
found_at "$t_wrap" "tree/wrapped.txt" 2 $((1 + off / 3 * 4)) base64 '["base64@2:1"]'
off=$(printf 'lead ' | wc -c)
found_at "$t_pem" "tree/pem.txt" 2 $((1 + off / 3 * 4)) base64 '["base64@2:1"]'
off=$(printf 'words before the token ' | wc -c)   # 23: character 28, on the first 60-character line
found_at "$t_esc" "tree/escaped.json" 1 $((11 + off / 3 * 4)) base64 '["base64@1:11"]'
found_at "$t_nest" "tree/nested.yaml" 1 8 base64 '["base64@1:8","base64@1:8"]'
found_at "$t_big" "tree/big.txt" $((big_line + 1)) $((8 + 5 / 3 * 4)) base64 "[\"base64@$((big_line + 1)):8\"]"
off=$(printf 'some words first ' | wc -c)
found_at "$t_bigw" "tree/bigw.txt" "$bigw_line" $((1 + off / 3 * 4)) base64 "[\"base64@$bigw_line:1\"]"
finding "$t_wrap" | grep -q '"end_line":3,' && ok || fail "wrapped token: ends on the next line"

bad=$(finding "$t_bad")
printf '%s' "$bad" | grep -q '"verdict":"checksum-invalid"' && ok || fail "base64 of a bad-checksum token: checksum-invalid"
finding "$t_ph" | grep -q '"verdict":"placeholder"' && ok || fail "base64 of a placeholder: placeholder"
not_found "$t_glued" "base64 of a token glued to more alphanumerics"
expect_no_grep '"path":"tree/random' "$work/last.out" "random base64 gives no finding"
expect_no_grep '"verdict":"checksum-valid".*random' "$work/last.out" "random base64: no checksum-valid claim"

expect_status 0 "--no-base64" -- "$SFMC_SCAN" scan tree --no-base64 --format jsonl
not_found "$t_k0" "--no-base64 leaves base64 alone"
expect_status 0 "the plain tokens of negatives only" -- "$SFMC_SCAN" scan tree/random.b64 tree/random-wrapped.b64 --format jsonl

# SARIF from this tree passes GitHub's checks.
tools="${SFMC_SHARED_DIR:-}/tools/sarif"
if command -v node >/dev/null && [ -x "$tools/gh-validate.sh" ]; then
  "$SFMC_SCAN" scan tree --format sarif -o decoders.sarif -q
  multitool=(); [ "${SFMC_SARIF_MULTITOOL:-1}" = 0 ] && multitool=(--no-multitool)
  if "$tools/gh-validate.sh" "${multitool[@]}" decoders.sarif >validate.log 2>&1; then ok; else fail "gh-validate.sh"; tail -20 validate.log; fi
else
  echo "(SARIF validation not run: no Node.js or no ../shared)"
fi
# A base64 run whose decoded bytes only start like an archive (a zip's or a gzip's magic,
# then noise: random text does that now and then) is matched, counted in the summary,
# and not a warning: nothing in it was lost. A damaged archive file still is one.
mkdir -p noise && python3 - <<'PY'
import base64, random
r = random.Random(7)
noise = lambda n: bytes(r.getrandbits(8) for _ in range(n))
open("noise/notes.txt", "w").write("value: " + base64.b64encode(b"PK\x03\x04" + noise(300)).decode() + "\n"
                                   + "other: " + base64.b64encode(b"\x1f\x8b\x08\x00" + noise(300)).decode() + "\n")
open("noise/broken.zip", "wb").write(b"PK\x03\x04" + noise(300))
PY
expect_status 0 "decoded layers that only look like archives" -- "$SFMC_SCAN" scan noise/notes.txt --format jsonl --no-progress
expect_no_grep 'corrupt-archive' "$work/last.out" "... are not warnings"
expect_grep '"decoded_not_archives":2' "$work/last.out" "... they are counted in the summary"
"$SFMC_SCAN" scan noise/broken.zip --format jsonl --no-progress >broken.jsonl 2>/dev/null
expect_grep '"path":"noise/broken.zip","reason":"corrupt-archive"' broken.jsonl "a damaged zip file is still reported"
finish

#!/usr/bin/env bash
# Documents, each generated here: a MIME mail with a base64 attachment (wrapped at 76
# columns) and a quoted-printable body (a soft line break inside the token), an mbox
# of several messages, a PDF with a Flate-compressed content stream (written object by
# object), .docx / .xlsx / .odt; negatives and a Flate bomb. Each asserts the location
# a user would click: the file in the tree first, then the attachment, page or member.
source "$(dirname "$0")/lib.sh"
for tool in base64 zip python3; do command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }; done
fresh_work mail_pdf
crlf() { sed 's/$/\r/'; }
mkdir tree && cd tree

# A mail: a quoted-printable body whose token is cut by a soft line break, and a base64
# attachment (76 columns, CRLF) holding a .env.
t_qp=$(new_token); t_att=$(new_token)
{
  printf 'From: ops@example.com\nTo: dev@example.com\nSubject: new credentials\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n'
  printf 'Message-ID: <1@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n'
  printf -- '--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n'
  printf 'Hello,\nthe new secret is %s=\n%s =E2=80=94 please rotate.\n' "${t_qp:0:30}" "${t_qp:30}"
  printf -- '--b1\nContent-Type: text/plain; name="sfmc.env"\nContent-Disposition: attachment; filename="sfmc.env"\n'
  printf 'Content-Transfer-Encoding: base64\n\n'
  printf 'APP=orders\nSFMC_CLIENT_SECRET=%s\n' "$t_att" | base64 -w76
  printf -- '--b1--\n'
} | crlf >mail.eml

# An mbox of three messages: a base64 attachment in the second, a plain (7bit) body in
# the third, located at the mbox's own line.
t_m2=$(new_token); t_m3=$(new_token)
{
  printf 'From ops@example.com Mon Nov  2 10:00:00 2026\nFrom: ops@example.com\nSubject: one\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n\nnothing here\n\n'
  printf 'From ops@example.com Mon Nov  2 11:00:00 2026\nFrom: ops@example.com\nSubject: two\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: text/plain\n\nsee attached\n'
  printf -- '--x\nContent-Type: application/json\nContent-Disposition: attachment; filename="creds.json"\nContent-Transfer-Encoding: base64\n\n'
  printf '{\n  "client_secret": "%s"\n}\n' "$t_m2" | base64 -w76
  printf -- '--x--\n\n'
  printf 'From ops@example.com Mon Nov  2 12:00:00 2026\nFrom: ops@example.com\nSubject: three\n\nsecret: %s\n' "$t_m3"
} >export.mbox
m3_line=$(grep -n "^secret: " export.mbox | cut -d: -f1)

# Negatives in mail: a base64 attachment of a token glued to more alphanumerics, and a
# random binary attachment.
t_glued=$(new_token)
{
  printf 'From: a@example.com\nSubject: neg\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="n"\n\n'
  printf -- '--n\nContent-Type: text/plain\nContent-Disposition: attachment; filename="glued.txt"\nContent-Transfer-Encoding: base64\n\n'
  printf 'x=%sabc\n' "$t_glued" | base64 -w76
  printf -- '--n\nContent-Type: image/png\nContent-Disposition: attachment; filename="logo.png"\nContent-Transfer-Encoding: base64\n\n'
  head -c 20000 /dev/urandom | base64 -w76
  printf -- '--n--\n'
} >neg.eml

# A PDF: page 1's content is not compressed (its token is in the file's bytes), page 2's
# is Flate-compressed, with the token shown as a kerned TJ array in two pieces.
t_p1=$(new_token); t_p2=$(new_token)
python3 - "$t_p1" "$t_p2" runbook.pdf "$SFMC_SOURCE_DIR/tests/cli" <<'PY'
import sys, zlib
sys.path.insert(0, sys.argv[4])
from hostile_pdf import stream, write_pdf
p1, p2, out = sys.argv[1], sys.argv[2], sys.argv[3]
c1 = f"BT /F1 12 Tf 72 720 Td (Page one: {p1}) Tj ET".encode()
c2 = f"BT /F1 12 Tf 72 720 Td (Rotation runbook) Tj 0 -20 Td [({p2[:20]}) -15 ({p2[20:]})] TJ ET".encode()
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
    stream(c1, filtered=False),
    stream(zlib.compress(c2)),
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]
write_pdf(objs, out)
# A Flate bomb: one page whose content inflates to 100 MB of spaces.
objs[5] = stream(zlib.compress(b" " * 100_000_000, 9))
write_pdf(objs, "../bomb.pdf")
PY

# Office documents are zips of XML.
t_docx=$(new_token); t_xlsx=$(new_token); t_odt=$(new_token)
mkdir -p d/word && printf '<?xml version="1.0"?>\n<w:document><w:body><w:p><w:t>secret %s</w:t></w:p></w:body></w:document>\n' "$t_docx" >d/word/document.xml
(cd d && zip -q ../report.docx word/document.xml) && rm -r d
mkdir -p x/xl && printf '<?xml version="1.0"?>\n<sst><si><t>%s</t></si></sst>\n' "$t_xlsx" >x/xl/sharedStrings.xml
(cd x && zip -q ../keys.xlsx xl/sharedStrings.xml) && rm -r x
mkdir o && printf 'application/vnd.oasis.opendocument.text' >o/mimetype &&
  printf '<?xml version="1.0"?>\n<office:document-content><text:p>%s</text:p></office:document-content>\n' "$t_odt" >o/content.xml
(cd o && zip -q -0 ../notes.odt mimetype && zip -q ../notes.odt content.xml) && rm -r o
cd ..

expect_status 1 "mail, mbox, pdf, office" -- "$SFMC_SCAN" scan tree --format jsonl
# Quoted-printable: located in the mail where the token's characters start (the line
# before its soft line break), and ends where they end, on the next line.
qp_line=$(grep -n "^the new secret is" tree/mail.eml | cut -d: -f1)
found_at "$t_qp" "tree/mail.eml" "$qp_line" 19 quoted-printable '["part 1"]'
finding "$t_qp" | grep -q "\"end_column\":$((64 - 30 + 1)),\"end_line\":$((qp_line + 1))," && ok ||
  fail "quoted-printable: the token's end is not where its last character is: $(finding "$t_qp" | grep -o '"end_[a-z]*":[0-9]*' | tr '\n' ' ')"
# A base64 attachment: located in the mail, at the characters that encode the token
# (its part said apart); the same in an mbox's second message.
att_line=$(grep -n "^$(printf 'APP=orders\nSFMC_CLIENT_SECRET=%s\n' "$t_att" | base64 -w76 | head -1)" tree/mail.eml | cut -d: -f1)
found_at "$t_att" "tree/mail.eml" "$att_line" $((1 + 30 / 3 * 4)) base64 '["sfmc.env"]'
m2_line=$(grep -n "^$(printf '{\n  "client_secret": "%s"\n}\n' "$t_m2" | base64 -w76 | head -1)" tree/export.mbox | cut -d: -f1)
found_at "$t_m2" "tree/export.mbox" "$m2_line" $((1 + 22 / 3 * 4)) base64 '["message 2","creds.json"]'
found_at "$t_m3" "tree/export.mbox" "$m3_line" 9 utf-8
not_found "$t_glued" "mail: base64 of a token glued to more alphanumerics"
expect_no_grep '"path":"tree/neg.eml' "$work/last.out" "random attachment: no finding"
found_at "$t_p1" "tree/runbook.pdf" "$(grep -an "Page one" tree/runbook.pdf | cut -d: -f1)" 35 binary
found_at "$t_p2" "tree/runbook.pdf!page 2" 2 1 pdf-text
found_at "$t_docx" "tree/report.docx!word/document.xml" 2 38 utf-8
found_at "$t_xlsx" "tree/keys.xlsx!xl/sharedStrings.xml" 2 13 utf-8
found_at "$t_odt" "tree/notes.odt!content.xml" 2 34 utf-8
expect_count 9 "$work/last.out" "nothing reported twice"

expect_status 1 "--no-mail --no-pdf" -- "$SFMC_SCAN" scan tree --no-mail --no-pdf --format jsonl
# Without the MIME decoder, the base64 decoder still finds the attachment, at the mail's line.
finding "$t_att" | grep -q '"decoded":\["base64@[0-9]*:1"\].*"path":"tree/mail.eml"' && ok || fail "--no-mail: attachment found as a base64 run"
not_found "$t_qp" "--no-mail leaves quoted-printable soft breaks in place"
not_found "$t_p2" "--no-pdf leaves pages compressed"
found_at "$t_m3" "tree/export.mbox" "$m3_line" 9 utf-8

# The mail, PDF and verify decoders are modules, loaded on first use
# (scanner/core/module_loader.hpp). Without them nothing is missed in silence: each
# mail and PDF is a decoder-unavailable warning naming the module, their own bytes are
# still matched (the attachment then as a base64 run, at the mail's line), and the run
# exits 2, so CI does not pass it.
if [ -z "${SFMC_MODULES_LINKED:-}" ]; then
  mkdir no-modules
  expect_status 2 "no decoder modules" -- env SFMC_MODULE_DIR="$work/no-modules" "$SFMC_SCAN" scan tree --format jsonl
  expect_grep '"path":"tree/mail.eml","reason":"decoder-unavailable"' "$work/last.out" "mail without its module: warned"
  expect_grep '"path":"tree/runbook.pdf","reason":"decoder-unavailable"' "$work/last.out" "PDF without its module: warned"
  expect_grep 'mail.so not found' "$work/last.out" "the warning names the missing module"
  expect_grep 'error: 4 inputs were not read or decoded fully' "$work/last.err" "the exit status is explained"
  finding "$t_att" | grep -q '"decoded":\["base64@[0-9]*:1"\].*"path":"tree/mail.eml"' && ok || fail "no module: attachment found as a base64 run"
  found_at "$t_p1" "tree/runbook.pdf" "$(grep -an "Page one" tree/runbook.pdf | cut -d: -f1)" 35 binary
  found_at "$t_m3" "tree/export.mbox" "$m3_line" 9 utf-8
  not_found "$t_p2" "no PDF module: compressed page not decoded"
  expect_status 2 "no decoder modules, SARIF" -- env SFMC_MODULE_DIR="$work/no-modules" "$SFMC_SCAN" scan tree --format sarif -o nomod.sarif
  expect_grep '"executionSuccessful": *false' nomod.sarif "SARIF says the run did not do it all"
  # Turned off on purpose, a missing module is no error: nothing needed it.
  expect_status 1 "no modules, --no-mail --no-pdf" -- env SFMC_MODULE_DIR="$work/no-modules" "$SFMC_SCAN" scan tree --no-mail --no-pdf --format jsonl
  expect_no_grep 'decoder-unavailable' "$work/last.out" "nothing asked for a module"
  expect_status 2 "--verify without its module" -- env SFMC_MODULE_DIR="$work/no-modules" "$SFMC_SCAN" scan tree --verify --format jsonl
  expect_grep 'verify: module verify.so not found' "$work/last.err" "--verify refuses to start, naming the module"
  expect_no_grep '"type":"finding"' "$work/last.out" "--verify refused before scanning"
  expect_status 2 "a relative module folder" -- env SFMC_MODULE_DIR=no-modules "$SFMC_SCAN" scan tree/runbook.pdf --format jsonl
  expect_grep 'SFMC_MODULE_DIR must be an absolute path' "$work/last.out" "a relative module folder is refused"
  # Code is loaded only from where no one else could have put it.
  mkdir -p open-modules && cp "$(dirname "$SFMC_SCAN")/modules/pdf.so" open-modules/ && chmod o+w open-modules
  expect_status 2 "a module in a folder others can write" -- env SFMC_MODULE_DIR="$work/open-modules" "$SFMC_SCAN" scan tree/runbook.pdf --format jsonl
  expect_grep 'refused [^"]*open-modules/pdf.so: [^"]*open-modules can be written by other users' "$work/last.out" "an untrusted module folder is refused"
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p their-modules && cp "$(dirname "$SFMC_SCAN")/modules/pdf.so" their-modules/ && chown -R 65534 their-modules
    expect_status 2 "a module another user owns" -- env SFMC_MODULE_DIR="$work/their-modules" "$SFMC_SCAN" scan tree/runbook.pdf --format jsonl
    expect_grep 'their-modules[^"]* belongs to another user' "$work/last.out" "a module of another user is refused"
  fi
  # A monitoring re-sweep does not record as done a sweep that could not decode it all.
  git init -q pdfrepo && cp tree/runbook.pdf pdfrepo/ && git -C pdfrepo add runbook.pdf &&
    (cd pdfrepo && commit_at 2026-11-02T10:00:00Z "runbook")
  git init -q cleanrepo && echo hello >cleanrepo/a.txt && git -C cleanrepo add a.txt && (cd cleanrepo && commit_at 2026-11-02T10:00:00Z "a")
  expect_status 2 "--state sweep without modules" -- env SFMC_MODULE_DIR="$work/no-modules" "$SFMC_SCAN" git pdfrepo cleanrepo --state "$work/sweep.state" --format jsonl
  expect_grep '"cleanrepo":' sweep.state "the repository swept whole is recorded"
  expect_no_grep '"pdfrepo":' sweep.state "the one left undecoded is not"
  expect_status 1 "--state sweep again, modules back" -- "$SFMC_SCAN" git pdfrepo cleanrepo --state "$work/sweep.state" --format jsonl
  finding "$t_p2" | grep -q '"path":"pdfrepo!runbook.pdf!page 2"' && ok || fail "the re-sweep decodes the page the first could not"
  # Every command that scans says so: locate's "not found" is only true of what it read,
  # and a baseline would lack what was not decoded.
  printf '%s\n' "$t_p2" >p2.secret
  expect_status 2 "locate without modules" -- sh -c 'env SFMC_MODULE_DIR="$1" "$2" locate tree <p2.secret' sh "$work/no-modules" "$SFMC_SCAN"
  expect_grep 'inputs were not read or decoded' "$work/last.err" "locate explains its exit status"
  expect_status 1 "locate with modules" -- sh -c '"$1" locate tree <p2.secret' sh "$SFMC_SCAN"
  expect_grep 'runbook.pdf!page 2' "$work/last.out" "locate finds the compressed page"
  expect_status 2 "baseline without modules" -- env SFMC_MODULE_DIR="$work/no-modules" "$SFMC_SCAN" baseline create tree -o nomod.baseline
  [ -s nomod.baseline ] && ok || fail "the baseline is still written"
  # A resumed sweep keeps count of what its earlier runs left undecoded: a PDF first,
  # then enough files for checkpoints after it, killed at one.
  mkdir -p resumed && cp tree/runbook.pdf resumed/a.pdf && for i in $(seq 200); do echo "x $i" >resumed/f$i.txt; done
  expect_status 137 "resumable sweep killed at a checkpoint" -- env SFMC_MODULE_DIR="$work/no-modules" SFMC_CHECKPOINT_MS=0 \
    SFMC_TEST_KILL_AT_CHECKPOINT=3 "$SFMC_SCAN" scan resumed --resume resume.state -o resumed.jsonl --format jsonl -q
  expect_grep '"undecoded":1' resume.state "the checkpoint counts the undecoded PDF"
  expect_status 2 "resumed sweep" -- env SFMC_MODULE_DIR="$work/no-modules" "$SFMC_SCAN" scan resumed --resume resume.state -o resumed.jsonl --format jsonl -q
  expect_status 2 "a completed sweep that left a file undecoded" -- "$SFMC_SCAN" scan resumed --resume resume.state -o resumed.jsonl --format jsonl -q
  if [ -n "${SFMC_STALE_MODULE_DIR:-}" ]; then
    expect_status 2 "a module from another build" -- env SFMC_MODULE_DIR="$SFMC_STALE_MODULE_DIR" "$SFMC_SCAN" scan tree/mail.eml --format jsonl
    expect_grep 'mail.so was built for another sfmc-scan build' "$work/last.out" "a stale module is refused by name"
  fi
fi

expect_status 2 "a Flate bomb stops at the expansion limit (exit 2)" -- "$SFMC_SCAN" scan bomb.pdf --archive-max-bytes 10M --format jsonl
expect_grep '"path":"bomb.pdf","reason":"archive-limit"' "$work/last.out" "Flate bomb reported"

# Hostile PDFs whose secret is still reachable (tests/cli/hostile_pdf.py): page 1 a
# Flate bomb of 200 MB (more than a page's 64 MiB held for its text), the page tree a
# loop, the catalog nested 100,000 deep. The secret is found in each; a page cut by a
# limit is an archive-limit warning naming it, and exit 2.
t_h=$(new_token)
for kind in bomb loop deep; do python3 "$SFMC_SOURCE_DIR/tests/cli/hostile_pdf.py" "$kind" "$t_h" "$kind-page.pdf" 200000000; done
(ulimit -v "$(mem_limit 1200000)"; exec "$SFMC_SCAN" scan bomb-page.pdf --format jsonl) >"$work/last.out" 2>"$work/last.err"
rc=$?
[ "$rc" -eq 2 ] && ok || fail "a page that inflates to 200 MB: exit $rc, want 2"
found_at "$t_h" "bomb-page.pdf!page 2" 1 1 pdf-text
expect_grep '"detail":"page 1: decoded content larger than 64 MiB[^"]*","path":"bomb-page.pdf","reason":"archive-limit"' "$work/last.out" \
  "the cut page is named in an archive-limit warning"
for kind in loop deep; do
  expect_status 1 "a PDF with a $kind in its page tree" -- "$SFMC_SCAN" scan "$kind-page.pdf" --format jsonl
  finding "$t_h" | grep -q "\"path\":\"$kind-page.pdf!stream@[0-9]*\"" && ok || fail "$kind: the page's stream decoded anyway"
  expect_grep "\"detail\":\"its pages could not all be found[^\"]*\",\"path\":\"$kind-page.pdf\"" "$work/last.out" \
    "$kind: a warning says the streams were decoded instead"
done

tools="${SFMC_SHARED_DIR:-}/tools/sarif"
if command -v node >/dev/null && [ -x "$tools/gh-validate.sh" ]; then
  "$SFMC_SCAN" scan tree --format sarif -o mail_pdf.sarif -q
  multitool=(); [ "${SFMC_SARIF_MULTITOOL:-1}" = 0 ] && multitool=(--no-multitool)
  if "$tools/gh-validate.sh" "${multitool[@]}" mail_pdf.sarif >validate.log 2>&1; then ok; else fail "gh-validate.sh"; tail -20 validate.log; fi
else
  echo "(SARIF validation not run: no Node.js or no ../shared)"
fi
finish

#!/usr/bin/env bash
# Context identifiers (client ids, tenant subdomains) near a secret are found by a second
# pass over an input only when the first, with the finding rules alone, found a secret
# (ScanEngine::findings_database). Whatever the input's kind, a finding must carry the
# same context as when every rule ran in one pass: a plain file (context before and
# after the secret, more than a chunk away), a git blob, a UTF-16 file, an archive
# member and a pipe (read once, every rule at once), and a file with no secret (no context pass).
source "$(dirname "$0")/lib.sh"
for tool in git zip iconv python3; do command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }; done
fresh_work context_pass
rand() { python3 -c "import random,string,sys; r=random.Random(sys.argv[1]); print(''.join(r.choice(string.ascii_lowercase+string.digits) for _ in range(int(sys.argv[2]))))" "$1" "$2"; }
id_before=$(rand 1 24); id_after=$(rand 2 24); sub=mc$(rand 3 26)
config() {  # config TOKEN PADDING_BYTES: an id, PADDING bytes, the secret, PADDING bytes, a subdomain and an id
  printf 'client_id: %s\n' "$id_before"
  head -c "$2" /dev/zero | tr '\0' '#'; echo
  printf 'client_secret: %s\n' "$1"
  head -c "$2" /dev/zero | tr '\0' '#'; echo
  printf 'auth: https://%s.auth.marketingcloudapis.com/\nclientId: "%s"\n' "$sub" "$id_after"
}
context_of() {  # context_of TOKEN: the finding's context values, sorted, one a line
  finding "$1" | python3 -c 'import json,sys; [print(c["value"]) for l in sys.stdin for c in json.loads(l).get("context", [])]' | sort
}
want=$(printf '%s\n' "$id_before" "$id_after" "$sub" | sort)
expect_context() {  # expect_context TOKEN WHAT
  local got; got=$(context_of "$1")
  if [ "$got" = "$want" ]; then ok; else fail "$2: context '$(echo $got)', want '$(echo $want)'"; fi
}

mkdir tree
t_plain=$(new_token); config "$t_plain" 100 >tree/app.yaml
t_far=$(new_token); config "$t_far" 3000000 >tree/far.yaml  # ids 3 MB from the secret: several chunks
t_utf16=$(new_token); config "$t_utf16" 100 | iconv -f UTF-8 -t UTF-16 >tree/export-utf16.txt
t_zip=$(new_token); mkdir z && config "$t_zip" 100 >z/inner.yaml && (cd z && zip -q ../tree/bundle.zip inner.yaml) && rm -r z
printf 'client_id: %s\nnothing secret here\n' "$id_before" >tree/ids-only.yaml

expect_status 1 "scan finds the secrets" -- "$SFMC_SCAN" scan tree -q --format jsonl
expect_count 4 "$work/last.out" "one finding per secret"
expect_context "$t_plain" "plain file"
expect_context "$t_far" "plain file, context megabytes away"
expect_context "$t_utf16" "UTF-16 file"
expect_context "$t_zip" "zip member"
# A chunk size that splits everything: the context pass streams in chunks of its own.
expect_status 1 "small chunks" -- "$SFMC_SCAN" scan tree/far.yaml -q --format jsonl --chunk-size 4096
expect_context "$t_far" "plain file, small chunks"

# Standard input through a pipe cannot be read twice: every rule in one pass.
config "$t_plain" 100 >piped.yaml
expect_status 1 "a pipe on standard input" -- bash -c "cat piped.yaml | \"$SFMC_SCAN\" scan - -q --format jsonl"
expect_context "$t_plain" "standard input, a pipe"

# The same in history: a blob is read again from memory.
git init -q -b main repo && cp tree/app.yaml repo/ && (cd repo && git add app.yaml && commit_at 2026-01-02T00:00:00Z "add config")
expect_status 1 "history finds the secret" -- "$SFMC_SCAN" git repo -q --format jsonl
expect_context "$t_plain" "git blob"
finish

#!/usr/bin/env bash
# `cmake --install` lays out the binary, rules, hooks, man page and completions; the
# installed binary reads the installed rules, a copied binary its compiled-in ones;
# --rules and $SFMC_RULES override both; every completion script parses and completes.
source "$(dirname "$0")/../cli/lib.sh"
: "${SFMC_BUILD_DIR:?}" "${CMAKE_COMMAND:?}"
fresh_work install_tree
unset SFMC_RULES
prefix="$work/prefix"
expect_status 0 "cmake --install" -- "$CMAKE_COMMAND" --install "$SFMC_BUILD_DIR" --prefix "$prefix"
for f in bin/sfmc-scan share/sfmc-scan/rules/sfmc.toml share/sfmc-scan/hooks/pre-commit share/sfmc-scan/hooks/pre-push \
         share/bash-completion/completions/sfmc-scan share/zsh/site-functions/_sfmc-scan \
         share/fish/vendor_completions.d/sfmc-scan.fish share/doc/sfmc-scan/copyright; do
  if [ -f "$prefix/$f" ]; then ok; else fail "not installed: $f"; fi
done
for m in mail pdf verify store; do
  [ -n "${SFMC_MODULES_LINKED:-}" ] && break  # a libFuzzer build links them in
  # lib/<multiarch>/sfmc-scan where the system has such a folder (Debian), else lib*/sfmc-scan.
  { compgen -G "$prefix/lib/*/sfmc-scan/$m.so" || compgen -G "$prefix/lib*/sfmc-scan/$m.so"; } >/dev/null && ok ||
    fail "module not installed: $m.so"
done
man_page=$(ls "$prefix"/share/man/man1/sfmc-scan.1* 2>/dev/null | head -1)
if [ -n "$man_page" ]; then ok; else fail "no man page installed"; fi

token=$(new_token)
mkdir tree && printf 'password=%s\n' "$token" >tree/app.env

# Installed: the rules under <prefix>/share win over the compiled-in copy.
expect_status 0 "installed rules list" -- "$prefix/bin/sfmc-scan" rules list
expect_grep "^# rules from $prefix/share/sfmc-scan/rules\$" "$work/last.out" "installed binary reads the installed rules"
expect_status 1 "installed binary finds the secret" -- "$prefix/bin/sfmc-scan" scan tree --format jsonl -q
expect_count 1 "$work/last.out" "installed binary"

if [ -z "${SFMC_MODULES_LINKED:-}" ]; then
  # The installed binary loads its installed modules: a mail attachment is decoded. The
  # installation is moved out of the build folder first, where the build's own modules
  # would be found instead.
  outside=$(mktemp -d /tmp/sfmc-install.XXXXXX)
  cp -a "$prefix" "$outside/prefix" && mkdir "$outside/alone" && cp "$prefix/bin/sfmc-scan" "$outside/alone/"
  mkdir mail && mail_with_attachment "$(new_token)" mail/creds.eml
  expect_status 1 "installed binary decodes mail" -- env -u SFMC_MODULE_DIR "$outside/prefix/bin/sfmc-scan" scan mail --format jsonl -q
  expect_grep '"decoded":\["sfmc.env"\].*"path":"mail/creds.eml"' "$work/last.out" "installed mail module loaded"
  expect_no_grep 'decoder-unavailable' "$work/last.out" "no module missing where installed"
  # The binary copied alone still finds the attachment (as a base64 run) and says which
  # decoder it lacked.
  expect_status 2 "binary without its modules" -- env -u SFMC_MODULE_DIR "$outside/alone/sfmc-scan" scan mail --format jsonl -q
  expect_grep '"reason":"decoder-unavailable"' "$work/last.out" "a missing module is reported"
  expect_grep '"decoded":\["base64@[0-9]+:[0-9]+"\].*"path":"mail/creds.eml"' "$work/last.out" "the attachment is still found"
  rm -rf "$outside"
fi
# Copied anywhere, with no rules folder near it: the compiled-in rules.
mkdir -p elsewhere && cp "$prefix/bin/sfmc-scan" elsewhere/
expect_status 0 "copied rules list" -- elsewhere/sfmc-scan rules list
expect_grep '^# rules from built-in$' "$work/last.out" "copied binary uses the compiled-in rules"
expect_grep '^sfmc-client-secret	secret	' "$work/last.out" "compiled-in rules hold the secret rule"
expect_status 1 "copied binary finds the secret" -- elsewhere/sfmc-scan scan tree --format jsonl -q
expect_count 1 "$work/last.out" "copied binary"
expect_status 0 "copied binary checks its rules' examples" -- elsewhere/sfmc-scan rules check

# Overrides: $SFMC_RULES, then --rules over it.
sed 's/algorithm = "crc32"/algorithm = "adler32"/' "$SFMC_SOURCE_DIR/rules/sfmc.toml" >adler.toml
expect_status 1 "SFMC_RULES override" -- env SFMC_RULES="$work/adler.toml" elsewhere/sfmc-scan scan tree --format jsonl -q
expect_grep '"verdict":"checksum-invalid"' "$work/last.out" "SFMC_RULES changes the checksum assumption"
expect_status 2 "SFMC_RULES pointing nowhere" -- env SFMC_RULES="$work/none.toml" elsewhere/sfmc-scan scan tree
expect_grep 'none.toml' "$work/last.err" "names the missing rule file"
expect_status 1 "--rules over SFMC_RULES" -- env SFMC_RULES="$work/none.toml" elsewhere/sfmc-scan scan tree --rules "$SFMC_SOURCE_DIR/rules" --format jsonl -q
expect_grep '"verdict":"checksum-valid"' "$work/last.out" "--rules wins"

# Completions: each parses, and bash and fish complete subcommands, options and values.
bash_completion="$prefix/share/bash-completion/completions/sfmc-scan"
expect_status 0 "bash -n" -- bash -n "$bash_completion"
cat >complete.bash <<'EOS'
source "$1"
comp() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _sfmc_scan; echo "${COMPREPLY[*]}"; }
comp sfmc-scan sc
comp sfmc-scan scan --form
comp sfmc-scan scan --format ""
comp sfmc-scan -h hook ""
comp sfmc-scan git -o rules --fail-on w
comp sfmc-scan completion ""
EOS
bash complete.bash "$bash_completion" >bash.out 2>&1
# The formats as the binary's own help lists them: the completion follows the parser.
formats=$("$prefix/bin/sfmc-scan" scan --help | sed -n 's/^ *--format[^ ]* TEXT:{\([^}]*\)}.*/\1/p' | tr ',' ' ')
[ -n "$formats" ] && ok || fail "no --format choices in scan --help"
printf 'scan\n--format\n%s\ninstall\nwarning\nbash zsh fish\n' "$formats" >bash.want
if diff -u bash.want bash.out; then ok; else fail "bash completion"; fi
if command -v zsh >/dev/null; then
  expect_status 0 "zsh -n" -- zsh -n "$prefix/share/zsh/site-functions/_sfmc-scan"
else
  echo "zsh not installed: its completion is not parsed"
fi
if command -v fish >/dev/null; then
  fish_completion="$prefix/share/fish/vendor_completions.d/sfmc-scan.fish"
  expect_status 0 "fish -n" -- fish -n "$fish_completion"
  fish -c "source $fish_completion; complete -C 'sfmc-scan scan --form'; complete -C 'sfmc-scan scan --fail-on '; complete -C 'sfmc-scan rules '; complete -C 'sfmc-scan completion '" \
    | cut -f1 >fish.out 2>&1
  printf -- '--format\nerror\nnote\nwarning\ncheck\nlist\nbash\nfish\nzsh\n' >fish.want
  if diff -u fish.want fish.out; then ok; else fail "fish completion"; fi
else
  echo "fish not installed: its completion is not parsed"
fi

# The man page: every command's help is in it, and groff reads it without a warning.
if [ -n "$man_page" ]; then
  case "$man_page" in *.gz) gzip -dc "$man_page" >page.1 ;; *) cp "$man_page" page.1 ;; esac
  for cmd in "scan" "git" "hook install" "baseline create" "rules check" "completion"; do
    expect_grep "^\.SS \"sfmc\\\\-scan $cmd\"" page.1 "man page has sfmc-scan $cmd"
  done
  expect_grep '\\-\\-fail\\-on' page.1 "man page lists the options"
  if command -v groff >/dev/null; then
    groff -k -ww -z -man page.1 >groff.out 2>&1
    if [ ! -s groff.out ]; then ok; else fail "groff warnings"; head -5 groff.out; fi
    # It reads at 80 columns: options are paragraphs man fills, not the --help text as it is.
    groff -k -man -Tascii -rLL=80n -rIN=7n page.1 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' >page.txt
    wide=$(awk 'length > 80' page.txt | wc -l)
    [ -s page.txt ] && [ "$wide" -eq 0 ] && ok || { fail "man page: $wide lines wider than 80 columns"; awk 'length > 80' page.txt | head -3; }
    expect_grep '^ +--format, --report-format sarif\|json' page.txt "an option as a tagged paragraph, its values named"
  fi
fi
finish

#!/usr/bin/env bash
# No Docker engine runs in CI, so the Dockerfile is checked for what its build relies
# on: two Debian 12 slim stages, the build stage running scripts/package.sh (which
# install.deb_package runs) and the runtime stage scripts/install-deb.sh (which
# install.debootstrap runs in a Debian 12 root), a non-root user, the binary as the
# entrypoint, and COPY sources that exist. With a working engine it also builds it.
source "$(dirname "$0")/../cli/lib.sh"
fresh_work dockerfile
df="$SFMC_SOURCE_DIR/Dockerfile"
[ -f "$df" ] || { fail "no Dockerfile"; finish; exit; }
# Instructions with their continuation lines joined.
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$df" | grep -vE '^\s*(#|$)' >instructions.txt
grep -E '^FROM ' instructions.txt >from.txt
if [ "$(wc -l <from.txt)" -eq 2 ]; then ok; else fail "want two stages, got: $(tr '\n' ';' <from.txt)"; fi
expect_grep '^FROM debian:(12|bookworm)-slim AS build$' from.txt "build stage on Debian 12 slim"
if sed -n 2p from.txt | grep -qE '^FROM debian:(12|bookworm)-slim$'; then ok; else fail "runtime stage is not Debian 12 slim"; fi
awk '/^FROM /{stage++} stage==1' instructions.txt >build_stage.txt
awk '/^FROM /{stage++} stage==2' instructions.txt >runtime_stage.txt
expect_grep '^RUN scripts/install-deps\.sh --build-only$' build_stage.txt "build stage installs the build dependencies"
expect_grep '^RUN .*scripts/package\.sh build$' build_stage.txt "build stage runs scripts/package.sh"
expect_grep '^RUN sh /tmp/install-deb\.sh /tmp/packages/sfmc-scan_\*\.deb' runtime_stage.txt "runtime stage runs install-deb.sh"
expect_grep '^COPY scripts/install-deb\.sh /tmp/install-deb\.sh$' runtime_stage.txt "runtime stage copies install-deb.sh"
expect_grep 'scripts/install-deb\.sh' "$SFMC_SOURCE_DIR/tests/install/debootstrap.sh" "the debootstrap test runs the same script"
expect_grep 'scripts/package\.sh' "$SFMC_SOURCE_DIR/tests/install/deb_package.sh" "the package test runs the same script"
user=$(sed -n 's/^USER //p' runtime_stage.txt | tail -1)
if [ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ]; then ok; else fail "runtime stage runs as root"; fi
expect_grep "useradd .*$user\$" "$SFMC_SOURCE_DIR/scripts/install-deb.sh" "install-deb.sh creates the image's user"
expect_grep '^ENTRYPOINT \["sfmc-scan"\]$' runtime_stage.txt "the binary is the entrypoint"
# Every COPY from the build context names something in the repository.
while read -r _ src _; do
  [ -e "$SFMC_SOURCE_DIR/$src" ] && ok || fail "COPY source missing: $src"
done < <(grep -E '^COPY ' instructions.txt | grep -v -- '--from=')
expect_grep '^build\*/$' "$SFMC_SOURCE_DIR/.dockerignore" "build folders stay out of the context"
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  expect_status 0 "docker build" -- docker build -q -t sfmc-scan:test "$SFMC_SOURCE_DIR"
else
  echo "no Docker engine: the image itself is not built here"
fi
finish

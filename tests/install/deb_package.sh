#!/usr/bin/env bash
# scripts/package.sh (what the Dockerfile's build stage runs) makes a .deb whose
# Depends name the Debian 12 libraries the binary links, and which holds the binary,
# rules, hooks, man page and completions under /usr. Later install tests use it.
source "$(dirname "$0")/../cli/lib.sh"
: "${SFMC_BUILD_DIR:?}"
fresh_work deb_package
command -v cpack >/dev/null || { echo "SKIP: cpack not found"; exit 77; }
command -v dpkg-shlibdeps >/dev/null || { echo "SKIP: dpkg-shlibdeps not found (dpkg-dev)"; exit 77; }
start=$(date +%s)
expect_status 0 "scripts/package.sh" -- "$SFMC_SOURCE_DIR/scripts/package.sh" "$SFMC_BUILD_DIR"
deb=$(ls "$SFMC_BUILD_DIR"/packages/sfmc-scan_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { fail "no .deb in $SFMC_BUILD_DIR/packages"; finish; exit; }
echo "package: $deb, $(stat -c %s "$deb") bytes, made in $(( $(date +%s) - start )) s"
dpkg-deb -I "$deb" >info.txt
depends=$(sed -n 's/^ Depends: //p' info.txt)
# libcurl4, libgmime-3.0-0 and libqpdf29 are needed by the modules alone: dpkg-shlibdeps
# must have read those too.
for lib in libhyperscan5 libgit2-1.5 libtbb12 libarchive13 libpcre2-8-0 libcurl4 libgmime-3.0-0 libqpdf29 libssl3 libstdc++6 libc6; do
  case ", $depends" in *", $lib "* | *", $lib,"*) ok ;; *) fail "Depends lacks $lib: $depends" ;; esac
done
expect_grep '^ Package: sfmc-scan$' info.txt "package name"
expect_grep '^ Architecture: ' info.txt "architecture"
dpkg-deb -c "$deb" | awk '{print $6}' >contents.txt
for f in ./usr/bin/sfmc-scan ./usr/share/sfmc-scan/rules/sfmc.toml ./usr/share/sfmc-scan/hooks/pre-commit \
         ./usr/share/man/man1/sfmc-scan.1.gz ./usr/share/bash-completion/completions/sfmc-scan \
         ./usr/share/zsh/vendor-completions/_sfmc-scan ./usr/share/fish/vendor_completions.d/sfmc-scan.fish \
         ./usr/share/doc/sfmc-scan/copyright ./usr/share/doc/sfmc-scan/changelog.gz; do
  expect_grep "^${f//./\\.}\$" contents.txt "the package holds $f"
done
# The modules in the multiarch library folder, which ldconfig does not read: no
# maintainer scripts calling it.
for m in mail pdf verify store; do
  expect_grep "^\./usr/lib/[a-z0-9_]+-linux-[a-z0-9_]+/sfmc-scan/$m\.so\$" contents.txt "the package holds the $m module"
done
dpkg-deb -e "$deb" control
[ ! -e control/postinst ] && [ ! -e control/postrm ] && ok || fail "maintainer scripts: $(ls control)"
# Debian's own check, pedantic: no error, no warning.
if command -v lintian >/dev/null; then
  lintian --pedantic "$deb" >lintian.txt 2>&1
  expect_no_grep '^[EW]: ' lintian.txt "lintian --pedantic: no error or warning"
  grep '^[EW]: ' lintian.txt | head -10
else
  echo "lintian not installed: not run"
fi
# Nothing outside /usr, and no developer tool.
expect_no_grep '^\./(etc|opt|usr/local)/' contents.txt "installs only under /usr"
expect_no_grep 'sfmc-gen' contents.txt "sfmc-gen stays out of the package"
finish

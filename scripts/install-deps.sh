#!/usr/bin/env bash
# Installs the Debian 12 packages sfmc-scan needs, and only those that are missing,
# so running it again is cheap. Needs root or sudo.
#
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also hyperfine and ripgrep (bench/compare.sh)
set -euo pipefail

packages=(
  cmake g++ make pkg-config git
  libhyperscan-dev libpcre2-dev libgit2-dev libarchive-dev libcurl4-openssl-dev libtbb-dev libcli11-dev nlohmann-json3-dev
  libtomlplusplus-dev zlib1g-dev libssl-dev libexpat1-dev
  libdeflate-dev libisal-dev liblzma-dev libzstd-dev libbz2-dev
  catch2 libbenchmark-dev lintian  # lintian: tests/install/deb_package.sh
  zip bzip2 xz-utils zstd
  libgmime-3.0-dev libqpdf-dev
  slurm-wlm munge python3 python3-yaml  # fleet: the Slurm cluster test, the Kubernetes manifest check
  python3  # tests/cli/hostile_io.sh edits saved reports
  fuse3 python3-fusepy  # tests/cli/mount_sweep.sh: a slow store mounted with FUSE
)
[ "${1:-}" = "--bench" ] && packages+=(hyperfine ripgrep time unzip bc python3)
# Packaging tests (tests/install): the .deb in a debootstrap root, the pre-commit
# framework, the man page and the shell completions.
packages+=(debootstrap wget pre-commit groff-base zsh fish)
# --build-only (the Dockerfile's build stage, scripts/package.sh): what compiling
# sfmc-scan and making its .deb needs, without the test tools.
build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true
if $build_only; then
  test_only=" catch2 libbenchmark-dev lintian zip bzip2 xz-utils zstd python3 fuse3 python3-fusepy debootstrap wget pre-commit groff-base zsh fish "
  kept=()
  for p in "${packages[@]}"; do [[ $test_only == *" $p "* ]] || kept+=("$p"); done
  packages=("${kept[@]}" dpkg-dev file)  # dpkg-dev: dpkg-shlibdeps for cpack's dependency list
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js runs the SARIF schema checks in the test suite; any install of it will do.
if ! $build_only; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"

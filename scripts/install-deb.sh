#!/bin/sh
# Installs the sfmc-scan .deb and the Debian 12 libraries it depends on, then adds the
# unprivileged user the container runs as. The Dockerfile's runtime stage runs this,
# and so does tests/install/debootstrap.sh in a fresh debootstrap root, so the test
# checks what the image build does.
#   scripts/install-deb.sh PATH/sfmc-scan_<version>_<arch>.deb
set -eu
deb=$1
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# dpkg does not fetch dependencies: it unpacks the package and leaves it unconfigured,
# and apt-get -f install then brings what it depends on and finishes the install.
dpkg -i "$deb" || apt-get -f install -y -qq --no-install-recommends
dpkg-query -W -f='${Status}\n' sfmc-scan | grep -q "install ok installed" || {
  echo "install-deb: sfmc-scan is not installed" >&2
  exit 1
}
sfmc-scan --version
apt-get clean
rm -rf /var/lib/apt/lists/*
# The image scans mounted repositories as this user, not as root.
id sfmc >/dev/null 2>&1 || useradd --create-home --uid 10001 --user-group --shell /bin/sh sfmc
# The image scans a repository mounted at /src (its WORKDIR), which belongs to whoever
# cloned it; libgit2, like git, refuses a repository owned by another user unless
# safe.directory names it (libgit2 1.5 takes no "*", git does).
printf '[safe]\n\tdirectory = /src\n\tdirectory = *\n' >>/etc/gitconfig

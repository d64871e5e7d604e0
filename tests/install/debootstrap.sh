#!/usr/bin/env bash
# The .deb in a clean Debian 12 root: debootstrap (its tarball cached, so only the
# first run downloads), then scripts/install-deb.sh inside it with chroot (dpkg -i,
# apt-get -f install: what the Dockerfile's runtime stage runs), then scans there,
# as root and as the image's unprivileged user, that find a generated secret (exit 1).
# Skips (77) only when not root, or when no Debian mirror can be reached.
source "$(dirname "$0")/../cli/lib.sh"
: "${SFMC_BUILD_DIR:?}"
fresh_work debootstrap
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (debootstrap, chroot)"; exit 77; }
command -v debootstrap >/dev/null || { fail "debootstrap is not installed (scripts/install-deps.sh installs it)"; finish; exit; }
deb=$(ls "$SFMC_BUILD_DIR"/packages/sfmc-scan_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { fail "no .deb in $SFMC_BUILD_DIR/packages (install.deb_package makes it)"; finish; exit; }
started=$(date +%s)

# The Debian archive this machine's apt already uses (deb822 .sources or one-line .list).
debian_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm( |\n|$)/ && /Components:[^\n]*main/ {
           if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { u = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", u); print u; exit } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++; if ($2 ~ /^\[/) i++;
                       if ($(i+1) == "bookworm") { print $i; exit } }' "$f"
  done
  echo http://deb.debian.org/debian
}
mirror=$(debian_mirror | head -1)
cache_dir=${SFMC_ROOTFS_CACHE:-/var/cache/sfmc-scan}
tarball="$cache_dir/debian12-minbase.tar"
root="$work/root"
mkdir -p "$root"
if [ -s "$tarball" ]; then
  echo "root: $tarball (cached)"
else
  if ! wget -q -T 20 -t 2 -O /dev/null "$mirror/dists/bookworm/Release"; then
    echo "SKIP: the Debian mirror $mirror cannot be reached"
    exit 77
  fi
  echo "root: debootstrap --variant=minbase bookworm from $mirror"
  if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >debootstrap.log 2>&1; then
    fail "debootstrap failed"; tail -5 debootstrap.log; finish; exit
  fi
  mkdir -p "$cache_dir" && tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$root" && mkdir -p "$root"
fi
tar -C "$root" -xf "$tarball" || { fail "cannot unpack $tarball"; finish; exit; }
echo "root ready after $(( $(date +%s) - started )) s"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/sfmc-scan.deb"
cp "$SFMC_SOURCE_DIR/scripts/install-deb.sh" "$root/tmp/install-deb.sh"

# Runs a command in the root with its own /proc (the scanner finds its installed rules
# through /proc/self/exe), in a private mount namespace that vanishes with it.
in_root() {
  if unshare --mount --fork true 2>/dev/null; then
    unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"
  else
    chroot "$root" "$@"
  fi
}
in_root env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh /tmp/install-deb.sh /tmp/sfmc-scan.deb >install.log 2>&1
status=$?
if [ $status -eq 0 ]; then ok; else fail "install-deb.sh in the root: exit $status"; tail -15 install.log; fi
echo "installed after $(( $(date +%s) - started )) s"
expect_grep '^sfmc-scan [0-9]' install.log "the installed binary runs"

# A generated secret in a tree, and in a git repository made on the host (the root
# has no git) at /src, where the image mounts one: owned by root, as a mounted
# checkout belongs to someone other than the image's user.
token=$(new_token)
mkdir -p "$root/srv/tree"
printf 'SFMC_CLIENT_SECRET=%s\n' "$token" >"$root/srv/tree/app.env"
git init -q "$root/src" && cp "$root/srv/tree/app.env" "$root/src/" &&
  git -C "$root/src" add app.env && (cd "$root/src" && commit_at 2026-01-05T10:00:00Z "add config")

run() { in_root env -i PATH=/usr/bin:/bin HOME=/root SFMC_NOW="$SFMC_NOW" "$@"; }
expect_status 1 "scan in the root" -- run sfmc-scan scan /srv/tree --format jsonl -q
expect_count 1 "$work/last.out" "scan in the root"
expect_status 0 "rules list in the root" -- run sfmc-scan rules list
expect_grep '^# rules from (/usr/share/sfmc-scan/rules|built-in)$' "$work/last.out" "rules found without the source tree"
# The mail module and the libraries it needs came with the package: an attachment is decoded.
mkdir -p "$root/srv/mail" && mail_with_attachment "$(new_token)" "$root/srv/mail/creds.eml"
expect_status 1 "mail in the root" -- run sfmc-scan scan /srv/mail --format jsonl -q
expect_grep '"decoded":\["sfmc.env"\].*"path":"/srv/mail/creds.eml"' "$work/last.out" "mail module loaded in the root"
expect_status 1 "git scan as the unprivileged user" -- run setpriv --reuid=sfmc --regid=sfmc --init-groups \
  env HOME=/home/sfmc sh -c 'cd /src && sfmc-scan git --format jsonl -q'
expect_count 1 "$work/last.out" "git scan as sfmc"
expect_status 0 "man page installed" -- test -f "$root/usr/share/man/man1/sfmc-scan.1.gz"
echo "debootstrap test: $(( $(date +%s) - started )) s in all"
finish

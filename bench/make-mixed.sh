#!/usr/bin/env bash
# The mixed file store of issue 10's cost targets, in a tmpfs: generated source-like
# text with planted tokens, real binaries (/usr/bin, text and ELF mixed), and 2,000
# gzip files of generated text (plus a few base64-heavy files: Kubernetes Secrets
# with random data values, so the base64 decoder is exercised, not just skipped).
#
# usage: bench/make-mixed.sh DIR      (about 1.3 GB, 86k files)
set -euo pipefail
dir=${1:?usage: make-mixed.sh DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gen=${SFMC_GEN:-$here/build/sfmc-gen}
rm -rf "$dir" && mkdir -p "$dir/gz" "$dir/k8s"
"$gen" --seed 31 corpus "$dir/text" --bytes 850M --files 82000 --tokens 100
cp -rP /usr/bin "$dir/bin"
"$gen" --seed 32 corpus "$dir/tmp" --bytes 120M --files 2000 --tokens 20
i=0
while IFS= read -r f; do i=$((i + 1)); gzip -c "$f" >"$dir/gz/f$i.gz"; done < <(find "$dir/tmp" -type f | sort)
rm -rf "$dir/tmp"
# 1,000 Secret manifests with random base64 values (keys, certificates): no token in any.
for i in $(seq 1 1000); do
  { printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s%d\ndata:\n' "$i"
    for k in tls.key tls.crt ca.crt; do printf '  %s: %s\n' "$k" "$(head -c 1200 /dev/urandom | base64 -w0)"; done; } >"$dir/k8s/s$i.yaml"
done
echo "mixed tree: $(du -sb "$dir" | cut -f1) bytes in $(find "$dir" -type f | wc -l) files ($(find "$dir/gz" -type f | wc -l) gzip) at $dir" >&2

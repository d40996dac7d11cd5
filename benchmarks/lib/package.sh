#!/usr/bin/env bash
# Packages the bench stack: one tar.gz per component, for one version.
#   benchmarks/lib/package.sh OUT_DIR VERSION   -> OUT_DIR/<component>-<VERSION>.tar.gz
# The version is written into the archive (file VERSION), so every version has its own checksum.
set -euo pipefail
out=$1
version=$2
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
for component in api web worker; do
    staging=$(mktemp -d)
    cp "$here/stack/$component/"*.sh "$staging/"
    printf '%s %s\n' "$component" "$version" > "$staging/VERSION"
    tar -czf "$out/$component-$version.tar.gz" -C "$staging" .
    rm -rf "$staging"
done

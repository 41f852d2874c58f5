#!/usr/bin/env bash
# Checks krew.yaml with krew's own validator. The validator insists that the file is
# named after the plugin, so it reads a copy named seccomp.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/bin/tools"
if [ ! -x "$tools/validate-krew-manifest" ]; then
  GOBIN="$tools" go install sigs.k8s.io/krew/cmd/validate-krew-manifest@v0.4.3
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp krew.yaml "$tmp/seccomp.yaml"
if ! out=$("$tools/validate-krew-manifest" -manifest "$tmp/seccomp.yaml" -skip-install 2>&1); then
  # Its fatal log is followed by goroutine dumps; the first lines say what is wrong.
  echo "krew.yaml is not a valid krew manifest:" >&2
  grep -m1 'validation error\|error' <<<"$out" >&2
  exit 1
fi
echo "krew.yaml: valid"

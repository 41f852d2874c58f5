#!/usr/bin/env bash
# Runs the e2e suite on the local two-node cluster. Brings the cluster up if it is not
# (idempotent), loads the verifier image into both nodes, runs the Ginkgo suite, and
# takes the cluster down again only if this script started it, so a developer's
# running cluster (from `make demo`) is left as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${IMAGE:=localhost/kubectl-seccomp-verifier:dev}"
: "${CHMOD_IMAGE:=localhost/kubectl-seccomp-e2e-chmod:dev}"
env_file=e2e/.cache/cluster/env

started=0
if [ ! -f "$env_file" ]; then
  started=1
fi
if [ "$started" = 1 ]; then
  trap 'e2e/cluster/down.sh' EXIT
fi
e2e/cluster/up.sh
e2e/cluster/load-image.sh bin/verifier-image.tar bin/e2e-chmod-image.tar
E2E_IMAGE="$IMAGE" E2E_CHMOD_IMAGE="$CHMOD_IMAGE" go test ./e2e/ -count=1 -timeout 40m -v -ginkgo.v

#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# load-image.sh TAR... imports docker-archive tarballs (as written by e2e/cmd/build-image)
# into the containerd of every node of the local cluster, in the k8s.io namespace where
# the kubelet looks for images. There is no registry: pods must use the image with
# imagePullPolicy Never or IfNotPresent. Usage: e2e/cluster/load-image.sh IMAGE.tar...
set -Eeuo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
	[[ $# -ge 1 ]] || {
		echo "usage: $0 IMAGE.tar..." >&2
		exit 2
	}
	[[ $EUID -eq 0 ]] || ksc_die "must run as root (the containerd sockets are root-only)"
	local tar node var sock
	for tar in "$@"; do
		[[ -f $tar ]] || ksc_die "no such file: $tar"
	done
	[[ -f $KSC_ENV_FILE ]] || ksc_die "the cluster is not up ($KSC_ENV_FILE missing): run e2e/cluster/up.sh"
	# shellcheck source=/dev/null
	source "$KSC_ENV_FILE"
	# Check every node before importing anything, so a half-up cluster fails cleanly.
	for node in $NODES; do
		var=${node^^}_CONTAINERD_SOCK
		sock=${!var:-}
		if [[ ! -S $sock ]] || ! ctr -a "$sock" version >/dev/null 2>&1; then
			ksc_die "the containerd of $node does not answer on ${sock:-?}: the cluster is not up, run e2e/cluster/up.sh"
		fi
	done
	for node in $NODES; do
		var=${node^^}_CONTAINERD_SOCK
		sock=${!var}
		for tar in "$@"; do
			# A docker-archive holds one image for one platform (the host's), which is what
			# ctr's default platform filter selects; it is unpacked into overlayfs at once,
			# so the first container start does not pay for it.
			local out
			if ! out=$(ctr -a "$sock" -n k8s.io images import "$tar" 2>&1); then
				echo "$out" >&2
				ksc_die "importing $tar into $node failed"
			fi
			ksc_log "$node: imported $(basename "$tar"): $(echo "$out" | grep -o 'unpacking [^ ]*' | cut -d' ' -f2 | paste -sd' ')"
		done
	done
}

main "$@"

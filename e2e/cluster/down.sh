#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# down.sh tears down the local cluster that up.sh started, and only that: the processes
# recorded in e2e/.cache/cluster/pids (each checked against its recorded start time, so
# a reused PID is never hit), the pods and shims of the nodes' containerds, the per-node
# cgroups /ksc-node1 and /ksc-node2, the bridges ksc-br1 and ksc-br2, and the state in
# e2e/.cache/cluster. It keeps the build cache (e2e/.cache/bin, e2e/.cache/images) and
# never touches ip_forward, iptables or the cgroup mounts. Idempotent: with nothing to do
# it says so and exits 0. Usage: e2e/cluster/down.sh
set -Eeuo pipefail
set +m
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

trap 'echo "down.sh: ERROR: failed at line $LINENO (exit status $?)" >&2' ERR

# cgroup_procs NODE prints the PIDs in the node's cgroup subtree (its pods), from every
# hierarchy.
cgroup_procs() {
	local cg mp
	cg=$(ksc_node_cgroup "$1")
	for mp in $(ksc_cgroup_all_mounts); do
		[[ -d $mp$cg ]] || continue
		find "$mp$cg" -name cgroup.procs -exec cat {} + 2>/dev/null || true
	done | sort -un
}

# kill_pods NODE: whatever still runs in the node's cgroups is a pod's process (the
# kubelet put it there); the kubelet is gone, so nothing will stop it gracefully.
kill_pods() {
	local node=$1 round
	local -a pids
	for ((round = 0; round < 5; round++)); do
		mapfile -t pids < <(cgroup_procs "$node")
		[[ ${#pids[@]} -gt 0 ]] || return 0
		ksc_log "stopping ${#pids[@]} pod process(es) of $node"
		ksc_kill_pids 5 "${pids[@]}"
	done
}

# shims NODE prints the PIDs of the containerd-shim processes of NODE's containerd: those
# whose command line names the node's socket (-address ...), which lies under its
# directory. Shims outlive their containerd by design.
shims() {
	local dir p cmd
	dir=$(ksc_node_dir "$1")/
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		[[ $cmd == *containerd-shim* && $cmd == *"$dir"* ]] || continue
		[[ $(basename "${cmd%% *}") == containerd-shim* ]] || continue
		echo "${p#/proc/}"
	done
}

# in_namespace NODE prints the PIDs (other than the holder) inside NODE's private mount
# namespace. Only asked while the holder is alive: then that namespace, and its inode
# number, certainly are ours.
in_namespace() {
	local holder ns p
	holder=$(ksc_pid "ns-$1") || return 0
	ns=$(readlink "/proc/$holder/ns/mnt") || return 0
	for p in /proc/[0-9]*; do
		[[ ${p#/proc/} != "$holder" ]] || continue
		[[ $(readlink "$p/ns/mnt" 2>/dev/null) == "$ns" ]] && echo "${p#/proc/}"
	done
	return 0
}

# remove_cgroups NODE: the node's cgroup subtree in every hierarchy, deepest first. A
# memory cgroup can stay busy for a moment after its last process died, hence retries.
remove_cgroups() {
	local node=$1 cg mp try left
	cg=$(ksc_node_cgroup "$node")
	for ((try = 0; try < 50; try++)); do
		left=0
		for mp in $(ksc_cgroup_all_mounts); do
			[[ -d $mp$cg ]] || continue
			find "$mp$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
			[[ ! -d $mp$cg ]] || left=1
		done
		((left)) || return 0
		kill_pods "$node" >/dev/null
		sleep 0.2
	done
	for mp in $(ksc_cgroup_all_mounts); do
		[[ ! -d $mp$cg ]] || echo "down.sh: WARNING: could not remove cgroup $mp$cg" >&2
	done
}

main() {
	[[ $EUID -eq 0 ]] || ksc_die "must run as root"
	ksc_lock
	if ! ksc_leftovers; then
		ksc_log "nothing to tear down"
		return 0
	fi
	local node name pid
	local -a pids names=()

	# The kubelets first, so that nothing restarts the pods being stopped.
	ksc_stop 30 "${KSC_NODES[@]/#/kubelet-}"
	for node in "${KSC_NODES[@]}"; do
		kill_pods "$node"
	done
	# Then the control plane and the containerds together: each may take a few seconds.
	ksc_stop 30 kube-scheduler kube-controller-manager kube-apiserver "${KSC_NODES[@]/#/containerd-}"
	ksc_stop 30 etcd
	for node in "${KSC_NODES[@]}"; do
		mapfile -t pids < <(shims "$node")
		if [[ ${#pids[@]} -gt 0 ]]; then
			ksc_log "stopping ${#pids[@]} containerd-shim(s) of $node"
			ksc_kill_pids 10 "${pids[@]}"
		fi
		mapfile -t pids < <(in_namespace "$node")
		if [[ ${#pids[@]} -gt 0 ]]; then
			ksc_log "stopping ${#pids[@]} leftover process(es) in the mount namespace of $node"
			ksc_kill_pids 10 "${pids[@]}"
		fi
	done
	# The holders last: with them the namespaces go, and every mount made inside them
	# (pod volumes, container root filesystems, network namespaces) with them.
	ksc_stop 10 "${KSC_NODES[@]/#/ns-}"

	for node in "${KSC_NODES[@]}"; do
		kill_pods "$node"
		remove_cgroups "$node"
	done
	ksc_log "cgroups removed"

	# Nothing of the cluster is mounted in the host's namespace, unless something went
	# astray (e.g. a kubelet run by hand outside its namespace): unmount it, deepest
	# first, before removing the directory.
	local m
	while read -r m; do
		[[ -n $m ]] || continue
		ksc_log "unmounting $m"
		umount -l "$m" || true
	done < <(ksc_mounts_under "$KSC_CLUSTER")

	local bridge
	for node in "${KSC_NODES[@]}"; do
		bridge=$(ksc_node_bridge "$node")
		if [[ -d /sys/class/net/$bridge/bridge ]]; then
			ip link del "$bridge"
			ksc_log "bridge $bridge deleted"
		fi
	done

	# Every recorded process must be gone before its files go.
	for pid in "$KSC_PIDS"/*.pid; do
		[[ -e $pid ]] || continue
		name=$(basename "$pid" .pid)
		ksc_alive "$name" && names+=("$name")
	done
	[[ ${#names[@]} -eq 0 ]] || ksc_die "still running, not removing $KSC_CLUSTER: ${names[*]}"
	[[ -z $(ksc_mounts_under "$KSC_CLUSTER") ]] || ksc_die "still mounted under $KSC_CLUSTER: $(ksc_mounts_under "$KSC_CLUSTER")"

	local -a host_dirs=()
	[[ -f $KSC_HOST_DIRS_FILE ]] && mapfile -t host_dirs <"$KSC_HOST_DIRS_FILE"
	# --one-file-system: never follow into anything mounted below, whatever happened.
	rm -rf --one-file-system "$KSC_CLUSTER"
	rm -f "$KSC_KUBECONFIG"
	# The empty mount points up.sh created on the host for the per-node bind mounts.
	local dir
	for dir in "${host_dirs[@]}"; do
		[[ -d $dir ]] || continue
		rmdir "$dir" 2>/dev/null || echo "down.sh: note: $dir is not empty, left in place" >&2
	done
	ksc_log "cluster down"
}

main "$@"

# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are used by the scripts that source this file
# Shared by up.sh, down.sh and load-image.sh: the cluster's layout on disk, logging,
# and the bookkeeping of the processes the scripts start. Sourced, never run.
#
# Layout (everything the cluster writes lives under e2e/.cache, which is git-ignored):
#   e2e/.cache/bin/            build cache: kube, pause, build-image (kept by down.sh)
#   e2e/.cache/images/         docker-archive tarballs, e.g. pause.tar (kept by down.sh)
#   e2e/.cache/kubeconfig      admin kubeconfig, certificates embedded
#   e2e/.cache/cluster/        all cluster state (removed by down.sh):
#     env                      KEY="value" lines describing the running cluster
#     pki/ etcd/ logs/ pids/   certificates, etcd data, one log and one pid file per process
#     nodes/<node>/            one node: containerd root/state/socket, CNI config,
#                              kubelet config and the directory that the node sees as
#                              /var/lib/kubelet

KSC_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
KSC_CACHE=$KSC_REPO/e2e/.cache
KSC_BIN=$KSC_CACHE/bin
KSC_IMAGES=$KSC_CACHE/images
KSC_KUBECONFIG=$KSC_CACHE/kubeconfig
KSC_LOCK=$KSC_CACHE/cluster.lock
KSC_CLUSTER=$KSC_CACHE/cluster
KSC_ENV_FILE=$KSC_CLUSTER/env
KSC_PKI=$KSC_CLUSTER/pki
KSC_LOGS=$KSC_CLUSTER/logs
KSC_PIDS=$KSC_CLUSTER/pids
KSC_NODES_DIR=$KSC_CLUSTER/nodes
# The host directories up.sh creates (when missing) as mount points for the per-node
# bind mounts; down.sh removes the ones it created once they are empty again.
KSC_HOST_DIRS_FILE=$KSC_CLUSTER/host-dirs

KSC_API=https://127.0.0.1:6443
KSC_NODES=(node1 node2)
KSC_PAUSE_IMAGE=localhost/pause:3.10
KSC_KUBE_VERSION=v1.37.2

# Directories that each node gets its own copy of, inside its private mount namespace.
# /var/lib/kubelet is the point of the exercise (per-node seccomp profiles, volumes);
# the others keep the two nodes from tripping over each other (the kubelet garbage-
# collects /var/log/pods entries of pods it does not know, i.e. the other node's) and
# keep the host free of leftovers (shim sockets in /run/containerd, pod network
# namespaces in /run/netns, CNI result caches in /var/lib/cni).
KSC_NODE_BIND_DIRS=(/var/lib/kubelet /var/log/pods /var/log/containers /var/lib/cni /run/netns /run/containerd)

# The kernel settings the kubelet insists on (pkg/kubelet/cm setupKernelTunables): it
# rewrites them host-wide when they differ, or refuses to start with
# protectKernelDefaults. Each node's mount namespace gets files with these values bind-
# mounted over the /proc/sys entries, so the kubelet is satisfied and the host's real
# settings (kernel.panic_on_oops, vm.overcommit_memory, ...) are never touched.
KSC_KUBELET_SYSCTLS=(vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1 kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000)

# Per-node settings, indexed by the node's number (node1 -> 1).
ksc_node_num() { echo "${1#node}"; }
ksc_node_dir() { echo "$KSC_NODES_DIR/$1"; }
ksc_node_sock() { echo "$KSC_NODES_DIR/$1/containerd.sock"; }
ksc_node_bridge() { echo "ksc-br$(ksc_node_num "$1")"; }
ksc_node_subnet() { echo "10.244.$(ksc_node_num "$1").0/24"; }
ksc_node_gateway() { echo "10.244.$(ksc_node_num "$1").1"; }
ksc_node_cgroup() { echo "/ksc-$1"; }
ksc_node_kubelet_port() { echo $((10250 + ($(ksc_node_num "$1") - 1) * 10)); }
ksc_node_healthz_port() { echo $((10248 + ($(ksc_node_num "$1") - 1) * 10)); }

# --- logging -------------------------------------------------------------------------

KSC_T0=${EPOCHREALTIME/./}

# ksc_log prints a progress line prefixed with the seconds since the script started.
ksc_log() {
	local now=${EPOCHREALTIME/./} ms
	ms=$(((now - KSC_T0) / 1000))
	printf '[%3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}

ksc_die() {
	echo "$(basename "$0"): ERROR: $*" >&2
	exit 1
}

# ksc_fail_component reports that a component failed, with the end of its log, and
# exits. The processes already started stay up for down.sh (or the next up.sh) to clean.
ksc_fail_component() {
	local name=$1
	shift
	echo "$(basename "$0"): ERROR: $name: $*" >&2
	if [[ -s $KSC_LOGS/$name.log ]]; then
		echo "---- last 40 lines of $KSC_LOGS/$name.log ----" >&2
		tail -n 40 "$KSC_LOGS/$name.log" >&2
		echo "---- end of $name.log ----" >&2
	fi
	echo "Clean up with e2e/cluster/down.sh (up.sh also does it before starting again)." >&2
	exit 1
}

# ksc_lock serialises up.sh and down.sh: two of them interleaving would start or kill
# processes the other one is counting on. The lock file sits outside the cluster
# directory because down.sh removes that. Nested calls (up.sh runs down.sh) inherit it.
ksc_lock() {
	[[ ${KSC_LOCK_HELD:-} == 1 ]] && return 0
	mkdir -p "$KSC_CACHE"
	exec {KSC_LOCK_FD}>"$KSC_LOCK"
	if ! flock -n "$KSC_LOCK_FD"; then
		echo "$(basename "$0"): waiting for another up.sh/down.sh to finish..." >&2
		flock "$KSC_LOCK_FD"
	fi
	export KSC_LOCK_HELD=1 KSC_LOCK_FD
}

# --- processes -----------------------------------------------------------------------

# ksc_starttime prints a process's start time (clock ticks since boot, field 22 of
# /proc/PID/stat). Recorded next to each PID so a PID reused by an unrelated process is
# never mistaken for ours.
ksc_starttime() {
	local stat rest
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	rest=${stat##*) }
	local -a f
	read -r -a f <<<"$rest"
	echo "${f[19]}"
}

ksc_boot_id() { cat /proc/sys/kernel/random/boot_id; }

# ksc_record_pid NAME PID writes pids/NAME.pid (the PID alone, for other tools) and
# pids/NAME.start (boot id and start time, to recognise the process later).
ksc_record_pid() {
	local name=$1 pid=$2 start
	start=$(ksc_starttime "$pid") || start=gone
	echo "$pid" >"$KSC_PIDS/$name.pid"
	echo "$(ksc_boot_id) $start" >"$KSC_PIDS/$name.start"
}

# ksc_pid NAME prints the PID of the recorded process NAME if it is still that process.
ksc_pid() {
	local name=$1 pid boot start now
	[[ -f $KSC_PIDS/$name.pid && -f $KSC_PIDS/$name.start ]] || return 1
	pid=$(cat "$KSC_PIDS/$name.pid")
	read -r boot start <"$KSC_PIDS/$name.start"
	[[ $boot == "$(ksc_boot_id)" ]] || return 1
	now=$(ksc_starttime "$pid") || return 1
	[[ $now == "$start" ]] || return 1
	# A zombie is as good as gone (its parent, the script's shell, may never reap it).
	[[ $(ksc_proc_state "$pid") != Z ]] || return 1
	echo "$pid"
}

ksc_alive() { ksc_pid "$1" >/dev/null; }

ksc_proc_state() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	echo "${stat%% *}"
}

# ksc_pid_gone PID: true once PID has exited (or is a zombie).
ksc_pid_gone() {
	[[ ! -d /proc/$1 ]] || [[ $(ksc_proc_state "$1") == Z ]]
}

# ksc_start NAME CMD... runs CMD in its own session (setsid: no controlling terminal, no
# signal from the script's process group), with stdin closed and output to logs/NAME.log,
# so it outlives the script. setsid and nsenter -m exec CMD without forking (the script
# has no job control, so the child is not a process-group leader), hence $! is CMD's PID.
ksc_start() {
	local name=$1
	shift
	# The lock's descriptor is closed in the child: a long-lived process holding it would
	# keep every later up.sh/down.sh waiting.
	if [[ -n ${KSC_LOCK_FD:-} ]]; then
		setsid "$@" </dev/null >>"$KSC_LOGS/$name.log" 2>&1 {KSC_LOCK_FD}>&- &
	else
		setsid "$@" </dev/null >>"$KSC_LOGS/$name.log" 2>&1 &
	fi
	# The start time does not change across exec, so recording it right away is exact.
	ksc_record_pid "$name" "$!"
}

# ksc_kill_pids SECONDS PID...: SIGTERM, wait up to SECONDS for all of them, SIGKILL the rest.
ksc_kill_pids() {
	local timeout=$1 pid left deadline
	shift
	[[ $# -gt 0 ]] || return 0
	kill -TERM "$@" 2>/dev/null || true
	deadline=$((${EPOCHREALTIME/./} + timeout * 1000000))
	while :; do
		left=()
		for pid in "$@"; do
			ksc_pid_gone "$pid" || left+=("$pid")
		done
		[[ ${#left[@]} -gt 0 ]] || return 0
		if ((${EPOCHREALTIME/./} > deadline)); then
			echo "  still running after ${timeout}s, sending SIGKILL: ${left[*]}"
			kill -KILL "${left[@]}" 2>/dev/null || true
			sleep 0.5
			return 0
		fi
		sleep 0.2
	done
}

# ksc_stop SECONDS NAME...: stop the recorded processes NAME... (those still alive).
ksc_stop() {
	local timeout=$1 name pid
	shift
	local -a pids=() names=()
	for name in "$@"; do
		if pid=$(ksc_pid "$name"); then
			pids+=("$pid")
			names+=("$name")
		fi
	done
	[[ ${#pids[@]} -gt 0 ]] || return 0
	ksc_log "stopping ${names[*]}"
	ksc_kill_pids "$timeout" "${pids[@]}"
}

# ksc_wait NAME SECONDS WHAT CMD...: poll CMD until it succeeds; fail with NAME's log if
# NAME dies or SECONDS pass first.
ksc_wait() {
	local name=$1 timeout=$2 what=$3 deadline
	shift 3
	deadline=$((${EPOCHREALTIME/./} + timeout * 1000000))
	until "$@" >/dev/null 2>&1; do
		ksc_alive "$name" || ksc_fail_component "$name" "exited while waiting for: $what"
		((${EPOCHREALTIME/./} < deadline)) || ksc_fail_component "$name" "timed out after ${timeout}s waiting for: $what"
		sleep 0.2
	done
}

# --- the API -------------------------------------------------------------------------

# ksc_curl PATH [CURL ARGS...]: an admin request to the API server.
ksc_curl() {
	local path=$1
	shift
	curl -fsS --max-time 10 --cacert "$KSC_PKI/ca.crt" --cert "$KSC_PKI/admin.crt" --key "$KSC_PKI/admin.key" "$@" "$KSC_API$path"
}

# ksc_node_ready NODE: the node object reports condition Ready=True. The API server's
# JSON keeps the NodeCondition field order (type, then status), so grep is enough and no
# JSON tool is needed on the host. (It pretty-prints for curl unless told not to; the
# whitespace is dropped anyway.) The JSON is fetched first: with pipefail, `curl | grep -q`
# can fail when grep exits early and curl gets SIGPIPE.
ksc_node_ready() {
	local json
	json=$(ksc_curl "/api/v1/nodes/$1?pretty=false" 2>/dev/null) || return 1
	[[ ${json//[$' \n']/} == *'"type":"Ready","status":"True"'* ]]
}

# --- host resources ------------------------------------------------------------------

# ksc_cgroup_v1_mounts prints the mount point of every cgroup v1 hierarchy.
ksc_cgroup_v1_mounts() {
	awk '$3 == "cgroup" { print $2 }' /proc/self/mounts
}

# ksc_cgroup_all_mounts prints every cgroup mount point, v1 and v2.
ksc_cgroup_all_mounts() {
	awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts
}

# ksc_mounts_under DIR prints the mount points at or below DIR, deepest first.
ksc_mounts_under() {
	local dir=$1
	awk -v d="$dir" '{ m = $2; gsub(/\\040/, " ", m); if (m == d || index(m, d "/") == 1) print length(m) "\t" m }' /proc/self/mounts |
		sort -rn | cut -f2-
}

# ksc_leftovers: true when anything of a cluster is present (state, bridges, cgroups).
ksc_leftovers() {
	local node mp
	[[ -e $KSC_CLUSTER || -e $KSC_KUBECONFIG ]] && return 0
	for node in "${KSC_NODES[@]}"; do
		ip link show "$(ksc_node_bridge "$node")" >/dev/null 2>&1 && return 0
		for mp in $(ksc_cgroup_all_mounts); do
			[[ -d $mp$(ksc_node_cgroup "$node") ]] && return 0
		done
	done
	return 1
}

#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# up.sh brings up a real two-node Kubernetes cluster (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler; nodes node1 and node2, each with its own
# containerd + runc and kubelet) on this machine, as root, with no registry and no
# internet. Usage: e2e/cluster/up.sh
#
# Idempotent: if the cluster of an earlier up.sh is healthy it says so and exits 0; if
# something is half up it runs down.sh first. Every process it starts is recorded in
# e2e/.cache/cluster/pids/NAME.pid and logs to e2e/.cache/cluster/logs/NAME.log; down.sh
# stops exactly those. It leaves ip_forward, iptables and the cgroup mounts alone.
#
# Why each node runs in its own mount namespace: two kubelets on one machine would share
# /var/lib/kubelet, so a seccomp profile installed on "node1" would be visible on "node2"
# too. Each node's containerd, runc and kubelet run inside a private mount namespace
# (held open by a `sleep infinity`) in which a per-node directory is bind-mounted over
# /var/lib/kubelet, so each node really has its own seccomp directory. Both nodes share
# the host network namespace and IP; they differ in kubelet port, CNI bridge and subnet,
# and cgroup root.
#
# Environment: KSC_NODE_IP overrides the node IP (default: the address of the interface
# holding the default route).
set -Eeuo pipefail
set +m # no job control: background children must not become process-group leaders
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KSC_STEP="start"
KSC_STEP_LOG=""
on_error() {
	local rc=$1 line=$2
	echo "up.sh: ERROR: step '$KSC_STEP' failed (exit status $rc, up.sh line $line)" >&2
	if [[ -n $KSC_STEP_LOG && -s $KSC_STEP_LOG ]]; then
		echo "---- last 40 lines of $KSC_STEP_LOG ----" >&2
		tail -n 40 "$KSC_STEP_LOG" >&2
		echo "---- end ----" >&2
	fi
	echo "Clean up with e2e/cluster/down.sh (up.sh also does it before starting again)." >&2
	exit "$rc"
}
trap 'on_error $? $LINENO' ERR

step() {
	KSC_STEP=$1
	KSC_STEP_LOG=${2:-}
}

# --- health of an existing cluster -------------------------------------------------------

control_plane=(etcd kube-apiserver kube-controller-manager kube-scheduler)

cluster_healthy() {
	local name node
	[[ -f $KSC_ENV_FILE && -f $KSC_KUBECONFIG ]] || return 1
	for name in "${control_plane[@]}"; do
		ksc_alive "$name" || return 1
	done
	for node in "${KSC_NODES[@]}"; do
		for name in "ns-$node" "containerd-$node" "kubelet-$node"; do
			ksc_alive "$name" || return 1
		done
	done
	ksc_curl /readyz >/dev/null 2>&1 || return 1
	for node in "${KSC_NODES[@]}"; do
		ksc_node_ready "$node" || return 1
	done
}

# --- packages and binaries -----------------------------------------------------------

install_packages() {
	step "install packages" "$KSC_LOGS/apt.log"
	# The Debian packages the cluster runs on; curl talks to the API and to etcd.
	local pkgs=(containerd runc containernetworking-plugins etcd-server libseccomp-dev pkg-config openssl iproute2 util-linux curl)
	local missing=() p
	for p in "${pkgs[@]}"; do
		[[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
	done
	if [[ ${#missing[@]} -gt 0 ]]; then
		ksc_log "installing Debian packages: ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update >"$KSC_STEP_LOG" 2>&1
		apt-get install -y --no-install-recommends "${pkgs[@]}" >>"$KSC_STEP_LOG" 2>&1
	fi
	for p in etcd containerd containerd-shim-runc-v2 ctr runc unshare nsenter ip openssl curl flock go; do
		command -v "$p" >/dev/null || ksc_die "$p is not installed (the Go toolchain must be on PATH)"
	done
	[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] ||
		ksc_die "CNI plugins missing in /usr/lib/cni (package containernetworking-plugins)"
}

# stale TARGET SOURCE...: true when TARGET is missing or any SOURCE (file, or any file
# under a directory) is newer.
stale() {
	local target=$1 src
	shift
	[[ -x $target ]] || return 0
	for src in "$@"; do
		[[ -n $(find "$src" -type f -newer "$target" -print -quit) ]] && return 0
	done
	return 1
}

# build NAME DIR OUT GO-BUILD-ARGS...: go build into OUT through a temporary file, so
# an interrupted build never leaves a truncated binary that looks up to date.
build() {
	local name=$1 dir=$2 out=$3
	shift 3
	step "build $name" "$KSC_LOGS/build-$name.log"
	if ! (cd "$dir" && CGO_ENABLED=0 go build -trimpath "$@" -o "$out.tmp" .) >"$KSC_STEP_LOG" 2>&1; then
		rm -f "$out.tmp"
		false
	fi
	mv -f "$out.tmp" "$out"
}

build_binaries() {
	mkdir -p "$KSC_BIN" "$KSC_IMAGES"
	local kube=$KSC_REPO/e2e/kube
	if stale "$KSC_BIN/kube" "$kube/go.mod" "$kube/go.sum" "$kube/main.go"; then
		ksc_log "building kube $KSC_KUBE_VERSION (cold: ~12 min and ~3 GB RAM on 2 cores; warm: ~20 s)"
		local major=${KSC_KUBE_VERSION#v} minor
		minor=${major#*.}
		minor=${minor%%.*}
		major=${major%%.*}
		local ldflags="-s -w" pkg
		for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
			ldflags+=" -X $pkg.gitVersion=$KSC_KUBE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
		done
		# e2e/kube is its own module (Kubernetes' dependency tree stays out of the main
		# go.mod); GOWORK=off keeps a go.work at the repo root from capturing it.
		GOWORK=off build kube "$kube" "$KSC_BIN/kube" -ldflags "$ldflags"
	fi
	if stale "$KSC_BIN/pause" "$KSC_REPO/e2e/pause" "$KSC_REPO/go.mod"; then
		ksc_log "building pause"
		build pause "$KSC_REPO/e2e/pause" "$KSC_BIN/pause"
	fi
	if stale "$KSC_BIN/build-image" "$KSC_REPO/e2e/cmd/build-image" "$KSC_REPO/e2e/imagebuild" "$KSC_REPO/go.mod" "$KSC_REPO/go.sum"; then
		ksc_log "building build-image"
		build build-image "$KSC_REPO/e2e/cmd/build-image" "$KSC_BIN/build-image"
	fi
	local tar=$KSC_IMAGES/pause.tar
	if [[ ! -f $tar || $KSC_BIN/pause -nt $tar || $KSC_BIN/build-image -nt $tar ]]; then
		ksc_log "building image $KSC_PAUSE_IMAGE"
		step "build pause image" "$KSC_LOGS/build-pause-image.log"
		"$KSC_BIN/build-image" -binary "$KSC_BIN/pause" -ref "$KSC_PAUSE_IMAGE" -path /pause -o "$tar.tmp" >"$KSC_STEP_LOG" 2>&1
		mv -f "$tar.tmp" "$tar"
	fi
}

# --- host checks ---------------------------------------------------------------------

detect_node_ip() {
	if [[ -n ${KSC_NODE_IP:-} ]]; then
		NODE_IP=$KSC_NODE_IP
		return
	fi
	local dev
	dev=$(ip -4 route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
	NODE_IP=""
	if [[ -n $dev ]]; then
		NODE_IP=$(ip -4 -o addr show dev "$dev" scope global | awk '{ split($4, a, "/"); print a[1]; exit }')
	fi
	if [[ -z $NODE_IP ]]; then
		NODE_IP=$(ip -4 -o addr show scope global | awk '$2 !~ /^ksc-br/ { split($4, a, "/"); print a[1]; exit }')
	fi
	[[ -n $NODE_IP ]] || ksc_die "cannot find this machine's IPv4 address; set KSC_NODE_IP"
}

check_ports_free() {
	local port used node
	local ports=(2379 2380 6443 10257 10259)
	for node in "${KSC_NODES[@]}"; do
		ports+=("$(ksc_node_kubelet_port "$node")" "$(ksc_node_healthz_port "$node")")
	done
	for port in "${ports[@]}"; do
		used=$(ss -Hltnp "sport = :$port" 2>/dev/null || true)
		[[ -z $used ]] || ksc_die "TCP port $port is already in use (a system etcd or kubelet? stop it first): $used"
	done
	for node in "${KSC_NODES[@]}"; do
		local sock
		sock=$(ksc_node_sock "$node")
		# sun_path holds 107 bytes, and containerd adds ".ttrpc" for its second socket.
		((${#sock} + 6 <= 107)) || ksc_die "socket path too long for a unix socket ($sock): move the repository to a shorter path"
	done
}

# --- certificates and kubeconfigs ----------------------------------------------------

# cert NAME SUBJECT EXT-USAGE [SANS]: an ECDSA P-256 key and a certificate signed by the
# cluster CA (ECDSA: key generation is instant, unlike RSA).
cert() {
	local name=$1 subj=$2 usage=$3 sans=${4:-}
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$KSC_PKI/$name.key"
	openssl req -new -key "$KSC_PKI/$name.key" -subj "$subj" -out "$KSC_PKI/$name.csr"
	{
		echo "basicConstraints = critical, CA:FALSE"
		echo "keyUsage = critical, digitalSignature, keyEncipherment"
		echo "extendedKeyUsage = $usage"
		[[ -z $sans ]] || echo "subjectAltName = $sans"
	} >"$KSC_PKI/$name.ext"
	openssl x509 -req -in "$KSC_PKI/$name.csr" -CA "$KSC_PKI/${5:-ca}.crt" -CAkey "$KSC_PKI/${5:-ca}.key" \
		-set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 -extfile "$KSC_PKI/$name.ext" \
		-out "$KSC_PKI/$name.crt"
	rm -f "$KSC_PKI/$name.csr" "$KSC_PKI/$name.ext"
}

ca() {
	local name=$1 cn=$2
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$KSC_PKI/$name.key"
	openssl req -x509 -new -key "$KSC_PKI/$name.key" -subj "/CN=$cn" -days 3650 -sha256 \
		-addext "basicConstraints = critical, CA:TRUE" \
		-addext "keyUsage = critical, keyCertSign, cRLSign, digitalSignature" \
		-out "$KSC_PKI/$name.crt"
}

# kubeconfig OUT USER CERT-NAME: a kubeconfig with the certificates embedded, so it works
# from any directory and can be copied.
kubeconfig() {
	local out=$1 user=$2 name=$3
	cat >"$out.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kubectl-seccomp-e2e
  cluster:
    server: $KSC_API
    certificate-authority-data: $(base64 -w0 "$KSC_PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$KSC_PKI/$name.crt")
    client-key-data: $(base64 -w0 "$KSC_PKI/$name.key")
contexts:
- name: kubectl-seccomp-e2e
  context:
    cluster: kubectl-seccomp-e2e
    user: $user
current-context: kubectl-seccomp-e2e
EOF
	chmod 600 "$out.tmp"
	mv -f "$out.tmp" "$out"
}

make_pki() {
	step "generate certificates" "$KSC_LOGS/pki.log"
	ksc_log "generating certificates"
	mkdir -p "$KSC_PKI"
	chmod 700 "$KSC_PKI"
	{
		ca ca kubectl-seccomp-e2e-ca
		# The front-proxy CA only quiets the request-header warnings of the control plane.
		ca front-proxy-ca kubectl-seccomp-e2e-front-proxy-ca
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$KSC_PKI/sa.key"
		openssl pkey -in "$KSC_PKI/sa.key" -pubout -out "$KSC_PKI/sa.pub"
		cert apiserver /CN=kube-apiserver serverAuth \
			"DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, DNS:localhost, IP:127.0.0.1, IP:10.0.0.1, IP:$NODE_IP"
		cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
		cert front-proxy-client /CN=front-proxy-client clientAuth "" front-proxy-ca
		cert admin "/O=system:masters/CN=kubernetes-admin" clientAuth
		cert controller-manager /CN=system:kube-controller-manager clientAuth
		cert scheduler /CN=system:kube-scheduler clientAuth
		local node
		for node in "${KSC_NODES[@]}"; do
			# One certificate per kubelet, to serve its API (the apiserver checks it against
			# the CA and the node IP) and as its client identity for the Node authorizer.
			cert "kubelet-$node" "/O=system:nodes/CN=system:node:$node" "serverAuth, clientAuth" "IP:$NODE_IP, DNS:$node"
		done
	} >"$KSC_STEP_LOG" 2>&1
	chmod 600 "$KSC_PKI"/*.key
	kubeconfig "$KSC_KUBECONFIG" kubernetes-admin admin
	kubeconfig "$KSC_CLUSTER/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
	kubeconfig "$KSC_CLUSTER/scheduler.kubeconfig" system:kube-scheduler scheduler
	for node in "${KSC_NODES[@]}"; do
		kubeconfig "$(ksc_node_dir "$node")/kubelet.kubeconfig" "system:node:$node" "kubelet-$node"
	done
}

# --- control plane -------------------------------------------------------------------

start_etcd() {
	step "start etcd" "$KSC_LOGS/etcd.log"
	ksc_log "starting etcd"
	mkdir -p "$KSC_CLUSTER/etcd"
	chmod 700 "$KSC_CLUSTER/etcd"
	# Loopback only: nothing outside this machine talks to it.
	ksc_start etcd etcd --name ksc --data-dir "$KSC_CLUSTER/etcd" --logger zap \
		--listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
		--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
		--initial-cluster ksc=http://127.0.0.1:2380 --initial-cluster-state new \
		--initial-cluster-token kubectl-seccomp-e2e
	ksc_wait etcd 30 "etcd /health" curl -fsS --max-time 2 http://127.0.0.1:2379/health
	ksc_log "etcd ready"
}

start_apiserver() {
	step "start kube-apiserver" "$KSC_LOGS/kube-apiserver.log"
	ksc_log "starting kube-apiserver"
	local p=$KSC_PKI
	# --kubelet-preferred-address-types: both kubelets share the node IP and differ by
	# port; without it the apiserver resolves the node name through DNS (kubectl logs).
	ksc_start kube-apiserver "$KSC_BIN/kube" kube-apiserver \
		--advertise-address="$NODE_IP" --secure-port=6443 \
		--etcd-servers=http://127.0.0.1:2379 \
		--client-ca-file="$p/ca.crt" \
		--tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" \
		--kubelet-client-certificate="$p/apiserver-kubelet-client.crt" \
		--kubelet-client-key="$p/apiserver-kubelet-client.key" \
		--kubelet-certificate-authority="$p/ca.crt" \
		--kubelet-preferred-address-types=InternalIP,Hostname \
		--service-account-issuer=https://kubernetes.default.svc.cluster.local \
		--service-account-key-file="$p/sa.pub" --service-account-signing-key-file="$p/sa.key" \
		--service-cluster-ip-range=10.0.0.0/24 \
		--authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
		--allow-privileged=true \
		--requestheader-client-ca-file="$p/front-proxy-ca.crt" \
		--requestheader-allowed-names=front-proxy-client \
		--requestheader-extra-headers-prefix=X-Remote-Extra- \
		--requestheader-group-headers=X-Remote-Group \
		--requestheader-username-headers=X-Remote-User \
		--proxy-client-cert-file="$p/front-proxy-client.crt" \
		--proxy-client-key-file="$p/front-proxy-client.key"
}

wait_apiserver() {
	step "wait for kube-apiserver" "$KSC_LOGS/kube-apiserver.log"
	ksc_wait kube-apiserver 120 "kube-apiserver /readyz" ksc_curl /readyz
	ksc_log "kube-apiserver ready"
}

start_controllers() {
	local p=$KSC_PKI kc=$KSC_CLUSTER/controller-manager.kubeconfig
	step "start kube-controller-manager" "$KSC_LOGS/kube-controller-manager.log"
	ksc_log "starting kube-controller-manager and kube-scheduler"
	# Node CIDRs are not allocated: each node's CNI config carries its own subnet.
	ksc_start kube-controller-manager "$KSC_BIN/kube" kube-controller-manager \
		--kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
		--bind-address=127.0.0.1 --leader-elect=false \
		--service-account-private-key-file="$p/sa.key" --root-ca-file="$p/ca.crt" \
		--cluster-signing-cert-file="$p/ca.crt" --cluster-signing-key-file="$p/ca.key" \
		--use-service-account-credentials=true --allocate-node-cidrs=false \
		--service-cluster-ip-range=10.0.0.0/24
	kc=$KSC_CLUSTER/scheduler.kubeconfig
	step "start kube-scheduler" "$KSC_LOGS/kube-scheduler.log"
	ksc_start kube-scheduler "$KSC_BIN/kube" kube-scheduler \
		--kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
		--bind-address=127.0.0.1 --leader-elect=false
}

# --- nodes ---------------------------------------------------------------------------

# bind_src NODE TARGET: the per-node directory bind-mounted over TARGET in NODE's
# mount namespace.
bind_src() {
	if [[ $2 == /var/lib/kubelet ]]; then
		echo "$(ksc_node_dir "$1")/kubelet"
	else
		echo "$(ksc_node_dir "$1")/fs$2"
	fi
}

write_node_configs() {
	local node=$1 n sock bridge subnet gw cg
	n=$(ksc_node_dir "$node")
	sock=$(ksc_node_sock "$node")
	bridge=$(ksc_node_bridge "$node")
	subnet=$(ksc_node_subnet "$node")
	gw=$(ksc_node_gateway "$node")
	cg=$(ksc_node_cgroup "$node")

	# restrict_oom_score_adj: without CAP_SYS_RESOURCE runc cannot set the sandbox's
	# oom_score_adj of -998 and every pod fails ("can't get final child's PID from pipe").
	# SystemdCgroup = false: PID 1 is not systemd, the kubelet uses cgroupfs.
	cat >"$n/containerd.toml" <<EOF
version = 2
root = "$n/containerd/root"
state = "$n/containerd/state"

[grpc]
  address = "$sock"

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$n/containerd/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$KSC_PAUSE_IMAGE"
    restrict_oom_score_adj = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$n/cni/net.d"
      max_conf_num = 1
EOF

	# isGateway and ipMasq false: with isGateway the bridge plugin switches on the host's
	# ip_forward, with ipMasq it adds iptables rules. The bridge and its .1 address are
	# created by up.sh. The IPAM state lives in the node's directory, not in /var/lib/cni.
	cat >"$n/cni/net.d/10-ksc.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "ksc-$node",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": false,
      "ipMasq": false,
      "hairpinMode": false,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$subnet", "gateway": "$gw" }]],
        "dataDir": "$n/cni/ipam"
      }
    }
  ]
}
EOF

	local resolv=/etc/resolv.conf
	[[ -f $resolv ]] || resolv=""
	# failCgroupV1: false - the machine has hybrid cgroups, and kubelet 1.37 refuses v1
	#   otherwise.
	# cgroupRoot: a private cgroup subtree per node; two kubelets sharing /kubepods kill
	#   each other's pods.
	# makeIPTablesUtilChains: false - else the kubelet adds chains to the host's iptables.
	# Evictions relaxed and image GC off: the disk is shared with everything else on the
	#   machine, and an eviction or a collected image would only make tests flaky.
	# volumePluginDir: the kubelet creates it; the default is on the host's /usr/libexec.
	cat >"$n/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $(ksc_node_kubelet_port "$node")
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $(ksc_node_healthz_port "$node")
tlsCertFile: $KSC_PKI/kubelet-$node.crt
tlsPrivateKeyFile: $KSC_PKI/kubelet-$node.key
rotateCertificates: false
serverTLSBootstrap: false
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $KSC_PKI/ca.crt
authorization:
  mode: Webhook
containerRuntimeEndpoint: unix://$sock
imageServiceEndpoint: unix://$sock
cgroupDriver: cgroupfs
cgroupRoot: $cg
cgroupsPerQOS: true
failCgroupV1: false
failSwapOn: false
seccompDefault: false
makeIPTablesUtilChains: false
protectKernelDefaults: false
clusterDomain: cluster.local
resolvConf: "$resolv"
registerNode: true
evictionHard:
  memory.available: 50Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
volumePluginDir: $n/volume-plugins
EOF
}

# make_cgroups NODE: the node's cgroupRoot in every v1 hierarchy (the kubelet checks it
# exists in all of them). A new cpuset cgroup starts with no CPUs and no memory nodes, so
# those are copied from the root.
make_cgroups() {
	local cg mp
	cg=$(ksc_node_cgroup "$1")
	for mp in $(ksc_cgroup_v1_mounts); do
		mkdir -p "$mp$cg"
		if [[ -f $mp/cpuset.cpus ]]; then
			cat "$mp/cpuset.cpus" >"$mp$cg/cpuset.cpus"
			cat "$mp/cpuset.mems" >"$mp$cg/cpuset.mems"
		fi
	done
}

make_bridge() {
	local bridge gw
	bridge=$(ksc_node_bridge "$1")
	gw=$(ksc_node_gateway "$1")
	ip link add name "$bridge" type bridge
	ip addr add "$gw/24" dev "$bridge"
	ip link set "$bridge" up
}

# start_namespace NODE: the mount namespace holder, then the per-node bind mounts.
start_namespace() {
	local node=$1 holder n target src i kv path file
	n=$(ksc_node_dir "$node")
	step "mount namespace of $node" "$KSC_LOGS/ns-$node.log"
	ksc_start "ns-$node" unshare --mount --propagation private sleep infinity
	holder=$(cat "$KSC_PIDS/ns-$node.pid")
	# unshare has set up the namespace once it has exec'd sleep.
	for ((i = 0; i < 100; i++)); do
		[[ $(cat "/proc/$holder/comm" 2>/dev/null) == sleep ]] && break
		ksc_alive "ns-$node" || ksc_fail_component "ns-$node" "unshare exited"
		sleep 0.05
	done
	[[ $(readlink "/proc/$holder/ns/mnt") != "$(readlink /proc/self/ns/mnt)" ]] ||
		ksc_fail_component "ns-$node" "no private mount namespace"
	readlink "/proc/$holder/ns/mnt" >"$n/mntns"

	for target in "${KSC_NODE_BIND_DIRS[@]}"; do
		if [[ ! -d $target ]]; then
			# An empty mount point on the host; down.sh removes it again once empty.
			mkdir -p "$target"
			grep -qxF "$target" "$KSC_HOST_DIRS_FILE" 2>/dev/null || echo "$target" >>"$KSC_HOST_DIRS_FILE"
		fi
		src=$(bind_src "$node" "$target")
		mkdir -p "$src"
		nsenter -t "$holder" -m -- mount --bind "$src" "$target"
	done
	mkdir -p "$n/sysctl"
	for kv in "${KSC_KUBELET_SYSCTLS[@]}"; do
		path=${kv%%=*}
		file=$n/sysctl/${path//\//.}
		echo "${kv#*=}" >"$file"
		nsenter -t "$holder" -m -- mount --bind "$file" "/proc/sys/$path"
	done
}

start_containerd() {
	local node=$1 holder
	holder=$(cat "$KSC_PIDS/ns-$node.pid")
	step "start containerd of $node" "$KSC_LOGS/containerd-$node.log"
	ksc_start "containerd-$node" nsenter -t "$holder" -m -- containerd --config "$(ksc_node_dir "$node")/containerd.toml"
}

# import_pause NODE: the sandbox image, from the tarball (there is no registry).
import_pause() {
	local node=$1 sock
	sock=$(ksc_node_sock "$node")
	step "containerd of $node" "$KSC_LOGS/containerd-$node.log"
	ksc_wait "containerd-$node" 30 "containerd socket" ctr -a "$sock" version
	step "import $KSC_PAUSE_IMAGE into $node" "$KSC_LOGS/import-$node.log"
	ctr -a "$sock" -n k8s.io images import "$KSC_IMAGES/pause.tar" >"$KSC_STEP_LOG" 2>&1
	# (Not `ctr | grep -q`: with pipefail, grep's early exit can fail the pipeline.)
	[[ $'\n'$(ctr -a "$sock" -n k8s.io images ls -q)$'\n' == *$'\n'"$KSC_PAUSE_IMAGE"$'\n'* ]] || {
		echo "image $KSC_PAUSE_IMAGE not found after import" >>"$KSC_STEP_LOG"
		false
	}
}

start_kubelet() {
	local node=$1 holder
	holder=$(cat "$KSC_PIDS/ns-$node.pid")
	step "start kubelet of $node" "$KSC_LOGS/kubelet-$node.log"
	ksc_start "kubelet-$node" nsenter -t "$holder" -m -- "$KSC_BIN/kube" kubelet \
		--config="$(ksc_node_dir "$node")/kubelet.yaml" \
		--kubeconfig="$(ksc_node_dir "$node")/kubelet.kubeconfig" \
		--hostname-override="$node" --node-ip="$NODE_IP" --root-dir=/var/lib/kubelet
}

# --- env file ------------------------------------------------------------------------

# envline KEY VALUE appends KEY="VALUE" to the env file being written; values that would
# need escaping are refused, so the file reads the same in a shell and in a simple parser.
envline() {
	[[ $2 != *[\"\$\`\\]* ]] || ksc_die "cannot write $1 to the env file: $2"
	printf '%s="%s"\n' "$1" "$2" >>"$KSC_ENV_FILE.tmp"
}

write_env() {
	local node up
	echo "# Written by e2e/cluster/up.sh: the running local cluster. Shell syntax, KEY=\"value\"." >"$KSC_ENV_FILE.tmp"
	envline KUBECONFIG "$KSC_KUBECONFIG"
	envline KSC_CLUSTER_DIR "$KSC_CLUSTER"
	envline API_SERVER "$KSC_API"
	envline CA_CERT "$KSC_PKI/ca.crt"
	envline ADMIN_CERT "$KSC_PKI/admin.crt"
	envline ADMIN_KEY "$KSC_PKI/admin.key"
	envline KUBE_VERSION "$KSC_KUBE_VERSION"
	envline PAUSE_IMAGE "$KSC_PAUSE_IMAGE"
	envline NODE_IP "$NODE_IP"
	envline NODES "${KSC_NODES[*]}"
	for node in "${KSC_NODES[@]}"; do
		up=${node^^}
		envline "${up}_DIR" "$(ksc_node_dir "$node")"
		envline "${up}_KUBELET_DIR" "$(bind_src "$node" /var/lib/kubelet)"
		envline "${up}_POD_LOGS_DIR" "$(bind_src "$node" /var/log/pods)"
		envline "${up}_CONTAINERD_SOCK" "$(ksc_node_sock "$node")"
		envline "${up}_NSPID" "$(cat "$KSC_PIDS/ns-$node.pid")"
		envline "${up}_KUBELET_PORT" "$(ksc_node_kubelet_port "$node")"
		envline "${up}_CGROUP_ROOT" "$(ksc_node_cgroup "$node")"
		envline "${up}_BRIDGE" "$(ksc_node_bridge "$node")"
		envline "${up}_POD_CIDR" "$(ksc_node_subnet "$node")"
	done
	mv -f "$KSC_ENV_FILE.tmp" "$KSC_ENV_FILE"
}

# --- main ----------------------------------------------------------------------------

main() {
	[[ $EUID -eq 0 ]] || ksc_die "must run as root (it starts containerd and kubelets)"
	ksc_lock

	if cluster_healthy; then
		ksc_log "cluster is already up and healthy (nodes: ${KSC_NODES[*]})"
		echo "KUBECONFIG=$KSC_KUBECONFIG; environment: $KSC_ENV_FILE"
		exit 0
	fi
	if ksc_leftovers; then
		ksc_log "a previous cluster is not healthy or half up: tearing it down first"
		"$KSC_REPO/e2e/cluster/down.sh"
	fi

	mkdir -p "$KSC_LOGS" "$KSC_PIDS" "$KSC_NODES_DIR"
	install_packages
	build_binaries

	step "host checks"
	detect_node_ip
	check_ports_free
	ksc_log "node IP $NODE_IP"
	local node
	for node in "${KSC_NODES[@]}"; do
		mkdir -p "$(ksc_node_dir "$node")/cni/net.d" "$(ksc_node_dir "$node")/cni/ipam"
	done
	make_pki

	start_etcd
	start_apiserver
	# The nodes' containerds come up while the apiserver starts (a few seconds).
	for node in "${KSC_NODES[@]}"; do
		step "prepare $node"
		ksc_log "preparing $node: bridge $(ksc_node_bridge "$node") $(ksc_node_subnet "$node"), cgroup root $(ksc_node_cgroup "$node"), mount namespace, containerd"
		write_node_configs "$node"
		make_cgroups "$node"
		make_bridge "$node"
		start_namespace "$node"
		start_containerd "$node"
	done
	for node in "${KSC_NODES[@]}"; do
		import_pause "$node"
	done
	ksc_log "containerd up on ${KSC_NODES[*]}, $KSC_PAUSE_IMAGE imported"
	wait_apiserver
	start_controllers
	for node in "${KSC_NODES[@]}"; do
		ksc_log "starting kubelet of $node (port $(ksc_node_kubelet_port "$node"))"
		start_kubelet "$node"
	done

	step "wait for the default ServiceAccount" "$KSC_LOGS/kube-controller-manager.log"
	ksc_wait kube-controller-manager 60 "ServiceAccount default/default" \
		ksc_curl /api/v1/namespaces/default/serviceaccounts/default
	ksc_alive kube-scheduler || ksc_fail_component kube-scheduler "exited"
	ksc_log "control plane ready"
	for node in "${KSC_NODES[@]}"; do
		step "wait for $node Ready" "$KSC_LOGS/kubelet-$node.log"
		ksc_wait "kubelet-$node" 90 "node $node Ready" ksc_node_ready "$node"
		ksc_alive "containerd-$node" || ksc_fail_component "containerd-$node" "exited"
		ksc_log "$node Ready"
	done

	step "write env file"
	write_env
	ksc_log "cluster up: nodes ${KSC_NODES[*]} Ready"
	echo "  export KUBECONFIG=$KSC_KUBECONFIG"
	echo "  environment for scripts: source $KSC_ENV_FILE"
	echo "  stop: e2e/cluster/down.sh"
}

main "$@"

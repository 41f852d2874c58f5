package simulate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// testdataPolicy reads a case profile (copied into pkg/profile/testdata) as runc
// applies it on an x86_64 node.
func testdataPolicy(t testing.TB, name string) *Policy {
	t.Helper()
	path := filepath.Join("..", "profile", "testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return FromProfile(p, syscalls.X86_64)
}

func policyOf(t testing.TB, data string) *Policy {
	t.Helper()
	p, err := profile.Parse("p.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return FromProfile(p, syscalls.X86_64)
}

// call builds a vector for name on arch; it fails the test if arch has no name.
func call(t testing.TB, arch syscalls.Arch, name string, args ...uint64) Vector {
	t.Helper()
	nr, ok := syscalls.Number(arch, name)
	if !ok {
		t.Fatalf("%s has no syscall %s", arch, name)
	}
	v := Vector{Arch: arch, Name: name, Nr: nr}
	copy(v.Args[:], args)
	return v
}

var (
	allow = Outcome{Action: ActAllow}
	eperm = Outcome{Action: ActErrno, Data: 1}
)

func TestIntentOfCaseProfiles(t *testing.T) {
	tests := []struct {
		file string
		v    Vector
		want Outcome
	}{
		{"deny-chmod.json", call(t, syscalls.X86_64, "chmod"), eperm},
		{"deny-chmod.json", call(t, syscalls.X86, "chmod"), eperm},
		{"deny-chmod.json", call(t, syscalls.X32, "chmod"), eperm},
		{"deny-chmod.json", call(t, syscalls.X86_64, "fchmodat"), allow},
		{"deny-chmod.json", call(t, syscalls.AArch64, "fchmodat"), Outcome{Action: NotCovered}},
		{"kill-process-default.json", call(t, syscalls.X86_64, "personality", 8), allow},
		{"kill-process-default.json", call(t, syscalls.X86_64, "personality", 0), eperm},
		{"kill-process-default.json", call(t, syscalls.X86_64, "personality", 1<<32|8), eperm},
		{"kill-process-default.json", call(t, syscalls.X86, "ptrace"), Outcome{Action: ActKillProcess}},
		{"socket-family-truncation.json", call(t, syscalls.X86_64, "socket", 40), eperm},
		// 64-bit reading: the JSON compares all 64 bits, so this one is allowed.
		{"socket-family-truncation.json", call(t, syscalls.X86_64, "socket", 0x100000028), allow},
		{"socket-family-truncation.json", call(t, syscalls.X86, "socket", 40), Outcome{Action: NotCovered}},
		{"clone3-enosys.json", call(t, syscalls.X86_64, "clone3"), Outcome{Action: ActErrno, Data: 38}},
		{"clone3-enosys.json", call(t, syscalls.X86_64, "mkdir"), Outcome{Action: ActErrno, Data: 13}},
		{"clone3-enosys.json", call(t, syscalls.X86_64, "clone"), allow},
		// containerd reads docker-default.json without includes: syscalls[44] allows
		// clone3 before syscalls[47] returns ENOSYS for it, and the first one decides.
		{"docker-default.json", call(t, syscalls.X86_64, "clone3"), allow},
		{"docker-default.json", call(t, syscalls.X86_64, "read"), allow},
		{"docker-default.json", call(t, syscalls.X86_64, "kexec_load"), eperm},
		{"docker-default.json", call(t, syscalls.X86_64, "socket", 40), eperm},
		{"docker-default.json", call(t, syscalls.X86_64, "socket", 2), allow},
		// Docker's clone rule: SCMP_CMP_MASKED_EQ 0x7e020000 0, allowed without
		// namespace flags (and syscalls[44] allows it unconditionally anyway here).
		{"docker-default.json", call(t, syscalls.X86_64, "clone", 0x10000000), allow},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.v.String(), func(t *testing.T) {
			if got := Intent(testdataPolicy(t, tt.file), tt.v); got != tt.want {
				t.Errorf("Intent = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestIntentSemantics(t *testing.T) {
	tests := []struct {
		name string
		json string
		v    Vector
		want Outcome
	}{
		{
			"defaultErrnoRet for unlisted syscalls",
			`{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}`,
			call(t, syscalls.X86_64, "write"), Outcome{Action: ActErrno, Data: 38},
		},
		{
			"a rule without errnoRet returns EPERM, not defaultErrnoRet",
			`{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}`,
			call(t, syscalls.X86_64, "chmod"), eperm,
		},
		{
			"the first unconditional rule decides (libseccomp keeps it)",
			`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_ERRNO","errnoRet":13},{"names":["chmod"],"action":"SCMP_ACT_KILL_PROCESS"}]}`,
			call(t, syscalls.X86_64, "chmod"), Outcome{Action: ActErrno, Data: 13},
		},
		{
			"an unconditional rule beats a conditional one that matches",
			`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod"],"action":"SCMP_ACT_LOG","args":[{"index":1,"value":511,"op":"SCMP_CMP_EQ"}]},{"names":["chmod"],"action":"SCMP_ACT_ERRNO"}]}`,
			call(t, syscalls.X86_64, "chmod", 0, 511), eperm,
		},
		{
			"all conditions of a rule must hold",
			`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ioctl"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":3,"op":"SCMP_CMP_EQ"},{"index":1,"value":21505,"op":"SCMP_CMP_EQ"}]}]}`,
			call(t, syscalls.X86_64, "ioctl", 3, 21504), allow,
		},
		{
			"conditions on one argument are ANDed in the JSON",
			`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_NE"},{"index":0,"value":131072,"op":"SCMP_CMP_NE"}]}]}`,
			call(t, syscalls.X86_64, "personality", 131072), allow,
		},
		{
			"SCMP_CMP_MASKED_EQ: arg & value == valueTwo",
			`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["clone"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]}]}`,
			call(t, syscalls.X86_64, "clone", 0x11), eperm,
		},
		{
			"SCMP_CMP_LT is unsigned on 64 bits",
			`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":3,"op":"SCMP_CMP_LT"}]}]}`,
			call(t, syscalls.X86_64, "socket", ^uint64(0)), allow,
		},
		{
			"SCMP_ACT_KILL is KILL_THREAD",
			`{"defaultAction":"SCMP_ACT_KILL"}`,
			call(t, syscalls.X86_64, "read"), Outcome{Action: ActKillThread},
		},
		{
			"TRACE carries errnoRet, EPERM when unset",
			`{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_TRACE"}]}`,
			call(t, syscalls.X86_64, "read"), Outcome{Action: ActTrace, Data: 1},
		},
		{
			"the native arch is covered although not listed",
			`{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_AARCH64"],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO"}]}`,
			call(t, syscalls.X86_64, "read"), eperm,
		},
		{
			"aliases select the same rules (arm's sync_file_range2)",
			`{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_ARM"],"syscalls":[{"names":["arm_sync_file_range"],"action":"SCMP_ACT_ERRNO"}]}`,
			call(t, syscalls.ARM, "sync_file_range2"), eperm,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Intent(policyOf(t, tt.json), tt.v); got != tt.want {
				t.Errorf("Intent(%s) = %s, want %s", tt.v, got, tt.want)
			}
		})
	}
}

package profile

import (
	"slices"
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Rules of docker-default.json used below (indices in its "syscalls").
const (
	dockerMinKernelPtrace = 1  // process_vm_readv, ptrace: includes minKernel 4.8
	dockerArmOnly         = 38 // arm_fadvise64_64, ...: includes arches arm, arm64
	dockerAmd64X32Only    = 39 // arch_prctl: includes arches amd64, x32
	dockerSysAdmin        = 44 // bpf, clone, clone3, mount, ...: includes caps CAP_SYS_ADMIN
	dockerCloneNoSysAdmin = 45 // clone masked: excludes caps CAP_SYS_ADMIN, arches s390, s390x
	dockerS390Clone       = 46 // clone on s390: includes arches s390, s390x
	dockerClone3ENOSYS    = 47 // clone3 ERRNO 38: excludes caps CAP_SYS_ADMIN
)

func ruleIndices(r Resolved) []int {
	var out []int
	for _, rule := range r.Rules {
		out = append(out, rule.Index)
	}
	return out
}

func TestResolveDockerDefault(t *testing.T) {
	p := parseTestdata(t, "docker-default.json")
	tests := []struct {
		name      string
		target    Target
		arches    []syscalls.Arch
		included  []int
		excluded  []int
		clone3    Intent
		openByHdl string
	}{
		{
			name:     "x86_64 without capabilities",
			target:   Target{Arch: syscalls.X86_64, Kernel: "6.18"},
			arches:   []syscalls.Arch{syscalls.X86_64, syscalls.X86, syscalls.X32},
			included: []int{0, dockerMinKernelPtrace, dockerAmd64X32Only, dockerCloneNoSysAdmin, dockerClone3ENOSYS},
			excluded: []int{dockerArmOnly, dockerSysAdmin, dockerS390Clone},
			clone3:   Intent{Outcome: Outcome{Action: "SCMP_ACT_ERRNO", Errno: 38}, Rule: dockerClone3ENOSYS},
		},
		{
			name:     "x86_64 with CAP_SYS_ADMIN",
			target:   Target{Arch: syscalls.X86_64, Caps: []string{"CAP_SYS_ADMIN"}, Kernel: "6.18"},
			arches:   []syscalls.Arch{syscalls.X86_64, syscalls.X86, syscalls.X32},
			included: []int{0, dockerSysAdmin, dockerAmd64X32Only},
			excluded: []int{dockerArmOnly, dockerCloneNoSysAdmin, dockerClone3ENOSYS, dockerS390Clone},
			clone3:   Intent{Outcome: Outcome{Action: "SCMP_ACT_ALLOW"}, Rule: dockerSysAdmin},
		},
		{
			name:     "aarch64 without capabilities",
			target:   Target{Arch: syscalls.AArch64, Kernel: "6.1.0-30-arm64"},
			arches:   []syscalls.Arch{syscalls.AArch64, syscalls.ARM},
			included: []int{0, dockerArmOnly, dockerCloneNoSysAdmin, dockerClone3ENOSYS},
			excluded: []int{dockerAmd64X32Only, dockerSysAdmin, dockerS390Clone},
			clone3:   Intent{Outcome: Outcome{Action: "SCMP_ACT_ERRNO", Errno: 38}, Rule: dockerClone3ENOSYS},
		},
		{
			name:     "old kernel drops the minKernel rule",
			target:   Target{Arch: syscalls.X86_64, Kernel: "4.4.0-210-generic"},
			arches:   []syscalls.Arch{syscalls.X86_64, syscalls.X86, syscalls.X32},
			included: []int{0},
			excluded: []int{dockerMinKernelPtrace},
			clone3:   Intent{Outcome: Outcome{Action: "SCMP_ACT_ERRNO", Errno: 38}, Rule: dockerClone3ENOSYS},
		},
		{
			name:     "unknown kernel meets every minKernel",
			target:   Target{Arch: syscalls.X86_64},
			arches:   []syscalls.Arch{syscalls.X86_64, syscalls.X86, syscalls.X32},
			included: []int{dockerMinKernelPtrace},
			clone3:   Intent{Outcome: Outcome{Action: "SCMP_ACT_ERRNO", Errno: 38}, Rule: dockerClone3ENOSYS},
		},
		{
			name:     "an arch archMap does not name gets no architectures",
			target:   Target{Arch: "SCMP_ARCH_PPC64LE"},
			arches:   nil,
			included: []int{37}, // sync_file_range2, swapcontext: includes arches ppc64le
			excluded: []int{dockerArmOnly, dockerAmd64X32Only},
			clone3:   Intent{Outcome: Outcome{Action: "SCMP_ACT_ERRNO", Errno: 38}, Rule: dockerClone3ENOSYS},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Resolve(p, tt.target)
			if len(r.Problems) != 0 {
				t.Errorf("problems: %v", r.Problems)
			}
			if !slices.Equal(r.Architectures, tt.arches) {
				t.Errorf("Architectures = %v, want %v", r.Architectures, tt.arches)
			}
			got := ruleIndices(r)
			for _, i := range tt.included {
				if !slices.Contains(got, i) {
					t.Errorf("rule %d (%v) is missing", i, p.Syscalls[i].Names)
				}
			}
			for _, i := range tt.excluded {
				if slices.Contains(got, i) {
					t.Errorf("rule %d (%v) is included", i, p.Syscalls[i].Names)
				}
			}
			if got := r.Intended("clone3"); got != tt.clone3 {
				t.Errorf("Intended(clone3) = %+v, want %+v", got, tt.clone3)
			}
			if r.DefaultAction != "SCMP_ACT_ERRNO" || r.DefaultErrno != 1 {
				t.Errorf("default = %s/%d, want SCMP_ACT_ERRNO/1", r.DefaultAction, r.DefaultErrno)
			}
		})
	}
}

func TestResolveOCIIgnoresDockerKeys(t *testing.T) {
	p := parseTestdata(t, "docker-default.json")
	r := ResolveOCI(p)
	if len(r.Rules) != len(p.Syscalls) {
		t.Errorf("containerd keeps every rule: got %d of %d", len(r.Rules), len(p.Syscalls))
	}
	if len(r.Architectures) != 0 {
		t.Errorf("containerd ignores archMap, got architectures %v", r.Architectures)
	}
	if got := r.FilterArches(syscalls.X86_64); !slices.Equal(got, []syscalls.Arch{syscalls.X86_64}) {
		t.Errorf("FilterArches = %v, want only the native arch", got)
	}
	// Read as containerd does, the CAP_SYS_ADMIN rule allows clone3 unconditionally,
	// and libseccomp keeps that first rule: the later ENOSYS rule has no effect (the
	// static engine proves this on the BPF and reports it as a conflict).
	if got := r.Intended("clone3"); got.Action != "SCMP_ACT_ALLOW" || got.Rule >= dockerClone3ENOSYS {
		t.Errorf("Intended(clone3) = %+v, want SCMP_ACT_ALLOW from a rule before %d", got, dockerClone3ENOSYS)
	}
	// bpf is allowed only with CAP_SYS_ADMIN or CAP_BPF in Docker; containerd allows it.
	if got := r.Intended("bpf"); got.Action != "SCMP_ACT_ALLOW" {
		t.Errorf("Intended(bpf) = %+v, want SCMP_ACT_ALLOW", got)
	}
	if got := Resolve(p, Target{Arch: syscalls.X86_64}).Intended("bpf"); got.Action != "SCMP_ACT_ERRNO" || got.Rule != -1 {
		t.Errorf("Docker without caps: Intended(bpf) = %+v, want the default", got)
	}

	legacy := ResolveOCI(parseTestdata(t, "legacy-name-field.json"))
	if len(legacy.Rules) != 1 || len(legacy.Rules[0].Names) != 0 {
		t.Errorf("containerd reads no names from the legacy key: %+v", legacy.Rules)
	}
	if got := Resolve(parseTestdata(t, "legacy-name-field.json"), Target{Arch: syscalls.X86_64}); len(got.Rules) != 1 || !slices.Equal(got.Rules[0].Names, []string{"chmod"}) {
		t.Errorf("Docker reads the legacy key as names: %+v", got.Rules)
	}
}

func TestResolvedErrnoAsRuncSetsIt(t *testing.T) {
	p, err := Parse("p.json", []byte(`{"defaultAction": "SCMP_ACT_TRACE", "syscalls": [
		{"names": ["a"], "action": "SCMP_ACT_ERRNO"},
		{"names": ["b"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
		{"names": ["c"], "action": "SCMP_ACT_TRACE"},
		{"names": ["d"], "action": "SCMP_ACT_KILL_PROCESS", "errnoRet": 13},
		{"names": ["e"], "action": "SCMP_ACT_ALLOW"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := ResolveOCI(p)
	if r.DefaultErrno != EPERM {
		t.Errorf("TRACE default without defaultErrnoRet: data %d, want EPERM", r.DefaultErrno)
	}
	want := []uint{EPERM, 13, EPERM, 0, 0}
	for i, rule := range r.Rules {
		if rule.Errno != want[i] {
			t.Errorf("rule %d (%s): Errno %d, want %d", i, rule.Action, rule.Errno, want[i])
		}
	}
	if got := r.Intended("c"); got.Errno != 0 || got.Action != "SCMP_ACT_TRACE" {
		t.Errorf("Intended reports errno only for ERRNO: %+v", got)
	}
}

func TestResolveProblemsDockerRefuses(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		target Target
		path   string
		want   string
	}{
		{"architectures and archMap", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}`,
			Target{Arch: syscalls.X86_64}, "archMap", "both"},
		{"name and names", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ERRNO"}]}`,
			Target{Arch: syscalls.X86_64}, "syscalls[0].name", "both"},
		{"minKernel with three parts", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "includes": {"minKernel": "4.8.1"}}]}`,
			Target{Arch: syscalls.X86_64}, "syscalls[0].includes.minKernel", "4.8.1"},
		{"minKernel 0.0", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "excludes": {"minKernel": "0.0"}}]}`,
			Target{Arch: syscalls.X86_64}, "syscalls[0].excludes.minKernel", "0.0"},
		{"bad target kernel", `{"defaultAction": "SCMP_ACT_ALLOW"}`,
			Target{Arch: syscalls.X86_64, Kernel: "linux"}, "", "linux"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.json", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			r := Resolve(p, tt.target)
			if len(r.Problems) != 1 || r.Problems[0].Path != tt.path || !strings.Contains(r.Problems[0].Message, tt.want) || r.Problems[0].Severity != Error {
				t.Errorf("problems = %+v, want one error at %q mentioning %q", r.Problems, tt.path, tt.want)
			}
		})
	}
}

func TestParseMinKernel(t *testing.T) {
	for v, want := range map[string][2]uint64{"4.8": {4, 8}, "5.10": {5, 10}, "6.18": {6, 18}} {
		if got, err := ParseMinKernel(v); err != nil || got != want {
			t.Errorf("ParseMinKernel(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	for _, bad := range []string{"4", "4.8.1", "a.b", "4.256", "0.0", "", "-1.2"} {
		if _, err := ParseMinKernel(bad); err == nil {
			t.Errorf("ParseMinKernel(%q) accepted", bad)
		}
	}
}

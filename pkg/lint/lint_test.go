package lint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// lintTestdata lints a copy of a case profile from testdata/.
func lintTestdata(t *testing.T, name string, opts Options) (string, []profile.Finding) {
	t.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, Lint(path, data, opts)
}

func lintInline(t *testing.T, data string, opts Options) []profile.Finding {
	t.Helper()
	return Lint("p.json", []byte(data), opts)
}

// expect is one finding a test wants: its severity, JSON path, and words in it.
type expect struct {
	severity profile.Severity
	path     string
	words    []string
}

// matching returns the findings at e.path with e.severity that hold all of e.words.
func (e expect) matching(findings []profile.Finding) []profile.Finding {
	var out []profile.Finding
	for _, f := range findings {
		if f.Severity != e.severity || f.Path != e.path {
			continue
		}
		s := f.String()
		if !slices.ContainsFunc(e.words, func(w string) bool { return !strings.Contains(s, w) }) {
			out = append(out, f)
		}
	}
	return out
}

func dump(findings []profile.Finding) string {
	var b strings.Builder
	for _, f := range findings {
		b.WriteString("\n  " + string(f.Severity) + " " + f.String())
	}
	return b.String()
}

func errorsIn(findings []profile.Finding) []profile.Finding {
	var out []profile.Finding
	for _, f := range findings {
		if f.Severity == profile.Error {
			out = append(out, f)
		}
	}
	return out
}

func mentioning(findings []profile.Finding, sev profile.Severity, word string) []profile.Finding {
	var out []profile.Finding
	for _, f := range findings {
		if f.Severity == sev && strings.Contains(f.String(), word) {
			out = append(out, f)
		}
	}
	return out
}

// TestCaseProfiles is the lint part of every case in the project's cases table.
func TestCaseProfiles(t *testing.T) {
	tests := []struct {
		file     string
		opts     Options
		want     []expect
		noErrors bool
		// forbid: no finding of that severity may mention the word
		forbid []expect
	}{
		{
			file: "deny-chmod.json",
			want: []expect{{profile.Warning, "syscalls[0].names[0]",
				[]string{"denies chmod", "fchmod, fchmodat and fchmodat2", "allowed", "`chmod 777 f` in a container still works", "coreutils and Go use fchmodat"}}},
			noErrors: true,
		},
		{
			file:     "deny-chmod-family.json",
			want:     []expect{{profile.Info, "syscalls[0].names[0]", []string{"chmod is not a syscall on SCMP_ARCH_AARCH64"}}},
			noErrors: true,
			forbid:   []expect{{profile.Warning, "", []string{"fchmod"}}},
		},
		{
			file:     "deny-chmod-family.json",
			opts:     Options{NodeArches: []syscalls.Arch{syscalls.AArch64, syscalls.X86_64}},
			want:     []expect{{profile.Info, "syscalls[0].names[0]", []string{"chmod is not a syscall on SCMP_ARCH_AARCH64"}}},
			noErrors: true,
			forbid:   []expect{{profile.Warning, "", []string{"fchmod"}}},
		},
		{
			file: "typo-name.json",
			want: []expect{{profile.Error, "syscalls[0].names[0]",
				[]string{`"chmodx"`, "not a syscall on any architecture", "runc drops unknown names silently", `did you mean "chmod"`}}},
		},
		{
			file:     "clone3-enosys.json",
			noErrors: true,
			// ENOSYS for clone3 is a deliberate fallback to clone; mkdir and mkdirat are both denied.
			forbid: []expect{{profile.Warning, "", []string{"denies clone3"}}, {profile.Warning, "", []string{"mkdirat stay"}}, {profile.Error, "", []string{"errno"}}},
		},
		{
			file: "legacy-name-field.json",
			want: []expect{{profile.Error, "syscalls[0].name", []string{`"name"`, "containerd ignores it", `"names": ["chmod"]`}}},
		},
		{
			file: "notify-without-listener.json",
			want: []expect{{profile.Error, "syscalls[0].action", []string{"syscalls[0]", "SCMP_ACT_NOTIFY", "listenerPath"}}},
		},
		{
			file: "unknown-action.json",
			want: []expect{{profile.Error, "syscalls[0].action", append([]string{`"SCMP_ACT_DENY"`}, profile.KnownActions...)}},
			// the family check does not pile onto a rule whose action is unknown
			forbid: []expect{{profile.Warning, "", []string{"fchmodat"}}},
		},
		{
			file: "redundant-rule.json",
			want: []expect{{profile.Warning, "syscalls[1]", []string{"SCMP_ACT_ERRNO", "equals the default action", "runtimes skip it"}}},
			// it still loads: runc skips the rule
			noErrors: true,
		},
		{
			file:     "kill-process-default.json",
			noErrors: true,
		},
		{
			file: "socket-family-truncation.json",
			want: []expect{{profile.Warning, "syscalls[0].args[0]",
				[]string{"socket(0x100000028, ...)", `"socket a0 == 40"`, "SCMP_CMP_MASKED_EQ", `"value": 4294967295, "valueTwo": 40`}}},
			noErrors: true,
		},
		{
			file: "docker-default.json",
			want: []expect{
				{profile.Warning, "archMap", []string{"containerd ignores archMap"}},
				{profile.Warning, "syscalls[44].includes", []string{"containerd ignores includes", "CAP_SYS_ADMIN", "every container", "SCMP_ACT_ALLOW", "RuntimeDefault"}},
				{profile.Warning, "syscalls[47].excludes", []string{"containerd ignores excludes", "CAP_SYS_ADMIN", "clone3"}},
				{profile.Warning, "syscalls[38].includes", []string{"only on arm or arm64"}},
				{profile.Warning, "syscalls[1].includes", []string{"4.8"}},
			},
			noErrors: true,
		},
		{
			file:     "docker-default.json",
			opts:     Options{Runtime: Docker, NodeArches: []syscalls.Arch{syscalls.X86_64, syscalls.AArch64}},
			noErrors: true,
			forbid:   []expect{{profile.Warning, "", []string{"containerd"}}, {profile.Warning, "", []string{"KILL_THREAD"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.opts.Runtime+archList(tt.opts.NodeArches), func(t *testing.T) {
			path, findings := lintTestdata(t, tt.file, tt.opts)
			for _, e := range tt.want {
				if len(e.matching(findings)) == 0 {
					t.Errorf("no %s at %s mentioning %q; findings:%s", e.severity, e.path, e.words, dump(findings))
				}
			}
			if tt.noErrors && len(errorsIn(findings)) > 0 {
				t.Errorf("unexpected errors:%s", dump(errorsIn(findings)))
			}
			for _, e := range tt.forbid {
				if bad := mentioning(findings, e.severity, e.words[0]); len(bad) > 0 {
					t.Errorf("unexpected %s mentioning %q:%s", e.severity, e.words[0], dump(bad))
				}
			}
			for _, f := range findings {
				if f.File != path || f.Line <= 0 || f.Column <= 0 {
					t.Errorf("finding %q is not located in %s (line %d, column %d)", f, path, f.Line, f.Column)
				}
				if f.Severity != profile.Info && f.Fix == "" {
					t.Errorf("finding %q says nothing about how to fix it", f)
				}
			}
			sorted := slices.IsSortedFunc(findings, func(a, b profile.Finding) int {
				if a.Line != b.Line {
					return a.Line - b.Line
				}
				return a.Column - b.Column
			})
			if !sorted {
				t.Errorf("findings are not in file order:%s", dump(findings))
			}
		})
	}
}

func TestTruncatedProfileIsOneErrorWithPosition(t *testing.T) {
	path, findings := lintTestdata(t, "truncated.json", Options{})
	if len(findings) != 1 {
		t.Fatalf("want exactly one finding, got:%s", dump(findings))
	}
	f := findings[0]
	if f.Severity != profile.Error || f.File != path || !(f.Line == 4 && f.Column >= 50 || f.Line == 5 && f.Column == 1) {
		t.Errorf("finding %+v: want an error in %s at the end of line 4", f, path)
	}
	if !strings.Contains(f.Message, "truncated") {
		t.Errorf("message %q does not say the file ends early", f.Message)
	}
	if !strings.HasPrefix(f.String(), path+":4:") {
		t.Errorf("String() = %q, want FILE:LINE:COL first", f)
	}
}

func TestErrnoRetRange(t *testing.T) {
	tests := []struct {
		name string
		data string
		want *expect
	}{
		{"errno 0 is success", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0}]}`,
			&expect{profile.Error, "syscalls[0].errnoRet", []string{"returns 0", "succeeded", "1 to 4095"}}},
		{"errno past MAX_ERRNO", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4096}]}`,
			&expect{profile.Error, "syscalls[0].errnoRet", []string{"4096", "out of range", "1 to 4095"}}},
		{"default errno 0", `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 0, "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`,
			&expect{profile.Error, "defaultErrnoRet", []string{"returns 0"}}},
		{"errno 4095 is fine", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod", "fchmod", "fchmodat", "fchmodat2"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4095}]}`, nil},
		{"errnoRet on KILL is ignored", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["reboot"], "action": "SCMP_ACT_KILL_PROCESS", "errnoRet": 13}]}`,
			&expect{profile.Info, "syscalls[0].errnoRet", []string{"ignored"}}},
		{"TRACE data past 16 bits", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["reboot"], "action": "SCMP_ACT_TRACE", "errnoRet": 70000}]}`,
			&expect{profile.Error, "syscalls[0].errnoRet", []string{"16 bits"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := lintInline(t, tt.data, Options{})
			var at []profile.Finding
			for _, f := range findings {
				if strings.HasSuffix(f.Path, "rrnoRet") {
					at = append(at, f)
				}
			}
			if tt.want == nil {
				if len(at) > 0 || len(errorsIn(findings)) > 0 {
					t.Errorf("unexpected:%s", dump(findings))
				}
				return
			}
			if len(tt.want.matching(findings)) != 1 {
				t.Errorf("want one %s at %s mentioning %q; findings:%s", tt.want.severity, tt.want.path, tt.want.words, dump(findings))
			}
		})
	}
}

func TestStructuralErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want expect
	}{
		{"unknown operator", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQUAL"}]}]}`,
			expect{profile.Error, "syscalls[0].args[0].op", []string{`"SCMP_CMP_EQUAL"`, "SCMP_CMP_MASKED_EQ"}}},
		{"unknown arch", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_AMD64"]}`,
			expect{profile.Error, "architectures[0]", []string{`"SCMP_ARCH_AMD64"`, "SCMP_ARCH_X86_64"}}},
		{"native arch", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_NATIVE"]}`,
			expect{profile.Error, "architectures[0]", []string{"SCMP_ARCH_NATIVE", "runc"}}},
		{"unknown default action", `{"defaultAction": "SCMP_ACT_PERMIT"}`,
			expect{profile.Error, "defaultAction", []string{`"SCMP_ACT_PERMIT"`}}},
		{"empty names", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]}`,
			expect{profile.Error, "syscalls[0].names", []string{"empty"}}},
		{"unknown key", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"nmes": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}`,
			expect{profile.Error, "syscalls[0]", []string{`"nmes"`}}},
		{"unknown archMap arch", `{"defaultAction": "SCMP_ACT_ALLOW", "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_I386"]}]}`,
			expect{profile.Error, "archMap[0].subArchitectures[0]", []string{`"SCMP_ARCH_I386"`}}},
		{"includes arches spelled as SCMP", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["arch_prctl"], "action": "SCMP_ACT_ERRNO", "includes": {"arches": ["SCMP_ARCH_X86_64"]}}]}`,
			expect{profile.Error, "syscalls[0].includes.arches[0]", []string{"Docker's names", "amd64"}}},
		{"near miss of a syscall name", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["fchmodatt"], "action": "SCMP_ACT_ERRNO"}]}`,
			expect{profile.Error, "syscalls[0].names[0]", []string{`did you mean "fchmodat"`}}},
		{"a syscall the kernel exempts from seccomp", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uretprobe"], "action": "SCMP_ACT_KILL_PROCESS"}]}`,
			expect{profile.Warning, "syscalls[0].names[0]", []string{"no seccomp filter can deny uretprobe on SCMP_ARCH_X86_64", "6.14"}}},
		{"name far from any syscall", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["frobnicate_the_kernel"], "action": "SCMP_ACT_ERRNO"}]}`,
			expect{profile.Error, "syscalls[0].names[0]", []string{"check the spelling"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := lintInline(t, tt.data, Options{})
			if len(tt.want.matching(findings)) != 1 {
				t.Errorf("want one %s at %s mentioning %q; findings:%s", tt.want.severity, tt.want.path, tt.want.words, dump(findings))
			}
		})
	}
}

func TestFamilies(t *testing.T) {
	tests := []struct {
		name string
		data string
		opts Options
		want *expect // nil: no family warning at all
	}{
		{"allowlist that leaves a member out is no half-denial",
			`{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["chmod", "read"], "action": "SCMP_ACT_ALLOW"}]}`,
			Options{}, nil},
		{"an explicit deny in an allowlist is",
			`{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["mkdirat", "unlinkat"], "action": "SCMP_ACT_ALLOW"}, {"names": ["mkdir", "unlink"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}`,
			Options{}, &expect{profile.Warning, "syscalls[1].names[0]", []string{"denies mkdir", "mkdirat stays allowed", "coreutils and Go use mkdirat"}}},
		{"clone3 denied with EPERM leaves clone open",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["clone3"], "action": "SCMP_ACT_ERRNO"}]}`,
			Options{}, &expect{profile.Warning, "syscalls[0].names[0]", []string{"denies clone3", "clone, fork and vfork stay allowed"}}},
		{"clone3 denied with ENOSYS is a deliberate fallback",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}`,
			Options{}, nil},
		{"a conditional deny does not count",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 511, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 511}]}]}`,
			Options{}, nil},
		{"NOTIFY restricts rather than denies",
			`{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}`,
			Options{}, &expect{profile.Warning, "syscalls[0].names[0]", []string{"restricts mkdir", "mkdirat"}}},
		{"deny-chmod on an arm64 node: chmod does not exist there",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}`,
			Options{NodeArches: []syscalls.Arch{syscalls.AArch64}},
			&expect{profile.Warning, "syscalls[0].names[0]", []string{"chmod is not a syscall on SCMP_ARCH_AARCH64", "denies nothing there", "fchmodat"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := lintInline(t, tt.data, tt.opts)
			if tt.want == nil {
				var fam []profile.Finding
				for _, f := range findings {
					if f.Severity == profile.Warning && strings.Contains(f.Message, "allowed") {
						fam = append(fam, f)
					}
				}
				if len(fam) > 0 || len(errorsIn(findings)) > 0 {
					t.Errorf("unexpected:%s", dump(findings))
				}
				return
			}
			if len(tt.want.matching(findings)) == 0 {
				t.Errorf("want %s at %s mentioning %q; findings:%s", tt.want.severity, tt.want.path, tt.want.words, dump(findings))
			}
		})
	}
}

func TestNarrowArguments(t *testing.T) {
	const x86 = `"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]`
	rule := func(def, action, name, args string) string {
		return `{"defaultAction": "` + def + `", ` + x86 + `, "syscalls": [{"names": ["` + name + `"], "action": "` + action + `", "args": [` + args + `]}]}`
	}
	tests := []struct {
		name  string
		data  string
		words []string // nil: no warning about the argument
	}{
		{"deny EQ on an int", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "socket", `{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}`),
			[]string{"socket(0x100000028, ...)", "sees 40", "SCMP_CMP_MASKED_EQ"}},
		{"deny EQ on the third int", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "socket", `{"index": 2, "value": 6, "op": "SCMP_CMP_EQ"}`),
			[]string{"socket(_, _, 0x100000006, ...)"}},
		{"deny LT", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "kill", `{"index": 1, "value": 10, "op": "SCMP_CMP_LT"}`),
			[]string{"kill(_, 0x100000000, ...)", "sees 0"}},
		{"deny GT cannot be sidestepped", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "kill", `{"index": 1, "value": 10, "op": "SCMP_CMP_GT"}`), nil},
		{"allowlist NE", rule("SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", "personality", `{"index": 0, "value": 8, "op": "SCMP_CMP_NE"}`),
			[]string{"personality(0x100000008, ...)", "is allowed with a value this rule means to refuse"}},
		{"allowlist EQ cannot be sidestepped", rule("SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", "personality", `{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}`), nil},
		{"allowlist GT", rule("SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", "prctl", `{"index": 0, "value": 20, "op": "SCMP_CMP_GT"}`),
			[]string{"prctl(0x100000000, ...)"}},
		{"masked within 32 bits is safe", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "socket", `{"index": 0, "value": 4294967295, "valueTwo": 40, "op": "SCMP_CMP_MASKED_EQ"}`), nil},
		{"mask past 32 bits", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "socket", `{"index": 0, "value": 8589934591, "valueTwo": 40, "op": "SCMP_CMP_MASKED_EQ"}`),
			[]string{"socket(0x100000028, ...)"}},
		{"umode_t mode", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "fchmodat", `{"index": 2, "value": 511, "op": "SCMP_CMP_EQ"}`),
			[]string{"fchmodat(_, _, 0x101ff, ...)", "umode_t", `"value": 65535, "valueTwo": 511`}},
		{"value wider than the int", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "socket", `{"index": 0, "value": 4294967336, "op": "SCMP_CMP_EQ"}`),
			[]string{"wider than the 32 bits", "0x28"}},
		{"unsigned long argument", rule("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "clone", `{"index": 0, "value": 2114060288, "op": "SCMP_CMP_EQ"}`), nil},
		{"deny under a deny default", rule("SCMP_ACT_KILL_PROCESS", "SCMP_ACT_ERRNO", "socket", `{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := lintInline(t, tt.data, Options{})
			var args []profile.Finding
			for _, f := range findings {
				if f.Path == "syscalls[0].args[0]" {
					args = append(args, f)
				}
			}
			if tt.words == nil {
				if len(args) > 0 {
					t.Errorf("unexpected:%s", dump(args))
				}
				return
			}
			e := expect{profile.Warning, "syscalls[0].args[0]", tt.words}
			if len(e.matching(findings)) != 1 {
				t.Errorf("want one warning mentioning %q; findings:%s", tt.words, dump(findings))
			}
		})
	}
}

func TestSocketcallBypassesSocketArgumentRules(t *testing.T) {
	const rules = `{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 4294967295, "valueTwo": 40, "op": "SCMP_CMP_MASKED_EQ"}]}`
	tests := []struct {
		name string
		data string
		opts Options
		want bool
	}{
		{"i386 listed, socketcall allowed",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [` + rules + `]}`, Options{}, true},
		{"socketcall denied too",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [` + rules + `, {"names": ["socketcall"], "action": "SCMP_ACT_ERRNO"}]}`, Options{}, false},
		{"i386 not in the filter",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [` + rules + `]}`, Options{}, false},
		{"i386 listed but no node runs it",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "syscalls": [` + rules + `]}`, Options{NodeArches: []syscalls.Arch{syscalls.AArch64}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := lintInline(t, tt.data, tt.opts)
			got := expect{profile.Warning, "syscalls[0].args", []string{"SCMP_ARCH_X86", "socketcall", "deny socketcall too"}}.matching(findings)
			if tt.want && len(got) != 1 || !tt.want && len(got) != 0 {
				t.Errorf("want warning: %v; findings:%s", tt.want, dump(findings))
			}
		})
	}
}

func TestArchesTheNodesRun(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		nodes []syscalls.Arch
		want  []string // words of the one warning; nil for none
	}{
		{"x86_64 profile without i386 and x32", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"]}`, nil,
			[]string{"SCMP_ARCH_X86, SCMP_ARCH_X32", "SCMP_ACT_KILL_THREAD", "not defaultAction SCMP_ACT_ALLOW", `"SCMP_ARCH_X86", "SCMP_ARCH_X32"`}},
		{"no architectures at all", `{"defaultAction": "SCMP_ACT_ERRNO"}`, nil,
			[]string{"lists no architectures", "SCMP_ACT_KILL_THREAD", "not defaultAction SCMP_ACT_ERRNO"}},
		{"complete x86 list", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]}`, nil, nil},
		{"arm64 nodes miss arm", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]}`,
			[]syscalls.Arch{syscalls.X86_64, syscalls.AArch64}, []string{"nodes of arch SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}},
		{"archMap ignored by containerd", `{"defaultAction": "SCMP_ACT_ALLOW", "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}]}`, nil,
			[]string{"containerd ignores archMap"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := lintInline(t, tt.data, Options{NodeArches: tt.nodes})
			got := mentioning(findings, profile.Warning, "bad-arch action")
			if tt.want == nil {
				if len(got) > 0 {
					t.Errorf("unexpected:%s", dump(got))
				}
				return
			}
			if len(expect{profile.Warning, "architectures", tt.want}.matching(got)) != 1 || len(got) != 1 {
				t.Errorf("want one warning mentioning %q; findings:%s", tt.want, dump(findings))
			}
		})
	}
}

func TestRuntimeDialects(t *testing.T) {
	const minKernel = `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}}]}`
	tests := []struct {
		name    string
		data    string
		runtime string
		want    expect
	}{
		{"CRI-O ignores minKernel", minKernel, CRIO, expect{profile.Warning, "syscalls[0].includes.minKernel", []string{"CRI-O ignores minKernel", "every kernel"}}},
		{"containerd ignores includes", minKernel, Containerd, expect{profile.Warning, "syscalls[0].includes", []string{"containerd ignores includes", "kernels 4.8 and later"}}},
		{"Docker refuses architectures with archMap",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}`,
			Docker, expect{profile.Error, "archMap", []string{"both architectures and archMap"}}},
		{"Docker refuses a bad minKernel",
			`{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "includes": {"minKernel": "4"}}]}`,
			Docker, expect{profile.Error, "syscalls[0].includes.minKernel", []string{`"4"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := lintInline(t, tt.data, Options{Runtime: tt.runtime})
			if len(tt.want.matching(findings)) != 1 {
				t.Errorf("want one %s at %s mentioning %q; findings:%s", tt.want.severity, tt.want.path, tt.want.words, dump(findings))
			}
			if tt.runtime != Containerd && len(mentioning(findings, profile.Warning, "containerd")) > 0 {
				t.Errorf("containerd warnings for runtime %s:%s", tt.runtime, dump(findings))
			}
		})
	}
}

func TestParseNodeArch(t *testing.T) {
	for in, want := range map[string]syscalls.Arch{
		"amd64": syscalls.X86_64, "x86_64": syscalls.X86_64, "SCMP_ARCH_X86_64": syscalls.X86_64,
		"arm64": syscalls.AArch64, "aarch64": syscalls.AArch64, "scmp_arch_aarch64": syscalls.AArch64,
		"arm": syscalls.ARM, "386": syscalls.X86, "SCMP_ARCH_S390X": "SCMP_ARCH_S390X",
	} {
		if got, err := ParseNodeArch(in); err != nil || got != want {
			t.Errorf("ParseNodeArch(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "sparc", "SCMP_ARCH_X32", "SCMP_ARCH_NATIVE", "x32"} {
		if _, err := ParseNodeArch(bad); err == nil {
			t.Errorf("ParseNodeArch(%q) accepted", bad)
		}
	}
}

func TestOptionsCheck(t *testing.T) {
	for _, r := range append([]string{""}, Runtimes...) {
		if err := (Options{Runtime: r}).Check(); err != nil {
			t.Errorf("runtime %q refused: %v", r, err)
		}
	}
	if err := (Options{Runtime: "podman"}).Check(); err == nil || !strings.Contains(err.Error(), "containerd") {
		t.Errorf("unknown runtime: %v, want an error listing the known ones", err)
	}
}

package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// runLint drives LintOptions the way the cobra command does and returns stdout, the
// error and its exit code.
func runLint(t *testing.T, o *LintOptions, args ...string) (string, int, error) {
	t.Helper()
	streams, out, _ := newStreams()
	o.IOStreams = streams
	if o.Output == "" {
		o.Output = "text"
	}
	err := o.Complete(args)
	if err == nil {
		err = o.Validate()
	}
	if err == nil {
		err = o.Run()
	}
	return out.String(), ExitCode(err), err
}

// lintLineRE is FILE:LINE:COL: SEVERITY: PATH: MESSAGE (the path is absent for
// findings about the whole file).
var lintLineRE = regexp.MustCompile(`^(\S[^:]*):(\d+):(\d+): (error|warning|info): (?:([a-zA-Z][\w.\[\]]*): )?(.+)$`)

func TestLintExitCodesAndTextFormat(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		lines   []string // regexps, each must match some output line
		summary string
	}{
		{"warnings only exit 0", []string{testdata("deny-chmod.json")}, ExitOK,
			[]string{`^testdata/deny-chmod\.json:11:5: warning: syscalls\[0\]\.names\[0\]: this profile denies chmod, but fchmod, fchmodat and fchmodat2 .*; fix: deny the whole chmod family`},
			"1 profile linted for containerd on SCMP_ARCH_X86_64: 0 errors, 1 warning, 0 info"},
		{"info only exit 0", []string{testdata("lint/deny-chmod-family.json")}, ExitOK,
			[]string{`^testdata/lint/deny-chmod-family\.json:5:16: info: syscalls\[0\]\.names\[0\]: chmod is not a syscall on SCMP_ARCH_AARCH64`},
			"0 errors, 0 warnings, 1 info"},
		{"unknown syscall exit 1", []string{testdata("lint/typo-name.json")}, ExitFailed,
			[]string{`^testdata/lint/typo-name\.json:4:16: error: syscalls\[0\]\.names\[0\]: "chmodx" is not a syscall on any architecture .*runc drops unknown names silently.*; fix: did you mean "chmod"\?$`},
			"1 error"},
		{"unknown action exit 1", []string{testdata("unknown-action.json")}, ExitFailed,
			[]string{`^testdata/unknown-action\.json:4:\d+: error: syscalls\[0\]\.action: unknown action "SCMP_ACT_DENY"; fix: use one of: .*SCMP_ACT_ERRNO`},
			"1 error"},
		{"truncated JSON exit 1, with line and column", []string{testdata("truncated.json")}, ExitFailed,
			[]string{`^testdata/truncated\.json:4:\d+: error: invalid JSON: unexpected end of file`},
			"1 error"},
		{"name install refuses", []string{testdata("Bad Name.json")}, ExitFailed,
			[]string{`^testdata/Bad Name\.json: error: file name "Bad Name\.json" cannot be installed: names must be lowercase`},
			"1 error"},
		{"a directory", []string{testdata("lint")}, ExitFailed,
			[]string{`^testdata/lint/deny-chmod-family\.json:`, `^testdata/lint/typo-name\.json:4:16: error: `},
			"2 profiles linted"},
		{"unreadable path exit 2, the rest still linted", []string{testdata("lint/typo-name.json"), testdata("no-such.json")}, ExitUsage,
			[]string{`^testdata/lint/typo-name\.json:4:16: error: `},
			"1 profile linted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code, err := runLint(t, &LintOptions{}, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d (err %v), want %d", code, err, tt.code)
			}
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			for _, re := range tt.lines {
				if !slicesContainsMatch(lines, regexp.MustCompile(re)) {
					t.Errorf("no line matches %s; output:\n%s", re, out)
				}
			}
			for _, l := range lines[:len(lines)-1] {
				if !lintLineRE.MatchString(l) && !strings.HasPrefix(l, testdata("Bad Name.json")+": error: ") {
					t.Errorf("line %q is not FILE:LINE:COL: SEVERITY: PATH: MESSAGE", l)
				}
			}
			if last := lines[len(lines)-1]; !strings.Contains(last, tt.summary) {
				t.Errorf("summary %q does not contain %q", last, tt.summary)
			}
		})
	}
}

func slicesContainsMatch(lines []string, re *regexp.Regexp) bool {
	for _, l := range lines {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

func TestLintUnreadableErrorNamesThePath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.json")
	out, code, err := runLint(t, &LintOptions{}, missing)
	if code != ExitUsage || err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("err %v (exit %d), want a usage error naming %s", err, code, missing)
	}
	if out != "" {
		t.Errorf("nothing was linted, yet lint printed %q", out)
	}
	_, code, err = runLint(t, &LintOptions{}, t.TempDir())
	if code != ExitUsage || err == nil || !strings.Contains(err.Error(), "no *.json profiles") {
		t.Errorf("empty directory: err %v (exit %d), want a usage error", err, code)
	}
}

func TestLintUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		o    LintOptions
		args []string
		want string
	}{
		{"no paths", LintOptions{}, nil, "no profiles given"},
		{"bad output", LintOptions{Output: "table"}, []string{testdata("deny-chmod.json")}, "--output"},
		{"bad node arch", LintOptions{NodeArches: []string{"sparc"}}, []string{testdata("deny-chmod.json")}, "--node-arch"},
		{"bad runtime", LintOptions{Runtime: "podman"}, []string{testdata("deny-chmod.json")}, "--runtime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code, err := runLint(t, &tt.o, tt.args...)
			if code != ExitUsage || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v (exit %d), want a usage error mentioning %q", err, code, tt.want)
			}
			if out != "" {
				t.Errorf("a usage error printed findings:\n%s", out)
			}
		})
	}
}

func TestLintJSONAndYAML(t *testing.T) {
	for _, format := range []string{"json", "yaml"} {
		t.Run(format, func(t *testing.T) {
			o := &LintOptions{Output: format, NodeArches: []string{"amd64", "arm64"}}
			out, code, _ := runLint(t, o, testdata("deny-chmod.json"), testdata("lint/typo-name.json"))
			if code != ExitFailed {
				t.Errorf("exit code %d, want 1", code)
			}
			var r lintReport
			var err error
			if format == "json" {
				err = json.Unmarshal([]byte(out), &r)
			} else {
				err = yaml.Unmarshal([]byte(out), &r)
			}
			if err != nil {
				t.Fatalf("output is not %s: %v\n%s", format, err, out)
			}
			if r.Summary.Files != 2 || r.Summary.Errors != 1 || r.Runtime != lint.Containerd {
				t.Errorf("summary %+v runtime %q, want 2 files, 1 error, containerd", r.Summary, r.Runtime)
			}
			if len(r.NodeArches) != 2 || r.NodeArches[0] != syscalls.X86_64 || r.NodeArches[1] != syscalls.AArch64 {
				t.Errorf("nodeArches = %v", r.NodeArches)
			}
			var chmodx *profile.Finding
			for i, f := range r.Findings {
				if strings.Contains(f.Message, `"chmodx"`) {
					chmodx = &r.Findings[i]
				}
			}
			if chmodx == nil || chmodx.Severity != profile.Error || chmodx.File != testdata("lint/typo-name.json") ||
				chmodx.Path != "syscalls[0].names[0]" || chmodx.Line != 4 || chmodx.Column != 16 || chmodx.Fix == "" {
				t.Errorf("chmodx finding = %+v", chmodx)
			}
		})
	}
}

func TestLintNodeArchesChangeTheFindings(t *testing.T) {
	// deny-chmod lists only x86 arches: on an arm64 node, chmod is no syscall and the
	// node's own arm (aarch32) entry point is not in the filter.
	out, code, _ := runLint(t, &LintOptions{NodeArches: []string{"arm64"}}, testdata("deny-chmod.json"))
	if code != ExitOK {
		t.Errorf("exit code %d, want 0 (warnings only)", code)
	}
	for _, want := range []string{"chmod is not a syscall on SCMP_ARCH_AARCH64", "nodes of arch SCMP_ARCH_AARCH64 also run SCMP_ARCH_ARM", "on SCMP_ARCH_AARCH64"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not mention %q:\n%s", want, out)
		}
	}
}

func TestLintIsWiredIntoTheRootCommand(t *testing.T) {
	streams, out, _ := newStreams()
	root := NewCmdSeccomp(streams)
	root.SetArgs([]string{"lint", "--node-arch", "amd64", "-o", "json", testdata("lint/typo-name.json")})
	err := root.Execute()
	if ExitCode(err) != ExitFailed {
		t.Errorf("exit code %d (err %v), want 1", ExitCode(err), err)
	}
	if !strings.Contains(out.String(), `"chmodx`) {
		t.Errorf("output does not name chmodx:\n%s", out)
	}

	root = NewCmdSeccomp(streams)
	root.SetArgs([]string{"lint", "--bogus", testdata("deny-chmod.json")})
	if err := root.Execute(); ExitCode(err) != ExitUsage {
		t.Errorf("unknown flag: exit code %d (err %v), want 2", ExitCode(err), err)
	}
}

func TestLintResolvesDockerProfilesWithCapsAndKernel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mkdir.json")
	data := `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
               {"names": ["mkdirat"], "action": "SCMP_ACT_ERRNO", "includes": {"minKernel": "5.4"}}]}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		o           LintOptions
		half        bool // warns that mkdir is denied and mkdirat allowed
		containerd  bool // warns that containerd ignores the Docker keys
		wantSummary string
	}{
		{"containerd makes both rules unconditional", LintOptions{}, false, true, "for containerd"},
		{"docker without caps on an old kernel keeps only the mkdir rule", LintOptions{Runtime: "docker", Kernel: "4.19.0-27-amd64"}, true, false, "for docker"},
		{"docker on a new kernel keeps both", LintOptions{Runtime: "docker", Kernel: "6.18"}, false, false, "for docker"},
		{"docker with CAP_SYS_ADMIN drops the mkdir rule", LintOptions{Runtime: "docker", Caps: []string{"CAP_SYS_ADMIN"}, Kernel: "6.18"}, false, false, "for docker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code, err := runLint(t, &tt.o, path)
			if code != ExitOK {
				t.Fatalf("exit code %d (%v), want 0:\n%s", code, err, out)
			}
			if got := strings.Contains(out, "denies mkdir, but mkdirat stays allowed"); got != tt.half {
				t.Errorf("half-denied family warning: %v, want %v:\n%s", got, tt.half, out)
			}
			if got := strings.Contains(out, "containerd ignores"); got != tt.containerd {
				t.Errorf("containerd warning: %v, want %v:\n%s", got, tt.containerd, out)
			}
			if !strings.Contains(out, tt.wantSummary) {
				t.Errorf("summary does not say %q:\n%s", tt.wantSummary, out)
			}
		})
	}
	if _, code, err := runLint(t, &LintOptions{Runtime: "docker", Kernel: "banana"}, path); code != ExitUsage {
		t.Errorf("--kernel banana: exit code %d (%v), want 2", code, err)
	}
}

// Docker's default profile has fifteen includes/excludes rules with the same long fix:
// the text output gives it once and then points back to it, and JSON keeps every fix.
func TestLintTextGivesARepeatedFixOnce(t *testing.T) {
	file := filepath.Join("..", "lint", "testdata", "docker-default.json")
	out, _, err := runLint(t, &LintOptions{}, file)
	if err != nil {
		t.Fatal(err)
	}
	const fix = "resolve the profile for your pods before installing"
	if n := strings.Count(out, fix); n != 1 {
		t.Errorf("the includes/excludes fix is printed %d times, want once:\n%s", n, out)
	}
	first := regexp.MustCompile(`(?m)^\S+:(\d+):\d+: warning: syscalls\[\d+\]\.(?:includes|excludes): .*` + fix).FindStringSubmatch(out)
	if first == nil {
		t.Fatalf("no includes/excludes warning with the full fix:\n%s", out)
	}
	refs := regexp.MustCompile(`(?m); fix: as for line (\d+)$`).FindAllStringSubmatch(out, -1)
	if len(refs) < 10 {
		t.Errorf("only %d findings refer back to the fix, want the other includes/excludes rules:\n%s", len(refs), out)
	}
	for _, r := range refs {
		if r[1] != first[1] {
			t.Errorf("a finding refers to line %s, the full fix is on line %s", r[1], first[1])
		}
	}

	jsonOut, _, _ := runLint(t, &LintOptions{Output: "json"}, file)
	if n := strings.Count(jsonOut, fix); n != len(refs)+1 {
		t.Errorf("JSON holds the fix %d times, want it on each of the %d findings", n, len(refs)+1)
	}
}

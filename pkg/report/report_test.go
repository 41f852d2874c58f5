package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

func passing(node, profile string) NodeResult {
	return NodeResult{Node: node, Profile: profile,
		Installed: Pass("sha256 matches"), Loads: Pass("libseccomp 2.5.4 loads it"),
		Simulated: Pass("all vectors agree"), Enforced: Pass("chmod: EPERM")}
}

func TestChecksBuilders(t *testing.T) {
	tests := []struct {
		name     string
		got      Check
		ok, ran  bool
		wantText string
	}{
		{"Pass", Pass("p"), true, true, "p"},
		{"Fail", Fail("f"), false, true, "f"},
		{"Skip", Skip("s"), false, false, "s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.OK != tt.ok || tt.got.Ran != tt.ran || tt.got.Detail != tt.wantText {
				t.Errorf("%s = %+v, want OK=%v Ran=%v Detail=%q", tt.name, tt.got, tt.ok, tt.ran, tt.wantText)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	skipped := passing("node1", "deny-chmod.json")
	skipped.Enforced = Skip("the probe container did not start")
	failed := passing("node2", "deny-chmod.json")
	failed.Loads = Fail("libseccomp refused it")
	uninstalled := passing("node2", "deny-chmod.json")
	uninstalled.Installed = Fail("file missing")

	tests := []struct {
		name    string
		results []NodeResult
		want    bool
	}{
		{"no results is not a pass", nil, false},
		{"empty results is not a pass", []NodeResult{}, false},
		{"every check passed", []NodeResult{passing("node1", "a.json"), passing("node2", "a.json")}, true},
		{"a check that did not run is not a pass", []NodeResult{passing("node2", "a.json"), skipped}, false},
		{"a failed check", []NodeResult{passing("node1", "a.json"), failed}, false},
		{"not installed", []NodeResult{uninstalled}, false},
		{"a zero result is not a pass", []NodeResult{{Node: "node1", Profile: "a.json"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.results)
			if s.Passed != tt.want {
				t.Errorf("Passed = %v, want %v", s.Passed, tt.want)
			}
			if s.Version != Version {
				t.Errorf("Version = %q, want %q", s.Version, Version)
			}
			if len(s.Results) != len(tt.results) {
				t.Errorf("Summarize kept %d results, want %d", len(s.Results), len(tt.results))
			}
		})
	}
}

func TestNodeResultPassedNeedsEveryCheckToHaveRun(t *testing.T) {
	// Two passed checks do not make up for one that could not run.
	r := passing("n", "p.json")
	r.Enforced = Skip("could not run")
	if r.Passed() {
		t.Error("a result with a skipped check passed")
	}
}

func TestSummaryJSONIsTheDocumentedShape(t *testing.T) {
	s := Summarize([]NodeResult{passing("node1", "deny-chmod.json")})
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back["version"] != Version || back["passed"] != true {
		t.Errorf("summary JSON = %s", data)
	}
	results, _ := back["results"].([]any)
	if len(results) != 1 {
		t.Fatalf("results = %v", back["results"])
	}
	r := results[0].(map[string]any)
	for _, k := range []string{"node", "profile", "installed", "loads", "simulated", "enforced"} {
		if _, ok := r[k]; !ok {
			t.Errorf("result JSON lacks %q: %s", k, data)
		}
	}
}

func tableRows(t *testing.T, s Summary) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTable(&buf, s); err != nil {
		t.Fatalf("WriteTable: %v", err)
	}
	return strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
}

func TestWriteTableHeader(t *testing.T) {
	rows := tableRows(t, Summarize(nil))
	if got := strings.Fields(rows[0]); strings.Join(got, " ") != "NODE PROFILE INSTALLED LOADS SIMULATED ENFORCED DETAIL" {
		t.Errorf("header = %q", rows[0])
	}
	if len(rows) != 1 {
		t.Errorf("no results should print only the header, got %q", rows)
	}
}

func TestWriteTableRows(t *testing.T) {
	loadsFail := passing("node2", "deny-chmod.json")
	loadsFail.Loads = Fail("libseccomp: unknown syscall chmodx")
	loadsFail.Simulated = Skip("not simulated")
	loadsFail.Enforced = Fail("chmod returned 0, want EPERM")
	notReady := NodeResult{Node: "node3", Profile: "deny-chmod.json",
		Installed: Skip("node is NotReady (KubeletNotReady: PLEG)"),
		Loads:     Skip("node is NotReady (KubeletNotReady: PLEG)"),
		Simulated: Skip("node is NotReady (KubeletNotReady: PLEG)"),
		Enforced:  Skip("node is NotReady (KubeletNotReady: PLEG)")}
	probeSkipped := passing("node4", "deny-chmod.json")
	probeSkipped.Enforced = Skip("probe did not start")

	tests := []struct {
		name   string
		result NodeResult
		// the row must match this pattern (whitespace collapsed to single spaces)
		want string
	}{
		{"all passed shows what was proven", passing("node1", "deny-chmod.json"),
			`^node1 deny-chmod\.json ok ok ok ok chmod: EPERM$`},
		{"a failing row shows the first failing check's detail", loadsFail,
			`^node2 deny-chmod\.json ok FAIL not-run FAIL loads: libseccomp: unknown syscall chmodx$`},
		{"checks that did not run are not-run", notReady,
			`^node3 deny-chmod\.json not-run not-run not-run not-run not verified: node is NotReady \(KubeletNotReady: PLEG\)$`},
		{"a skipped check after passing ones", probeSkipped,
			`^node4 deny-chmod\.json ok ok ok not-run enforced: probe did not start$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := tableRows(t, Summarize([]NodeResult{tt.result}))
			if len(rows) != 2 {
				t.Fatalf("want header and one row, got %q", rows)
			}
			row := strings.Join(strings.Fields(rows[1]), " ")
			if !regexp.MustCompile(tt.want).MatchString(row) {
				t.Errorf("row = %q, want %s", row, tt.want)
			}
		})
	}
}

func TestWriteTableColumnsAreAligned(t *testing.T) {
	long := passing("a-very-long-node-name.example.com", "deny-chmod-family.json")
	rows := tableRows(t, Summarize([]NodeResult{passing("n1", "a.json"), long}))
	col := func(row, field string) int { return strings.Index(row, field) }
	if col(rows[0], "PROFILE") != col(rows[1], "a.json") || col(rows[0], "PROFILE") != col(rows[2], "deny-chmod-family.json") {
		t.Errorf("PROFILE column not aligned:\n%s", strings.Join(rows, "\n"))
	}
}

// Notes every node says alike are printed once under the profile; a note only some
// nodes say carries their names.
func TestWriteTableNotes(t *testing.T) {
	a, b := passing("node1", "deny-chmod.json"), passing("node2", "deny-chmod.json")
	a.Notes = []string{"warning: fchmodat stays allowed", "libseccomp 2.5.4 does not know mseal"}
	b.Notes = []string{"warning: fchmodat stays allowed"}
	var buf bytes.Buffer
	if err := WriteTable(&buf, Summarize([]NodeResult{a, b})); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "fchmodat stays allowed") != 1 || strings.Contains(out, "[node1, node2]") {
		t.Errorf("a note of every node must appear once, without node names:\n%s", out)
	}
	if !strings.Contains(out, "[node1] libseccomp 2.5.4 does not know mseal") {
		t.Errorf("a note of one node must name it:\n%s", out)
	}
}

// runc's ENOSYS stub changes what a container gets for names this libseccomp does
// not know: the notes must say so instead of "the default action".
func TestProofNotesNameRuncsENOSYSStub(t *testing.T) {
	p := Proof{Profile: "p.json", Static: simulate.Report{Libseccomp: "2.5.4", Native: syscalls.X86_64}}
	p.Static.Unknown = []simulate.UnknownName{{Name: "mseal"}, {Name: "uretprobe"}}
	p.Static.RuncStub = []simulate.ENOSYSStub{
		{Arch: syscalls.X86_64, Above: "futex_requeue", Nr: 456, Named: []string{"mseal"}, Others: 14},
		{Arch: syscalls.X32, Above: "pwritev2", Nr: 1073742371},
	}
	notes := strings.Join(ProofNotes(p), "\n")
	for _, want := range []string{
		"does not know mseal, uretprobe",
		"under runc, mseal get ENOSYS instead",
		"SCMP_ARCH_X86_64 above futex_requeue (456): 15 syscalls",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "SCMP_ARCH_X32 above") {
		t.Errorf("an arch where the stub covers no syscall is noise:\n%s", notes)
	}

	p.Static.RuncStub = nil
	if notes := strings.Join(ProofNotes(p), "\n"); strings.Contains(notes, "ENOSYS") {
		t.Errorf("no stub (default allows, or no architectures), yet the notes say ENOSYS:\n%s", notes)
	}
}

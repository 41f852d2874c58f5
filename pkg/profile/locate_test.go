package profile

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocateFindsValuesByJSONPath(t *testing.T) {
	// deny-chmod.json is indented with tabs: columns count bytes, a tab is one.
	_, data := readTestdata(t, "deny-chmod.json")
	tests := []struct {
		path      string
		line, col int
	}{
		{"", 1, 1},
		{"defaultAction", 2, 19},
		{"architectures", 3, 19},
		{"architectures[0]", 4, 3},
		{"architectures[2]", 6, 3},
		{"syscalls", 8, 14},
		{"syscalls[0]", 9, 3},
		{"syscalls[0].names", 10, 13},
		{"syscalls[0].names[0]", 11, 5},
		{"syscalls[0].action", 13, 14},
		{"syscalls[0].args", 14, 12},
		{"syscalls[0].includes", 16, 16},
		{"syscalls[0].excludes", 17, 16},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			line, col, ok := Locate(data, tt.path)
			if !ok || line != tt.line || col != tt.col {
				t.Errorf("Locate(%q) = %d:%d (found %v), want %d:%d", tt.path, line, col, ok, tt.line, tt.col)
			}
		})
	}
}

func TestLocateNestedArgsAndTrickyStrings(t *testing.T) {
	data := []byte(`{"defaultAction": "SCMP_ACT_ALLOW",
"syscalls": [
  {"names": ["a"], "action": "SCMP_ACT_ERRNO", "comment": "x: [1, 2], {\"k\": 3}"},
  {"names": ["b", "c"], "action": "SCMP_ACT_ERRNO",
   "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 1, "op": "SCMP_CMP_NE"}]}
]}`)
	tests := []struct {
		path      string
		line, col int
	}{
		{"syscalls[0].comment", 3, 59},
		{"syscalls[1]", 4, 3},
		{"syscalls[1].names[1]", 4, 19},
		{"syscalls[1].args[0].value", 5, 35},
		{"syscalls[1].args[1].op", 5, 92},
	}
	for _, tt := range tests {
		line, col, ok := Locate(data, tt.path)
		if !ok || line != tt.line || col != tt.col {
			t.Errorf("Locate(%q) = %d:%d (found %v), want %d:%d", tt.path, line, col, ok, tt.line, tt.col)
		}
	}
	for _, missing := range []string{"syscalls[2]", "syscalls[0].args", "nope", "syscalls[1].args[0].value.x"} {
		if _, _, ok := Locate(data, missing); ok {
			t.Errorf("Locate(%q) found a value that does not exist", missing)
		}
	}
	ps := NewPositions(data)
	if line, col, ok := ps.Nearest("syscalls[0].args[0].op"); !ok || line != 3 || col != 3 {
		t.Errorf("Nearest of a missing key = %d:%d, want the rule that lacks it at 3:3", line, col)
	}
	if line, col, ok := ps.Nearest("architectures"); !ok || line != 1 || col != 1 {
		t.Errorf("Nearest of a missing top-level key = %d:%d, want the document at 1:1", line, col)
	}
}

func TestLocateInTruncatedDataFindsWhatCameBefore(t *testing.T) {
	_, data := readTestdata(t, "truncated.json")
	if line, col, ok := Locate(data, "syscalls[0].action"); !ok || line != 4 || col != 36 {
		t.Errorf("Locate = %d:%d (found %v), want 4:36", line, col, ok)
	}
}

func TestParseErrorCarriesPosition(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		path      string
		line, col int
	}{
		{"truncated", "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [\n", "", 3, 16},
		{"unknown key in a rule", "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"a\"],\n  \"nmes\": [\"b\"], \"action\": \"SCMP_ACT_ERRNO\"}]}", "syscalls[0]", 3, 11},
		{"unknown key in includes", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "includes": {"cap": ["CAP_SYS_ADMIN"]}}]}`, "syscalls[0].includes", 1, 115},
		{"wrong type (the decoder points past the value)", "{\"defaultAction\": 1}", "", 1, 20},
		{"empty file", "", "", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.json", []byte(tt.data))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %v (%T) is not a *ParseError", err, err)
			}
			if pe.Path != tt.path || pe.Line != tt.line || pe.Column != tt.col {
				t.Errorf("ParseError at %q %d:%d, want %q %d:%d (%v)", pe.Path, pe.Line, pe.Column, tt.path, tt.line, tt.col, err)
			}
			if !strings.HasPrefix(err.Error(), "p.json: ") {
				t.Errorf("error %q does not start with the source", err)
			}
		})
	}
}

func TestLoadFindingsCarryLineAndColumn(t *testing.T) {
	path, _ := readTestdata(t, "redundant-rule.json")
	_, findings, err := Load([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 || findings[0].Line != 5 || findings[0].Column != 5 {
		t.Fatalf("findings = %+v, want one at line 5, column 5", findings)
	}
	if s := findings[0].String(); !strings.Contains(s, path+": syscalls[1] (line 5, column 5): ") {
		t.Errorf("String() = %q, want the file, the path and the position", s)
	}

	dir := t.TempDir()
	copyTestdata(t, dir, "unknown-action.json")
	_, _, err = Load([]string{filepath.Join(dir, "unknown-action.json")})
	if err == nil || !strings.Contains(err.Error(), "syscalls[0].action (line 4, column 36)") {
		t.Errorf("Load error %v does not locate the bad action", err)
	}
}

func TestFindingString(t *testing.T) {
	tests := []struct {
		f    Finding
		want string
	}{
		{Finding{Path: "syscalls[0]", Message: "m", Fix: "f"}, "syscalls[0]: m; fix: f"},
		{Finding{Path: "syscalls[0]", Line: 3, Column: 7, Message: "m"}, "syscalls[0] (line 3, column 7): m"},
		{Finding{File: "a.json", Path: "syscalls[0]", Line: 3, Column: 7, Message: "m", Fix: "f"}, "a.json:3:7: syscalls[0]: m; fix: f"},
		// No JSON path (a parse error of the whole document): no stray space.
		{Finding{Line: 5, Column: 19, Message: "m"}, "(line 5, column 19): m"},
		{Finding{File: "a.json", Line: 1, Column: 1, Message: "m"}, "a.json:1:1: m"},
		{Finding{File: "a.json", Message: "m"}, "a.json: m"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

package profile

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readTestdata returns the bytes of a profile copied into testdata/.
func readTestdata(t *testing.T, name string) (string, []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return path, data
}

// parseTestdata parses a testdata profile and fails the test on a parse error.
func parseTestdata(t *testing.T, name string) *Profile {
	t.Helper()
	path, data := readTestdata(t, name)
	p, err := Parse(path, data)
	if err != nil {
		t.Fatalf("Parse(%s): unexpected error: %v", name, err)
	}
	return p
}

func TestParseAcceptsWellFormedProfiles(t *testing.T) {
	for _, name := range []string{
		"deny-chmod.json",
		"deny-chmod-family.json",
		"docker-default.json",
		"clone3-enosys.json",
		"kill-process-default.json",
		"socket-family-truncation.json",
		"typo-name.json",
		"redundant-rule.json",
		// Parse is syntax and keys only: these are refused later, by Validate.
		"unknown-action.json",
		"legacy-name-field.json",
		"notify-without-listener.json",
	} {
		t.Run(name, func(t *testing.T) {
			parseTestdata(t, name)
		})
	}
}

func TestParseKeepsDockerOnlyFields(t *testing.T) {
	p := parseTestdata(t, "docker-default.json")
	if p.DefaultAction != "SCMP_ACT_ERRNO" {
		t.Errorf("defaultAction = %q, want SCMP_ACT_ERRNO", p.DefaultAction)
	}
	if p.DefaultErrnoRet == nil || *p.DefaultErrnoRet != 1 {
		t.Errorf("defaultErrnoRet = %v, want 1", p.DefaultErrnoRet)
	}
	if len(p.ArchMap) == 0 {
		t.Error("archMap was dropped; lint needs it to warn about it")
	}
	withIncludes := 0
	for _, s := range p.Syscalls {
		if s.Includes != nil && (len(s.Includes.Caps) > 0 || len(s.Includes.Arches) > 0 || s.Includes.MinKernel != "") {
			withIncludes++
		}
	}
	if withIncludes == 0 {
		t.Error("no rule kept its includes; lint needs them to warn that containerd ignores them")
	}
}

func TestParseErrorsLocateTheProblem(t *testing.T) {
	tests := []struct {
		name string
		data string
		// every regexp must match the error message
		want []string
	}{
		{
			name: "missing comma points at the next key",
			data: "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\"\n  \"syscalls\": []\n}\n",
			want: []string{`^p\.json: `, `line 3, column 3`, `invalid JSON`},
		},
		{
			name: "wrong type names the field and its position",
			data: "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [{\"names\": [\"chmod\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": \"EPERM\"}]\n}\n",
			want: []string{`^p\.json: `, `line 3, column \d+`, `errnoRet`, `expected a whole number`, `string`},
		},
		{
			name: "a JSON array instead of a profile",
			data: "[]\n",
			want: []string{`^p\.json: line 1, column \d+: a profile is a JSON object`, `JSON array`},
		},
		{
			name: "second document after the profile",
			data: "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n",
			want: []string{`^p\.json: line 2, column 1: `, `unexpected data after`},
		},
		{
			// runc and containerd read the file with json.Unmarshal, which refuses this:
			// a profile that lints clean would then fail every container start.
			name: "stray closing brace after the profile",
			data: "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n}\n",
			want: []string{`^p\.json`, `2:1|line 2, column 1`},
		},
		{
			name: "stray closing bracket after the profile",
			data: "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}\n]\n",
			want: []string{`^p\.json`, `2:1|line 2, column 1`},
		},
		{
			name: "empty file",
			data: "",
			want: []string{`^p\.json: `},
		},
		{
			name: "top level is an array",
			data: "[]\n",
			want: []string{`^p\.json: `, `line 1, column \d+`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.json", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse accepted %q (got %+v), want an error", tt.data, p)
			}
			for _, re := range tt.want {
				if !regexp.MustCompile(re).MatchString(err.Error()) {
					t.Errorf("error %q does not match %q", err, re)
				}
			}
		})
	}
}

func TestParseTruncatedFileNamesFileLineAndColumn(t *testing.T) {
	path, data := readTestdata(t, "truncated.json")
	_, err := Parse(path, data)
	if err == nil {
		t.Fatal("Parse accepted a truncated file")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, path+": ") {
		t.Errorf("error %q does not start with the file name %q", msg, path)
	}
	// The file has 4 lines and ends in a newline: the end of the data is on line 4
	// (after the last character) or line 5, column 1 (after the final newline).
	if !regexp.MustCompile(`line (4, column 5\d|5, column 1)\b`).MatchString(msg) {
		t.Errorf("error %q does not point at the end of the data (line 4 or 5)", msg)
	}
	if !strings.Contains(msg, "truncated") && !strings.Contains(msg, "end of") {
		t.Errorf("error %q does not say the data ends early", msg)
	}
}

func TestParseRefusesUnknownKeysWithTheirPath(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		wantPath string
		wantKey  string
	}{
		{
			name:     "misspelled names in a rule",
			data:     `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"nmes": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}`,
			wantPath: "syscalls[0]",
			wantKey:  "nmes",
		},
		{
			name:     "unknown key in the second rule",
			data:     `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO"}, {"names": ["b"], "action": "SCMP_ACT_ERRNO", "errno": 38}]}`,
			wantPath: "syscalls[1]",
			wantKey:  "errno",
		},
		{
			name:     "misspelled top-level key",
			data:     `{"defaultAction": "SCMP_ACT_ALLOW", "architecture": ["SCMP_ARCH_X86_64"]}`,
			wantPath: "top level",
			wantKey:  "architecture",
		},
		{
			name:     "unknown key in an argument condition",
			data:     `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 8, "operator": "SCMP_CMP_NE"}]}]}`,
			wantPath: "syscalls[0].args[0]",
			wantKey:  "operator",
		},
		{
			name:     "key with the wrong case",
			data:     `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"Names": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}`,
			wantPath: "syscalls[0]",
			wantKey:  "Names",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.json", []byte(tt.data))
			if err == nil {
				t.Fatal("Parse accepted an unknown key")
			}
			msg := err.Error()
			for _, want := range []string{"p.json", tt.wantPath + ":", `"` + tt.wantKey + `"`} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
		})
	}
}

func TestDigestIsSHA256HexOfTheBytes(t *testing.T) {
	_, data := readTestdata(t, "deny-chmod.json")
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	if got := Digest(data); got != want {
		t.Errorf("Digest = %s, want %s", got, want)
	}
	f := &File{Name: "deny-chmod.json", Data: data}
	if got := f.Digest(); got != want {
		t.Errorf("File.Digest = %s, want %s", got, want)
	}
	if got, want := Digest(nil), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; got != want {
		t.Errorf("Digest(nil) = %s, want the sha256 of no bytes %s", got, want)
	}
	if Digest(data) == Digest(append(append([]byte{}, data...), '\n')) {
		t.Error("Digest ignores a trailing newline: a changed file would look installed")
	}
}

package profile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"deny-chmod.json", true},
		{"a_b.c.json", true},
		{"0.json", true},
		{strings.Repeat("a", 248) + ".json", true}, // 253 characters
		{"../x.json", false},
		{"a/b.json", false},
		{`a\b.json`, false},
		{"Upper.json", false},
		{"with space.json", false},
		{"x.yaml", false},
		{"x.JSON", false},
		{"x.json.bak", false},
		{".hidden.json", false},
		{"-dash.json", false},
		{"_under.json", false},
		{".json", false},
		{"", false},
		{"a..b.json", false},
		{strings.Repeat("a", 249) + ".json", false}, // 254 characters
		{strings.Repeat("a", 295) + ".json", false}, // 300 characters
		{"tab\t.json", false},
		{"new\nline.json", false},
		{"café.json", false},
	}
	for _, tt := range tests {
		label := tt.name
		if len(label) > 40 {
			label = fmt.Sprintf("%s...(%d chars)", label[:10], len(tt.name))
		}
		t.Run(label, func(t *testing.T) {
			err := CheckName(tt.name)
			if tt.ok && err != nil {
				t.Errorf("CheckName(%q) = %v, want accepted", tt.name, err)
			}
			if !tt.ok {
				if err == nil {
					t.Fatalf("CheckName(%q) accepted an unsafe name", tt.name)
				}
				if !strings.Contains(err.Error(), NameRule) {
					t.Errorf("error %q does not state the rule for names", err)
				}
			}
		})
	}
}

// copyTestdata copies testdata profiles into dir under their own names.
func copyTestdata(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		_, data := readTestdata(t, n)
		writeFile(t, filepath.Join(dir, n), data)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileNames(files []*File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name)
	}
	return out
}

func TestLoadSingleFileKeepsTheExactBytes(t *testing.T) {
	path, data := readTestdata(t, "deny-chmod.json")
	files, findings, err := Load([]string{path})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(findings) != 0 {
		t.Errorf("unexpected findings: %v", findings)
	}
	if len(files) != 1 {
		t.Fatalf("got %d files, want 1", len(files))
	}
	f := files[0]
	if f.Name != "deny-chmod.json" || f.Source != path {
		t.Errorf("Name, Source = %q, %q; want deny-chmod.json, %q", f.Name, f.Source, path)
	}
	if !bytes.Equal(f.Data, data) {
		t.Error("Data differs from the file's bytes: the installed file would not match its source digest")
	}
	if f.Digest() != Digest(data) {
		t.Errorf("Digest = %s, want the digest of the file's bytes", f.Digest())
	}
	if f.Profile.DefaultAction != "SCMP_ACT_ALLOW" || len(f.Profile.Syscalls) != 1 {
		t.Errorf("Profile not parsed: %+v", f.Profile)
	}
}

func TestLoadDirectoryTakesOnlyJSONFiles(t *testing.T) {
	dir := t.TempDir()
	copyTestdata(t, dir, "deny-chmod.json", "clone3-enosys.json")
	writeFile(t, filepath.Join(dir, "README.md"), []byte("# not a profile\n"))
	writeFile(t, filepath.Join(dir, "notes.yaml"), []byte("a: b\n"))
	writeFile(t, filepath.Join(dir, "deny-chmod.json.orig"), []byte("{"))
	// a nested directory is not walked
	copyTestdata(t, filepath.Join(dir, "nested"), "kill-process-default.json")

	files, _, err := Load([]string{dir})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	got := strings.Join(fileNames(files), ",")
	if want := "clone3-enosys.json,deny-chmod.json"; got != want {
		t.Errorf("loaded %s, want %s", got, want)
	}
}

func TestLoadRefusesDuplicateNamesAcrossArguments(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	copyTestdata(t, a, "deny-chmod.json")
	// same name, other content
	_, other := readTestdata(t, "deny-chmod-family.json")
	writeFile(t, filepath.Join(b, "deny-chmod.json"), other)

	_, _, err := Load([]string{a, filepath.Join(b, "deny-chmod.json")})
	if err == nil {
		t.Fatal("Load accepted two profiles that would be installed under the same name")
	}
	for _, want := range []string{`"deny-chmod.json"`, filepath.Join(a, "deny-chmod.json"), filepath.Join(b, "deny-chmod.json"), "unique"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// The same file named twice (-f a.json -f dir/ holding a.json) is one profile, not a
// clash of names.
func TestLoadReadsAFileNamedTwiceOnce(t *testing.T) {
	dir := t.TempDir()
	copyTestdata(t, dir, "deny-chmod.json")
	path := filepath.Join(dir, "deny-chmod.json")
	files, _, err := Load([]string{path, dir, filepath.Join(dir, ".", "deny-chmod.json")})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "deny-chmod.json" {
		t.Errorf("files = %d, want the one profile once", len(files))
	}
}

// NOTIFY without listenerPath is a profile the runtime accepts but that cannot work:
// Load returns it with an overridable error finding, and install decides (--force).
func TestLoadLeavesOverridableErrorsToTheCaller(t *testing.T) {
	dir := t.TempDir()
	copyTestdata(t, dir, "notify-without-listener.json")
	files, findings, err := Load([]string{dir})
	if err != nil || len(files) != 1 {
		t.Fatalf("Load(notify-without-listener) = %d files, %v; want the file", len(files), err)
	}
	if !HasErrors(findings) || Blocking(findings) {
		t.Fatalf("want an overridable error finding, got %+v", findings)
	}
	if !strings.Contains(findings[0].Message, "listenerPath") {
		t.Errorf("the finding must name listenerPath: %+v", findings[0])
	}
}

func TestLoadReportsEveryBadFileAtOnce(t *testing.T) {
	dir := t.TempDir()
	copyTestdata(t, dir, "truncated.json", "unknown-action.json", "legacy-name-field.json",
		"deny-chmod.json")
	writeFile(t, filepath.Join(dir, "Bad Name.json"), []byte(`{"defaultAction": "SCMP_ACT_ALLOW"}`))
	missing := filepath.Join(t.TempDir(), "does-not-exist.json")

	files, _, err := Load([]string{dir, missing})
	if err == nil {
		t.Fatal("Load accepted bad profiles")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(dir, "truncated.json") + ": line",
		filepath.Join(dir, "unknown-action.json") + ": syscalls[0].action",
		`"SCMP_ACT_DENY"`,
		filepath.Join(dir, "legacy-name-field.json") + ": syscalls[0].name",
		`"Bad Name.json"`,
		missing,
		"no such file or directory",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not mention %q; error:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "deny-chmod.json") {
		t.Errorf("the good profile is blamed:\n%s", msg)
	}
	// The good file may be returned, but the caller must not go on: the error is set.
	for _, f := range files {
		if f.Name != "deny-chmod.json" {
			t.Errorf("a bad profile was returned as loaded: %s", f.Name)
		}
	}
}

func TestLoadNonexistentPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	files, _, err := Load([]string{missing})
	if err == nil {
		t.Fatal("Load of a nonexistent path succeeded")
	}
	if len(files) != 0 {
		t.Errorf("got files %v", fileNames(files))
	}
	if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("error %q does not name the path and say it does not exist", err)
	}
}

func TestLoadEmptyDirectoryIsAnError(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "README.md"), []byte("nothing here"))
	_, _, err := Load([]string{dir})
	if err == nil {
		t.Fatal("Load of a directory without profiles succeeded: install would apply an empty set")
	}
	if !strings.Contains(err.Error(), "no profiles found") || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not say that no profile was found in %s", err, dir)
	}
}

func TestLoadRefusesUnsafeFileNames(t *testing.T) {
	dir := t.TempDir()
	_, data := readTestdata(t, "deny-chmod.json")
	for _, name := range []string{"Upper.json", "with space.json"} {
		path := filepath.Join(dir, name)
		writeFile(t, path, data)
		t.Run(name, func(t *testing.T) {
			_, _, err := Load([]string{path})
			if err == nil {
				t.Fatalf("Load accepted %q", name)
			}
			if !strings.Contains(err.Error(), NameRule) {
				t.Errorf("error %q does not state the rule for names", err)
			}
		})
	}
}

func TestLoadReturnsWarningsWithTheFile(t *testing.T) {
	path, _ := readTestdata(t, "redundant-rule.json")
	files, findings, err := Load([]string{path})
	if err != nil {
		t.Fatalf("a warning must not stop Load: %v", err)
	}
	if len(files) != 1 {
		t.Fatalf("got %d files, want 1", len(files))
	}
	if len(findings) != 1 || findings[0].Severity != Warning {
		t.Fatalf("want one warning, got %v", findings)
	}
	if want := path + ": syscalls[1]"; findings[0].Path != want {
		t.Errorf("warning path = %q, want %q (file and rule)", findings[0].Path, want)
	}
}

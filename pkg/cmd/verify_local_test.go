package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// verify --local refuses what is no profile before it runs the engine: exit 2, as for
// install, with the file, line and column; directories are expanded as lint does.
func TestVerifyLocalRefusesBadInputWithExit2(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("verify --local needs Linux")
	}
	empty := t.TempDir()
	noVerifier := filepath.Join(t.TempDir(), "no-such-verifier")
	tests := []struct {
		name     string
		files    []string
		verifier string
		want     []string
	}{
		{"truncated JSON", []string{testdata("truncated.json")}, "", []string{"truncated.json", "line", "column", "nothing was verified"}},
		{"unknown action", []string{testdata("unknown-action.json")}, "", []string{"syscalls[0].action", "SCMP_ACT_DENY"}},
		{"missing file", []string{testdata("no-such.json")}, "", []string{"no-such.json", "no such file"}},
		{"directory without profiles", []string{empty}, "", []string{"no *.json profiles"}},
		{"a directory with a bad profile in it", []string{"testdata"}, "", []string{"truncated.json"}},
		{"no verifier binary there", []string{testdata("deny-chmod.json")}, noVerifier, []string{"--verifier " + noVerifier, "make verifier"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streams, _, _ := newStreams()
			o := &VerifyOptions{Local: true, LocalFiles: tt.files, Verifier: tt.verifier, Output: "table", Runtime: "containerd"}
			o.IOStreams = streams
			err := o.Run(context.Background())
			if code := ExitCode(err); code != ExitUsage {
				t.Fatalf("exit code %d, want %d: %v", code, ExitUsage, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(fmt.Sprint(err), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
	if _, err := os.Stat(noVerifier); err == nil {
		t.Fatal("the test's missing verifier exists")
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/cmd"
)

// runPluginLocal runs `kubectl seccomp verify --local` as a user does, with this test
// binary as the verifier (TestMain dispatches its modes), so the plugin's rendering and
// exit codes are checked against the real engine's JSON, not a fixture.
func runPluginLocal(t *testing.T, args ...string) (stdout, stderr string, code int, err error) {
	t.Helper()
	if runtime.GOARCH != "amd64" {
		t.Skipf("live probes run on x86_64 only; this is %s", runtime.GOARCH)
	}
	var out, errOut bytes.Buffer
	root := cmd.NewCmdSeccomp(genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	root.SetArgs(append([]string{"verify", "--local", "--verifier", os.Args[0]}, args...))
	root.SetOut(&errOut)
	root.SetErr(&errOut)
	err = root.Execute()
	return out.String(), errOut.String(), cmd.ExitCode(err), err
}

func TestVerifyLocalWithoutFilesTriesTheBuiltInExample(t *testing.T) {
	out, errOut, code, _ := runPluginLocal(t)
	if code != cmd.ExitOK {
		t.Fatalf("exit code %d, want 0; stderr %s; stdout:\n%s", code, errOut, out)
	}
	if !strings.Contains(errOut, "built-in example deny-chmod.json") {
		t.Errorf("stderr does not say which profile was verified: %q", errOut)
	}
	for _, want := range []string{
		"deny-chmod.json  ok     ok         ok",
		"chmod: errno EPERM (1)",
		"fchmod, fchmodat and fchmodat2 stay allowed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestVerifyLocalReportsExactErrnos(t *testing.T) {
	out, errOut, code, _ := runPluginLocal(t, filepath.Join("..", "pkg", "profile", "testdata", "clone3-enosys.json"))
	if code != cmd.ExitOK {
		t.Fatalf("exit code %d, want 0; stderr %s; stdout:\n%s", code, errOut, out)
	}
	for _, want := range []string{"clone3: errno ENOSYS (38)", "mkdir: errno EACCES (13)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestVerifyLocalFailsOnALintError(t *testing.T) {
	out, errOut, code, err := runPluginLocal(t, filepath.Join("..", "pkg", "profile", "testdata", "typo-name.json"))
	if code != cmd.ExitFailed {
		t.Errorf("exit code %d, want %d; stderr %s", code, cmd.ExitFailed, errOut)
	}
	if !strings.Contains(out, `"chmodx" is not a syscall`) {
		t.Errorf("output does not name chmodx:\n%s", out)
	}
	if err == nil || !strings.Contains(err.Error(), "typo-name.json") {
		t.Errorf("the error does not name the failing profile: %v", err)
	}
}

// A directory is verified file by file, as lint and install read it.
func TestVerifyLocalExpandsADirectory(t *testing.T) {
	out, errOut, code, _ := runPluginLocal(t, filepath.Join("..", "examples"))
	if code != cmd.ExitOK {
		t.Fatalf("exit code %d, want 0; stderr %s; stdout:\n%s", code, errOut, out)
	}
	for _, want := range []string{"deny-chmod.json  ", "deny-chmod-family.json  "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks a row for %q:\n%s", want, out)
		}
	}
}

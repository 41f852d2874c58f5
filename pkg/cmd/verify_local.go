package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/examples"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// verifierEnv names the verifier binary for `verify --local` when no flag does.
const verifierEnv = "KUBECTL_SECCOMP_VERIFIER"

// runLocal proves profile files on this machine with the verifier binary: the plugin
// is pure Go, the engine needs cgo and libseccomp, so it runs as a child process.
func (o *VerifyOptions) runLocal(ctx context.Context) error {
	if runtime.GOOS != "linux" {
		return usageError("verify --local runs the engine on this machine's kernel, so it needs Linux; use `kubectl seccomp lint` here, or `verify` against a cluster")
	}
	files, err := localProfiles(o.LocalFiles)
	if err != nil {
		return err
	}
	bin, err := o.verifierBinary()
	if err != nil {
		return err
	}
	if len(files) == 0 {
		example, cleanup, err := o.writeExample()
		if err != nil {
			return err
		}
		defer cleanup()
		files = []string{example}
	}
	args := append([]string{"local", "--runtime=" + o.Runtime}, files...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var proofs []report.Proof
	if err := json.Unmarshal(stdout.Bytes(), &proofs); err != nil {
		why := string(bytes.TrimSpace(stderr.Bytes()))
		if why == "" {
			why = "it printed no report"
		}
		return failed("the verifier %s failed (%v): %s", bin, runErr, why)
	}
	if err := o.printProofs(proofs); err != nil {
		return err
	}
	var bad []string
	for _, p := range proofs {
		if !p.Loads().OK || !p.Simulated().OK || p.LiveProven().Ran && !p.LiveProven().OK || p.HasLintErrors() {
			bad = append(bad, p.Profile)
		}
	}
	if len(bad) > 0 {
		return failed("verification failed for %v", bad)
	}
	return nil
}

// localProfiles expands directories to their *.json files and reads each profile
// first, so that a file that is no profile at all (broken JSON, an unknown action) is
// an input error, exit 2, as for install; what the engine finds is a verdict.
func localProfiles(args []string) ([]string, error) {
	var files []string
	var errs []string
	for _, a := range args {
		paths, err := profile.Expand(a)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if len(paths) == 0 {
			errs = append(errs, fmt.Sprintf("%s: no *.json profiles in this directory", a))
		}
		for _, p := range paths {
			if _, _, err := profile.ReadFile(p); err != nil {
				errs = append(errs, err.Error())
				continue
			}
			files = append(files, p)
		}
	}
	if len(errs) > 0 {
		return nil, usageError("%s\nnothing was verified", strings.Join(errs, "\n"))
	}
	return files, nil
}

// writeExample puts the embedded example where the verifier can read it, under its own
// name (the verifier reports profiles by base name), and says so: with no file given,
// `verify --local` is the way to try the tool.
func (o *VerifyOptions) writeExample() (string, func(), error) {
	dir, err := os.MkdirTemp("", "kubectl-seccomp-example-")
	if err != nil {
		return "", nil, failed("writing the built-in example: %v", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, examples.DenyChmodName)
	if err := os.WriteFile(path, examples.DenyChmod, 0o644); err != nil {
		cleanup()
		return "", nil, failed("writing the built-in example: %v", err)
	}
	fmt.Fprintf(o.ErrOut, "no profile file given: verifying the built-in example %s (denies chmod(2) with EPERM)\n", examples.DenyChmodName)
	return path, cleanup, nil
}

// verifierBinary finds the verifier: --verifier, $KUBECTL_SECCOMP_VERIFIER,
// kubectl-seccomp-verifier on PATH, or `verifier` beside the plugin (bin/ of a build).
func (o *VerifyOptions) verifierBinary() (string, error) {
	for _, named := range []struct{ path, by string }{{o.Verifier, "--verifier"}, {os.Getenv(verifierEnv), "$" + verifierEnv}} {
		if named.path == "" {
			continue
		}
		if info, err := os.Stat(named.path); err != nil || info.IsDir() {
			return "", usageError("%s %s: no verifier binary there: build it with `make verifier` (bin/verifier)", named.by, named.path)
		}
		return named.path, nil
	}
	if p, err := exec.LookPath("kubectl-seccomp-verifier"); err == nil {
		return p, nil
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "verifier")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", usageError("verify --local needs the verifier binary (Linux, cgo + libseccomp): build it with `make verifier` and pass --verifier bin/verifier, set %s, or put it on PATH as kubectl-seccomp-verifier", verifierEnv)
}

func (o *VerifyOptions) printProofs(proofs []report.Proof) error {
	switch o.Output {
	case "json", "yaml":
		return o.printStructured(proofs)
	}
	return report.WriteProofs(o.Out, proofs)
}

package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// LintOptions is `kubectl seccomp lint`. It reads files only: no cluster, no client.
type LintOptions struct {
	genericiooptions.IOStreams

	Paths      []string
	NodeArches []string
	Runtime    string
	Caps       []string
	Kernel     string
	Output     string

	lint lint.Options
}

// NewCmdLint is `kubectl seccomp lint FILE|DIR...`.
func NewCmdLint(streams genericiooptions.IOStreams) *cobra.Command {
	o := &LintOptions{IOStreams: streams}
	cmd := &cobra.Command{
		Use:   "lint FILE|DIR...",
		Short: "Check seccomp profiles for what they do not do on your nodes, without a cluster",
		Long: `lint reads seccomp profiles (files, or directories of *.json files) and reports, with
file, line and column: what the runtime refuses (unknown actions, operators, arches, keys,
NOTIFY without listenerPath), what it drops silently (unknown syscall names, the legacy
"name" key, Docker-only keys under containerd), and what does not stop what it seems to
(half-denied syscall families such as chmod/fchmodat, int arguments compared in 64 bits,
arches the nodes run that the profile leaves out).

Exit codes: 0 no errors (warnings and infos allowed), 1 some profile has an error,
2 usage error or unreadable file.`,
		Example: `  kubectl seccomp lint deny-chmod.json
  kubectl seccomp lint profiles/ --node-arch amd64 --node-arch arm64
  kubectl seccomp lint docker-default.json --runtime docker -o json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			if err := o.Complete(args); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run()
		},
	}
	cmd.Flags().StringSliceVarP(&o.Paths, "filename", "f", nil, "profile file, or directory of *.json profiles (repeatable; same as the arguments)")
	cmd.Flags().StringSliceVar(&o.NodeArches, "node-arch", []string{"amd64"}, "native arch of the cluster's nodes (repeatable): amd64, arm64, arm, 386 or SCMP_ARCH_*")
	cmd.Flags().StringVar(&o.Runtime, "runtime", lint.Containerd, "container runtime of the nodes: "+strings.Join(lint.Runtimes, ", "))
	cmd.Flags().StringSliceVar(&o.Caps, "cap", nil, "for --runtime docker or cri-o: a capability the containers hold, e.g. CAP_SYS_ADMIN (repeatable); includes/excludes on caps are resolved with these")
	cmd.Flags().StringVar(&o.Kernel, "kernel", "", `for --runtime docker: the nodes' kernel ("6.18") to resolve minKernel with; empty means new enough for every rule`)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "text", "output format: text, json or yaml")
	return cmd
}

// Complete takes the paths from the arguments and reads the node arches.
func (o *LintOptions) Complete(args []string) error {
	o.Paths = append(o.Paths, args...)
	o.lint = lint.Options{Runtime: o.Runtime, Caps: o.Caps, Kernel: o.Kernel}
	for _, s := range o.NodeArches {
		a, err := lint.ParseNodeArch(strings.TrimSpace(s))
		if err != nil {
			return usageError("--node-arch: %v", err)
		}
		o.lint.NodeArches = append(o.lint.NodeArches, a)
	}
	return nil
}

// Validate checks the flags.
func (o *LintOptions) Validate() error {
	if len(o.Paths) == 0 {
		return usageError("no profiles given: kubectl seccomp lint FILE|DIR...")
	}
	if !slices.Contains([]string{"text", "json", "yaml"}, o.Output) {
		return usageError("--output %q: use text, json or yaml", o.Output)
	}
	if err := o.lint.Check(); err != nil {
		return usageError("--runtime: %v", err)
	}
	if o.Kernel != "" {
		if _, err := profile.ParseMinKernel(kernelMajorMinor(o.Kernel)); err != nil {
			return usageError("--kernel %q: give the kernel release, e.g. 6.18 or 6.1.0-30-amd64", o.Kernel)
		}
	}
	return nil
}

// lintReport is what -o json|yaml prints.
type lintReport struct {
	NodeArches []syscalls.Arch   `json:"nodeArches"`
	Runtime    string            `json:"runtime"`
	Findings   []profile.Finding `json:"findings"`
	Unreadable []string          `json:"unreadable,omitempty"`
	Summary    lintReportSummary `json:"summary"`
}

type lintReportSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Run lints every profile, prints the findings, and maps them to the exit code:
// an unreadable path is a usage error (2) even when other files have errors (1).
func (o *LintOptions) Run() error {
	report := lintReport{NodeArches: o.lint.NodeArches, Runtime: o.lint.Runtime, Findings: []profile.Finding{}}
	if report.Runtime == "" {
		report.Runtime = lint.Containerd
	}
	if len(report.NodeArches) == 0 {
		report.NodeArches = []syscalls.Arch{syscalls.X86_64}
	}
	var unreadable []error
	for _, p := range o.Paths {
		files, err := profile.Expand(p)
		if err != nil {
			unreadable = append(unreadable, err)
			continue
		}
		if len(files) == 0 {
			unreadable = append(unreadable, fmt.Errorf("%s: no *.json profiles in this directory", p))
			continue
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				unreadable = append(unreadable, fmt.Errorf("%s: %w", file, unwrapPathErr(err)))
				continue
			}
			report.Summary.Files++
			if name := filepath.Base(file); profile.CheckName(name) != nil {
				report.Findings = append(report.Findings, profile.Finding{Severity: profile.Error, File: file,
					Message: fmt.Sprintf("file name %q cannot be installed: names must be %s", name, profile.NameRule),
					Fix:     "rename the file"})
			}
			report.Findings = append(report.Findings, lint.Lint(file, data, o.lint)...)
		}
	}
	for _, f := range report.Findings {
		switch f.Severity {
		case profile.Error:
			report.Summary.Errors++
		case profile.Warning:
			report.Summary.Warnings++
		default:
			report.Summary.Infos++
		}
	}
	for _, err := range unreadable {
		report.Unreadable = append(report.Unreadable, err.Error())
	}
	if err := o.print(report); err != nil {
		return err
	}
	switch {
	case len(unreadable) > 0:
		return usageError("%v", errors.Join(unreadable...))
	case report.Summary.Errors > 0:
		return failed("%d error(s) in the profiles; see the lines above", report.Summary.Errors)
	}
	return nil
}

func (o *LintOptions) print(r lintReport) error {
	switch o.Output {
	case "json":
		data, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(o.Out, "%s\n", data)
		return err
	case "yaml":
		data, err := yaml.Marshal(r)
		if err != nil {
			return err
		}
		_, err = o.Out.Write(data)
		return err
	}
	// A long fix repeated for many findings of one file (Docker's default profile has
	// fifteen includes/excludes rules) is printed in full once, then referred to.
	firstFix := map[[2]string]profile.Finding{}
	for _, f := range r.Findings {
		key := [2]string{f.File, f.Fix}
		if first, seen := firstFix[key]; seen && len(f.Fix) > 80 && first.Line > 0 {
			f.Fix = fmt.Sprintf("as for line %d", first.Line)
		} else if !seen {
			firstFix[key] = f
		}
		fmt.Fprintln(o.Out, lintLine(f))
	}
	if r.Summary.Files == 0 {
		return nil // nothing was linted: the error says why, a "0 profiles" line would only blur it
	}
	fmt.Fprintf(o.Out, "%s linted for %s on %s: %s, %s, %s\n",
		plural(r.Summary.Files, "profile"), r.Runtime, archNames(r.NodeArches),
		plural(r.Summary.Errors, "error"), plural(r.Summary.Warnings, "warning"), plural(r.Summary.Infos, "info"))
	return nil
}

// lintLine is FILE:LINE:COL: SEVERITY: PATH: MESSAGE; FIX, the way compilers print, so
// editors jump to the place.
func lintLine(f profile.Finding) string {
	parts := []string{f.File}
	if f.Line > 0 {
		parts[0] = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
	}
	parts = append(parts, string(f.Severity))
	if f.Path != "" {
		parts = append(parts, f.Path)
	}
	s := strings.Join(append(parts, f.Message), ": ")
	if f.Fix != "" {
		s += "; fix: " + f.Fix
	}
	return s
}

// kernelMajorMinor is the "6.1" of a release like "6.1.0-30-amd64".
func kernelMajorMinor(release string) string {
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return release
	}
	minor := parts[1]
	if i := strings.IndexFunc(minor, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minor = minor[:i]
	}
	return parts[0] + "." + minor
}

func plural(n int, noun string) string {
	if n == 1 || noun == "info" {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func archNames(arches []syscalls.Arch) string {
	s := make([]string, len(arches))
	for i, a := range arches {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

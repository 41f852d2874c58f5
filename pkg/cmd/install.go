package cmd

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/cluster"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/installer"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// configMapLimit is the API server's limit on a ConfigMap's data; sharding past it is
// planned, refusing clearly is what we do until then.
const configMapLimit = 1 << 20

// InstallOptions is `kubectl seccomp install`.
type InstallOptions struct {
	clusterOptions
	Files []string
	Force bool

	profiles  []*profile.File
	warnings  []profile.Finding
	setDigest string
	now       func() time.Time
}

// NewCmdInstall is `kubectl seccomp install -f FILE|DIR`.
func NewCmdInstall(configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &InstallOptions{clusterOptions: clusterOptions{configFlags: configFlags, IOStreams: streams}, now: time.Now}
	cmd := &cobra.Command{
		Use:   "install -f FILE|DIR [-f ...]",
		Short: "Install seccomp profiles on every node and wait until each node has them",
		Example: `  kubectl seccomp install -f deny-chmod.json
  kubectl seccomp install -f profiles/`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.Complete(); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(c.Context())
		},
	}
	cmd.Flags().StringSliceVarP(&o.Files, "filename", "f", nil, "profile file, or directory of *.json profiles (repeatable)")
	cmd.Flags().BoolVar(&o.Force, "force", false, "install even when lint finds errors that the runtime would accept (e.g. NOTIFY without listenerPath, unknown syscall names); never a profile the runtime refuses")
	o.addFlags(cmd, 2*time.Minute)
	return cmd
}

// Complete reads and checks every profile before anything touches the cluster.
func (o *InstallOptions) Complete() error {
	if len(o.Files) == 0 {
		return usageError("no profiles given: use -f FILE or -f DIR")
	}
	files, _, err := profile.Load(o.Files)
	if err != nil {
		return usageError("%v\nnothing was changed in the cluster", err)
	}
	o.profiles = files
	// Lint before any change: a profile that loads but does not do what it says
	// (an unknown name runc drops, NOTIFY with no agent) is refused unless --force.
	var errs []string
	for _, f := range files {
		for _, finding := range lint.Lint(f.Source, f.Data, lint.Options{}) {
			switch finding.Severity {
			case profile.Error:
				errs = append(errs, finding.String())
				o.warnings = append(o.warnings, finding)
			case profile.Warning:
				o.warnings = append(o.warnings, finding)
			}
		}
	}
	if len(errs) > 0 && !o.Force {
		return usageError("%s\nlint found %d error(s); nothing was changed in the cluster: fix them, or install anyway with --force", strings.Join(errs, "\n"), len(errs))
	}
	set := map[string][]byte{}
	size := 0
	for _, f := range files {
		set[f.Name] = f.Data
		size += len(f.Name) + len(f.Data)
	}
	if size > configMapLimit {
		return usageError("the profiles total %d bytes, more than one ConfigMap holds (%d); the largest: %s. Splitting a set over several ConfigMaps is not supported yet, and each install replaces the whole set, so install a smaller set\nnothing was changed in the cluster",
			size, configMapLimit, largest(files, 3))
	}
	o.setDigest = installer.SetDigest(set)
	return o.completeClient()
}

// Validate checks the flags.
func (o *InstallOptions) Validate() error { return o.validate() }

// Run applies the namespace, ConfigMap and installer DaemonSet, then waits until every
// node holds the set and prints one line per node.
func (o *InstallOptions) Run(ctx context.Context) error {
	for _, w := range o.warnings {
		fmt.Fprintf(o.ErrOut, "%s: %s\n", w.Severity, w.String())
	}
	// A re-install keeps the image and kubelet root of the installed set; installing
	// under another root would orphan the files already written under the old one.
	if err := o.adoptInstalled(ctx, fmt.Sprintf("to move them, run `kubectl seccomp uninstall` first, then install with --kubelet-root-dir %s", o.KubeletRoot)); err != nil {
		return err
	}
	nodes, err := cluster.Nodes(ctx, o.client)
	if err != nil {
		return firstContact(err)
	}
	added, errs := lintForNodes(o.profiles, nodes, o.warnings)
	for _, w := range added {
		fmt.Fprintf(o.ErrOut, "%s: %s\n", w.Severity, w.String())
	}
	if len(errs) > 0 && !o.Force {
		return refuseForNodes(errs)
	}
	if dropped := o.droppedProfiles(ctx); len(dropped) > 0 {
		fmt.Fprintf(o.ErrOut, "removing from every node: %s (installed before, not among the profiles given: install -f sets the whole set)\n", strings.Join(dropped, ", "))
	}
	cfg := o.config()
	// A new revision on every install restarts the installer pods, so every node is
	// re-synced now (repairing drift) and the per-node report below is fresh.
	revision := o.setDigest[:12] + "-" + strconv.FormatInt(o.now().Unix(), 36)
	if err := cluster.Apply(ctx, o.client, objects.NamespaceObject()); err != nil {
		return err
	}
	if err := cluster.Apply(ctx, o.client, objects.ProfilesConfigMap(o.profiles, o.setDigest)); err != nil {
		return err
	}
	if err := cluster.Apply(ctx, o.client, objects.InstallerDaemonSet(cfg, objects.ModeSync, revision)); err != nil {
		return err
	}
	o.printf("configmap %s/%s: %d profile(s), set sha256 %s\n", objects.Namespace, objects.ConfigMapName, len(o.profiles), o.setDigest[:12])
	statuses := rollout(ctx, o.client, nodes, revision, o.Timeout)
	o.printf("\n")
	ok := writeNodeStatuses(o.Out, statuses, fmt.Sprintf("%d profile(s) in %s", len(o.profiles), cfg.HostProfileDir()))
	if !ok {
		return failed("not every node has the profiles; see the lines above")
	}
	o.printf("\nPods use a profile with:\n  securityContext:\n    seccompProfile:\n      type: Localhost\n      localhostProfile: %s\n", objects.LocalhostProfile(o.profiles[0].Name))
	if n := len(o.profiles); n > 1 {
		o.printf("(or %s/<name> for the %d others)\n", objects.ProfileDir, n-1)
	}
	return nil
}

// droppedProfiles are the installed profiles this install leaves out: the installer
// prunes them from every node, which the admin must hear before it happens.
func (o *InstallOptions) droppedProfiles(ctx context.Context) []string {
	cm, err := o.client.CoreV1().ConfigMaps(objects.Namespace).Get(ctx, objects.ConfigMapName, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	given := map[string]bool{}
	for _, f := range o.profiles {
		given[f.Name] = true
	}
	var out []string
	for name := range cm.Data {
		if !given[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// largest names the n largest files with their sizes.
func largest(files []*profile.File, n int) string {
	sorted := append([]*profile.File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i].Data) > len(sorted[j].Data) })
	var out []string
	for _, f := range sorted[:min(n, len(sorted))] {
		out = append(out, fmt.Sprintf("%s (%d bytes)", f.Source, len(f.Data)))
	}
	return strings.Join(out, ", ")
}

// Package cmd holds the plugin's commands, written the way kubectl writes its own: an
// Options struct per command with Complete, Validate and Run.
package cmd

import (
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// NewCmdSeccomp is `kubectl seccomp`.
func NewCmdSeccomp(streams genericiooptions.IOStreams) *cobra.Command {
	configFlags := genericclioptions.NewConfigFlags(true)
	root := &cobra.Command{
		Use:   "kubectl-seccomp",
		Short: "Install seccomp profiles on every node and prove they are enforced",
		Long: `kubectl seccomp installs seccomp profiles on every node of a cluster, keeps them in
sync, and proves on each node that the profiles load and that the container runtime
enforces them.

Exit codes: 0 all verified, 1 some node or profile failed, 2 usage or input error,
3 cluster unreachable.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations: map[string]string{
			cobra.CommandDisplayNameAnnotation: "kubectl seccomp",
		},
	}
	configFlags.AddFlags(root.PersistentFlags())
	root.AddCommand(
		NewCmdInstall(configFlags, streams),
		NewCmdVerify(configFlags, streams),
		NewCmdUninstall(configFlags, streams),
		NewCmdVersion(streams),
	)
	return root
}

// Package cmd holds the plugin's commands, written the way kubectl writes its own: an
// Options struct per command with Complete, Validate and Run.
package cmd

import (
	"errors"

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
		NewCmdLint(streams),
	)
	classifyErrors(root)
	return root
}

// classifyErrors gives every error its exit code: cobra's own parsing errors (unknown
// flag or command, extra arguments) become usage errors (2); an error a command's RunE
// returns without a code is a failure (1).
func classifyErrors(root *cobra.Command) {
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: err}
	})
	for _, c := range root.Commands() {
		if args := c.Args; args != nil {
			c.Args = func(c *cobra.Command, a []string) error {
				if err := args(c, a); err != nil {
					return &ExitError{Code: ExitUsage, Err: err}
				}
				return nil
			}
		}
		if run := c.RunE; run != nil {
			c.RunE = func(c *cobra.Command, a []string) error {
				err := run(c, a)
				var ee *ExitError
				if err != nil && !errors.As(err, &ee) {
					return &ExitError{Code: ExitFailed, Err: err}
				}
				return err
			}
		}
	}
}

package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/version"
)

// NewCmdVersion is `kubectl seccomp version`.
func NewCmdVersion(streams genericiooptions.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the plugin version and the verifier image it uses by default",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(streams.Out, "kubectl-seccomp %s\nverifier image %s\n", version.Version, version.DefaultImage())
			return nil
		},
	}
}

// Command kubectl-seccomp is the kubectl plugin. It is pure Go (CGO_ENABLED=0) so it
// runs wherever kubectl does; the libseccomp work happens in the verifier image.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/cli-runtime/pkg/genericiooptions"
	_ "k8s.io/client-go/plugin/pkg/client/auth" // cloud auth providers in kubeconfigs

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/cmd"
)

func main() {
	// Ctrl-C cancels the context; commands then clean up what they created.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	err := cmd.NewCmdSeccomp(streams).ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
	}
	stop()
	os.Exit(cmd.ExitCode(err))
}

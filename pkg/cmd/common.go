package cmd

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/version"
)

// clusterOptions are the flags every command that talks to the cluster shares.
type clusterOptions struct {
	configFlags *genericclioptions.ConfigFlags
	genericiooptions.IOStreams

	Image       string
	KubeletRoot string
	Timeout     time.Duration

	client kubernetes.Interface
}

func (o *clusterOptions) addFlags(cmd *cobra.Command, defaultTimeout time.Duration) {
	cmd.Flags().StringVar(&o.Image, "image", version.DefaultImage(), "verifier image the in-cluster pods run (for private registries or locally built images)")
	cmd.Flags().StringVar(&o.KubeletRoot, "kubelet-root-dir", objects.DefaultKubeletRoot, "the kubelet's --root-dir on the nodes; profiles go to <root>/seccomp/"+objects.ProfileDir)
	cmd.Flags().DurationVar(&o.Timeout, "timeout", defaultTimeout, "how long to wait for the nodes before reporting the ones that did not finish")
}

// completeClient builds the clientset from kubectl's usual flags.
func (o *clusterOptions) completeClient() error {
	if o.client != nil { // tests inject a fake
		return nil
	}
	cfg, err := o.configFlags.ToRESTConfig()
	if err != nil {
		return usageError("kubeconfig: %v", err)
	}
	o.client, err = kubernetes.NewForConfig(cfg)
	if err != nil {
		return usageError("kubeconfig: %v", err)
	}
	return nil
}

func (o *clusterOptions) validate() error {
	if o.Timeout <= 0 {
		return usageError("--timeout must be positive, got %s", o.Timeout)
	}
	if err := o.config().Validate(); err != nil {
		return usageError("%v", err)
	}
	return nil
}

func (o *clusterOptions) config() objects.Config {
	return objects.Config{Image: o.Image, KubeletRoot: o.KubeletRoot}
}

func (o *clusterOptions) printf(format string, a ...any) {
	fmt.Fprintf(o.Out, format, a...)
}

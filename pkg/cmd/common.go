package cmd

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
	// changed says whether the user set a flag; nil (tests) means none was set.
	changed func(flag string) bool
}

func (o *clusterOptions) addFlags(cmd *cobra.Command, defaultTimeout time.Duration) {
	cmd.Flags().StringVar(&o.Image, "image", version.DefaultImage(), "verifier image the in-cluster pods run (for private registries or locally built images); once installed, the installed one unless given")
	cmd.Flags().StringVar(&o.KubeletRoot, "kubelet-root-dir", objects.DefaultKubeletRoot, "the kubelet's --root-dir on the nodes; profiles go to <root>/seccomp/"+objects.ProfileDir+"; once installed, the installed one (another is refused)")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", defaultTimeout, "how long to wait for the nodes before reporting the ones that did not finish")
	o.changed = cmd.Flags().Changed
}

func (o *clusterOptions) flagChanged(name string) bool {
	return o.changed != nil && o.changed(name)
}

// adoptInstalled makes verify and uninstall act on what install set up: the image and
// kubelet root of the installed DaemonSet, unless the flags name them (on a cluster
// without registry access only the installed image is there). A --kubelet-root-dir
// other than the installed one is refused: uninstall would clean an empty directory
// and report success, verify would report every file missing.
//
// hint says what to do instead; empty, it is to leave the flag out.
func (o *clusterOptions) adoptInstalled(ctx context.Context, hint string) error {
	ds, err := o.client.AppsV1().DaemonSets(objects.Namespace).Get(ctx, objects.DaemonSetName, metav1.GetOptions{})
	if err != nil {
		return nil // not installed, or unreachable: Run reports it
	}
	installed := objects.InstalledConfig(ds)
	if !o.flagChanged("image") && installed.Image != "" {
		o.Image = installed.Image
	}
	switch {
	case installed.KubeletRoot == "":
	case !o.flagChanged("kubelet-root-dir") || path.Clean(o.KubeletRoot) == installed.KubeletRoot:
		o.KubeletRoot = installed.KubeletRoot
	default:
		if hint == "" {
			hint = "leave the flag out, it defaults to the installed root"
		}
		return usageError("kubectl-seccomp installed its profiles in %s (DaemonSet %s/%s), not under --kubelet-root-dir %s: %s; nothing was changed in the cluster",
			installed.HostProfileDir(), objects.Namespace, objects.DaemonSetName, o.KubeletRoot, hint)
	}
	return nil
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

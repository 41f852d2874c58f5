package cmd

import (
	"context"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/cluster"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
)

// UninstallOptions is `kubectl seccomp uninstall`.
type UninstallOptions struct {
	clusterOptions
	now func() time.Time
}

// NewCmdUninstall is `kubectl seccomp uninstall`.
func NewCmdUninstall(configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &UninstallOptions{clusterOptions: clusterOptions{configFlags: configFlags, IOStreams: streams}, now: time.Now}
	cmd := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove the tool's profile files from every node, then its cluster objects",
		Long: `uninstall first has every node remove the files the installer wrote (and only those:
files it did not write stay), then deletes the tool's DaemonSet, ConfigMap and
namespace. If a node cannot be cleaned, the objects are kept so that uninstall can be
run again, and the exit code is 1.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.Complete(c); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(c.Context())
		},
	}
	o.addFlags(cmd, 2*time.Minute)
	return cmd
}

// Complete builds the client and takes the installed DaemonSet's image and kubelet
// root unless the flags name them (see adoptInstalled).
func (o *UninstallOptions) Complete(c *cobra.Command) error {
	if err := o.completeClient(); err != nil {
		return err
	}
	ctx := context.Background()
	if c != nil {
		o.changed = c.Flags().Changed
		if c.Context() != nil {
			ctx = c.Context()
		}
	}
	return o.adoptInstalled(ctx, "")
}

// Validate checks the flags.
func (o *UninstallOptions) Validate() error { return o.validate() }

// Run cleans every node, then deletes the objects.
func (o *UninstallOptions) Run(ctx context.Context) error {
	nodes, err := cluster.Nodes(ctx, o.client)
	if err != nil {
		return firstContact(err)
	}
	_, err = o.client.CoreV1().Namespaces().Get(ctx, objects.Namespace, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		o.printf("kubectl-seccomp is not installed (no namespace %s); nothing to do\n", objects.Namespace)
		return nil
	}
	if err != nil {
		return err
	}
	revision := "clean-" + strconv.FormatInt(o.now().Unix(), 36)
	if err := cluster.Apply(ctx, o.client, objects.InstallerDaemonSet(o.config(), objects.ModeClean, revision)); err != nil {
		return err
	}
	statuses := rollout(ctx, o.client, nodes, revision, o.Timeout)
	if !writeNodeStatuses(o.Out, statuses, "removed the files kubectl-seccomp wrote in "+o.config().HostProfileDir()) {
		return failed("not every node was cleaned; the tool's objects were kept so that `kubectl seccomp uninstall` can be run again")
	}
	return o.deleteObjects(ctx)
}

// deleteObjects deletes the DaemonSet, ConfigMap and namespace, and waits until the
// namespace is gone so that "uninstalled" means nothing is left.
func (o *UninstallOptions) deleteObjects(ctx context.Context) error {
	bg := metav1.DeletePropagationForeground
	opts := metav1.DeleteOptions{PropagationPolicy: &bg}
	if err := o.client.AppsV1().DaemonSets(objects.Namespace).Delete(ctx, objects.DaemonSetName, opts); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	if err := o.client.CoreV1().ConfigMaps(objects.Namespace).Delete(ctx, objects.ConfigMapName, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	if err := o.client.CoreV1().Namespaces().Delete(ctx, objects.Namespace, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	err := wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, o.Timeout, true, func(ctx context.Context) (bool, error) {
		_, err := o.client.CoreV1().Namespaces().Get(ctx, objects.Namespace, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
	if err != nil {
		return failed("namespace %s is still terminating after %s; it will go by itself", objects.Namespace, o.Timeout)
	}
	o.printf("deleted namespace %s with its DaemonSet and ConfigMap\n", objects.Namespace)
	return nil
}

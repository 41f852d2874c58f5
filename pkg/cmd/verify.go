package cmd

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/cluster"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/lint"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// VerifyOptions is `kubectl seccomp verify`.
type VerifyOptions struct {
	clusterOptions
	Output string

	// Local runs the engine on this machine on LocalFiles, without a cluster.
	Local      bool
	LocalFiles []string
	Verifier   string
	Runtime    string
}

// NewCmdVerify is `kubectl seccomp verify`.
func NewCmdVerify(configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &VerifyOptions{clusterOptions: clusterOptions{configFlags: configFlags, IOStreams: streams}}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Prove on every node that the installed profiles are present, load, and are enforced by the runtime",
		Long: `verify starts one short-lived pod per node. Its "check" container compares each
installed file with the source and loads it through the node's libseccomp; one "probe"
container per profile is started by the container runtime under that profile and
reports whether a filter is in force and what chmod(2) returns. The pods are deleted
afterwards. Exit code 0 when every node passes every check, 1 when some node or
profile fails or could not be checked, 2 for a usage or input error, 3 when the
cluster cannot be reached. The image and kubelet root are those install used.

With --local FILE..., no cluster is used: the verifier engine runs on this Linux
machine. It lints each profile, compiles it with this machine's libseccomp, simulates
the BPF on every syscall of every architecture (plus boundary argument values) and
compares with what the JSON intends, then probes every vector live in a child process
behind a shadow filter, so that no probed syscall ever runs. With --local and no
file, it verifies the built-in example deny-chmod.json: the quickest way to try the tool.`,
		Example: `  kubectl seccomp verify
  kubectl seccomp verify -o json
  kubectl seccomp verify --local deny-chmod.json --verifier bin/verifier
  kubectl seccomp verify --local --verifier bin/verifier   # the built-in example`,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			o.LocalFiles = args
			if err := o.Complete(); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(c.Context())
		},
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "table", "output format: table, json or yaml")
	cmd.Flags().BoolVar(&o.Local, "local", false, "verify the profile files given as arguments (none: the built-in example deny-chmod.json) on this Linux machine, without a cluster")
	cmd.Flags().StringVar(&o.Runtime, "runtime", lint.Containerd, "with --local: how the runtime reads the profile ("+strings.Join(lint.Runtimes, ", ")+"); Kubernetes Localhost profiles on containerd ignore Docker-only keys")
	cmd.Flags().StringVar(&o.Verifier, "verifier", "", "the verifier binary for --local (default: $"+verifierEnv+", kubectl-seccomp-verifier on PATH, or verifier beside the plugin)")
	o.addFlags(cmd, 2*time.Minute)
	return cmd
}

// Complete builds the client and takes the installed image and kubelet root unless
// the flags name them; --local needs none of it.
func (o *VerifyOptions) Complete() error {
	if o.Local {
		return nil
	}
	if err := o.completeClient(); err != nil {
		return err
	}
	return o.adoptInstalled(context.Background(), "")
}

// Validate checks the flags.
func (o *VerifyOptions) Validate() error {
	switch o.Output {
	case "table", "json", "yaml":
	default:
		return usageError("--output %q is not supported: use table, json or yaml", o.Output)
	}
	switch {
	case o.Local && !slices.Contains(lint.Runtimes, o.Runtime):
		return usageError("--runtime %q is not known: use one of %s", o.Runtime, strings.Join(lint.Runtimes, ", "))
	case o.Local:
		return nil
	case len(o.LocalFiles) > 0:
		return usageError("verify checks what is installed and takes no arguments (got %v); to verify files on this machine use --local", o.LocalFiles)
	}
	return o.validate()
}

// Run verifies every node and prints the verdicts.
func (o *VerifyOptions) Run(ctx context.Context) error {
	if o.Local {
		return o.runLocal(ctx)
	}
	nodes, err := cluster.Nodes(ctx, o.client)
	if err != nil {
		return firstContact(err)
	}
	files, err := o.installedProfiles(ctx)
	if err != nil {
		return err
	}
	results, err := o.verifyNodes(ctx, nodes, files)
	if err != nil {
		return err
	}
	summary := report.Summarize(results)
	if err := o.print(summary); err != nil {
		return err
	}
	if !summary.Passed {
		return failed("verification failed on %s", failingNodes(results))
	}
	return nil
}

// installedProfiles reads the source of truth: the profiles ConfigMap.
func (o *VerifyOptions) installedProfiles(ctx context.Context) ([]*profile.File, error) {
	cm, err := o.client.CoreV1().ConfigMaps(objects.Namespace).Get(ctx, objects.ConfigMapName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, failed("no profiles are installed (no ConfigMap %s/%s): run `kubectl seccomp install -f FILE` first", objects.Namespace, objects.ConfigMapName)
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for n := range cm.Data {
		names = append(names, n)
	}
	sort.Strings(names)
	var files []*profile.File
	for _, n := range names {
		files = append(files, &profile.File{Name: n, Data: []byte(cm.Data[n])})
	}
	if len(files) == 0 {
		return nil, failed("the ConfigMap %s/%s holds no profiles: run `kubectl seccomp install -f FILE`", objects.Namespace, objects.ConfigMapName)
	}
	return files, nil
}

// verifyNodes runs one verifier pod per Ready node, waits for all of them with one
// watch, reads their reports and deletes them, also when ctx is cancelled.
func (o *VerifyOptions) verifyNodes(ctx context.Context, nodes []cluster.Node, files []*profile.File) ([]report.NodeResult, error) {
	run := randomID()
	selector := objects.LabelRun + "=" + run
	defer o.deletePods(selector)

	podOf := map[string]string{} // node -> pod name
	var results []report.NodeResult
	for _, n := range nodes {
		if n.NotReady != "" {
			results = append(results, notVerified(n.Name, files, n.NotReady)...)
			continue
		}
		runtime, _ := lint.RuntimeOf(n.Runtime)
		pod, err := o.client.CoreV1().Pods(objects.Namespace).Create(ctx, objects.VerifierPod(o.config(), n.Name, run, runtime, files), metav1.CreateOptions{FieldManager: objects.FieldManager})
		if err != nil {
			results = append(results, notVerified(n.Name, files, "cannot create the verifier pod: "+err.Error())...)
			continue
		}
		podOf[n.Name] = pod.Name
	}
	waitCtx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	pods, _ := cluster.WatchPods(waitCtx, o.client, objects.Namespace, selector, func(pods map[string]*corev1.Pod) bool {
		for _, name := range podOf {
			if p := pods[name]; p == nil || !verifierFinished(p) {
				return false
			}
		}
		return true
	})
	if ctx.Err() != nil {
		return nil, failed("interrupted; the verifier pods were deleted")
	}
	for _, n := range nodes {
		name, ok := podOf[n.Name]
		if !ok {
			continue
		}
		p := pods[name]
		if p == nil || !verifierFinished(p) {
			why := fmt.Sprintf("timed out after %s (raise --timeout if the node is slow to start pods)", o.Timeout)
			if p != nil {
				why += ": " + cluster.PodSummary(p)
			}
			results = append(results, notVerified(n.Name, files, why)...)
			continue
		}
		results = append(results, o.readResults(ctx, n.Name, p, files)...)
	}
	notesOf := map[string][]string{}
	for _, n := range nodes {
		notesOf[n.Name] = nodeNotes(n)
	}
	for i := range results {
		results[i].Notes = append(slices.Clip(notesOf[results[i].Node]), results[i].Notes...)
	}
	sort.SliceStable(results, func(i, j int) bool { return results[i].Node < results[j].Node })
	return results, nil
}

// verifierFinished: the check container has exited and every probe has exited or is
// stuck (the runtime refused to start it, which is itself the answer).
func verifierFinished(p *corev1.Pod) bool {
	if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
		return true
	}
	if len(p.Status.ContainerStatuses) < len(p.Spec.Containers) {
		return false
	}
	for _, st := range p.Status.ContainerStatuses {
		if st.State.Terminated == nil && cluster.ContainerProblem(st) == "" {
			return false
		}
	}
	return true
}

// readResults turns one finished pod into one result per profile.
func (o *VerifyOptions) readResults(ctx context.Context, node string, p *corev1.Pod, files []*profile.File) []report.NodeResult {
	statuses := map[string]corev1.ContainerStatus{}
	for _, st := range p.Status.ContainerStatuses {
		statuses[st.Name] = st
	}
	var check report.CheckReport
	checkErr := o.readReport(ctx, p, statuses["check"], &check)
	byName := map[string]report.ProfileChecks{}
	for _, pc := range check.Profiles {
		byName[pc.Name] = pc
	}
	var out []report.NodeResult
	for i, f := range files {
		r := report.NodeResult{Node: node, Profile: f.Name}
		if pc, ok := byName[f.Name]; ok {
			r.Installed, r.Loads, r.Simulated = pc.Installed, pc.Loads, pc.Simulated
			r.Notes, r.Proof = pc.Notes, pc.Proof
		} else {
			why := "the check container did not report on this profile"
			if checkErr != nil {
				why = "check container: " + checkErr.Error()
			}
			r.Installed, r.Loads, r.Simulated = report.Skip(why), report.Skip(why), report.Skip(why)
		}
		var probe report.ProbeReport
		st := statuses[objects.ProbeContainerName(i)]
		if err := o.readReport(ctx, p, st, &probe); err != nil {
			r.Enforced = report.Fail(err.Error())
			if cluster.ImageProblem(st) {
				// The probe never ran: not-run, with why (is --image right?).
				r.Enforced = report.Skip(err.Error() + "; is --image an image every node can pull?")
			}
		} else {
			r.Enforced, r.Runtime = probe.Enforced, probe.Runtime
			if r.Installed.Ran && !r.Installed.OK && r.Enforced.Ran && !r.Enforced.OK {
				// The probe ran under the node's file and judged it by the source.
				r.Enforced.Detail += "; the runtime loaded the node's file, which is not the source (see INSTALLED)"
			}
		}
		out = append(out, r)
	}
	return out
}

// readReport reads a container's JSON report, or says why there is none: a container
// the runtime could not start under its profile reports its reason here.
func (o *VerifyOptions) readReport(ctx context.Context, p *corev1.Pod, st corev1.ContainerStatus, into any) error {
	if st.Name == "" {
		return fmt.Errorf("container status missing")
	}
	if st.State.Terminated == nil {
		return fmt.Errorf("the runtime could not start the container: %s", cluster.ContainerProblem(st))
	}
	line, err := cluster.LastJSONLine(ctx, o.client, p.Namespace, p.Name, st.Name)
	if err != nil {
		return fmt.Errorf("reading the %s container's log: %w", st.Name, err)
	}
	if err := json.Unmarshal(line, into); err != nil {
		return fmt.Errorf("the %s container's report is not readable (%v); is --image the verifier of this plugin version?", st.Name, err)
	}
	return nil
}

// deletePods removes this run's pods with a fresh context: it also runs after Ctrl-C.
func (o *VerifyOptions) deletePods(selector string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	zero := int64(0)
	pods := o.client.CoreV1().Pods(objects.Namespace)
	if err := pods.DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &zero}, metav1.ListOptions{LabelSelector: selector}); err != nil {
		fmt.Fprintf(o.ErrOut, "warning: could not delete the verifier pods (%s): %v\n", selector, err)
		return
	}
	// Wait until they are gone, so "verify" leaves nothing behind when it returns.
	cluster.WatchPods(ctx, o.client, objects.Namespace, selector, func(p map[string]*corev1.Pod) bool { return len(p) == 0 })
}

func (o *VerifyOptions) print(s report.Summary) error {
	if o.Output == "table" {
		return report.WriteTable(o.Out, s)
	}
	return o.printStructured(s)
}

// printStructured prints v as -o json or -o yaml.
func (o *VerifyOptions) printStructured(v any) error {
	if o.Output == "yaml" {
		data, err := yaml.Marshal(v)
		if err != nil {
			return err
		}
		_, err = o.Out.Write(data)
		return err
	}
	enc := json.NewEncoder(o.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// nodeNotes are the facts about a node that bear on every profile's verdict there.
func nodeNotes(n cluster.Node) []string {
	var notes []string
	if n.Cordoned {
		notes = append(notes, "node is cordoned (spec.unschedulable): verified anyway, since the installer and verifier pods are not scheduled but bound to it, and workloads already there still use its profiles")
	}
	if runtime, known := lint.RuntimeOf(n.Runtime); !known {
		notes = append(notes, fmt.Sprintf("container runtime %q is not one this tool knows (containerd, cri-o, docker): the profile was judged as %s reads it", n.RuntimeVersion, runtime))
	}
	return notes
}

func notVerified(node string, files []*profile.File, why string) []report.NodeResult {
	var out []report.NodeResult
	for _, f := range files {
		c := report.Skip(why)
		out = append(out, report.NodeResult{Node: node, Profile: f.Name, Installed: c, Loads: c, Simulated: c, Enforced: c})
	}
	return out
}

func failingNodes(results []report.NodeResult) string {
	seen := map[string]bool{}
	var out []string
	for _, r := range results {
		if !r.Passed() && !seen[r.Node] {
			seen[r.Node] = true
			out = append(out, r.Node)
		}
	}
	if len(out) == 0 {
		return "no node (nothing was verified)"
	}
	return fmt.Sprint(out)
}

func randomID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/objects"
)

// These tests drive the commands' Options against a fake clientset. The fake does not
// implement server-side apply faithfully, so only paths that end before the first
// apply are covered here; the apply/rollout paths belong to the e2e suite.

func newStreams() (genericiooptions.IOStreams, *bytes.Buffer, *bytes.Buffer) {
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	return streams, out, errOut
}

func testClusterOptions(client *fake.Clientset, streams genericiooptions.IOStreams) clusterOptions {
	return clusterOptions{
		IOStreams:   streams,
		Image:       "registry.example.com/verifier:test",
		KubeletRoot: objects.DefaultKubeletRoot,
		Timeout:     2 * time.Second,
		client:      client,
	}
}

func testdata(name string) string { return filepath.Join("testdata", name) }

func readyNode(name string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{
			{Type: corev1.NodeReady, Status: corev1.ConditionTrue},
		}},
	}
}

func notReadyNode(name string) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{
			{Type: corev1.NodeReady, Status: corev1.ConditionFalse, Reason: "KubeletNotReady", Message: "PLEG is not healthy"},
		}},
	}
}

// writes lists the actions of the fake that would change the cluster.
func writes(cs *fake.Clientset) []string {
	var out []string
	for _, a := range cs.Actions() {
		switch a.GetVerb() {
		case "get", "list", "watch":
			continue
		}
		out = append(out, fmt.Sprintf("%s %s", a.GetVerb(), a.GetResource().Resource))
	}
	return out
}

func creates(cs *fake.Clientset) []string {
	var out []string
	for _, w := range writes(cs) {
		if strings.HasPrefix(w, "create ") || strings.HasPrefix(w, "patch ") || strings.HasPrefix(w, "update ") {
			out = append(out, w)
		}
	}
	return out
}

var errConnRefused = &url.Error{Op: "Get", URL: "https://10.0.0.1:6443/api/v1/nodes",
	Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"usage error", usageError("bad flag %s", "x"), ExitUsage},
		{"failure", failed("node %s failed", "n1"), ExitFailed},
		{"unreachable", &ExitError{Code: ExitUnreachable, Err: errors.New("down")}, ExitUnreachable},
		{"wrapped usage error", fmt.Errorf("install: %w", usageError("bad")), ExitUsage},
		// Commands' own errors always carry a code (classifyErrors); a plain one can
		// only come from cobra's command-line parsing.
		{"plain error from cobra's parsing", errors.New(`unknown command "instal"`), ExitUsage},
		{"API refusal at first contact", firstContact(apierrors.NewForbidden(schema.GroupResource{Resource: "nodes"}, "", errors.New("rbac"))), ExitFailed},
		{"no answer at first contact", firstContact(errConnRefused), ExitUnreachable},
		{"no answer, wrapped", firstContact(fmt.Errorf("listing nodes: %w", errConnRefused)), ExitUnreachable},
		{"API refusal, wrapped", firstContact(fmt.Errorf("listing nodes: %w", apierrors.NewUnauthorized("token expired"))), ExitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
	if firstContact(nil) != nil {
		t.Error("firstContact(nil) is not nil")
	}
	if msg := firstContact(errConnRefused).Error(); !strings.Contains(msg, "cannot reach the cluster") {
		t.Errorf("unreachable message %q does not say the cluster cannot be reached", msg)
	}
}

func TestInstallRefusesBadProfilesBeforeTouchingTheCluster(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{"truncated JSON", []string{testdata("truncated.json")},
			[]string{testdata("truncated.json"), "line ", "column "}},
		{"unknown action", []string{testdata("unknown-action.json")},
			[]string{"syscalls[0].action", "SCMP_ACT_DENY", "SCMP_ACT_ERRNO"}},
		{"notify without listener (no --force exists yet)", []string{testdata("notify-without-listener.json")},
			[]string{"listenerPath"}},
		{"one bad among good ones", []string{testdata("deny-chmod.json"), testdata("truncated.json")},
			[]string{testdata("truncated.json")}},
		{"unsafe name", []string{testdata("Bad Name.json")},
			[]string{"Bad Name.json", "lowercase"}},
		{"missing file", []string{testdata("no-such-profile.json")},
			[]string{"no-such-profile.json"}},
		{"no -f at all", nil,
			[]string{"-f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset(readyNode("node1"))
			streams, out, _ := newStreams()
			o := &InstallOptions{clusterOptions: testClusterOptions(cs, streams), Files: tt.files, now: time.Now}

			err := o.Complete()
			if err == nil {
				err = o.Validate()
			}
			if err == nil {
				t.Fatal("install accepted the input")
			}
			if code := ExitCode(err); code != ExitUsage {
				t.Errorf("exit code = %d, want %d (input error); err: %v", code, ExitUsage, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
			if len(tt.files) > 0 && !strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("error does not say the cluster is unchanged:\n%v", err)
			}
			if w := writes(cs); len(w) != 0 {
				t.Errorf("the cluster was changed: %v", w)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func TestInstallRefusesASetLargerThanAConfigMap(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		comment := strings.Repeat("x", 600*1024)
		data := fmt.Sprintf(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "comment": %q}]}`, comment)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("big-%d.json", i)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cs := fake.NewClientset()
	streams, _, _ := newStreams()
	o := &InstallOptions{clusterOptions: testClusterOptions(cs, streams), Files: []string{dir}, now: time.Now}
	err := o.Complete()
	if ExitCode(err) != ExitUsage || !strings.Contains(fmt.Sprint(err), "ConfigMap") {
		t.Errorf("Complete = %v (exit %d), want a usage error about the ConfigMap size", err, ExitCode(err))
	}
	// Each install replaces the set, so "install fewer at a time" would be wrong advice;
	// the files that weigh are named.
	if msg := fmt.Sprint(err); !strings.Contains(msg, "big-0.json (") || !strings.Contains(msg, "replaces the whole set") {
		t.Errorf("the error must name the largest files and say an install replaces the set: %v", err)
	}
	if w := writes(cs); len(w) != 0 {
		t.Errorf("the cluster was changed: %v", w)
	}
}

func TestInstallValidateRefusesBadFlags(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*InstallOptions)
		want   string
	}{
		{"zero timeout", func(o *InstallOptions) { o.Timeout = 0 }, "--timeout"},
		{"relative kubelet root", func(o *InstallOptions) { o.KubeletRoot = "var/lib/kubelet" }, "--kubelet-root-dir"},
		{"kubelet root with ..", func(o *InstallOptions) { o.KubeletRoot = "/var/lib/kubelet/../../etc" }, "--kubelet-root-dir"},
		{"empty image", func(o *InstallOptions) { o.Image = "" }, "--image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset(readyNode("node1"))
			streams, _, _ := newStreams()
			o := &InstallOptions{clusterOptions: testClusterOptions(cs, streams), Files: []string{testdata("deny-chmod.json")}, now: time.Now}
			if err := o.Complete(); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			tt.modify(o)
			err := o.Validate()
			if ExitCode(err) != ExitUsage || !strings.Contains(fmt.Sprint(err), tt.want) {
				t.Errorf("Validate = %v (exit %d), want a usage error mentioning %s", err, ExitCode(err), tt.want)
			}
			if w := writes(cs); len(w) != 0 {
				t.Errorf("the cluster was changed: %v", w)
			}
		})
	}
}

func TestInstallWhenTheClusterCannotBeReached(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
	}{
		{"connection refused", errConnRefused, ExitUnreachable},
		{"forbidden", apierrors.NewForbidden(schema.GroupResource{Resource: "nodes"}, "", errors.New("user cannot list nodes")), ExitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset()
			cs.PrependReactor("list", "nodes", func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, tt.err
			})
			streams, _, errOut := newStreams()
			o := &InstallOptions{clusterOptions: testClusterOptions(cs, streams),
				Files: []string{testdata("deny-chmod.json"), testdata("redundant-rule.json")}, now: time.Now}
			if err := o.Complete(); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if err := o.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			err := o.Run(context.Background())
			if code := ExitCode(err); code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; err: %v", code, tt.wantCode, err)
			}
			if c := creates(cs); len(c) != 0 {
				t.Errorf("objects were created although the first call failed: %v", c)
			}
			// Warnings are printed, with the file and the rule, before any cluster call.
			if !strings.Contains(errOut.String(), "warning:") || !regexp.MustCompile(`redundant-rule\.json:\d+:\d+: syscalls\[1\]`).MatchString(errOut.String()) {
				t.Errorf("stderr = %q, want the redundant-rule warning", errOut)
			}
		})
	}
}

func TestVerifyWithoutInstalledProfilesSaysToRunInstall(t *testing.T) {
	tests := []struct {
		name    string
		objects []runtime.Object
		want    string
	}{
		{"no ConfigMap", []runtime.Object{readyNode("node1")}, "no profiles are installed"},
		{"empty ConfigMap", []runtime.Object{readyNode("node1"), &corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Name: objects.ConfigMapName, Namespace: objects.Namespace}}}, "holds no profiles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset(tt.objects...)
			streams, _, _ := newStreams()
			o := &VerifyOptions{clusterOptions: testClusterOptions(cs, streams), Output: "table"}
			if err := o.Complete(); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if err := o.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			err := o.Run(context.Background())
			if code := ExitCode(err); code != ExitFailed {
				t.Errorf("exit code = %d, want %d; err: %v", code, ExitFailed, err)
			}
			if msg := fmt.Sprint(err); !strings.Contains(msg, tt.want) || !strings.Contains(msg, "kubectl seccomp install") {
				t.Errorf("error %q does not say %q and to run `kubectl seccomp install`", msg, tt.want)
			}
			if c := creates(cs); len(c) != 0 {
				t.Errorf("verify created objects: %v", c)
			}
		})
	}
}

func TestVerifyValidateRefusesBadFlags(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*VerifyOptions)
		want   string
	}{
		{"unknown output", func(o *VerifyOptions) { o.Output = "xml" }, "--output"},
		{"negative timeout", func(o *VerifyOptions) { o.Timeout = -time.Second }, "--timeout"},
		{"relative kubelet root", func(o *VerifyOptions) { o.KubeletRoot = "kubelet" }, "--kubelet-root-dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset()
			streams, _, _ := newStreams()
			o := &VerifyOptions{clusterOptions: testClusterOptions(cs, streams), Output: "table"}
			tt.modify(o)
			err := o.Validate()
			if ExitCode(err) != ExitUsage || !strings.Contains(fmt.Sprint(err), tt.want) {
				t.Errorf("Validate = %v (exit %d), want a usage error mentioning %s", err, ExitCode(err), tt.want)
			}
		})
	}
}

func TestVerifyWhenTheClusterCannotBeReached(t *testing.T) {
	cs := fake.NewClientset()
	cs.PrependReactor("list", "nodes", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errConnRefused
	})
	streams, _, _ := newStreams()
	o := &VerifyOptions{clusterOptions: testClusterOptions(cs, streams), Output: "table"}
	err := o.Run(context.Background())
	if code := ExitCode(err); code != ExitUnreachable {
		t.Errorf("exit code = %d, want %d; err: %v", code, ExitUnreachable, err)
	}
}

// runWithin runs f and gives up waiting after limit. A run that does not finish in
// time is left behind (the test binary ends anyway), so a hang costs the suite only limit.
func runWithin(limit time.Duration, f func() error) (err error, finished bool) {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err = <-done:
		return err, true
	case <-time.After(limit):
		return nil, false
	}
}

// A node that is NotReady gets no verifier pod: it is reported at once, with its
// reason, and verify has nothing to wait for, so it must not sit out --timeout.
func TestVerifyReportsNotReadyNodesWithoutWaiting(t *testing.T) {
	cm := objects.ProfilesConfigMap(nil, "digest")
	cm.Data = map[string]string{"deny-chmod.json": `{"defaultAction": "SCMP_ACT_ALLOW"}`}
	cs := fake.NewClientset(notReadyNode("node1"), cm)
	streams, out, _ := newStreams()
	o := &VerifyOptions{clusterOptions: testClusterOptions(cs, streams), Output: "table"}
	o.Timeout = 2 * time.Minute

	err, finished := runWithin(5*time.Second, func() error { return o.Run(context.Background()) })
	if !finished {
		t.Fatalf("verify did not return within 5s although no node could be verified (it waits for --timeout %s, then up to 30s more)", o.Timeout)
	}
	if code := ExitCode(err); code != ExitFailed {
		t.Errorf("exit code = %d, want %d; err: %v", code, ExitFailed, err)
	}
	if !strings.Contains(fmt.Sprint(err), "node1") {
		t.Errorf("error %q does not name the failing node", err)
	}
	for _, w := range []string{"node1", "deny-chmod.json", "not-run", "NotReady", "PLEG is not healthy"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output does not mention %q:\n%s", w, out)
		}
	}
	if c := creates(cs); len(c) != 0 {
		t.Errorf("verify created objects for a NotReady node: %v", c)
	}
}

// deletePods waits until this run's pods are gone. When they are gone already (the
// usual case: they are deleted with grace period 0), it must return at once.
func TestVerifyPodCleanupReturnsWhenNoPodIsLeft(t *testing.T) {
	cs := fake.NewClientset()
	streams, _, errOut := newStreams()
	o := &VerifyOptions{clusterOptions: testClusterOptions(cs, streams), Output: "table"}

	_, finished := runWithin(5*time.Second, func() error { o.deletePods(objects.LabelRun + "=abc"); return nil })
	if !finished {
		t.Fatal("deletePods did not return within 5s with no pod left to wait for (it waits for its 30s deadline)")
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestUninstallWhenNotInstalledDoesNothing(t *testing.T) {
	cs := fake.NewClientset(readyNode("node1"))
	streams, out, _ := newStreams()
	o := &UninstallOptions{clusterOptions: testClusterOptions(cs, streams), now: time.Now}
	if err := o.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	err := o.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !strings.Contains(out.String(), "not installed") {
		t.Errorf("output %q does not say it is not installed", out)
	}
	if w := writes(cs); len(w) != 0 {
		t.Errorf("uninstall changed the cluster: %v", w)
	}
}

func installedDaemonSet(image string) *appsv1.DaemonSet {
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: objects.DaemonSetName, Namespace: objects.Namespace},
		Spec: appsv1.DaemonSetSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "sync", Image: image}},
			Containers:     []corev1.Container{{Name: "watch", Image: image}},
		}}},
	}
}

func uninstallCommandWithImageFlag(t *testing.T, set string) *cobra.Command {
	t.Helper()
	c := &cobra.Command{Use: "uninstall"}
	var image string
	c.Flags().StringVar(&image, "image", "default", "")
	if set != "" {
		if err := c.Flags().Set("image", set); err != nil {
			t.Fatal(err)
		}
	}
	c.SetContext(context.Background())
	return c
}

func TestUninstallCompleteReusesTheInstalledImage(t *testing.T) {
	tests := []struct {
		name      string
		command   func(t *testing.T) *cobra.Command
		userImage string
		want      string
	}{
		{"--image not given", func(t *testing.T) *cobra.Command { return uninstallCommandWithImageFlag(t, "") },
			"", "registry.local/verifier:installed"},
		{"--image given wins", func(t *testing.T) *cobra.Command { return uninstallCommandWithImageFlag(t, "mine:1") },
			"mine:1", "mine:1"},
		// Complete checks c != nil, so it is meant to be callable without a command.
		{"no command", func(*testing.T) *cobra.Command { return nil },
			"", "registry.local/verifier:installed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset(installedDaemonSet("registry.local/verifier:installed"))
			streams, _, _ := newStreams()
			o := &UninstallOptions{clusterOptions: testClusterOptions(cs, streams), now: time.Now}
			o.Image = tt.userImage
			c := tt.command(t)

			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("Complete panicked: %v", r)
					}
				}()
				err = o.Complete(c)
			}()
			if err != nil {
				t.Fatal(err)
			}
			if o.Image != tt.want {
				t.Errorf("Image = %q, want %q", o.Image, tt.want)
			}
		})
	}
}

func TestCommandLineUsageErrorsExitWith2(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"install without -f", []string{"install"}},
		{"install with a truncated profile", []string{"install", "-f", testdata("truncated.json")}},
		{"install with an unknown flag", []string{"install", "--no-such-flag", "-f", testdata("deny-chmod.json")}},
		{"verify with an argument", []string{"verify", "extra"}},
		{"unknown command", []string{"instal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			streams, _, _ := newStreams()
			root := NewCmdSeccomp(streams)
			// never reach a real cluster from a unit test
			root.SetArgs(append(tt.args, "--kubeconfig", filepath.Join(t.TempDir(), "none"), "--server", "https://127.0.0.1:1"))
			root.SetOut(&bytes.Buffer{})
			root.SetErr(&bytes.Buffer{})
			err := root.ExecuteContext(context.Background())
			if err == nil {
				t.Fatal("the command succeeded")
			}
			if code := ExitCode(err); code != ExitUsage {
				t.Errorf("exit code = %d, want %d (usage error); err: %v", code, ExitUsage, err)
			}
		})
	}
}

// Lint runs before any change: a profile that loads but cannot work as written is
// refused with the finding, unless --force; the cluster is not touched either way
// here because the fake refuses the first call.
func TestInstallRefusesLintErrorsUnlessForced(t *testing.T) {
	for _, file := range []string{"notify-without-listener.json", "typo-name.json"} {
		t.Run(file, func(t *testing.T) {
			streams, _, _, _ := genericiooptions.NewTestIOStreams()
			o := &InstallOptions{clusterOptions: clusterOptions{IOStreams: streams, client: fake.NewSimpleClientset()},
				Files: []string{filepath.Join("..", "profile", "testdata", file)}}
			err := o.Complete()
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--force") || !strings.Contains(err.Error(), "nothing was changed") {
				t.Fatalf("want a usage error that names --force and says nothing changed, got %v", err)
			}
			o.Force = true
			if err := o.Complete(); err != nil {
				t.Fatalf("with --force the profile must be accepted: %v", err)
			}
		})
	}
}

package e2e

import (
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
)

// The walking skeleton: the origin profile installed on both nodes of a real cluster
// and proven there, the way a cluster admin would check it.
var _ = Describe("install, verify and uninstall deny-chmod.json", Ordered, func() {
	var example []byte
	foreign := map[string][]byte{} // host path -> content of files the tool did not write

	BeforeAll(func() {
		example = mustRead(filepath.Join(repoRoot, "examples/deny-chmod.json"))
		// Start from nothing, whatever an earlier run left.
		if namespaceExists() {
			Expect(plugin("uninstall").Code).To(Equal(0))
		}
		// Files an admin put there by hand: one beside the tool's directory, one inside it.
		for node, dir := range nodeDirs() {
			for _, rel := range []string{"seccomp/admin-own.json", "seccomp/kubectl-seccomp/admin-own.json"} {
				path := filepath.Join(dir, rel)
				content := []byte(`{"defaultAction":"SCMP_ACT_ALLOW","comment":"` + node + `"}`)
				Expect(os.MkdirAll(filepath.Dir(path), 0o755)).To(Succeed())
				Expect(os.WriteFile(path, content, 0o600)).To(Succeed())
				foreign[path] = content
			}
		}
		DeferCleanup(func() {
			for path := range foreign {
				os.Remove(path)
			}
		})
	})

	expectForeignFilesUntouched := func() {
		GinkgoHelper()
		for path, content := range foreign {
			Expect(os.ReadFile(path)).To(Equal(content), "a file kubectl-seccomp did not write was changed: %s", path)
		}
	}

	It("refuses a truncated profile with line and column and creates nothing", func() {
		r := plugin("install", "-f", filepath.Join(repoRoot, "e2e/testdata/truncated.json"), "--image", image)
		Expect(r.Code).To(Equal(2))
		Expect(r.Stderr).To(ContainSubstring("truncated.json"))
		Expect(r.Stderr).To(MatchRegexp(`line \d+, column \d+`))
		Expect(namespaceExists()).To(BeFalse())
		Expect(toolObjects()).To(BeEmpty())
	})

	It("installs byte-identical files on both nodes and reports each node", func() {
		r := plugin("install", "-f", filepath.Join(repoRoot, "examples/deny-chmod.json"), "--image", image)
		Expect(r.Code).To(Equal(0), r.Stderr)
		Expect(r.Stdout).To(MatchRegexp(`(?m)^node1\s+done`))
		Expect(r.Stdout).To(MatchRegexp(`(?m)^node2\s+done`))
		for node := range nodeDirs() {
			Expect(os.ReadFile(installedPath(node, "deny-chmod.json"))).To(Equal(example), "on %s", node)
		}
		expectForeignFilesUntouched()
	})

	It("verifies both nodes with all three checks and leaves no verifier pod", func() {
		s, r := verifyJSON()
		Expect(r.Code).To(Equal(0), r.Stdout+r.Stderr)
		Expect(s.Passed).To(BeTrue())
		Expect(s.Results).To(HaveLen(2))
		for _, res := range s.Results {
			Expect(res.Profile).To(Equal("deny-chmod.json"))
			Expect(res.Installed.OK).To(BeTrue(), "%s installed: %s", res.Node, res.Installed.Detail)
			Expect(res.Loads.OK).To(BeTrue(), "%s loads: %s", res.Node, res.Loads.Detail)
			Expect(res.Loads.Detail).To(ContainSubstring("chmod: errno EPERM (1)"))
			Expect(res.Simulated.OK).To(BeTrue(), "%s simulated: %s", res.Node, res.Simulated.Detail)
			Expect(res.Enforced.OK).To(BeTrue(), "%s enforced: %s", res.Node, res.Enforced.Detail)
			Expect(res.Enforced.Detail).To(ContainSubstring("Seccomp: 2"))
			Expect(res.Enforced.Detail).To(ContainSubstring("EPERM"))
			// Every vector, not only chmod, probed under the filter runc applied.
			Expect(res.Enforced.Detail).To(MatchRegexp(`all \d+ vectors probed under the runtime's filter got what the profile gives \(chmod: errno EPERM \(1\)\)`))
			Expect(res.Runtime).NotTo(BeNil())
			Expect(res.Runtime.Agree).To(Equal(res.Runtime.Probed))
		}
		Expect(verifierPods()).To(BeEmpty())
	})

	It("prints the per-node table", func() {
		r := plugin("verify", "--image", image)
		Expect(r.Code).To(Equal(0), r.Stdout+r.Stderr)
		Expect(r.Stdout).To(MatchRegexp(`NODE\s+PROFILE\s+INSTALLED\s+LOADS\s+SIMULATED\s+ENFORCED\s+DETAIL`))
		Expect(r.Stdout).To(MatchRegexp(`(?m)^node1\s+deny-chmod.json\s+ok\s+ok\s+ok\s+ok`))
		Expect(r.Stdout).To(MatchRegexp(`(?m)^node2\s+deny-chmod.json\s+ok\s+ok\s+ok\s+ok`))
		// The origin profile passes, and the admin is told what it does not stop.
		Expect(r.Stdout).To(MatchRegexp(`denies chmod, but fchmod, fchmodat and fchmodat2 stay allowed`))
	})

	It("fails for node2 only, with the reason, when node2's file is removed", func() {
		Expect(os.Remove(installedPath("node2", "deny-chmod.json"))).To(Succeed())
		s, r := verifyJSON()
		Expect(r.Code).To(Equal(1))
		Expect(s.Passed).To(BeFalse())
		for _, res := range s.Results {
			switch res.Node {
			case "node1":
				Expect(res.Passed()).To(BeTrue(), "node1 must still pass: %+v", res)
			case "node2":
				Expect(res.Installed.OK).To(BeFalse())
				Expect(res.Installed.Detail).To(ContainSubstring("file missing"))
				Expect(res.Enforced.OK).To(BeFalse())
				Expect(res.Enforced.Detail).To(ContainSubstring("CreateContainerError"))
			}
		}
		Expect(r.Stderr).To(ContainSubstring("node2"))
		Expect(r.Stderr).NotTo(ContainSubstring("node1"))
		Expect(verifierPods()).To(BeEmpty())
	})

	It("repairs node2 on re-install and keeps foreign files", func() {
		r := plugin("install", "-f", filepath.Join(repoRoot, "examples/deny-chmod.json"), "--image", image)
		Expect(r.Code).To(Equal(0), r.Stderr)
		Expect(os.ReadFile(installedPath("node2", "deny-chmod.json"))).To(Equal(example))
		expectForeignFilesUntouched()
		s, _ := verifyJSON()
		Expect(s.Passed).To(BeTrue())
	})

	It("uninstalls: no tool object and no tool file is left, foreign files stay", func() {
		r := plugin("uninstall")
		Expect(r.Code).To(Equal(0), r.Stdout+r.Stderr)
		Expect(toolObjects()).To(BeEmpty())
		Expect(namespaceExists()).To(BeFalse())
		for node := range nodeDirs() {
			entries, err := os.ReadDir(filepath.Dir(installedPath(node, "x")))
			Expect(err).NotTo(HaveOccurred())
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			Expect(names).To(ConsistOf("admin-own.json"), "on %s only the foreign file may remain, found %s", node, strings.Join(names, ", "))
		}
		expectForeignFilesUntouched()
	})
})

// The fixed profile of the cases: the whole chmod family denied, so that what
// coreutils' `chmod` issues (fchmodat) fails under the runtime too.
var _ = Describe("install and verify the chmod family profile", Ordered, func() {
	AfterAll(func() {
		Expect(plugin("uninstall").Code).To(Equal(0))
	})

	It("proves fchmodat denied under the runtime for deny-chmod-family.json", func() {
		for _, res := range installAndVerifyPassing(filepath.Join(repoRoot, "examples"), 4) {
			switch res.Profile {
			case "deny-chmod-family.json":
				Expect(res.Enforced.Detail).To(ContainSubstring("fchmodat(2) returned EPERM (1) under the runtime filter"))
				Expect(res.Loads.Detail).To(ContainSubstring("fchmodat: errno EPERM (1)"))
				Expect(res.Loads.Detail).To(ContainSubstring("fchmodat2: errno EPERM (1)"))
			case "deny-chmod.json":
				Expect(res.Enforced.Detail).To(ContainSubstring("fchmodat(2) allowed under the runtime filter, as the profile intends"))
			}
		}
	})

	// The case's claim, checked with the tool users run: coreutils' chmod (fchmodat).
	It("runs a user's `chmod 777 f`: it works under deny-chmod.json and fails under deny-chmod-family.json", func() {
		for _, node := range []string{"node1", "node2"} {
			run := runUserChmod(node, "deny-chmod.json")
			Expect(run.Phase).To(Equal(corev1.PodSucceeded), "on %s, deny-chmod.json leaves fchmodat allowed, as lint warns: %+v", node, run)

			run = runUserChmod(node, "deny-chmod-family.json")
			Expect(run.Phase).To(Equal(corev1.PodFailed), "on %s: %+v", node, run)
			Expect(run.ExitCode).To(Equal(int32(1)))
			Expect(run.Logs).To(ContainSubstring("chmod: changing permissions of '/work/f': Operation not permitted"))
		}
	})
})

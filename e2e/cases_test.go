package e2e

import (
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Case profiles beyond chmod, proven under the real runtime (containerd + runc) on
// both nodes: exact errnos, kills that never run, and Docker's default profile with
// the names this libseccomp does not know.
var _ = Describe("verify the case profiles under the real runtime", Ordered, func() {
	AfterAll(func() {
		Expect(plugin("uninstall").Code).To(Equal(0))
	})

	It("passes on both nodes, every rule proven under the runtime's filter", func() {
		for _, res := range installAndVerifyPassing(filepath.Join(repoRoot, "e2e/testdata/cases"), 6) {
			Expect(res.Runtime).NotTo(BeNil(), "%s %s: no per-rule proof under the runtime", res.Node, res.Profile)
			Expect(res.Runtime.Probed).To(BeNumerically(">", 300))
			for _, d := range res.Runtime.Disagreements {
				Expect(d.Explained).To(BeTrue(), "%s %s: %+v", res.Node, res.Profile, d)
			}
			notes := strings.Join(res.Notes, "\n")
			switch res.Profile {
			case "clone3-enosys.json":
				Expect(res.Enforced.Detail).To(ContainSubstring("clone3: errno ENOSYS (38)"))
				Expect(res.Enforced.Detail).To(ContainSubstring("mkdir: errno EACCES (13)"))
				Expect(res.Enforced.Detail).To(ContainSubstring("mkdirat: errno EACCES (13)"))
			case "kill-process-default.json":
				for _, name := range []string{"ptrace", "kexec_load", "reboot"} {
					Expect(res.Enforced.Detail).To(ContainSubstring(name + ": kill-process"))
				}
				Expect(res.Enforced.Detail).To(ContainSubstring("personality: errno EPERM (1)"))
			case "docker-default.json":
				// Names the node's verifier libseccomp drops, as runc drops them.
				Expect(notes).To(MatchRegexp(`libseccomp \S+ .*does not know .*mseal`))
				Expect(notes).To(ContainSubstring("statmount"))
				Expect(notes).To(ContainSubstring("containerd ignores includes"))
			}
		}
		Expect(verifierPods()).To(BeEmpty())
	})
})

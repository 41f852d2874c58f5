package report

import (
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
)

// Proof is the verifier engine's answer for one profile on one machine: what lint
// says of the JSON, what the node's libseccomp compiled and the simulation made of
// it, and what the kernel did live. `verify --local` prints it; the in-cluster check
// runs the same engine.
type Proof struct {
	Profile  string            `json:"profile"`
	Kernel   string            `json:"kernel,omitempty"`
	Findings []profile.Finding `json:"findings,omitempty"`
	Static   simulate.Report   `json:"static"`
	Live     LiveReport        `json:"live"`
	// SimulatedElsewhere says, per arch the filter covers but this machine cannot
	// probe, what the restricted syscalls get there by simulation, and which of them
	// are no syscall there at all.
	SimulatedElsewhere []string     `json:"simulatedElsewhere,omitempty"`
	Timings            ProofTimings `json:"timings"`
}

// LiveReport sums up the live probes: every vector issued in a child under the
// profile, behind a shadow filter so that no probed syscall ever ran.
type LiveReport struct {
	Error string `json:"error,omitempty"`
	// Probed vectors were issued live; Agree of them matched the simulation.
	Probed int `json:"probed"`
	Agree  int `json:"agree"`
	// SimulationOnly counts LOG/TRACE/NOTIFY outcomes: live they rank below the
	// shadow filter, so their proof rests on the simulation.
	SimulationOnly int `json:"simulationOnly"`
	// NotProbed counts vectors this CPU cannot issue (aarch64, arm on x86_64), and
	// NotProbedWhy is the first one's reason.
	NotProbed    int    `json:"notProbed"`
	NotProbedWhy string `json:"notProbedWhy,omitempty"`
	// Exempt lists calls the kernel exempts from seccomp: no profile can deny them.
	Exempt []string `json:"exempt,omitempty"`
	// Denied shows, for the node's own arch, what the syscalls the profile restricts
	// by name got live, e.g. "chmod: errno EPERM (1)".
	Denied        []string           `json:"denied,omitempty"`
	Disagreements []LiveDisagreement `json:"disagreements,omitempty"`
}

// LiveDisagreement is a vector where the kernel did not do what the simulation said.
type LiveDisagreement struct {
	Vector    simulate.Vector  `json:"vector"`
	Simulated simulate.Outcome `json:"simulated"`
	Observed  string           `json:"observed"`
	// Explained is set when a known kernel behaviour (an exemption) accounts for it.
	Explained bool   `json:"explained"`
	Note      string `json:"note"`
}

// ProofTimings are the phases of one proof, in milliseconds.
type ProofTimings struct {
	StaticMs float64 `json:"staticMs"`
	LiveMs   float64 `json:"liveMs"`
	TotalMs  float64 `json:"totalMs"`
}

// Loads: the node's libseccomp compiled the profile within the kernel's size limit.
func (p Proof) Loads() Check {
	s := p.Static
	switch {
	case s.Error != "":
		return Fail(s.Error)
	case s.Instructions > s.MaxInstructions:
		return Fail("too long for the kernel")
	}
	return Pass("")
}

// Simulated: every vector got what the JSON intends, or a known cause explains why not.
func (p Proof) Simulated() Check {
	s := p.Static
	switch {
	case s.Error != "":
		return Skip("not simulated: " + s.Error)
	case s.Unexplained > 0:
		return Fail("")
	}
	return Pass("")
}

// LiveProven: every probed vector got live what the simulation said, or a kernel
// exemption explains why not.
func (p Proof) LiveProven() Check {
	l := p.Live
	if l.Error != "" {
		return Skip("not probed live: " + l.Error)
	}
	for _, d := range l.Disagreements {
		if !d.Explained {
			return Fail("")
		}
	}
	if l.Probed == 0 {
		return Skip("no vector could be probed live on this machine")
	}
	return Pass("")
}

// HasLintErrors says whether lint found an error (a profile a runtime would refuse
// or silently change).
func (p Proof) HasLintErrors() bool { return profile.HasErrors(p.Findings) }

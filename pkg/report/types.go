package report

// Version of the JSON the verifier prints; the plugin refuses reports it cannot read.
const Version = "v1alpha1"

// Check is the result of one check. A check that could not run is not OK, and says why.
type Check struct {
	OK     bool   `json:"ok"`
	Ran    bool   `json:"ran"`
	Detail string `json:"detail,omitempty"`
}

// Pass, Fail and Skip build checks with their detail.
func Pass(detail string) Check { return Check{OK: true, Ran: true, Detail: detail} }
func Fail(detail string) Check { return Check{OK: false, Ran: true, Detail: detail} }
func Skip(detail string) Check { return Check{OK: false, Ran: false, Detail: detail} }

// CheckReport is what the verifier's `check` container prints for one node: per
// profile, whether the installed file matches the source and whether it loads.
type CheckReport struct {
	Version    string          `json:"version"`
	Libseccomp string          `json:"libseccomp,omitempty"`
	Kernel     string          `json:"kernel,omitempty"`
	Profiles   []ProfileChecks `json:"profiles"`
}

// ProfileChecks are the node-side checks of one profile.
type ProfileChecks struct {
	Name         string `json:"name"`
	SourceDigest string `json:"sourceDigest"`
	NodeDigest   string `json:"nodeDigest,omitempty"`
	Installed    Check  `json:"installed"`
	Loads        Check  `json:"loads"`
	Simulated    Check  `json:"simulated"`
	// Notes are what the admin must read beside the verdict: lint warnings, names
	// this node's libseccomp drops, how mismatches are explained.
	Notes []string `json:"notes,omitempty"`
	// Proof is the engine's full answer, for -o json.
	Proof *Proof `json:"proof,omitempty"`
}

// ProbeReport is what a `probe` container, started by the container runtime under
// the profile, prints: whether the runtime applied a filter, what chmod(2) and
// fchmodat(2) got, and what every vector got under the runtime's filter.
type ProbeReport struct {
	Version  string `json:"version"`
	Profile  string `json:"profile"`
	Enforced Check  `json:"enforced"`
	// Runtime is the per-vector proof under the runtime's filter; Disagreements'
	// Simulated is what the profile gives there.
	Runtime *LiveReport `json:"runtime,omitempty"`
}

// SyscallResult is what one probed syscall returned.
type SyscallResult struct {
	Syscall  string `json:"syscall"`
	Expected string `json:"expected"`
	Observed string `json:"observed"`
}

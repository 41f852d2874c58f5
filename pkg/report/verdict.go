package report

// NodeResult is the plugin's verdict for one (node, profile): the three checks of the
// verifier pod, or a reason why the node could not be checked at all.
type NodeResult struct {
	Node      string   `json:"node"`
	Profile   string   `json:"profile"`
	Installed Check    `json:"installed"`
	Loads     Check    `json:"loads"`
	Simulated Check    `json:"simulated"`
	Enforced  Check    `json:"enforced"`
	Notes     []string `json:"notes,omitempty"`
	Proof     *Proof   `json:"proof,omitempty"`
	// Runtime is the per-vector proof under the filter the runtime applied (the
	// probe container's), behind ENFORCED.
	Runtime *LiveReport `json:"runtime,omitempty"`
}

// Passed is true only when every check ran and passed: a check that could not run is
// never a pass.
func (r NodeResult) Passed() bool {
	return r.Installed.OK && r.Loads.OK && r.Simulated.OK && r.Enforced.OK
}

// Summary is the whole verify run, as printed with -o json|yaml.
type Summary struct {
	Version string       `json:"version"`
	Passed  bool         `json:"passed"`
	Results []NodeResult `json:"results"`
}

// Summarize sets Passed from the results: no results is not a pass.
func Summarize(results []NodeResult) Summary {
	passed := len(results) > 0
	for _, r := range results {
		passed = passed && r.Passed()
	}
	return Summary{Version: Version, Passed: passed, Results: results}
}

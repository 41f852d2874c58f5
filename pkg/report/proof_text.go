package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
)

// WriteProofs prints one line per profile (PROFILE | LOADS | SIMULATED | LIVE |
// DETAIL), then per profile what an admin must read: lint errors and warnings, names
// this libseccomp does not know, how mismatches are explained, kernel exemptions.
func WriteProofs(w io.Writer, proofs []Proof) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tLOADS\tSIMULATED\tLIVE\tDETAIL")
	for _, p := range proofs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Profile, cell(p.Loads()), cell(p.Simulated()), cell(p.LiveProven()), proofSummary(p))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range proofs {
		fmt.Fprintf(w, "\n%s:\n", p.Profile)
		for _, line := range ProofNotes(p) {
			fmt.Fprintf(w, "  %s\n", line)
		}
		fmt.Fprintf(w, "  timings: static %.1f ms, live %.1f ms\n", p.Timings.StaticMs, p.Timings.LiveMs)
	}
	return nil
}

func proofSummary(p Proof) string {
	s := p.Static
	if s.Error != "" {
		return s.Error
	}
	parts := []string{fmt.Sprintf("%d BPF instructions (limit %d)", s.Instructions, s.MaxInstructions)}
	parts = append(parts, fmt.Sprintf("%d vectors simulated, %d differ from the JSON (%d unexplained)", s.Vectors, len(s.Mismatches), s.Unexplained))
	l := p.Live
	if l.Error != "" {
		parts = append(parts, "live: "+l.Error)
	} else {
		parts = append(parts, fmt.Sprintf("%d probed live, %d agree with the simulation", l.Probed, l.Agree))
		if len(l.Denied) > 0 {
			parts = append(parts, "live: "+strings.Join(l.Denied, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// ProofNotes are the lines an admin must read about one proof, most important first.
func ProofNotes(p Proof) []string {
	var out []string
	infos := 0
	for _, f := range p.Findings {
		if f.Severity != profile.Error && f.Severity != profile.Warning {
			infos++
			continue
		}
		out = append(out, findingLine(f))
	}
	if infos > 0 {
		out = append(out, fmt.Sprintf("(%d informational findings; -o json lists them)", infos))
	}
	s := p.Static
	if len(s.Unknown) > 0 {
		var names []string
		for _, u := range s.Unknown {
			names = append(names, u.Name)
		}
		out = append(out, fmt.Sprintf("libseccomp %s does not know %s: runc drops these names, so those syscalls get what is left (usually the default action)%s", s.Libseccomp, strings.Join(names, ", "), stubbedNames(s)))
	}
	if line := stubNote(s); line != "" {
		out = append(out, line)
	}
	if len(s.Mismatches) > 0 {
		out = append(out, "simulation vs JSON: "+causeCounts(s.Mismatches))
	}
	for _, f := range s.Findings {
		out = append(out, fmt.Sprintf("%s: %s", f.Kind, f.Detail))
	}
	out = append(out, p.SimulatedElsewhere...)
	l := p.Live
	if l.Error == "" {
		line := fmt.Sprintf("live vs simulation: %d of %d probed vectors agree", l.Agree, l.Probed)
		if l.NotProbed > 0 {
			line += fmt.Sprintf("; %d not probed (this CPU cannot issue them)", l.NotProbed)
		}
		if l.SimulationOnly > 0 {
			line += fmt.Sprintf("; %d LOG/TRACE/NOTIFY outcomes proven by simulation only", l.SimulationOnly)
		}
		out = append(out, line)
	}
	for _, d := range l.Disagreements {
		tag := "UNEXPLAINED"
		if d.Explained {
			tag = "explained"
		}
		out = append(out, fmt.Sprintf("live %s: %s: %s", tag, d.Vector, d.Note))
	}
	return out
}

func findingLine(f profile.Finding) string {
	where := f.Path
	if f.Line > 0 {
		where = strings.TrimSpace(fmt.Sprintf("%s (line %d, column %d)", f.Path, f.Line, f.Column))
	}
	s := fmt.Sprintf("%s: %s: %s", f.Severity, where, f.Message)
	if f.Fix != "" {
		s += "; fix: " + f.Fix
	}
	return s
}

func causeCounts(ms []simulate.Mismatch) string {
	n := map[string]int{}
	for _, m := range ms {
		n[string(m.Cause)]++
	}
	var keys []string
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
	}
	return fmt.Sprintf("%d vectors differ: %s", len(ms), strings.Join(parts, ", "))
}

// stubbedNames says which unknown names runc's ENOSYS stub answers on the node's
// own arch, where the container runs.
func stubbedNames(s simulate.Report) string {
	for _, st := range s.RuncStub {
		if st.Arch == s.Native && len(st.Named) > 0 {
			return fmt.Sprintf("; under runc, %s get ENOSYS instead (its stub, below)", strings.Join(st.Named, ", "))
		}
	}
	return ""
}

// stubNote describes runc's -ENOSYS stub: it changes what the container gets for
// syscalls newer than the profile, which the simulation of libseccomp's filter
// alone does not show.
func stubNote(s simulate.Report) string {
	var parts []string
	for _, st := range s.RuncStub {
		if st.Others+len(st.Named) == 0 {
			continue // x32: its highest numbers are its own compat calls
		}
		parts = append(parts, fmt.Sprintf("%s above %s (%d): %d syscalls", st.Arch, st.Above, st.Nr, st.Others+len(st.Named)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "runc's ENOSYS stub: syscalls numbered above the highest one the profile names get ENOSYS, not the default action, so programs newer than the profile fall back as on an old kernel: " + strings.Join(parts, "; ")
}

package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints one line per (node, profile):
// NODE | PROFILE | INSTALLED | LOADS | SIMULATED | ENFORCED | DETAIL.
// DETAIL names the first failing check's reason, or what was proven when all passed.
// The notes follow, once per profile for what every node says alike (lint), per node
// for what differs (the node's libseccomp).
func WriteTable(w io.Writer, s Summary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tPROFILE\tINSTALLED\tLOADS\tSIMULATED\tENFORCED\tDETAIL")
	for _, r := range s.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Node, r.Profile,
			cell(r.Installed), cell(r.Loads), cell(r.Simulated), cell(r.Enforced), detail(r))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeNotes(w, s.Results)
}

// writeNotes prints each distinct note once, under the profile it is about, with the
// nodes it came from when not every node said it.
func writeNotes(w io.Writer, results []NodeResult) error {
	type key struct{ profile, note string }
	nodesOf := map[key][]string{}
	nodesPerProfile := map[string]int{}
	var order []key
	for _, r := range results {
		nodesPerProfile[r.Profile]++
		for _, n := range r.Notes {
			k := key{r.Profile, n}
			if _, seen := nodesOf[k]; !seen {
				order = append(order, k)
			}
			nodesOf[k] = append(nodesOf[k], r.Node)
		}
	}
	last := ""
	for _, k := range order {
		if k.profile != last {
			fmt.Fprintf(w, "\n%s:\n", k.profile)
			last = k.profile
		}
		where := ""
		if len(nodesOf[k]) < nodesPerProfile[k.profile] {
			where = "[" + strings.Join(nodesOf[k], ", ") + "] "
		}
		fmt.Fprintf(w, "  %s%s\n", where, k.note)
	}
	return nil
}

func cell(c Check) string {
	switch {
	case c.OK:
		return "ok"
	case c.Ran:
		return "FAIL"
	default:
		return "not-run"
	}
}

func detail(r NodeResult) string {
	// A node that could not be checked at all (NotReady, timed out) has four equal
	// not-run checks: one reason, not "installed: ...".
	if c := r.Installed; !c.Ran && c == r.Loads && c == r.Simulated && c == r.Enforced {
		return "not verified: " + c.Detail
	}
	for _, c := range []struct {
		name string
		c    Check
	}{{"installed", r.Installed}, {"loads", r.Loads}, {"simulated", r.Simulated}, {"enforced", r.Enforced}} {
		if !c.c.OK {
			return c.name + ": " + c.c.Detail
		}
	}
	return r.Enforced.Detail
}

package report

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints one line per (node, profile):
// NODE | PROFILE | INSTALLED | LOADS | ENFORCED | DETAIL.
// DETAIL names the first failing check's reason, or what was proven when all passed.
func WriteTable(w io.Writer, s Summary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tPROFILE\tINSTALLED\tLOADS\tENFORCED\tDETAIL")
	for _, r := range s.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Node, r.Profile,
			cell(r.Installed), cell(r.Loads), cell(r.Enforced), detail(r))
	}
	return tw.Flush()
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
	for _, c := range []struct {
		name string
		c    Check
	}{{"installed", r.Installed}, {"loads", r.Loads}, {"enforced", r.Enforced}} {
		if !c.c.OK {
			return c.name + ": " + c.c.Detail
		}
	}
	return r.Enforced.Detail
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/report"
)

// BenchmarkVerifierProcessDockerDefault measures what an admin waits for: one whole
// verifier process proving Docker's default profile, read as Docker does (all three
// x86 arches in the filter, vectors on all five arches), statically and live.
// Reported: wall time of the process, its static and live phases, and its peak RSS.
// KSC_VERIFIER_BIN names the binary to measure (`make bench` passes the static
// release build); without it, this test binary plays the verifier.
func BenchmarkVerifierProcessDockerDefault(b *testing.B) {
	bin, err := filepath.Abs(os.Getenv("KSC_VERIFIER_BIN"))
	if os.Getenv("KSC_VERIFIER_BIN") == "" || err != nil {
		bin = os.Args[0]
	}
	profile, err := filepath.Abs(filepath.Join("..", "pkg", "profile", "testdata", "docker-default.json"))
	if err != nil {
		b.Fatal(err)
	}
	var wall, static, live, rss float64
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "local", "--runtime=docker", profile)
		cmd.Env = append(os.Environ(), peakRSSEnv+"=1")
		var out, errOut bytes.Buffer
		cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(nil), &out, &errOut
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s local: %v\n%s", bin, err, errOut.String())
		}
		wall += float64(time.Since(start).Microseconds()) / 1000
		var proofs []report.Proof
		if err := json.Unmarshal(out.Bytes(), &proofs); err != nil || len(proofs) != 1 {
			b.Fatalf("unreadable report (%v): %s", err, out.Bytes())
		}
		p := proofs[0]
		if !p.Loads().OK || !p.Simulated().OK || !p.LiveProven().OK {
			b.Fatalf("docker-default.json did not verify: %+v", p.Static.Error+p.Live.Error)
		}
		static += p.Timings.StaticMs
		live += p.Timings.LiveMs
		var kib float64
		if _, err := fmt.Sscanf(errOut.String(), "peak-rss %g kB", &kib); err != nil {
			b.Fatalf("%s local printed no peak RSS (%v): %q", bin, err, errOut.String())
		}
		rss = max(rss, kib/1024)
	}
	n := float64(b.N)
	b.ReportMetric(wall/n, "wall-ms/op")
	b.ReportMetric(static/n, "static-ms/op")
	b.ReportMetric(live/n, "live-ms/op")
	b.ReportMetric(rss, "peak-rss-MB")
}

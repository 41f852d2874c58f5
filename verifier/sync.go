package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/installer"
)

// runSync writes the source profiles into the node directory once and, with --watch,
// again whenever the mounted ConfigMap changes (the kubelet swaps its content
// atomically). It does not rewrite files someone changed on the node: that drift is
// what `kubectl seccomp verify` reports, and `install` repairs.
func runSync(args []string) int {
	fs := flag.NewFlagSet("sync", flag.ExitOnError)
	source := fs.String("source", "/profiles", "directory holding the profiles (the ConfigMap volume)")
	target := fs.String("target", "", "node directory to keep in sync, e.g. /host/seccomp/kubectl-seccomp")
	watch := fs.Bool("watch", false, "keep running and sync again when the source changes")
	interval := fs.Duration("interval", 5*time.Second, "how often --watch looks at the source")
	fs.Parse(args)
	if *target == "" {
		fmt.Fprintln(os.Stderr, "sync: --target is required")
		return 2
	}
	last := ""
	for {
		files, err := installer.ReadSource(*source)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sync:", err)
			if !*watch {
				return 1
			}
		} else if digest := installer.SetDigest(files); digest != last {
			if code := syncOnce(files, *target, digest); code != 0 && !*watch {
				return code
			}
			last = digest
		}
		if !*watch {
			return 0
		}
		time.Sleep(*interval)
	}
}

func syncOnce(files map[string][]byte, target, digest string) int {
	changes, err := installer.Sync(files, target)
	for _, c := range changes {
		fmt.Println(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sync failed:", err)
		return 1
	}
	fmt.Printf("synced %d profile(s) into %s, set digest %s\n", len(files), target, digest)
	return 0
}

func runClean(args []string) int {
	fs := flag.NewFlagSet("clean", flag.ExitOnError)
	target := fs.String("target", "", "node directory the installer wrote into")
	fs.Parse(args)
	if *target == "" {
		fmt.Fprintln(os.Stderr, "clean: --target is required")
		return 2
	}
	changes, err := installer.Clean(*target)
	for _, c := range changes {
		fmt.Println(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "clean failed:", err)
		return 1
	}
	fmt.Printf("cleaned %s: removed %d file(s) written by kubectl-seccomp\n", *target, len(changes))
	return 0
}

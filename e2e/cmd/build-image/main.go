// Command build-image wraps one binary into a single-layer OCI image and writes it as
// a docker-archive tarball that `ctr images import` accepts. It replaces `docker build`
// on machines with no Docker engine and no registry.
//
//	build-image -binary bin/verifier -ref IMAGE:TAG -o out.tar [-path /verifier]
//	build-image -binary /usr/bin/chmod -path /usr/bin/chmod -libs -empty /work/f -ref IMAGE:TAG -o out.tar
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/e2e/imagebuild"
)

func main() {
	var opts imagebuild.Options
	var out string
	flag.StringVar(&opts.Binary, "binary", "", "binary to put in the image (required); static, or use -libs")
	flag.StringVar(&opts.Ref, "ref", "", "image reference, e.g. localhost/kubectl-seccomp-verifier:dev (required)")
	flag.StringVar(&opts.Path, "path", "/entrypoint", "where the binary lives in the image; also the entrypoint")
	flag.StringVar(&opts.Arch, "arch", "amd64", "image architecture")
	flag.StringVar(&out, "o", "", "output docker-archive tarball (required)")
	flag.BoolVar(&opts.Libs, "libs", false, "add the binary's ELF interpreter and shared libraries")
	flag.Func("empty", "absolute path of an empty file to add (repeatable)", func(p string) error {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("%q is not absolute", p)
		}
		opts.Empty = append(opts.Empty, p)
		return nil
	})
	flag.Parse()
	if opts.Binary == "" || opts.Ref == "" || out == "" {
		fmt.Fprintln(os.Stderr, "build-image: -binary, -ref and -o are required")
		flag.Usage()
		os.Exit(2)
	}
	if err := imagebuild.WriteTarball(opts, out); err != nil {
		fmt.Fprintln(os.Stderr, "build-image:", err)
		os.Exit(1)
	}
}

// Package version pins the plugin to the verifier image built from the same source:
// the wire format between them is versioned together.
package version

// Version is stamped at release with -ldflags "-X .../pkg/version.Version=v0.1.0".
var Version = "dev"

// ImageRepository is where release images of the verifier are published.
const ImageRepository = "ghcr.io/kubectl-seccomp/verifier"

// DefaultImage is the verifier image of this plugin's version.
func DefaultImage() string { return ImageRepository + ":" + Version }

// Package profile reads seccomp profiles in the OCI/Docker JSON format, checks them
// before anything touches a cluster, locates findings by line and column, and resolves
// Docker's conditional rules for a named node the way each runtime does. It is pure Go:
// the plugin runs on macOS and Windows.
package profile

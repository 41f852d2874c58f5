// Package profile reads seccomp profiles in the OCI/Docker JSON format and checks them
// before anything touches a cluster. It is pure Go: the plugin runs on macOS and Windows.
package profile

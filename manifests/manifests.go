// Package manifests embeds the YAML shapes of every object the plugin creates. The
// plugin decodes them into typed objects and fills in names, image and profiles
// (pkg/objects), so the shapes stay readable here and the values stay checked in Go.
package manifests

import "embed"

// FS holds the *.yaml files of this directory.
//
//go:embed *.yaml
var FS embed.FS

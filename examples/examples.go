// Package examples holds the example profiles. deny-chmod.json is embedded in the plugin
// so that `kubectl seccomp verify --local` with no file tries the tool on it.
package examples

import _ "embed"

// DenyChmodName is the file name of the origin profile: chmod(2) fails with EPERM.
const DenyChmodName = "deny-chmod.json"

// DenyChmod is examples/deny-chmod.json, byte for byte.
//
//go:embed deny-chmod.json
var DenyChmod []byte

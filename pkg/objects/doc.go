// Package objects builds the Kubernetes objects the plugin applies, from the YAML
// shapes in manifests/ and the user's profiles and flags.
package objects

// Package report holds the wire types the in-cluster verifier prints and the plugin
// reads (pure Go, imported by both), and renders the per-node verdict table.
package report

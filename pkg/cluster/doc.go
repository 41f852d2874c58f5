// Package cluster holds the plugin's conversations with the API server: server-side
// apply of the tool's objects, node facts, waiting on pods, reading their logs.
package cluster

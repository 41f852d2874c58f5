// Package installer keeps a node's profile directory in sync with a source directory
// (the mounted ConfigMap). It writes atomically, owns only the files its manifest lists
// and never changes or removes any other file. It runs inside the verifier image.
package installer

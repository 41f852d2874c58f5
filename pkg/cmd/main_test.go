package cmd

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// The fake clientset's watch never sends the bookmark that client-go's streaming
	// list (the WatchListClient feature, on by default) waits for, so an informer over
	// the fake would never sync. Fall back to list+watch, as against an older server.
	// client-go reads this variable once, at the first feature check.
	os.Setenv("KUBE_FEATURE_WatchListClient", "false")
	os.Exit(m.Run())
}

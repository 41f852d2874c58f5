package installer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// ReadSource reads the profiles of a source directory. A ConfigMap volume holds its
// keys as symlinks into a hidden `..data` directory; hidden entries are skipped.
func ReadSource(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := profile.CheckName(e.Name()); err != nil {
			return nil, fmt.Errorf("source %s: %w", dir, err)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out[e.Name()] = data
	}
	return out, nil
}

// SetDigest is one digest over a set of named files, independent of map order: the
// installer and the plugin use it to tell whether a node has the current set.
func SetDigest(files map[string][]byte) string {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%s\x00", n, profile.Digest(files[n]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

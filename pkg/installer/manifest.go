package installer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// ManifestName is the file, in the target directory, that lists what the installer
// wrote. A file not listed there is foreign and is never touched.
const ManifestName = ".kubectl-seccomp-managed.json"

// Manifest maps each file the installer owns to the sha256 it wrote.
type Manifest struct {
	Files map[string]string `json:"files"`
}

func readManifest(dir string) (Manifest, error) {
	m := Manifest{Files: map[string]string{}}
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		// Refuse to guess ownership: a wrong guess deletes someone's profile.
		return m, fmt.Errorf("%s is corrupt (%v): fix or remove it by hand; no file was changed", filepath.Join(dir, ManifestName), err)
	}
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	for name := range m.Files {
		// An entry like "../x" would make prune delete outside the directory.
		if err := profile.CheckName(name); err != nil {
			return m, fmt.Errorf("%s lists %q, which the installer never writes (%v): fix or remove the manifest by hand; no file was changed", filepath.Join(dir, ManifestName), name, err)
		}
	}
	return m, nil
}

func writeManifest(dir string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(dir, ManifestName, append(data, '\n'))
}

func (m Manifest) names() []string {
	var out []string
	for n := range m.Files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Owns says whether the installer wrote name in dir, by its manifest: verify uses it
// to tell a drifted file (install repairs it) from a foreign one (install leaves it).
func Owns(dir, name string) (bool, error) {
	m, err := readManifest(dir)
	if err != nil {
		return false, err
	}
	_, ok := m.Files[name]
	return ok, nil
}

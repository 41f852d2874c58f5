package installer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
)

// Change is one thing Sync did or refused to do, for the installer's log.
type Change struct {
	Name   string
	Action string // wrote, unchanged, removed, conflict
	Detail string
}

func (c Change) String() string {
	if c.Detail == "" {
		return fmt.Sprintf("%s %s", c.Action, c.Name)
	}
	return fmt.Sprintf("%s %s: %s", c.Action, c.Name, c.Detail)
}

// Sync makes target hold exactly the source files among the files it owns:
// new and changed ones are written atomically, owned ones no longer in the source are
// removed, foreign files are left alone. A source file whose name is taken by a
// foreign file is a conflict: reported, not written. The manifest is written before
// the files (the union of old and new), so a crash never leaves an owned file unlisted.
func Sync(source map[string][]byte, target string) ([]Change, error) {
	if err := os.MkdirAll(target, 0o755); err != nil {
		return nil, err
	}
	old, err := readManifest(target)
	if err != nil {
		return nil, err
	}
	var changes []Change
	intent := Manifest{Files: map[string]string{}}
	for n, d := range old.Files {
		intent.Files[n] = d
	}
	var names []string
	for n := range source {
		names = append(names, n)
	}
	sort.Strings(names)
	var conflicts []string
	for _, n := range names {
		if _, owned := old.Files[n]; !owned && exists(filepath.Join(target, n)) {
			changes = append(changes, Change{Name: n, Action: "conflict",
				Detail: "a file with this name exists and was not written by kubectl-seccomp; it was left untouched: rename the profile or move that file away"})
			conflicts = append(conflicts, n)
			continue
		}
		intent.Files[n] = profile.Digest(source[n])
	}
	if err := writeManifest(target, intent); err != nil {
		return changes, err
	}
	final := Manifest{Files: map[string]string{}}
	for _, n := range names {
		if slices.Contains(conflicts, n) {
			continue
		}
		path := filepath.Join(target, n)
		if cur, err := os.ReadFile(path); err == nil && string(cur) == string(source[n]) {
			changes = append(changes, Change{Name: n, Action: "unchanged"})
		} else if err := writeAtomic(target, n, source[n]); err != nil {
			return changes, fmt.Errorf("writing %s: %w", path, err)
		} else {
			changes = append(changes, Change{Name: n, Action: "wrote", Detail: "sha256 " + profile.Digest(source[n])})
		}
		final.Files[n] = profile.Digest(source[n])
	}
	for _, n := range old.names() {
		if _, keep := source[n]; keep {
			continue
		}
		if err := removeOwned(target, n); err != nil {
			return changes, err
		}
		changes = append(changes, Change{Name: n, Action: "removed", Detail: "no longer in the source"})
	}
	if err := writeManifest(target, final); err != nil {
		return changes, err
	}
	if len(conflicts) > 0 {
		return changes, fmt.Errorf("%d profile(s) not installed because foreign files hold their names: %v", len(conflicts), conflicts)
	}
	return changes, nil
}

// Clean removes every file the manifest lists, then the manifest, then the directory
// if nothing foreign is left in it.
func Clean(target string) ([]Change, error) {
	m, err := readManifest(target)
	if err != nil {
		return nil, err
	}
	var changes []Change
	for _, n := range m.names() {
		if err := removeOwned(target, n); err != nil {
			return changes, err
		}
		changes = append(changes, Change{Name: n, Action: "removed"})
	}
	if err := os.Remove(filepath.Join(target, ManifestName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return changes, err
	}
	// Fails harmlessly when foreign files remain, which then stay where they are.
	_ = os.Remove(target)
	return changes, nil
}

func removeOwned(dir, name string) error {
	err := os.Remove(filepath.Join(dir, name))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

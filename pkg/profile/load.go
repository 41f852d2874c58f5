package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// NameRule is the one rule for installed profile names. The name becomes a file on
// every node and a ConfigMap key, and pods reference it as
// `localhostProfile: <dir>/<name>`, so it must be a plain, portable file name.
const NameRule = "lowercase letters, digits, '-', '_' and '.', starting with a letter or digit, ending in .json, at most 253 characters"

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*\.json$`)

// CheckName says whether name may be installed, and why not.
func CheckName(name string) error {
	if len(name) > 253 || !nameRE.MatchString(name) || strings.Contains(name, "..") {
		return fmt.Errorf("profile name %q is not allowed: names must be %s; rename the file", name, NameRule)
	}
	return nil
}

// Load reads every profile named by paths (files, or directories whose *.json files
// are taken), checks names, parses and validates all of them, and returns every
// error at once so the admin fixes them in one round.
func Load(paths []string) ([]*File, []Finding, error) {
	var files []*File
	var findings []Finding
	var errs []error
	seen := map[string]string{}
	read := map[string]bool{} // absolute paths: one file named twice is read once
	for _, p := range paths {
		names, err := Expand(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, path := range names {
			if abs, err := filepath.Abs(path); err == nil {
				if read[abs] {
					continue
				}
				read[abs] = true
			}
			f, fileFindings, err := loadFile(path)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if prev, dup := seen[f.Name]; dup {
				errs = append(errs, fmt.Errorf("%s: profile name %q is also used by %s; names must be unique because they become file names on the nodes", path, f.Name, prev))
				continue
			}
			seen[f.Name] = path
			files = append(files, f)
			findings = append(findings, fileFindings...)
		}
	}
	if len(errs) == 0 && len(files) == 0 {
		errs = append(errs, fmt.Errorf("no profiles found in %s: give .json files or directories holding them", strings.Join(paths, ", ")))
	}
	return files, findings, errors.Join(errs...)
}

// Expand is the profile files a path names: the file itself, or the *.json files
// directly in a directory (not hidden ones, not subdirectories), sorted.
func Expand(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	matches, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, err
	}
	// Hidden files (editor locks like .#x.json) are not profiles; the installer skips
	// them in its source too.
	var out []string
	for _, m := range matches {
		if !strings.HasPrefix(filepath.Base(m), ".") {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadFile checks the name rule, then reads the file as ReadFile does.
func loadFile(path string) (*File, []Finding, error) {
	if err := CheckName(filepath.Base(path)); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ReadFile(path)
}

// ReadFile parses and validates one profile file, whatever its name; findings of
// severity Error that no flag overrides (an action no runtime knows) make it fail.
func ReadFile(path string) (*File, []Finding, error) {
	name := filepath.Base(path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	p, err := Parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	findings := Validate(p)
	LocateFindings(findings, data)
	for i := range findings {
		findings[i].Path = path + ": " + findings[i].Path
	}
	if Blocking(findings) {
		var msgs []string
		for _, f := range findings {
			if f.Severity == Error && !f.Overridable {
				msgs = append(msgs, f.String())
			}
		}
		return nil, findings, fmt.Errorf("%s", strings.Join(msgs, "\n"))
	}
	return &File{Name: name, Source: path, Data: data, Profile: *p}, findings, nil
}

package imagebuild

import (
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
)

// libDirs are where Debian's dynamic loader finds libraries on amd64 (ld.so.conf).
var libDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

// sharedLibs returns the ELF interpreter of binary and every shared library it needs,
// transitively, as paths on this machine: what `ldd` lists, without running the
// binary. A static binary needs none.
func sharedLibs(binary string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	var visit func(file string, top bool) error
	visit = func(file string, top bool) error {
		f, err := elf.Open(file)
		if err != nil {
			return fmt.Errorf("reading ELF %s: %w", file, err)
		}
		defer f.Close()
		if top {
			for _, p := range f.Progs {
				if p.Type != elf.PT_INTERP {
					continue
				}
				buf := make([]byte, p.Filesz)
				if _, err := p.ReadAt(buf, 0); err != nil {
					return fmt.Errorf("%s: reading its interpreter: %w", file, err)
				}
				interp := string(buf[:len(buf)-1]) // NUL-terminated
				seen[interp] = true
				out = append(out, interp)
			}
		}
		needed, err := f.ImportedLibraries()
		if err != nil {
			return fmt.Errorf("%s: reading its libraries: %w", file, err)
		}
		for _, lib := range needed {
			path, err := findLib(lib)
			if err != nil {
				return fmt.Errorf("%s needs %s: %w", file, lib, err)
			}
			if seen[path] {
				continue
			}
			seen[path] = true
			out = append(out, path)
			if err := visit(path, false); err != nil {
				return err
			}
		}
		return nil
	}
	return out, visit(binary, true)
}

func findLib(name string) (string, error) {
	for _, dir := range libDirs {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("not found in %v", libDirs)
}

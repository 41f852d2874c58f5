// Package imagebuild makes a minimal container image around one binary with
// go-containerregistry, so the local cluster gets its images without Docker or a
// registry. The binary is static (the verifier) or brings its shared libraries (a
// Debian tool such as coreutils' chmod, for e2e tests that run what users run).
package imagebuild

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Options says what goes into the image.
type Options struct {
	Binary string // path of the binary on this machine
	Ref    string // image reference the tarball is tagged with
	Path   string // absolute path of the binary in the image; the entrypoint
	Arch   string // GOARCH-style architecture
	// Libs adds the binary's ELF interpreter and shared libraries, at the paths
	// they have on this machine.
	Libs bool
	// Empty are absolute paths of empty 0644 files to put in the image.
	Empty []string
}

// entry is one regular file of the layer.
type entry struct {
	path string // absolute, in the image
	mode int64
	data []byte
}

// Image builds the image: one layer with the binary and the empty directories a
// container runtime expects to mount over (/proc, /sys, /dev, /etc, /tmp).
func Image(opts Options) (v1.Image, error) {
	if !path.IsAbs(opts.Path) {
		return nil, fmt.Errorf("image path %q must be absolute", opts.Path)
	}
	bin, err := os.ReadFile(opts.Binary)
	if err != nil {
		return nil, fmt.Errorf("reading binary: %w", err)
	}
	files := []entry{{opts.Path, 0o755, bin}}
	if opts.Libs {
		libs, err := sharedLibs(opts.Binary)
		if err != nil {
			return nil, err
		}
		for _, lib := range libs {
			data, err := os.ReadFile(lib) // follows symlinks: the image gets the content
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", lib, err)
			}
			files = append(files, entry{lib, 0o755, data})
		}
	}
	for _, p := range opts.Empty {
		if !path.IsAbs(p) {
			return nil, fmt.Errorf("image path %q must be absolute", p)
		}
		files = append(files, entry{p, 0o644, nil})
	}
	layerTar, err := layerTar(files)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS = "linux"
	cfg.Architecture = opts.Arch
	cfg.Config.Entrypoint = []string{opts.Path}
	cfg.Config.Env = []string{"PATH=/"}
	return mutate.ConfigFile(img, cfg)
}

// WriteTarball writes the image as a docker-archive tagged with opts.Ref.
func WriteTarball(opts Options, out string) error {
	ref, err := name.NewTag(opts.Ref)
	if err != nil {
		return fmt.Errorf("image reference %q: %w", opts.Ref, err)
	}
	img, err := Image(opts)
	if err != nil {
		return err
	}
	return tarball.WriteToFile(out, ref, img)
}

// layerTar is built by hand because the layer holds a handful of entries; a fixed
// mtime keeps the digest the same for the same files. Parent directories of the files
// are added as needed.
func layerTar(files []entry) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	epoch := time.Unix(0, 0)
	dirs := []struct {
		name string
		mode int64
	}{{"dev/", 0o755}, {"etc/", 0o755}, {"proc/", 0o555}, {"sys/", 0o555}, {"tmp/", 0o1777}}
	for _, d := range dirs {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d.name, Mode: d.mode, ModTime: epoch}); err != nil {
			return nil, err
		}
	}
	made := map[string]bool{"dev": true, "etc": true, "proc": true, "sys": true, "tmp": true}
	for _, f := range files {
		name := f.path[1:]
		var parents []string
		for dir := path.Dir(name); dir != "." && !made[dir]; dir = path.Dir(dir) {
			parents = append([]string{dir}, parents...)
			made[dir] = true
		}
		for _, dir := range parents {
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: epoch}); err != nil {
				return nil, err
			}
		}
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: f.mode, Size: int64(len(f.data)), ModTime: epoch}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

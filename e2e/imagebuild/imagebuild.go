// Package imagebuild makes a minimal container image around one static binary with
// go-containerregistry, so the local cluster gets its images without Docker or a registry.
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
	Binary string // path of the static binary on this machine
	Ref    string // image reference the tarball is tagged with
	Path   string // absolute path of the binary in the image; the entrypoint
	Arch   string // GOARCH-style architecture
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
	layerTar, err := layerTar(bin, opts.Path)
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

// layerTar is built by hand because the layer holds five entries; a fixed mtime keeps
// the digest the same for the same binary.
func layerTar(bin []byte, binPath string) ([]byte, error) {
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
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: binPath[1:], Mode: 0o755, Size: int64(len(bin)), ModTime: epoch}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(bin); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

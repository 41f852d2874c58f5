package imagebuild

import (
	"archive/tar"
	"io"
	"os"
	"runtime"
	"testing"
)

// The coreutils image of the e2e suite: chmod runs only if its loader and libc are in
// the image at the paths the binary names, and the file it changes exists.
func TestImageWithSharedLibrariesAndEmptyFile(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("the library paths are Debian amd64's; this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	if _, err := os.Stat("/usr/bin/chmod"); err != nil {
		t.Skip("no /usr/bin/chmod here")
	}
	img, err := Image(Options{Binary: "/usr/bin/chmod", Path: "/usr/bin/chmod", Arch: "amd64", Libs: true, Empty: []string{"/work/f"}})
	if err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers %v, %v", layers, err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got := map[string]*tar.Header{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = h
	}
	for _, want := range []string{"usr/", "usr/bin/", "usr/bin/chmod", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6", "work/", "work/f", "tmp/"} {
		if got[want] == nil {
			t.Errorf("the layer has no %s; it has %v", want, keys(got))
		}
	}
	if h := got["work/f"]; h != nil && (h.Size != 0 || h.Mode != 0o644) {
		t.Errorf("work/f: size %d mode %o, want an empty 0644 file", h.Size, h.Mode)
	}
	if h := got["lib/x86_64-linux-gnu/libc.so.6"]; h != nil && (h.Typeflag != tar.TypeReg || h.Size < 1<<20) {
		t.Errorf("libc.so.6 must be the library's content (a symlink would dangle in the image): %+v", h)
	}
	cfg, err := img.ConfigFile()
	if err != nil || len(cfg.Config.Entrypoint) != 1 || cfg.Config.Entrypoint[0] != "/usr/bin/chmod" {
		t.Errorf("entrypoint %v (%v), want /usr/bin/chmod", cfg.Config.Entrypoint, err)
	}
}

func keys(m map[string]*tar.Header) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

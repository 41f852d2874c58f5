package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedFileIsCurrent fails when pkg/syscalls/zz_generated_tables.go was
// edited by hand or x/sys moved without `go generate ./pkg/syscalls`.
func TestGeneratedFileIsCurrent(t *testing.T) {
	mod, err := locate("")
	if err != nil {
		t.Skip(err)
	}
	want, err := generate(mod)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../pkg/syscalls/zz_generated_tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("pkg/syscalls/zz_generated_tables.go is stale: run go generate ./pkg/syscalls")
	}
}

func TestCheckRefusesAmbiguousTables(t *testing.T) {
	for name, es := range map[string][]entry{
		"a name twice":          {{name: "a", nr: 1}, {name: "a", nr: 2}},
		"two primaries":         {{name: "a", nr: 1}, {name: "b", nr: 1}},
		"alias without primary": {{name: "a", nr: 1}, {name: "b", nr: 2, alias: true}},
	} {
		if err := check(table{arch: "T", entries: es}); err == nil {
			t.Errorf("%s: check accepted %v", name, es)
		}
	}
	if err := check(table{arch: "T", entries: []entry{{name: "a", nr: 1}, {name: "b", nr: 1, alias: true}}}); err != nil {
		t.Errorf("an alias of a primary must pass: %v", err)
	}
}

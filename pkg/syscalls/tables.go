package syscalls

import "sort"

//go:generate go run ../../hack/gensyscalls

// entry is one syscall name and its number on one arch.
type entry struct {
	name string
	nr   int
}

// table indexes one arch's generated entries both ways.
type table struct {
	byName map[string]int
	byNr   map[int]string // the primary name of each number
	names  []string       // every name, aliases included, sorted
}

var (
	tables = indexTables(generatedTables)
	known  = knownNames(tables)
)

func indexTables(gen map[Arch][]entry) map[Arch]*table {
	out := make(map[Arch]*table, len(gen))
	for arch, entries := range gen {
		t := &table{byName: make(map[string]int, len(entries)), byNr: make(map[int]string, len(entries))}
		for _, e := range entries {
			t.byName[e.name] = e.nr
			if _, ok := t.byNr[e.nr]; !ok {
				t.byNr[e.nr] = e.name
			}
			t.names = append(t.names, e.name)
		}
		sort.Strings(t.names)
		out[arch] = t
	}
	return out
}

func knownNames(ts map[Arch]*table) map[string]bool {
	out := map[string]bool{}
	for _, t := range ts {
		for name := range t.byName {
			out[name] = true
		}
	}
	return out
}

// Number returns the number of syscall name on arch as the kernel puts it in
// seccomp_data.nr (x32 numbers carry X32SyscallBit), and false if arch has no
// such syscall.
func Number(arch Arch, name string) (int, bool) {
	t, ok := tables[arch]
	if !ok {
		return 0, false
	}
	nr, ok := t.byName[name]
	return nr, ok
}

// Name returns the name of syscall nr on arch. Where a number has more than one
// name (arm's arm_sync_file_range and sync_file_range2), it returns the one the
// kernel's uapi header defines first.
func Name(arch Arch, nr int) (string, bool) {
	t, ok := tables[arch]
	if !ok {
		return "", false
	}
	name, ok := t.byNr[nr]
	return name, ok
}

// Names returns every syscall name arch has, sorted; nil for an arch the tables
// do not cover.
func Names(arch Arch) []string {
	t, ok := tables[arch]
	if !ok {
		return nil
	}
	return append([]string(nil), t.names...)
}

// Known reports whether name is a syscall on at least one covered arch: a name
// that is not is a typo or newer than these tables, not an arch difference.
func Known(name string) bool {
	return known[name]
}

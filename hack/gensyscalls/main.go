// Command gensyscalls writes pkg/syscalls/zz_generated_tables.go: the syscall
// tables of the architectures a seccomp profile can name, read from
// golang.org/x/sys/unix (the kernel's uapi headers, as x/sys generated them) so
// the plugin knows numbers for a target node, not for the machine it runs on.
//
// Run it from pkg/syscalls with `go generate`; it reads the x/sys module go.mod
// selects, so updating x/sys and regenerating is how new syscalls arrive.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const xsysModule = "golang.org/x/sys"

func main() {
	log.SetFlags(0)
	log.SetPrefix("gensyscalls: ")
	out := flag.String("o", "zz_generated_tables.go", "file to write")
	dir := flag.String("xsys", "", "directory of the golang.org/x/sys module (default: the one go.mod selects)")
	flag.Parse()

	mod, err := locate(*dir)
	if err != nil {
		log.Fatal(err)
	}
	src, err := generate(mod)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// module is the x/sys source the tables come from.
type module struct {
	Dir, Version string
}

func locate(dir string) (module, error) {
	if dir != "" {
		return module{Dir: dir, Version: "(local)"}, nil
	}
	b, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}\t{{.Version}}", xsysModule).Output()
	if err != nil {
		return module{}, fmt.Errorf("go list -m %s: %w (run from inside the module, or pass -xsys)", xsysModule, err)
	}
	d, v, ok := strings.Cut(strings.TrimSpace(string(b)), "\t")
	if !ok || d == "" {
		return module{}, fmt.Errorf("go list -m %s: no module directory in %q", xsysModule, b)
	}
	return module{Dir: d, Version: v}, nil
}

// entry is one name of a syscall. An alias is a second name for a number that
// already has one: Name() must answer with the primary.
type entry struct {
	name  string
	nr    int
	alias bool
	why   string // for hand-added entries: where the number comes from
}

// table is one architecture's entries, in the profile's spelling of the arch.
type table struct {
	arch    string // Go identifier of the Arch constant in package syscalls
	source  string
	entries []entry
}

// xsysFiles maps the Arch constants to the x/sys file holding their numbers.
var xsysFiles = []struct{ arch, goarch string }{
	{"X86_64", "amd64"},
	{"X86", "386"},
	{"AArch64", "arm64"},
	{"ARM", "arm"},
}

// notSyscalls are SYS_* constants x/sys copies from the headers that name no
// syscall.
var notSyscalls = map[string]string{
	"SYS_SYSCALL_MASK":          "arm: __NR_SYSCALL_MASK, the mask of the number field",
	"SYS_ARCH_SPECIFIC_SYSCALL": "arm64: __NR_arch_specific_syscall, the start of an arch-private range no arch uses",
}

// armExtras are ARM EABI syscalls x/sys leaves out because the headers define
// them outside __NR_* (arch/arm/include/uapi/asm/unistd.h): an alias and the
// ARM-private calls at __ARM_NR_BASE = 0x0f0000. seccomp sees them with these
// numbers in seccomp_data.nr, and Docker's default profile names some of them.
var armExtras = []entry{
	{name: "sync_file_range2", nr: 341, alias: true, why: "__NR_sync_file_range2 = __NR_arm_sync_file_range"},
	{name: "breakpoint", nr: 0x0f0001, why: "__ARM_NR_BASE + 1"},
	{name: "cacheflush", nr: 0x0f0002, why: "__ARM_NR_BASE + 2"},
	{name: "usr26", nr: 0x0f0003, why: "__ARM_NR_BASE + 3"},
	{name: "usr32", nr: 0x0f0004, why: "__ARM_NR_BASE + 4"},
	{name: "set_tls", nr: 0x0f0005, why: "__ARM_NR_BASE + 5"},
	{name: "get_tls", nr: 0x0f0006, why: "__ARM_NR_BASE + 6"},
}

// x32 has no x/sys table. The kernel builds it from
// arch/x86/entry/syscalls/syscall_64.tbl: every "common" entry, at its x86_64
// number with __X32_SYSCALL_BIT set, plus the "x32" entries 512..547. The "64"
// entries are not in it.
const x32SyscallBit = 0x40000000

// abi64Only are the entries of syscall_64.tbl with ABI "64".
var abi64Only = []string{
	"rt_sigaction", "rt_sigreturn", "ioctl", "readv", "writev", "recvfrom", "sendmsg",
	"recvmsg", "setsockopt", "getsockopt", "execve", "ptrace", "rt_sigpending",
	"rt_sigtimedwait", "rt_sigqueueinfo", "sigaltstack", "uselib", "_sysctl",
	"create_module", "get_kernel_syms", "query_module", "nfsservctl", "set_thread_area",
	"io_setup", "io_submit", "get_thread_area", "epoll_ctl_old", "epoll_wait_old",
	"timer_create", "vserver", "mq_notify", "kexec_load", "waitid", "set_robust_list",
	"get_robust_list", "vmsplice", "move_pages", "preadv", "pwritev", "rt_tgsigqueueinfo",
	"recvmmsg", "sendmmsg", "process_vm_readv", "process_vm_writev", "execveat",
	"preadv2", "pwritev2",
}

// x32Compat are the "x32" entries of syscall_64.tbl, numbered from 512 in this
// order ("Do not add new syscalls to this range").
var x32Compat = []string{
	"rt_sigaction", "rt_sigreturn", "ioctl", "readv", "writev", "recvfrom", "sendmsg",
	"recvmsg", "execve", "ptrace", "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo",
	"sigaltstack", "timer_create", "mq_notify", "kexec_load", "waitid", "set_robust_list",
	"get_robust_list", "vmsplice", "move_pages", "preadv", "pwritev", "rt_tgsigqueueinfo",
	"recvmmsg", "sendmmsg", "process_vm_readv", "process_vm_writev", "setsockopt",
	"getsockopt", "io_setup", "io_submit", "execveat", "preadv2", "pwritev2",
}

func generate(mod module) ([]byte, error) {
	var tables []table
	byArch := map[string][]entry{}
	for _, f := range xsysFiles {
		rel := filepath.Join("unix", "zsysnum_linux_"+f.goarch+".go")
		entries, err := parseSysnum(filepath.Join(mod.Dir, rel))
		if err != nil {
			return nil, err
		}
		source := xsysModule + "@" + mod.Version + " " + filepath.ToSlash(rel)
		if f.arch == "ARM" {
			entries = append(entries, armExtras...)
			source += " + arch/arm/include/uapi/asm/unistd.h"
		}
		byArch[f.arch] = entries
		tables = append(tables, table{arch: f.arch, source: source, entries: entries})
	}
	x32, err := deriveX32(byArch["X86_64"])
	if err != nil {
		return nil, err
	}
	// Keep the order of the Arch constants: x86_64, x86, x32, aarch64, arm.
	tables = append(tables[:2], append([]table{{arch: "X32", source: "derived from X86_64 by arch/x86/entry/syscalls/syscall_64.tbl", entries: x32}}, tables[2:]...)...)

	for i := range tables {
		if err := check(tables[i]); err != nil {
			return nil, err
		}
		sortEntries(tables[i].entries)
	}
	return render(mod, tables)
}

// parseSysnum reads the SYS_* constants of one x/sys zsysnum file.
func parseSysnum(path string) ([]entry, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, id := range vs.Names {
				if !strings.HasPrefix(id.Name, "SYS_") {
					continue
				}
				if _, skip := notSyscalls[id.Name]; skip {
					continue
				}
				if i >= len(vs.Values) {
					return nil, fmt.Errorf("%s: %s has no value", path, id.Name)
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.INT {
					return nil, fmt.Errorf("%s: %s is not an integer literal", path, id.Name)
				}
				nr, err := strconv.ParseInt(lit.Value, 0, 64)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %w", path, id.Name, err)
				}
				// x/sys upper-cases the kernel's __NR_ names and keeps their
				// underscores, so lower-casing gives the kernel's (and
				// libseccomp's) spelling back: SYS__LLSEEK is _llseek,
				// SYS_NEWFSTATAT is newfstatat.
				out = append(out, entry{name: strings.ToLower(strings.TrimPrefix(id.Name, "SYS_")), nr: int(nr)})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no SYS_* constants", path)
	}
	return out, nil
}

func deriveX32(amd64 []entry) ([]entry, error) {
	have := map[string]bool{}
	for _, e := range amd64 {
		have[e.name] = true
	}
	only64 := map[string]bool{}
	for _, n := range abi64Only {
		if !have[n] {
			return nil, fmt.Errorf("x32: %q is listed as a 64-only syscall but x86_64 has no such name", n)
		}
		only64[n] = true
	}
	var out []entry
	for _, e := range amd64 {
		if !only64[e.name] {
			out = append(out, entry{name: e.name, nr: e.nr | x32SyscallBit})
		}
	}
	for i, n := range x32Compat {
		if !only64[n] {
			return nil, fmt.Errorf("x32: %q has an x32 entry but is not a 64-only syscall", n)
		}
		out = append(out, entry{name: n, nr: (512 + i) | x32SyscallBit})
	}
	if last := 512 + len(x32Compat) - 1; last != 547 {
		return nil, fmt.Errorf("x32: the x32 range ends at %d, the kernel's at 547", last)
	}
	return out, nil
}

// check refuses a table where a name has two numbers or a number two primary
// names: Number and Name must each have one answer.
func check(t table) error {
	names := map[string]int{}
	primaries := map[int]string{}
	for _, e := range t.entries {
		if nr, dup := names[e.name]; dup {
			return fmt.Errorf("%s: %s is both %d and %d", t.arch, e.name, nr, e.nr)
		}
		names[e.name] = e.nr
		if e.alias {
			continue
		}
		if other, dup := primaries[e.nr]; dup {
			return fmt.Errorf("%s: %d is both %s and %s (mark one an alias)", t.arch, e.nr, other, e.name)
		}
		primaries[e.nr] = e.name
	}
	for _, e := range t.entries {
		if e.alias {
			if _, ok := primaries[e.nr]; !ok {
				return fmt.Errorf("%s: alias %s has no primary name at %d", t.arch, e.name, e.nr)
			}
		}
	}
	return nil
}

// sortEntries orders by number, the primary name before its aliases.
func sortEntries(es []entry) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].nr != es[j].nr {
			return es[i].nr < es[j].nr
		}
		if es[i].alias != es[j].alias {
			return !es[i].alias
		}
		return es[i].name < es[j].name
	})
}

func render(mod module, tables []table) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by hack/gensyscalls from %s %s; DO NOT EDIT.\n\n", xsysModule, mod.Version)
	b.WriteString("package syscalls\n\n")
	b.WriteString("// generatedTables lists each arch's syscalls by number, as seccomp_data.nr\n")
	b.WriteString("// carries them; a number's first name is its primary, later ones are aliases.\n")
	b.WriteString("var generatedTables = map[Arch][]entry{\n")
	for _, t := range tables {
		fmt.Fprintf(&b, "\t// %s\n\t%s: {\n", t.source, t.arch)
		for _, e := range t.entries {
			nr := strconv.Itoa(e.nr)
			if e.nr >= 0x10000 {
				nr = fmt.Sprintf("%#x", e.nr)
			}
			comment := e.why
			if e.alias && comment == "" {
				comment = "alias"
			}
			if comment != "" {
				comment = " // " + comment
			}
			fmt.Fprintf(&b, "\t\t{%q, %s},%s\n", e.name, nr, comment)
		}
		b.WriteString("\t},\n")
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting the generated file: %w", err)
	}
	return src, nil
}

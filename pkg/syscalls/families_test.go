package syscalls

import (
	"slices"
	"testing"
)

func TestFamiliesHoldKnownSyscallsOnce(t *testing.T) {
	seen := map[string]string{}
	names := map[string]bool{}
	for _, f := range Families() {
		if f.Name == "" || len(f.Members) < 2 {
			t.Errorf("family %q has %d members; a family needs a name and two ways to do it", f.Name, len(f.Members))
		}
		if names[f.Name] {
			t.Errorf("two families are called %q", f.Name)
		}
		names[f.Name] = true
		for _, m := range f.Members {
			if !Known(m) {
				t.Errorf("family %s: %s is no syscall on any covered arch (typo?)", f.Name, m)
			}
			if other, dup := seen[m]; dup {
				t.Errorf("%s is in families %s and %s; FamilyOf needs one answer", m, other, f.Name)
			}
			seen[m] = f.Name
		}
	}
}

func TestFamilyOf(t *testing.T) {
	for name, want := range map[string]string{
		"chmod": "chmod", "fchmodat": "chmod", "fchmodat2": "chmod",
		"fchown32": "chown", "openat2": "open", "creat": "open", "rmdir": "unlink",
		"statx": "stat", "newfstatat": "stat", "fstatat64": "stat", "faccessat2": "access",
		"utimensat_time64": "utime", "setxattrat": "setxattr", "fsmount": "mount",
		"execveat": "exec", "clone3": "clone", "pidfd_send_signal": "kill",
		"process_vm_writev": "ptrace", "socketcall": "socket",
	} {
		f, ok := FamilyOf(name)
		if !ok || f.Name != want {
			t.Errorf("FamilyOf(%s) = %q, %v; want %q", name, f.Name, ok, want)
			continue
		}
		if !slices.Contains(f.Members, name) {
			t.Errorf("FamilyOf(%s) = %s, whose members %v lack it", name, f.Name, f.Members)
		}
	}
	for _, name := range []string{"read", "getpid", "chmodx"} {
		if f, ok := FamilyOf(name); ok {
			t.Errorf("FamilyOf(%s) = %s, want none", name, f.Name)
		}
	}
}

func TestChmodFamilyMembers(t *testing.T) {
	f, _ := FamilyOf("chmod")
	if want := []string{"chmod", "fchmod", "fchmodat", "fchmodat2"}; !slices.Equal(f.Members, want) {
		t.Errorf("chmod family = %v, want %v", f.Members, want)
	}
}

func TestFamilyOn(t *testing.T) {
	chmod, _ := FamilyOf("chmod")
	chown, _ := FamilyOf("chown")
	socket, _ := FamilyOf("socket")
	for _, c := range []struct {
		f    Family
		arch Arch
		want []string
	}{
		{chmod, X86_64, []string{"chmod", "fchmod", "fchmodat", "fchmodat2"}},
		{chmod, AArch64, []string{"fchmod", "fchmodat", "fchmodat2"}}, // no chmod(2) on arm64
		{chown, X86_64, []string{"chown", "lchown", "fchown", "fchownat"}},
		{chown, ARM, []string{"chown", "lchown", "fchown", "fchownat", "chown32", "lchown32", "fchown32"}},
		{socket, X86, []string{"socket", "socketcall"}},
		{socket, X86_64, []string{"socket"}},
	} {
		if got := c.f.On(c.arch); !slices.Equal(got, c.want) {
			t.Errorf("%s family on %s = %v, want %v", c.f.Name, c.arch, got, c.want)
		}
	}
}

func TestFamiliesAreCopies(t *testing.T) {
	f, _ := FamilyOf("chmod")
	f.Members[0] = "mutated"
	Families()[0].Members[0] = "mutated"
	if g, _ := FamilyOf("chmod"); g.Members[0] != "chmod" {
		t.Fatalf("callers can change the family table: %v", g.Members)
	}
}

package syscalls

// Family is a set of syscalls that do the same thing: a profile that denies some
// members and allows the others leaves a half-open door (deny chmod, and
// `chmod 777 f` still works, through fchmodat). Members are listed across all
// covered arches; On says which exist on one.
type Family struct {
	Name    string
	Members []string
}

// families: each name is in at most one family, so FamilyOf has one answer.
// Only sets a reviewer would call "the same operation, other entry points" belong
// here; read and write, for instance, do not.
var families = []Family{
	{"chmod", []string{"chmod", "fchmod", "fchmodat", "fchmodat2"}},
	{"chown", []string{"chown", "lchown", "fchown", "fchownat", "chown32", "lchown32", "fchown32"}},
	{"open", []string{"open", "openat", "openat2", "creat", "open_by_handle_at"}},
	{"mkdir", []string{"mkdir", "mkdirat"}},
	{"mknod", []string{"mknod", "mknodat"}},
	// unlinkat(AT_REMOVEDIR) is rmdir, so rmdir belongs with the unlinks.
	{"unlink", []string{"unlink", "unlinkat", "rmdir"}},
	{"rename", []string{"rename", "renameat", "renameat2"}},
	{"link", []string{"link", "linkat"}},
	{"symlink", []string{"symlink", "symlinkat"}},
	{"readlink", []string{"readlink", "readlinkat"}},
	{"stat", []string{"stat", "lstat", "fstat", "newfstatat", "fstatat64", "stat64", "lstat64", "fstat64", "statx", "oldstat", "oldlstat", "oldfstat"}},
	{"access", []string{"access", "faccessat", "faccessat2"}},
	{"utime", []string{"utime", "utimes", "futimesat", "utimensat", "utimensat_time64"}},
	{"truncate", []string{"truncate", "ftruncate", "truncate64", "ftruncate64"}},
	{"setxattr", []string{"setxattr", "lsetxattr", "fsetxattr", "setxattrat"}},
	{"removexattr", []string{"removexattr", "lremovexattr", "fremovexattr", "removexattrat"}},
	// The new mount API does with several calls what mount(2) does with one;
	// open_tree_attr is open_tree plus mount_setattr, fspick reconfigures.
	{"mount", []string{"mount", "fsopen", "fsconfig", "fsmount", "move_mount", "open_tree", "open_tree_attr", "fspick", "mount_setattr"}},
	{"umount", []string{"umount", "umount2"}},
	{"exec", []string{"execve", "execveat"}},
	{"clone", []string{"clone", "clone3", "fork", "vfork"}},
	{"kill", []string{"kill", "tkill", "tgkill", "pidfd_send_signal", "rt_sigqueueinfo", "rt_tgsigqueueinfo"}},
	// Reading and writing another process's memory without ptrace(2).
	{"ptrace", []string{"ptrace", "process_vm_readv", "process_vm_writev"}},
	// On x86 and arm, socketcall(SYS_SOCKET, ...) is socket(2) by another door.
	{"socket", []string{"socket", "socketcall"}},
	{"setuid", []string{"setuid", "setuid32", "setreuid", "setreuid32", "setresuid", "setresuid32"}},
	{"setgid", []string{"setgid", "setgid32", "setregid", "setregid32", "setresgid", "setresgid32"}},
	{"setgroups", []string{"setgroups", "setgroups32"}},
	{"init_module", []string{"init_module", "finit_module"}},
	{"kexec", []string{"kexec_load", "kexec_file_load"}},
}

var familyOf = indexFamilies(families)

func indexFamilies(fs []Family) map[string]int {
	out := map[string]int{}
	for i, f := range fs {
		for _, m := range f.Members {
			out[m] = i
		}
	}
	return out
}

// Families returns every family, in a fixed order.
func Families() []Family {
	out := make([]Family, len(families))
	for i, f := range families {
		out[i] = f.clone()
	}
	return out
}

// FamilyOf returns the family name belongs to.
func FamilyOf(name string) (Family, bool) {
	i, ok := familyOf[name]
	if !ok {
		return Family{}, false
	}
	return families[i].clone(), true
}

// On returns the members that exist on arch, in the family's order: the ones a
// profile for that arch must treat alike.
func (f Family) On(arch Arch) []string {
	var out []string
	for _, m := range f.Members {
		if _, ok := Number(arch, m); ok {
			out = append(out, m)
		}
	}
	return out
}

func (f Family) clone() Family {
	return Family{Name: f.Name, Members: append([]string(nil), f.Members...)}
}

package simulate

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/profile"
	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// Vectors lists the calls to judge on each of arches (nil: every arch the syscall
// tables cover):
//
//   - on an arch the filter covers, every syscall number the tables know, with zero
//     arguments (names newer than the node's libseccomp included, so that what it
//     drops shows), and for every conditional rule its boundary argument values:
//     value-1, value, value+1, 0, the all-ones value and value^(1<<32), which
//     exposes int truncation; for SCMP_CMP_MASKED_EQ the datum, the datum with
//     every bit outside the mask set, the datum with the lowest and the highest mask
//     bit flipped, and the mask. The other arguments of the rule hold values that
//     satisfy their own conditions, so each boundary is reached. On x86, calls the
//     rules name that socketcall/ipc multiplex get a vector through the multiplexer.
//   - on an arch it does not cover, one call, to show the bad-arch action.
//
// Each vector with high argument bits has a twin with that argument truncated to 32
// bits, which is what the kernel reads from an int argument; Compare uses the pair
// to find bypasses.
func Vectors(p *Policy, arches []syscalls.Arch) []Vector {
	if arches == nil {
		arches = syscalls.Arches()
	}
	var out []Vector
	for _, arch := range arches {
		if p.Covers(arch) {
			out = append(out, archVectors(p, arch)...)
		} else if v, ok := badArchVector(p, arch); ok {
			out = append(out, v)
		}
	}
	return out
}

// numbers returns arch's syscall numbers in order, each once.
func numbers(arch syscalls.Arch) []int {
	seen := map[int]bool{}
	var nrs []int
	for _, name := range syscalls.Names(arch) {
		nr, _ := syscalls.Number(arch, name)
		if !seen[nr] {
			seen[nr] = true
			nrs = append(nrs, nr)
		}
	}
	slices.Sort(nrs)
	return nrs
}

type vectorSet struct {
	out  []Vector
	seen map[vectorKey]bool
}

type vectorKey struct {
	arch syscalls.Arch
	nr   int
	args [6]uint64
}

func (s *vectorSet) add(v Vector) {
	k := vectorKey{v.Arch, v.Nr, v.Args}
	if s.seen[k] {
		return
	}
	s.seen[k] = true
	s.out = append(s.out, v)
}

func archVectors(p *Policy, arch syscalls.Arch) []Vector {
	s := &vectorSet{seen: map[vectorKey]bool{}}
	for _, nr := range numbers(arch) {
		name, _ := syscalls.Name(arch, nr)
		s.add(Vector{Arch: arch, Name: name, Nr: nr})
	}
	mask := argMask(arch)
	for _, r := range p.Rules {
		if len(r.Args) == 0 {
			continue
		}
		for _, n := range r.Names {
			nr, ok := syscalls.Number(arch, n)
			if !ok {
				continue
			}
			name, _ := syscalls.Name(arch, nr)
			base := satisfying(r.Args, mask)
			for j, c := range r.Args {
				if c.Index > 5 {
					continue
				}
				for _, b := range boundaries(c) {
					v := Vector{Arch: arch, Name: name, Nr: nr, Args: base}
					v.Args[c.Index] = b.value & mask
					v.Why = fmt.Sprintf("syscalls[%d].args[%d] %s: %s", r.Index, j, condString(c), b.label)
					s.add(v)
				}
			}
		}
	}
	if arch == muxArch {
		for _, r := range p.Rules {
			for _, n := range r.Names {
				m, ok := multiplexed[n]
				if !ok {
					continue
				}
				nr, ok := syscalls.Number(arch, m.via)
				if !ok {
					continue
				}
				v := Vector{Arch: arch, Name: m.via, Nr: nr, Why: fmt.Sprintf("syscalls[%d] names %s, which x86 also reaches as %s(%d, ...)", r.Index, n, m.via, m.call)}
				v.Args[0] = m.call
				s.add(v)
			}
		}
	}
	// Twins: the same call as the kernel reads it when the argument is an int.
	for _, v := range slices.Clone(s.out) {
		for i, a := range v.Args {
			if a>>32 != 0 {
				t := v
				t.Args[i] = a & 0xffffffff
				t.Why = fmt.Sprintf("argument %d of %s truncated to 32 bits, as the kernel reads an int", i, v)
				s.add(t)
			}
		}
	}
	return s.out
}

// badArchVector is one call on an arch the filter does not cover: a syscall the
// profile names if the arch has one, else getpid.
func badArchVector(p *Policy, arch syscalls.Arch) (Vector, bool) {
	why := fmt.Sprintf("%s is not in the profile's architectures", arch)
	for _, r := range p.Rules {
		for _, n := range r.Names {
			if nr, ok := syscalls.Number(arch, n); ok {
				return Vector{Arch: arch, Name: n, Nr: nr, Why: why}, true
			}
		}
	}
	if nr, ok := syscalls.Number(arch, "getpid"); ok {
		return Vector{Arch: arch, Name: "getpid", Nr: nr, Why: why}, true
	}
	return Vector{}, false
}

type boundary struct {
	value uint64
	label string
}

// boundaries are the argument values on either side of a condition's edge.
func boundaries(c profile.Arg) []boundary {
	if c.Op == "SCMP_CMP_MASKED_EQ" {
		m, d := c.Value, c.ValueTwo
		out := []boundary{{d, "datum"}, {d | ^m, "datum with every bit outside the mask set"}}
		if m != 0 {
			lo, hi := m&-m, uint64(1)<<(63-bits.LeadingZeros64(m))
			out = append(out, boundary{d ^ lo, "datum with the lowest mask bit flipped"},
				boundary{d ^ hi, "datum with the highest mask bit flipped"})
		}
		return append(out, boundary{m, "mask"}, boundary{0, "0"}, boundary{^uint64(0), "all ones"},
			boundary{d ^ 1<<32, "datum with bit 32 flipped"})
	}
	v := c.Value
	out := []boundary{{v, "value"}}
	if v > 0 {
		out = append(out, boundary{v - 1, "value-1"})
	}
	if v < ^uint64(0) {
		out = append(out, boundary{v + 1, "value+1"})
	}
	return append(out, boundary{0, "0"}, boundary{^uint64(0), "all ones"}, boundary{v ^ 1<<32, "value with bit 32 flipped"})
}

// satisfying returns arguments that meet every condition of a rule where some
// boundary value does, so that varying one argument reaches that condition's edge.
func satisfying(conds []profile.Arg, mask uint64) [6]uint64 {
	var args [6]uint64
	for i := uint(0); i < 6; i++ {
		var on []profile.Arg
		for _, c := range conds {
			if c.Index == i {
				on = append(on, c)
			}
		}
		if len(on) == 0 {
			continue
		}
		args[i] = firstSatisfying(on, mask)
	}
	return args
}

func firstSatisfying(on []profile.Arg, mask uint64) uint64 {
	for _, c := range on {
		for _, b := range boundaries(c) {
			if x := b.value & mask; holdsAll(on, x) {
				return x
			}
		}
	}
	return on[0].Value & mask
}

func holdsAll(conds []profile.Arg, x uint64) bool {
	for _, c := range conds {
		if !compare(c.Op, x, c.Value, c.ValueTwo) {
			return false
		}
	}
	return true
}

func condString(c profile.Arg) string {
	if c.Op == "SCMP_CMP_MASKED_EQ" {
		return fmt.Sprintf("%s %#x %#x", c.Op, c.Value, c.ValueTwo)
	}
	return fmt.Sprintf("%s %s", c.Op, fmtArg(c.Value))
}

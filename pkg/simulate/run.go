package simulate

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/syscalls"
)

// SECCOMP_RET_* (include/uapi/linux/seccomp.h).
const (
	retKillProcess uint32 = 0x80000000
	retKillThread  uint32 = 0x00000000
	retTrap        uint32 = 0x00030000
	retErrno       uint32 = 0x00050000
	retUserNotif   uint32 = 0x7fc00000
	retTrace       uint32 = 0x7ff00000
	retLog         uint32 = 0x7ffc0000
	retAllow       uint32 = 0x7fff0000
	retActionFull  uint32 = 0xffff0000
	retData        uint32 = 0x0000ffff
)

// Machine runs one seccomp program on many vectors.
type Machine struct {
	vm *bpf.VM
}

// NewMachine checks prog the way golang.org/x/net/bpf can (jumps in bounds, a
// return at the end, known instructions) and prepares it to run.
func NewMachine(prog []bpf.RawInstruction) (*Machine, error) {
	ins, ok := bpf.Disassemble(prog)
	if !ok {
		for i, in := range ins {
			if _, raw := in.(bpf.RawInstruction); raw {
				return nil, fmt.Errorf("BPF instruction %d (%#v) is not one the VM knows", i, in)
			}
		}
	}
	vm, err := bpf.NewVM(ins)
	if err != nil {
		return nil, fmt.Errorf("the BPF VM refuses the program: %w", err)
	}
	return &Machine{vm: vm}, nil
}

// Run returns what the program answers for v.
func (m *Machine) Run(v Vector) (Outcome, error) {
	var data [64]byte
	if err := seccompData(&data, v); err != nil {
		return Outcome{}, err
	}
	ret, err := m.vm.Run(data[:])
	if err != nil {
		return Outcome{}, fmt.Errorf("running the BPF on %s: %w", v, err)
	}
	return Decode(uint32(ret)), nil
}

// Run runs a seccomp BPF program on one vector. To judge many vectors, use a Machine.
func Run(prog []bpf.RawInstruction, v Vector) (Outcome, error) {
	m, err := NewMachine(prog)
	if err != nil {
		return Outcome{}, err
	}
	return m.Run(v)
}

// seccompData fills struct seccomp_data {int nr; u32 arch; u64 instruction_pointer;
// u64 args[6];} as a little-endian kernel lays it out, then byte-swaps every 32-bit
// word: the VM's loads are big-endian, and seccomp only makes aligned 32-bit loads,
// so each load then sees the value the kernel's would. Every covered arch is
// little-endian.
func seccompData(b *[64]byte, v Vector) error {
	arch := syscalls.AuditArch(v.Arch)
	if arch == 0 {
		return fmt.Errorf("no AUDIT_ARCH value known for %s", v.Arch)
	}
	binary.LittleEndian.PutUint32(b[0:], uint32(int32(v.Nr)))
	binary.LittleEndian.PutUint32(b[4:], arch)
	// instruction_pointer stays 0: profiles cannot test it.
	for i, a := range v.Args {
		binary.LittleEndian.PutUint64(b[16+8*i:], a)
	}
	for i := 0; i < len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	return nil
}

// Decode turns a SECCOMP_RET_* value into an Outcome. The kernel treats an action it
// does not know as SECCOMP_RET_KILL_PROCESS; Decode names it instead, so a bad
// program shows as a mismatch.
func Decode(ret uint32) Outcome {
	data := uint16(ret & retData)
	switch ret & retActionFull {
	case retKillProcess:
		return Outcome{Action: ActKillProcess}
	case retKillThread:
		return Outcome{Action: ActKillThread}
	case retTrap:
		return Outcome{Action: ActTrap, Data: data}
	case retErrno:
		return Outcome{Action: ActErrno, Data: data}
	case retUserNotif:
		return Outcome{Action: ActNotify}
	case retTrace:
		return Outcome{Action: ActTrace, Data: data}
	case retLog:
		return Outcome{Action: ActLog}
	case retAllow:
		return Outcome{Action: ActAllow}
	}
	return Outcome{Action: fmt.Sprintf("SECCOMP_RET_UNKNOWN(%#x)", ret)}
}

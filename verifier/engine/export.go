package engine

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/kubectl-seccomp/kubectl-seccomp/pkg/simulate"
)

// TooLongError is a filter the kernel would refuse for its length.
type TooLongError struct{ Instructions int }

func (e *TooLongError) Error() string {
	return fmt.Sprintf("the filter has %d BPF instructions: the kernel refuses filters longer than %d instructions (BPF_MAXINSNS)", e.Instructions, simulate.MaxInstructions)
}

// Export returns the BPF program libseccomp generates for the filter: exactly what
// the kernel holds after Load (PTRACE_SECCOMP_GET_FILTER shows the same program).
// It goes through a memfd because ExportBPFMem needs libseccomp 2.6. A program
// longer than the kernel accepts is returned with a *TooLongError.
func (f *Filter) Export() ([]bpf.RawInstruction, error) {
	fd, err := unix.MemfdCreate("kubectl-seccomp-bpf", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("memfd_create for the BPF export: %w", err)
	}
	file := os.NewFile(uintptr(fd), "kubectl-seccomp-bpf")
	defer file.Close()
	if err := f.f.ExportBPF(file); err != nil {
		return nil, fmt.Errorf("libseccomp cannot export the filter as BPF: %w", err)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return nil, fmt.Errorf("reading the exported BPF: %w", err)
	}
	return decodeProgram(data)
}

// decodeProgram reads struct sock_filter {u16 code; u8 jt; u8 jf; u32 k} records in
// the host's byte order, which is how libseccomp writes them.
func decodeProgram(data []byte) ([]bpf.RawInstruction, error) {
	if len(data)%8 != 0 {
		return nil, fmt.Errorf("exported BPF is %d bytes, not a whole number of 8-byte instructions", len(data))
	}
	prog := make([]bpf.RawInstruction, len(data)/8)
	for i := range prog {
		b := data[8*i:]
		prog[i] = bpf.RawInstruction{
			Op: binary.NativeEndian.Uint16(b[0:]),
			Jt: b[2],
			Jf: b[3],
			K:  binary.NativeEndian.Uint32(b[4:]),
		}
	}
	if len(prog) > simulate.MaxInstructions {
		return prog, &TooLongError{Instructions: len(prog)}
	}
	return prog, nil
}

package main

import (
	"fmt"
	"os"
	"strings"
)

// procStatus returns the value of one field of /proc/self/status ("Seccomp",
// "VmHWM"), trimmed; found is false when the kernel does not report it.
func procStatus(field string) (value string, found bool, err error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "", false, fmt.Errorf("cannot read /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v), true, nil
		}
	}
	return "", false, nil
}

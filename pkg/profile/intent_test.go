package profile

import "testing"

func TestIntendedForCaseProfiles(t *testing.T) {
	tests := []struct {
		file    string
		syscall string
		want    Outcome
	}{
		{"deny-chmod.json", "chmod", Outcome{Action: "SCMP_ACT_ERRNO", Errno: EPERM}},
		// The reason deny-chmod.json is not enough: the rest of the family stays allowed.
		{"deny-chmod.json", "fchmodat", Outcome{Action: "SCMP_ACT_ALLOW"}},
		{"deny-chmod-family.json", "fchmodat2", Outcome{Action: "SCMP_ACT_ERRNO", Errno: EPERM}},
		{"clone3-enosys.json", "clone3", Outcome{Action: "SCMP_ACT_ERRNO", Errno: 38}},
		{"clone3-enosys.json", "mkdir", Outcome{Action: "SCMP_ACT_ERRNO", Errno: 13}},
		{"clone3-enosys.json", "mkdirat", Outcome{Action: "SCMP_ACT_ERRNO", Errno: 13}},
		{"clone3-enosys.json", "clone", Outcome{Action: "SCMP_ACT_ALLOW"}},
		{"kill-process-default.json", "ptrace", Outcome{Action: "SCMP_ACT_KILL_PROCESS"}},
		{"kill-process-default.json", "reboot", Outcome{Action: "SCMP_ACT_KILL_PROCESS"}},
		// personality is ERRNO only when arg0 != 8: unconditionally it is the default.
		{"kill-process-default.json", "personality", Outcome{Action: "SCMP_ACT_ALLOW", Conditional: true}},
		{"typo-name.json", "chmod", Outcome{Action: "SCMP_ACT_ERRNO", Errno: EPERM}},
		{"socket-family-truncation.json", "socket", Outcome{Action: "SCMP_ACT_ALLOW", Conditional: true}},
		// Unlisted syscalls get the default action, with defaultErrnoRet for ERRNO.
		{"deny-chmod.json", "no_such_syscall", Outcome{Action: "SCMP_ACT_ALLOW"}},
		{"redundant-rule.json", "no_such_syscall", Outcome{Action: "SCMP_ACT_ERRNO", Errno: EPERM}},
		{"redundant-rule.json", "read", Outcome{Action: "SCMP_ACT_ALLOW"}},
		{"docker-default.json", "no_such_syscall", Outcome{Action: "SCMP_ACT_ERRNO", Errno: 1}},
		{"docker-default.json", "read", Outcome{Action: "SCMP_ACT_ALLOW"}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.syscall, func(t *testing.T) {
			p := parseTestdata(t, tt.file)
			if got := p.Intended(tt.syscall); got != tt.want {
				t.Errorf("Intended(%q) = %+v, want %+v", tt.syscall, got, tt.want)
			}
		})
	}
}

func TestIntendedErrnoDefaults(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		syscall string
		want    Outcome
	}{
		{
			name:    "defaultErrnoRet applies to unlisted syscalls",
			data:    `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`,
			syscall: "write",
			want:    Outcome{Action: "SCMP_ACT_ERRNO", Errno: 38},
		},
		{
			name:    "a rule without errnoRet returns EPERM, not defaultErrnoRet",
			data:    `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}, {"names": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}`,
			syscall: "chmod",
			want:    Outcome{Action: "SCMP_ACT_ERRNO", Errno: EPERM},
		},
		{
			name:    "an ERRNO default without defaultErrnoRet returns EPERM",
			data:    `{"defaultAction": "SCMP_ACT_ERRNO"}`,
			syscall: "chmod",
			want:    Outcome{Action: "SCMP_ACT_ERRNO", Errno: EPERM},
		},
		{
			name:    "errnoRet is ignored for actions other than ERRNO",
			data:    `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_KILL_PROCESS", "errnoRet": 13}]}`,
			syscall: "chmod",
			want:    Outcome{Action: "SCMP_ACT_KILL_PROCESS"},
		},
		{
			name:    "a conditional rule and an unconditional rule for the same syscall",
			data:    `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}, {"names": ["chmod"], "action": "SCMP_ACT_LOG", "args": [{"index": 1, "value": 511, "op": "SCMP_CMP_EQ"}]}]}`,
			syscall: "chmod",
			want:    Outcome{Action: "SCMP_ACT_ERRNO", Errno: 13, Conditional: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.json", []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := p.Intended(tt.syscall); got != tt.want {
				t.Errorf("Intended(%q) = %+v, want %+v", tt.syscall, got, tt.want)
			}
		})
	}
}

package profile

import (
	"strings"
	"testing"
)

func findingsAt(findings []Finding, path string) []Finding {
	var out []Finding
	for _, f := range findings {
		if f.Path == path {
			out = append(out, f)
		}
	}
	return out
}

func TestValidateCaseProfiles(t *testing.T) {
	tests := []struct {
		file     string
		severity Severity
		path     string
		// every string must appear in the finding's String()
		want []string
	}{
		{
			file:     "unknown-action.json",
			severity: Error,
			path:     "syscalls[0].action",
			want:     append([]string{`"SCMP_ACT_DENY"`}, KnownActions...),
		},
		{
			file:     "legacy-name-field.json",
			severity: Error,
			path:     "syscalls[0].name",
			want:     []string{`"name"`, `"names": ["chmod"]`},
		},
		{
			file:     "notify-without-listener.json",
			severity: Error,
			path:     "syscalls[0].action",
			want:     []string{"SCMP_ACT_NOTIFY", "listenerPath"},
		},
		{
			file:     "redundant-rule.json",
			severity: Warning,
			path:     "syscalls[1]",
			want:     []string{"SCMP_ACT_ERRNO", "default action"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			findings := Validate(parseTestdata(t, tt.file))
			at := findingsAt(findings, tt.path)
			if len(at) != 1 {
				t.Fatalf("want exactly one finding at %s, got %v (all findings: %v)", tt.path, at, findings)
			}
			f := at[0]
			if f.Severity != tt.severity {
				t.Errorf("finding %q has severity %s, want %s", f, f.Severity, tt.severity)
			}
			for _, w := range tt.want {
				if !strings.Contains(f.String(), w) {
					t.Errorf("finding %q does not mention %q", f, w)
				}
			}
			if f.Fix == "" {
				t.Errorf("finding %q says nothing about how to fix it", f)
			}
		})
	}
}

func TestValidateRedundantRuleIsOnlyAWarning(t *testing.T) {
	findings := Validate(parseTestdata(t, "redundant-rule.json"))
	if HasErrors(findings) {
		t.Errorf("redundant-rule.json must still install (runc skips the rule), got errors: %v", findings)
	}
	if len(findingsAt(findings, "syscalls[0]")) != 0 {
		t.Errorf("the allow rule syscalls[0] differs from the default and must not be flagged: %v", findings)
	}
}

func TestValidateFindsNoErrorInValidProfiles(t *testing.T) {
	for _, name := range []string{
		"deny-chmod.json",
		"deny-chmod-family.json",
		"docker-default.json",
		"clone3-enosys.json",
		"kill-process-default.json",
		"socket-family-truncation.json",
		"typo-name.json",
	} {
		t.Run(name, func(t *testing.T) {
			findings := Validate(parseTestdata(t, name))
			if HasErrors(findings) {
				t.Errorf("unexpected errors: %v", findings)
			}
		})
	}
}

func TestValidateInlineProfiles(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		severity Severity // "" means: no finding at all
		path     string
		want     string
	}{
		{"missing defaultAction", `{"syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}`, Error, "defaultAction", "missing"},
		{"unknown defaultAction", `{"defaultAction": "SCMP_ACT_PERMIT"}`, Error, "defaultAction", `"SCMP_ACT_PERMIT"`},
		{"unknown architecture", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AMD64"]}`, Error, "architectures[1]", `"SCMP_ARCH_AMD64"`},
		{"unknown flag", `{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_NOPE"]}`, Error, "flags[0]", `"SECCOMP_FILTER_FLAG_NOPE"`},
		{"empty names", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]}`, Error, "syscalls[0].names", "empty"},
		{"blank syscall name", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod", " "], "action": "SCMP_ACT_ERRNO"}]}`, Error, "syscalls[0].names[1]", "empty syscall name"},
		{"unknown operator", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQUAL"}]}]}`, Error, "syscalls[0].args[0].op", `"SCMP_CMP_EQUAL"`},
		{"argument index out of range", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 40, "op": "SCMP_CMP_EQ"}]}]}`, Error, "syscalls[0].args[0].index", "6"},
		{"allow rule under allow default", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ALLOW"}]}`, Warning, "syscalls[0]", "default action"},
		{"errno rule with EPERM equals the implicit EPERM default", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}`, Warning, "syscalls[0]", "default action"},
		{"errno rule with another errno than the default is not redundant", `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "syscalls": [{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}`, "", "syscalls[0]", ""},
		{"SCMP_ARCH_NATIVE is refused by runc", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_NATIVE"]}`, Error, "architectures[0]", "not accepted by runc"},
		{"allow rule with an errnoRet under an allow default is still skipped", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ALLOW", "errnoRet": 5}]}`, Warning, "syscalls[0]", "default action"},
		{"trace rule with another message than the default is not redundant", `{"defaultAction": "SCMP_ACT_TRACE", "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_TRACE", "errnoRet": 5}]}`, "", "syscalls[0]", ""},
		{"notify with a listener is fine", `{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}`, "", "syscalls[0].action", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("p.json", []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			findings := Validate(p)
			at := findingsAt(findings, tt.path)
			if tt.severity == "" {
				if len(at) != 0 {
					t.Errorf("want no finding at %s, got %v", tt.path, at)
				}
				return
			}
			if len(at) != 1 {
				t.Fatalf("want one finding at %s, got %v (all: %v)", tt.path, at, findings)
			}
			if at[0].Severity != tt.severity {
				t.Errorf("finding %q has severity %s, want %s", at[0], at[0].Severity, tt.severity)
			}
			if !strings.Contains(at[0].String(), tt.want) {
				t.Errorf("finding %q does not mention %q", at[0], tt.want)
			}
		})
	}
}

func TestHasErrors(t *testing.T) {
	tests := []struct {
		name     string
		findings []Finding
		want     bool
	}{
		{"none", nil, false},
		{"only warnings", []Finding{{Severity: Warning, Path: "syscalls[0]"}}, false},
		{"an error among warnings", []Finding{{Severity: Warning}, {Severity: Error}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HasErrors(tt.findings); got != tt.want {
				t.Errorf("HasErrors = %v, want %v", got, tt.want)
			}
		})
	}
}

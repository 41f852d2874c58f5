package cmd

import (
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// Exit codes, for CI: 0 all verified, 1 some node or profile failed, 2 usage or input
// error, 3 cluster unreachable.
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitUnreachable = 3
)

// ExitError carries the exit code a failure maps to.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode maps an error from executing the root command to the process exit code.
// Every command's own errors carry a code (see classifyErrors); an error without one
// comes from cobra's parsing of the command line, such as an unknown command.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitUsage
}

func usageError(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

func failed(format string, a ...any) error {
	return &ExitError{Code: ExitFailed, Err: fmt.Errorf(format, a...)}
}

// firstContact classifies the error of the first API call: an answer from the API
// server (forbidden, not found, ...) is a failure, no answer is "unreachable".
func firstContact(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(apierrors.APIStatus); ok || errors.As(err, new(apierrors.APIStatus)) {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("the API server refused: %w", err)}
	}
	return &ExitError{Code: ExitUnreachable, Err: fmt.Errorf("cannot reach the cluster (check --kubeconfig/--context): %w", err)}
}

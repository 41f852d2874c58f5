package profile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// File is a parsed profile with the bytes it came from: the bytes, not a
// re-encoding, are what gets installed, so the digest on the node matches the source.
type File struct {
	Name    string // file name as installed, e.g. deny-chmod.json
	Source  string // where it was read from, for messages
	Data    []byte
	Profile Profile
}

// Digest is the sha256 of the file's bytes, hex-encoded.
func (f *File) Digest() string { return Digest(f.Data) }

// Digest is the sha256 of data, hex-encoded.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ParseError is a profile that is not valid JSON or names a key no runtime reads. It
// says where: the line and column (1-based, 0 when unknown) and, for a bad key, the
// JSON path of the object that holds it.
type ParseError struct {
	Source string
	Path   string // JSON path of the object with the unknown key; "" for syntax and type errors
	Line   int
	Column int
	Msg    string

	where string // how Error() names the place
}

func (e *ParseError) Error() string {
	if e.where == "" {
		return fmt.Sprintf("%s: %s", e.Source, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.Source, e.where, e.Msg)
}

// Parse decodes a profile strictly: JSON syntax and type errors carry the line and
// column; keys that no runtime reads are errors with their JSON path, because a
// misspelled key ("nmes") silently turns a rule into nothing. Errors are *ParseError.
func Parse(source string, data []byte) (*Profile, error) {
	if err := checkKeys(data); err != nil {
		err.Source = source
		return nil, err
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&p); err != nil {
		pe := describeJSONError(data, err)
		pe.Source = source
		return nil, pe
	}
	// runc and containerd read the whole file with json.Unmarshal, which refuses
	// anything after the object; a stray '}' must fail here, not at container start.
	end := int(dec.InputOffset())
	if _, err := dec.Token(); err != io.EOF {
		rest := data[end:]
		line, col := position(data, end+len(rest)-len(bytes.TrimLeft(rest, " \t\r\n")))
		return nil, atPosition(source, line, col, "invalid JSON: unexpected data after the profile's closing brace")
	}
	return &p, nil
}

func atPosition(source string, line, col int, msg string) *ParseError {
	return &ParseError{Source: source, Line: line, Column: col, Msg: msg,
		where: fmt.Sprintf("line %d, column %d", line, col)}
}

func describeJSONError(data []byte, err error) *ParseError {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the bytes read including the offending one.
		line, col := position(data, int(syntax.Offset)-1)
		return atPosition("", line, col, "invalid JSON: "+syntax.Error())
	case errors.As(err, &typ) && typ.Field == "":
		line, col := position(data, int(typ.Offset))
		return atPosition("", line, col, fmt.Sprintf("a profile is a JSON object ({\"defaultAction\": ...}), this file holds a JSON %s", typ.Value))
	case errors.As(err, &typ):
		line, col := position(data, int(typ.Offset))
		return atPosition("", line, col, fmt.Sprintf("%s: expected %s, got JSON %s", typ.Field, jsonKind(typ.Type.Kind()), typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		// Point just past the last character, where the missing part should go.
		line, col := position(data, len(bytes.TrimRight(data, " \t\r\n")))
		return atPosition("", line, col, "invalid JSON: unexpected end of file (is the file truncated?)")
	case errors.Is(err, io.EOF):
		return atPosition("", 1, 1, "invalid JSON: the file is empty")
	default:
		return &ParseError{Msg: "invalid JSON: " + err.Error()}
	}
}

// jsonKind names a Go kind as a JSON author knows it.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Pointer:
		return "a value"
	}
	return k.String()
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line = 1 + bytes.Count(data[:offset], []byte("\n"))
	col = offset - bytes.LastIndexByte(data[:offset], '\n')
	return line, col
}

var (
	topKeys = []string{"defaultAction", "defaultErrnoRet", "architectures", "archMap", "flags",
		"listenerPath", "listenerMetadata", "syscalls"}
	syscallKeys = []string{"names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"}
	argKeys     = []string{"index", "value", "valueTwo", "op"}
	filterKeys  = []string{"arches", "caps", "minKernel"}
)

// checkKeys reports the first key no runtime knows, with its JSON path and position.
// Syntax errors are left to the decoder, which reports them with their position.
func checkKeys(data []byte) *ParseError {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil
	}
	if err := unknownKey(data, "", top, topKeys); err != nil {
		return err
	}
	var rules []map[string]json.RawMessage
	if json.Unmarshal(top["syscalls"], &rules) != nil {
		return nil
	}
	for i, rule := range rules {
		path := fmt.Sprintf("syscalls[%d]", i)
		if err := unknownKey(data, path, rule, syscallKeys); err != nil {
			return err
		}
		for _, filter := range []string{"includes", "excludes"} {
			var f map[string]json.RawMessage
			if json.Unmarshal(rule[filter], &f) != nil {
				continue
			}
			if err := unknownKey(data, path+"."+filter, f, filterKeys); err != nil {
				return err
			}
		}
		var args []map[string]json.RawMessage
		if json.Unmarshal(rule["args"], &args) != nil {
			continue
		}
		for j, arg := range args {
			if err := unknownKey(data, fmt.Sprintf("%s.args[%d]", path, j), arg, argKeys); err != nil {
				return err
			}
		}
	}
	return nil
}

func unknownKey(data []byte, path string, obj map[string]json.RawMessage, known []string) *ParseError {
	var keys []string
	for k := range obj {
		if !slices.Contains(known, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	where := path
	if where == "" {
		where = "top level"
	}
	line, col, _ := NewPositions(data).Nearest(joinKey(path, keys[0]))
	return &ParseError{Path: path, Line: line, Column: col, where: where,
		Msg: fmt.Sprintf("unknown key %q (known keys: %s); fix the spelling or remove it", keys[0], strings.Join(known, ", "))}
}

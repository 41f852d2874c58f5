package profile

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Positions maps the JSON path of every value in a document (`syscalls[3].args[0].op`,
// "" for the document itself) to the byte offset where the value starts, so that a
// finding about a path can also say line and column. It reads as far as the data is
// valid JSON: a truncated file still yields the paths before the break.
type Positions struct {
	data    []byte
	offsets map[string]int
}

// NewPositions indexes data once; Locate on the result is a map lookup.
func NewPositions(data []byte) *Positions {
	ps := &Positions{data: data, offsets: map[string]int{}}
	ps.walk()
	return ps
}

// Locate is the 1-based line and column of the value at jsonPath in data.
func Locate(data []byte, jsonPath string) (line, col int, ok bool) {
	return NewPositions(data).Locate(jsonPath)
}

// Locate is the 1-based line and column of the value at jsonPath.
func (ps *Positions) Locate(jsonPath string) (line, col int, ok bool) {
	off, ok := ps.offsets[jsonPath]
	if !ok {
		return 0, 0, false
	}
	line, col = position(ps.data, off)
	return line, col, true
}

// Nearest locates jsonPath, or else its closest ancestor that exists: a finding about
// a missing key ("architectures") points at the object that lacks it.
func (ps *Positions) Nearest(jsonPath string) (line, col int, ok bool) {
	for p := jsonPath; ; p = parentPath(p) {
		if line, col, ok = ps.Locate(p); ok || p == "" {
			return line, col, ok
		}
	}
}

// parentPath drops the last element of a JSON path: a.b[2].c → a.b[2] → a.b → a → "".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// frame is one open object or array while walking the tokens.
type frame struct {
	path    string
	array   bool
	index   int    // current element of an array, -1 before the first
	key     string // current key of an object
	needKey bool   // an object expects a key (or its end) next
}

func (ps *Positions) walk() {
	dec := json.NewDecoder(bytes.NewReader(ps.data))
	dec.UseNumber()
	var stack []*frame
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return
		}
		start := skipSeparators(ps.data, before)
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if delim, isDelim := tok.(json.Delim); isDelim && (delim == '}' || delim == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				valueDone(stack[len(stack)-1])
			}
			continue
		}
		if top != nil && !top.array && top.needKey {
			top.key, _ = tok.(string)
			top.needKey = false
			continue
		}
		path := ""
		if top != nil {
			if top.array {
				top.index++
				path = top.path + "[" + strconv.Itoa(top.index) + "]"
			} else {
				path = joinKey(top.path, top.key)
			}
		}
		if _, seen := ps.offsets[path]; !seen {
			ps.offsets[path] = start
		}
		if delim, isDelim := tok.(json.Delim); isDelim {
			stack = append(stack, &frame{path: path, array: delim == '[', index: -1, needKey: delim == '{'})
			continue
		}
		if top != nil {
			valueDone(top)
		}
	}
}

// valueDone advances the enclosing container past one complete value.
func valueDone(f *frame) {
	if !f.array {
		f.needKey = true
	}
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// skipSeparators moves from the end of one token to the start of the next.
func skipSeparators(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

package wire

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"sync"
	"time"
)

// Writer builds a response document by hand. Hand-writing (rather than encoding/xml
// reflection) keeps answers with 100,000 members cheap and gives exact control over element
// order and list wrappers, which is what the wire-shape specs look at.
//
// The list methods (Strings, Structs) are the one place lists are written, so a Style set by
// whoever creates the Writer changes every list of an answer without the operation knowing.
type Writer struct {
	buf       bytes.Buffer
	memberTag string // "member" (awsQuery) or "item" (ec2Query)

	Style Style
}

// Style changes how a Writer writes lists. The zero Style writes them as the protocol says:
// every item in its wrapper, in the order given. The emulator's self-test modes set it
// (emulator/internal/modes); operations never do.
type Style struct {
	Unwrapped bool              // items written without their <member>/<item> wrapper
	Order     func(n int) []int // the order to write n items in; nil = as given
	AfterItem func(w *Writer)   // called at the end of every structure item, inside its wrapper
}

// writerPool holds Writers: an answer's buffer is reused by a later answer instead of being
// grown from zero on every request. Buffers that grew past maxPooled (answers listing
// thousands of members) are left to the GC rather than pinned in the pool.
var writerPool = sync.Pool{New: func() any { return new(Writer) }}

const maxPooled = 64 << 10

// NewWriter returns an empty pooled writer whose list items are wrapped in memberTag;
// Release it when its bytes are sent.
func NewWriter(memberTag string) *Writer {
	w := writerPool.Get().(*Writer)
	w.memberTag = memberTag
	return w
}

// NewUnpooledWriter returns a writer that is not returned to the pool (Release is optional).
func NewUnpooledWriter(memberTag string) *Writer { return &Writer{memberTag: memberTag} }

// Release returns w to the pool. w and its Bytes must not be used afterwards.
func (w *Writer) Release() {
	if w.buf.Cap() > maxPooled {
		return
	}
	w.buf.Reset()
	w.memberTag, w.Style = "", Style{}
	writerPool.Put(w)
}

// Open2 writes <ab>: an element named by two parts ("<Action>Response"), without building
// the name.
func (w *Writer) Open2(a, b string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(a)
	w.buf.WriteString(b)
	w.buf.WriteByte('>')
}

// Close2 writes </ab>.
func (w *Writer) Close2(a, b string) {
	w.buf.WriteString("</")
	w.buf.WriteString(a)
	w.buf.WriteString(b)
	w.buf.WriteByte('>')
}

// Open writes <name>.
func (w *Writer) Open(name string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

// OpenNS opens the root element with its namespace.
func (w *Writer) OpenNS(name, ns string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	if ns != "" {
		w.buf.WriteString(` xmlns="`)
		w.Text(ns)
		w.buf.WriteByte('"')
	}
	w.buf.WriteByte('>')
}

// OpenNS2 is OpenNS for a root named by two parts ("<Action>Response").
func (w *Writer) OpenNS2(a, b, ns string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(a)
	w.buf.WriteString(b)
	if ns != "" {
		w.buf.WriteString(` xmlns="`)
		w.Text(ns)
		w.buf.WriteByte('"')
	}
	w.buf.WriteByte('>')
}

// Close writes </name>.
func (w *Writer) Close(name string) {
	w.buf.WriteString("</")
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

// Leaf writes <name>value</name>.
func (w *Writer) Leaf(name, value string) {
	w.Open(name)
	w.Text(value)
	w.Close(name)
}

// LeafInt writes an integer leaf.
func (w *Writer) LeafInt(name string, v int) { w.Leaf(name, strconv.Itoa(v)) }

// LeafBool writes a boolean leaf.
func (w *Writer) LeafBool(name string, v bool) { w.Leaf(name, strconv.FormatBool(v)) }

// LeafTime writes an ISO 8601 UTC timestamp with milliseconds, as AWS does.
func (w *Writer) LeafTime(name string, t time.Time) {
	w.Leaf(name, t.UTC().Format("2006-01-02T15:04:05.000Z"))
}

// Text writes escaped character data. The fast path skips escaping for plain ASCII; anything
// else goes through xml.EscapeText, which also replaces characters XML cannot carry (control
// characters from hostile input) so the document always stays well-formed.
func (w *Writer) Text(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			_ = xml.EscapeText(&w.buf, []byte(s))
			return
		}
	}
	w.buf.WriteString(s)
}

// perm returns the order in which to write n list items, or nil for natural order (the
// common case, which then costs no allocation).
func (w *Writer) perm(n int) []int {
	if w.Style.Order == nil {
		return nil
	}
	return w.Style.Order(n)
}

// Strings writes a list of scalar values: <name><member>v</member>...</name>.
func (w *Writer) Strings(name string, vals []string) {
	w.Open(name)
	perm := w.perm(len(vals))
	for k := range vals {
		i := k
		if perm != nil {
			i = perm[k]
		}
		if w.Style.Unwrapped {
			w.Text(vals[i])
			continue
		}
		w.Leaf(w.memberTag, vals[i])
	}
	w.Close(name)
}

// Structs writes a list of n structures: <name><member>item(i)</member>...</name>.
func (w *Writer) Structs(name string, n int, item func(i int)) {
	w.Open(name)
	perm := w.perm(n)
	for k := 0; k < n; k++ {
		i := k
		if perm != nil {
			i = perm[k]
		}
		if !w.Style.Unwrapped {
			w.Open(w.memberTag)
		}
		item(i)
		if w.Style.AfterItem != nil {
			w.Style.AfterItem(w)
		}
		if !w.Style.Unwrapped {
			w.Close(w.memberTag)
		}
	}
	w.Close(name)
}

// Bytes is the document written so far.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// Len is its length in bytes.
func (w *Writer) Len() int { return w.buf.Len() }

package emulator

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

// xmlWriter builds a response document by hand. Hand-writing (rather than encoding/xml
// reflection) keeps answers with 100,000 members cheap and gives exact control over element
// order and list wrappers, which is what the wire-shape specs look at.
//
// The list helpers are also the single place where list-shaped faults and variants act
// (missing <member> wrappers, shuffled order, extra elements), so operations never see them.
type xmlWriter struct {
	buf       bytes.Buffer
	memberTag string // "member" (awsQuery) or "item" (ec2Query)

	noWrappers bool       // fault no-member-wrappers: list items written without their wrapper
	shuffle    *rand.Rand // variant shuffle-order: non-nil shuffles every list
	extra      bool       // variant extra-elements: unknown element inside every structure member
}

// xmlWriters are pooled: an answer's buffer is reused by a later answer instead of being
// grown from zero on every request. Buffers that grew past maxPooledXML (answers listing
// thousands of members) are left to the GC rather than pinned in the pool.
var xmlWriterPool = sync.Pool{New: func() any { return new(xmlWriter) }}

const maxPooledXML = 64 << 10

// newXMLWriter returns an empty writer from the pool; release it when its bytes are sent.
func newXMLWriter(memberTag string) *xmlWriter {
	w := xmlWriterPool.Get().(*xmlWriter)
	w.memberTag = memberTag
	return w
}

// release returns w to the pool. w and its Bytes must not be used afterwards.
func (w *xmlWriter) release() {
	if w.buf.Cap() > maxPooledXML {
		return
	}
	w.buf.Reset()
	w.memberTag, w.noWrappers, w.shuffle, w.extra = "", false, nil, false
	xmlWriterPool.Put(w)
}

// open2 writes <ab>: an element named by two parts ("<Action>Response"), without building
// the name.
func (w *xmlWriter) open2(a, b string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(a)
	w.buf.WriteString(b)
	w.buf.WriteByte('>')
}

func (w *xmlWriter) close2(a, b string) {
	w.buf.WriteString("</")
	w.buf.WriteString(a)
	w.buf.WriteString(b)
	w.buf.WriteByte('>')
}

func (w *xmlWriter) open(name string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

// openNS opens the root element with its namespace.
func (w *xmlWriter) openNS(name, ns string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	if ns != "" {
		w.buf.WriteString(` xmlns="`)
		w.text(ns)
		w.buf.WriteByte('"')
	}
	w.buf.WriteByte('>')
}

// openNS2 is openNS for a root named by two parts ("<Action>Response").
func (w *xmlWriter) openNS2(a, b, ns string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(a)
	w.buf.WriteString(b)
	if ns != "" {
		w.buf.WriteString(` xmlns="`)
		w.text(ns)
		w.buf.WriteByte('"')
	}
	w.buf.WriteByte('>')
}

func (w *xmlWriter) close(name string) {
	w.buf.WriteString("</")
	w.buf.WriteString(name)
	w.buf.WriteByte('>')
}

// leaf writes <name>value</name>.
func (w *xmlWriter) leaf(name, value string) {
	w.open(name)
	w.text(value)
	w.close(name)
}

func (w *xmlWriter) leafInt(name string, v int) { w.leaf(name, strconv.Itoa(v)) }

func (w *xmlWriter) leafBool(name string, v bool) { w.leaf(name, strconv.FormatBool(v)) }

// leafTime writes an ISO 8601 UTC timestamp with milliseconds, as AWS does.
func (w *xmlWriter) leafTime(name string, t time.Time) {
	w.leaf(name, t.UTC().Format("2006-01-02T15:04:05.000Z"))
}

// text writes escaped character data. The fast path skips escaping for plain ASCII; anything
// else goes through xml.EscapeText, which also replaces characters XML cannot carry (control
// characters from hostile input) so the document always stays well-formed.
func (w *xmlWriter) text(s string) {
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
func (w *xmlWriter) perm(n int) []int {
	if w.shuffle == nil {
		return nil
	}
	return w.shuffle.Perm(n)
}

// strings writes a list of scalar values: <name><member>v</member>...</name>.
func (w *xmlWriter) strings(name string, vals []string) {
	w.open(name)
	perm := w.perm(len(vals))
	for k := range vals {
		i := k
		if perm != nil {
			i = perm[k]
		}
		if w.noWrappers {
			w.text(vals[i])
			continue
		}
		w.leaf(w.memberTag, vals[i])
	}
	w.close(name)
}

// structs writes a list of n structures: <name><member>item(i)</member>...</name>.
func (w *xmlWriter) structs(name string, n int, item func(i int)) {
	w.open(name)
	perm := w.perm(n)
	for k := 0; k < n; k++ {
		i := k
		if perm != nil {
			i = perm[k]
		}
		if !w.noWrappers {
			w.open(w.memberTag)
		}
		item(i)
		if w.extra {
			w.leaf("EmulatorExtraMemberField", "ignore-me")
		}
		if !w.noWrappers {
			w.close(w.memberTag)
		}
	}
	w.close(name)
}

func (w *xmlWriter) Bytes() []byte { return w.buf.Bytes() }

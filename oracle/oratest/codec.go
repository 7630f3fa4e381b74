package oratest

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// encoder builds one TTC message. Oracle writes integers "compressed": a
// length byte followed by the big-endian bytes without leading zeros, the
// sign in the length byte's top bit.
type encoder struct {
	bytes.Buffer
	// bigChunks: byte strings over 252 bytes are sent in chunks whose
	// lengths are compressed integers (TTC3 BIG_CHUNK_CLR, negotiated by
	// both sides) instead of single bytes.
	bigChunks bool
}

func (e *encoder) raw(v ...byte) { e.Write(v) }

// uint writes a compressed unsigned integer.
func (e *encoder) uint(v uint64) {
	if v == 0 {
		e.WriteByte(0)
		return
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	s := bytes.TrimLeft(b[:], "\x00")
	e.WriteByte(byte(len(s)))
	e.Write(s)
}

// int writes a compressed signed integer.
func (e *encoder) int(v int64) {
	if v >= 0 {
		e.uint(uint64(v))
		return
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(-v))
	s := bytes.TrimLeft(b[:], "\x00")
	e.WriteByte(byte(len(s)) | 0x80)
	e.Write(s)
}

// chunkedMarker starts a byte string sent in chunks.
const chunkedMarker = 0xFE

// clr writes a length-prefixed byte string (Oracle's CLR); an empty or nil
// value is the NULL indicator 0.
func (e *encoder) clr(p []byte) {
	if len(p) == 0 {
		e.WriteByte(0)
		return
	}
	if len(p) < chunkedMarker-1 {
		e.WriteByte(byte(len(p)))
		e.Write(p)
		return
	}
	e.WriteByte(chunkedMarker)
	limit := chunkedMarker - 2
	if e.bigChunks {
		limit = 0x7FFF
	}
	for len(p) > 0 {
		n := min(len(p), limit)
		if e.bigChunks {
			e.uint(uint64(n))
		} else {
			e.WriteByte(byte(n))
		}
		e.Write(p[:n])
		p = p[n:]
	}
	e.WriteByte(0) // a zero chunk length ends the string in both forms
}

// dlc writes a length and then, if non-empty, the CLR of p (key/value
// pairs and describe names use this form).
func (e *encoder) dlc(p []byte) {
	e.uint(uint64(len(p)))
	if len(p) > 0 {
		e.clr(p)
	}
}

// keyValue writes one key/value pair of a logon exchange.
func (e *encoder) keyValue(k, v string, flag uint64) {
	e.dlc([]byte(k))
	e.dlc([]byte(v))
	e.uint(flag)
}

// errShort means the message is incomplete: more DATA packets follow.
var errShort = errors.New("oratest: message continues in the next packet")

// decoder reads one TTC message. Reads past the end set err to errShort
// and return zero values, so a parse runs to its end and the caller
// decides whether to wait for more data; input never panics the server.
type decoder struct {
	p         []byte
	i         int
	bigChunks bool
	err       error
}

func (d *decoder) byte() byte {
	if d.err != nil || d.i >= len(d.p) {
		d.err = errShort
		return 0
	}
	v := d.p[d.i]
	d.i++
	return v
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil || n < 0 || d.i+n > len(d.p) {
		d.err = errShort
		return nil
	}
	v := d.p[d.i : d.i+n]
	d.i += n
	return v
}

func (d *decoder) skip(n int) { d.bytes(n) }

// int reads a compressed signed integer.
func (d *decoder) int() int64 {
	l := d.byte()
	neg := l&0x80 != 0
	l &= 0x7F
	if l > 8 {
		d.err = errors.New("oratest: integer longer than 8 bytes")
		return 0
	}
	var v uint64
	for _, c := range d.bytes(int(l)) {
		v = v<<8 | uint64(c)
	}
	if neg {
		return -int64(v)
	}
	return int64(v)
}

// count reads a compressed integer used as a length or count; a negative
// or absurd value is an error rather than an allocation.
func (d *decoder) count() int {
	v := d.int()
	if v < 0 || v > 1<<24 {
		if d.err == nil {
			d.err = errors.New("oratest: count out of range")
		}
		return 0
	}
	return int(v)
}

// clr reads a length-prefixed byte string; 0, 0xFD and 0xFF are NULL.
func (d *decoder) clr() []byte {
	n := d.byte()
	switch n {
	case 0, 0xFD, 0xFF:
		return nil
	case chunkedMarker:
		var out []byte
		for d.err == nil {
			var c int
			if d.bigChunks {
				c = d.count()
			} else {
				c = int(d.byte())
			}
			if c == 0 {
				return out
			}
			out = append(out, d.bytes(c)...)
		}
		return nil
	}
	return d.bytes(int(n))
}

// dlc reads a length and, if non-zero, a CLR.
func (d *decoder) dlc() []byte {
	if d.count() > 0 {
		return d.clr()
	}
	return nil
}

// keyValue reads one key/value pair of a logon exchange.
func (d *decoder) keyValue() (string, string) {
	k := d.dlc()
	v := d.dlc()
	d.int()
	return string(k), string(v)
}

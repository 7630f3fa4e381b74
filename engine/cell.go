package engine

import (
	"bytes"
	"time"
	"unsafe"
)

// cell receives one column of a row. Scanning into an any makes
// database/sql copy every []byte value (the driver's buffer) and box the
// copy: two allocations per column per row, about a quarter of a MariaDB
// run's CPU. A cell keeps the driver's bytes as they are, valid only until
// the next row is read; the reader captures the cells a rule reads into
// its batch (capture), copying those bytes into one buffer per batch.
type cell struct {
	v     any    // the value, when the driver did not hand over bytes
	b     []byte // the driver's bytes until the next row; once captured, the batch's
	bytes bool
}

// Scan implements sql.Scanner.
func (c *cell) Scan(src any) error {
	if b, ok := src.([]byte); ok {
		c.v, c.b, c.bytes = nil, b, true
		return nil
	}
	c.v, c.b, c.bytes = src, nil, false
	return nil
}

// capture returns the cell with its bytes copied into text, so that it
// stays valid after the driver reads the next row, until text is reset.
func (c *cell) capture(text *batchText) cell {
	if !c.bytes {
		return cell{v: c.v}
	}
	return cell{b: text.keep(c.b), bytes: true}
}

// The methods below read captured cells: the strings they return share
// the batch's text.

// text is textOf for the cell.
func (c *cell) text() (string, bool) {
	if !c.bytes {
		return textOf(c.v)
	}
	b := bytes.TrimSpace(c.b)
	if len(b) == 0 {
		return "", false
	}
	return unsafe.String(&b[0], len(b)), true
}

// user is userOf for the cell.
func (c *cell) user() (string, RejectReason, bool) {
	if !c.bytes && c.v == nil {
		return "", RejectNullUser, false
	}
	s, ok := c.text()
	if !ok {
		return "", RejectEmptyUser, false
	}
	return s, 0, true
}

// optional is optionalText for the cell.
func (c *cell) optional() string {
	s, _ := c.text()
	return s
}

// readCell is read for a cell: its bytes are parsed where they lie, since
// the parsers keep nothing of the text.
func (r timeReader) readCell(c *cell) (time.Time, RejectReason, bool) {
	if !c.bytes {
		return r.read(c.v)
	}
	if len(c.b) == 0 {
		return r.text("")
	}
	return r.text(unsafe.String(&c.b[0], len(c.b)))
}

// batchText holds the text of one batch of rows in shared buffers instead
// of an allocation per value. What it returns stays valid until reset,
// which the normaliser calls once the accumulator (which copies what it
// keeps) has the batch.
type batchText struct{ buf []byte }

func (t *batchText) keep(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	if cap(t.buf)-len(t.buf) < len(b) {
		// A fresh buffer: the bytes already handed out keep the old
		// one alive and unchanged.
		t.buf = make([]byte, 0, max(16<<10, len(b)))
	}
	from := len(t.buf)
	t.buf = append(t.buf, b...)
	return t.buf[from:len(t.buf):len(t.buf)]
}

func (t *batchText) reset() { t.buf = t.buf[:0] }

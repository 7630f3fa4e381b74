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
// the next row is read; the consumer parses timestamps from them in place
// and copies the text a batch keeps into one buffer per batch (batchText).
type cell struct {
	v     any    // the value, when the driver did not hand over bytes
	b     []byte // the driver's bytes, until the next row
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

// text is textOf for the cell, copying driver bytes into keep.
func (c *cell) text(keep *batchText) (string, bool) {
	if !c.bytes {
		return textOf(c.v)
	}
	b := bytes.TrimSpace(c.b)
	return keep.keep(b), len(b) > 0
}

// user is userOf for the cell.
func (c *cell) user(keep *batchText) (string, RejectReason, bool) {
	if !c.bytes && c.v == nil {
		return "", RejectNullUser, false
	}
	s, ok := c.text(keep)
	if !ok {
		return "", RejectEmptyUser, false
	}
	return s, 0, true
}

// optional is optionalText for the cell.
func (c *cell) optional(keep *batchText) string {
	s, _ := c.text(keep)
	return s
}

// readCell is read for a cell: driver bytes are parsed where they lie,
// since the parsers keep nothing of the text.
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
// of an allocation per value. Strings it returns stay valid until reset,
// which the consumer calls once the accumulator has taken the batch (it
// copies what it keeps).
type batchText struct{ buf []byte }

func (t *batchText) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(t.buf)-len(t.buf) < len(b) {
		// A fresh buffer: the strings already handed out keep the old
		// one alive and unchanged.
		t.buf = make([]byte, 0, max(16<<10, len(b)))
	}
	from := len(t.buf)
	t.buf = append(t.buf, b...)
	return unsafe.String(&t.buf[from], len(b))
}

func (t *batchText) reset() { t.buf = t.buf[:0] }

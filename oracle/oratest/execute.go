package oratest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// rawBind is a bind as it arrived: its type and encoded value.
type rawBind struct {
	typ   byte
	value []byte
}

// execRequest is what the double reads from an execute call (OALL8).
type execRequest struct {
	cursor   int
	parse    bool
	sql      string
	binds    []rawBind
	prefetch int
}

// readBindDef reads one bind or define description and returns its type.
func readBindDef(d *decoder, ttc int) byte {
	typ := d.byte()
	d.skip(3) // flags, precision, scale
	d.int()   // maximum length
	d.int()   // maximum array elements
	d.int()   // continuation flags
	if d.count() > 0 {
		d.clr() // type object id
	}
	d.int()  // version
	d.int()  // character set
	d.byte() // character set form
	d.int()  // maximum characters
	if ttc >= 8 {
		d.int() // column id
	}
	return typ
}

// readExecute parses an OALL8 call as go-ora v2.9.0 and node-oracledb
// write it for the negotiated TTC version.
func (ss *session) readExecute(d *decoder) execRequest {
	var r execRequest
	d.skip(3)
	options := d.int()
	r.cursor = d.count()
	d.byte()
	r.parse = options&1 != 0
	if r.parse {
		d.int() // SQL length
		d.byte()
	} else {
		d.skip(2)
	}
	d.int() // length of the options array (13)
	d.skip(3)
	r.prefetch = d.count()
	d.int() // long fetch size
	binds := 0
	if d.byte() == 1 {
		binds = d.count()
	} else {
		d.byte()
	}
	d.skip(5)
	defines := 0
	if d.byte() == 1 {
		defines = d.count()
	} else {
		d.byte()
	}
	if ss.ttcVersion >= 4 {
		d.skip(3)
	}
	if ss.ttcVersion >= 5 {
		d.skip(5)
	}
	if ss.ttcVersion >= 7 {
		if d.byte() == 1 {
			d.int()
			d.byte()
		} else {
			d.skip(2)
		}
	}
	if ss.ttcVersion >= 8 {
		d.skip(5)
	}
	if ss.ttcVersion >= 9 {
		d.skip(2)
	}
	if r.parse {
		r.sql = string(d.clr())
	}
	for range 13 {
		d.int() // the options array
	}
	for range binds {
		r.binds = append(r.binds, rawBind{typ: readBindDef(d, ss.ttcVersion)})
	}
	for range defines {
		readBindDef(d, ss.ttcVersion)
	}
	if binds > 0 && d.i < len(d.p) && d.byte() == msgRowData {
		for i := range r.binds {
			r.binds[i].value = d.clr()
		}
	}
	return r
}

func (ss *session) execute(msg []byte) error {
	var r execRequest
	if err := ss.parse(msg, func(d *decoder) { r = ss.readExecute(d) }); err != nil {
		return err
	}
	if !r.parse {
		c := ss.cursors[r.cursor]
		if c == nil {
			return ss.replyError(oraInvalidCursor, 0)
		}
		r.sql = c.sql
	}
	return ss.run(r, true)
}

// reexecute answers node-oracledb's re-execution of a cached cursor
// (with fetch, 0x4E, or without, 0x04); bind values follow as a row.
func (ss *session) reexecute(msg []byte) error {
	var r execRequest
	withFetch := msg[1] == fnReexecFetch
	var c *cursor
	err := ss.parse(msg, func(d *decoder) {
		d.skip(3)
		r.cursor = d.count()
		r.prefetch = d.count()
		d.int() // execution flags
		d.int()
		c = ss.cursors[r.cursor]
		r.binds = r.binds[:0]
		if c != nil && len(c.bindTypes) > 0 && d.byte() == msgRowData {
			for _, typ := range c.bindTypes {
				r.binds = append(r.binds, rawBind{typ: typ, value: d.clr()})
			}
		}
	})
	if err != nil {
		return err
	}
	if c == nil {
		return ss.replyError(oraInvalidCursor, 0)
	}
	if !withFetch {
		r.prefetch = 0
	}
	r.sql = c.sql
	return ss.run(r, false)
}

func (ss *session) replyError(code, cursor int) error {
	e := ss.newEncoder()
	ss.oraError(e, code, cursor, 0)
	return ss.send(e)
}

// run executes a statement and writes the reply: the describe (on the
// first execute), the first batch of rows, and the end-of-call message.
// go-ora v2.9.0 takes an execute reply without rows and with status 0 as
// the end of the data, so the first batch must ride on it.
func (ss *session) run(r execRequest, describe bool) error {
	st := Statement{Session: ss.id, SQL: r.sql, Prefetch: r.prefetch}
	values := make([]any, len(r.binds))
	for i, b := range r.binds {
		var rec Bind
		values[i], rec = decodeBind(b)
		st.Binds = append(st.Binds, rec)
	}
	faults := ss.srv.faults.forStatement(ss.service, r.sql)
	for _, f := range faults {
		if f.Kind == SlowExecute {
			if done, err := ss.wait(f.Delay); !done {
				st.ErrCode = oraCancelled
				ss.srv.record.addStatement(st)
				return err
			}
		}
	}
	for _, f := range faults {
		if f.Kind == FailQuery {
			st.ErrCode = f.Code
			ss.srv.record.addStatement(st)
			return ss.replyError(f.Code, 0)
		}
	}
	c, err := ss.open(r, values, &st)
	if err != nil {
		st.ErrCode = errorCode(err)
		ss.srv.record.addStatement(st)
		e := ss.newEncoder()
		ss.errorMessage(e, st.ErrCode, errorText(err), 0, 0)
		return ss.send(e)
	}
	c.faults = faults
	st.Cursor = c.id
	e := ss.newEncoder()
	if len(c.cols) == 0 { // not a query: just the status
		ss.srv.record.addStatement(st)
		ss.status(e, c.id, 0)
		return ss.send(e)
	}
	if describe {
		ss.describe(e, c.cols)
	}
	if r.prefetch == 0 {
		ss.srv.record.addStatement(st)
		ss.status(e, c.id, 0)
		return ss.send(e)
	}
	n, err := ss.rows(e, c, r.prefetch)
	st.FirstBatch = n
	ss.srv.record.addStatement(st)
	return err
}

// open translates and runs a statement and registers its cursor.
func (ss *session) open(r execRequest, values []any, st *Statement) (*cursor, error) {
	id := r.cursor
	if ss.cursors[id] == nil {
		id = ss.nextCursor
		ss.nextCursor++
	} else {
		ss.cursors[id].close()
	}
	t := translate(r.sql)
	switch {
	case t.txn == txnReadOnly:
		ss.readOnly = true
	case t.txn == txnEnd:
		ss.readOnly = false
	case t.writes && ss.readOnly:
		return nil, &oraError{code: oraReadOnlyTxn}
	}
	var c *cursor
	if t.noop {
		c, _ = newCursor(id, r.sql, nil)
	} else {
		args, err := t.arguments(values)
		if err != nil {
			return nil, err
		}
		st.SQLite = t.sqlite
		rows, err := ss.srv.backend.query(context.Background(), ss.service, t, args)
		if err != nil {
			code, detail := sqliteToORA(err)
			return nil, &oraError{code: code, detail: detail}
		}
		if c, err = newCursor(id, r.sql, rows); err != nil {
			_ = rows.Close()
			code, detail := sqliteToORA(err)
			return nil, &oraError{code: code, detail: detail}
		}
	}
	for _, b := range r.binds {
		c.bindTypes = append(c.bindTypes, b.typ)
	}
	ss.cursors[id] = c
	return c, nil
}

func errorCode(err error) int {
	var oe *oraError
	if errors.As(err, &oe) {
		return oe.code
	}
	return oraInternal
}

func errorText(err error) string {
	var oe *oraError
	if errors.As(err, &oe) {
		return oraText(oe.code, oe.detail)
	}
	return oraText(oraInternal, err.Error())
}

// fetch answers a fetch call: a batch of up to the requested rows.
func (ss *session) fetch(msg []byte) error {
	var id, n int
	if err := ss.parse(msg, func(d *decoder) { d.skip(3); id = d.count(); n = d.count() }); err != nil {
		return err
	}
	c := ss.cursors[id]
	if c == nil {
		return ss.replyError(oraInvalidCursor, id)
	}
	delay := ss.srv.opts.FetchDelay
	for _, f := range c.faults {
		if f.Kind == SlowFetch {
			delay += f.Delay
		}
	}
	if delay > 0 {
		if done, err := ss.wait(delay); !done {
			return err
		}
	}
	e := ss.newEncoder()
	sent, err := ss.rows(e, c, n)
	ss.srv.record.addFetch(Fetch{Session: ss.id, Cursor: id, Requested: n, Rows: sent})
	return err
}

// rows appends a row header, up to n rows and the end-of-call message
// (ORA-01403 after the last row), and sends the reply, applying the
// cursor's stall and drop faults. It returns how many rows it sent.
func (ss *session) rows(e *encoder, c *cursor, n int) (int, error) {
	for _, f := range c.faults {
		switch f.Kind {
		case StallFetch:
			if c.sent >= f.AfterRows {
				ss.srv.logf("session %d: stalling cursor %d after %d rows", ss.id, c.id, c.sent)
				_, err := ss.wait(24 * time.Hour)
				return 0, err
			}
			n = min(n, f.AfterRows-c.sent)
		case DropFetch:
			if c.sent+n > f.AfterRows {
				rows, _, err := c.batch(f.AfterRows - c.sent)
				if err != nil {
					return 0, err
				}
				rowHeader(e, len(rows))
				for _, row := range rows {
					writeRow(e, row)
				}
				// Half a reply, then the socket closes.
				_ = ss.conn.writeData(e.Bytes()[:e.Len()/2])
				ss.srv.logf("session %d: dropping the connection after %d rows", ss.id, c.sent)
				return 0, ss.conn.nc.Close()
			}
		}
	}
	rows, end, err := c.batch(n)
	if err != nil {
		e.Reset()
		ss.errorMessage(e, errorCode(err), errorText(err), c.id, c.sent)
		return 0, ss.send(e)
	}
	rowHeader(e, len(rows))
	for _, row := range rows {
		writeRow(e, row)
	}
	if end {
		ss.oraError(e, oraNoData, c.id, c.sent)
	} else {
		ss.status(e, c.id, c.sent)
	}
	return len(rows), ss.send(e)
}

func writeRow(e *encoder, row [][]byte) {
	e.raw(msgRowData)
	for _, v := range row {
		e.clr(v)
	}
}

// wait lets d pass unless the client breaks or goes first. It returns
// true when d passed; after a break it has answered ORA-01013.
func (ss *session) wait(d time.Duration) (bool, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true, nil
	case p, ok := <-ss.in:
		if !ok {
			return false, ss.goneErr()
		}
		if p.kind != packetMarker {
			return false, fmt.Errorf("packet type %d during a call", p.kind)
		}
		return false, ss.answerBreak()
	}
}

// answerBreak runs the break exchange: break marker, the client's reset,
// reset marker, then ORA-01013 for the interrupted call.
func (ss *session) answerBreak() error {
	ss.srv.record.addBreak(ss.id)
	ss.srv.logf("session %d: break", ss.id)
	if err := ss.conn.writeMarker(markerBreak); err != nil {
		return err
	}
	for {
		p := ss.next()
		if p == nil {
			return ss.goneErr()
		}
		if p.kind == packetMarker && len(p.body) >= 3 && p.body[2] == markerReset {
			break
		}
	}
	if err := ss.conn.writeMarker(markerReset); err != nil {
		return err
	}
	return ss.replyError(oraCancelled, 0)
}

// decodeBind turns a bind into a SQLite argument and its record entry.
func decodeBind(b rawBind) (any, Bind) {
	rec := Bind{Type: typeName(b.typ)}
	if b.value == nil {
		rec.Value = "NULL"
		return nil, rec
	}
	switch b.typ {
	case typeNumber:
		s, err := decodeNumber(b.value)
		if err != nil {
			rec.Value = fmt.Sprintf("% x", b.value)
			return b.value, rec
		}
		rec.Value = s
		if !strings.Contains(s, ".") {
			var i int64
			if _, err := fmt.Sscan(s, &i); err == nil {
				return i, rec
			}
		}
		var f float64
		_, _ = fmt.Sscan(s, &f)
		return f, rec
	case typeDate, typeTimestamp, typeTimestampTZ, typeTimestampLT,
		typeDateBind, typeTimestampBind, typeTimestampTZBind, typeTimestampLTBind:
		t, err := decodeDateTime(b.value)
		if err != nil {
			rec.Value = fmt.Sprintf("% x", b.value)
			return b.value, rec
		}
		rec.Value = wallClockText(t)
		if b.typ == typeTimestampTZ || b.typ == typeTimestampTZBind {
			rec.Value += t.Format(" -07:00")
		}
		return wallClockText(t), rec
	case typeVarchar2, typeChar, typeLong:
		rec.Value = string(b.value)
		return string(b.value), rec
	}
	rec.Value = fmt.Sprintf("% x", b.value)
	return b.value, rec
}

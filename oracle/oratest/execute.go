package oratest

import (
	"context"
	"errors"
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
			_ = rows.Close() //nolint:sqlclosecheck // a cursor owns its rows once made; these never got one
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

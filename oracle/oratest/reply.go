package oratest

// status appends the end-of-call message (TTC "OER") for success: the
// cursor and the row count so far.
func (ss *session) status(e *encoder, cursor, rows int) {
	ss.errorMessage(e, 0, "", cursor, rows)
}

// oraError appends an end-of-call message carrying ORA-code.
func (ss *session) oraError(e *encoder, code, cursor, rows int) {
	ss.errorMessage(e, code, oraText(code, ""), cursor, rows)
}

// errorMessage writes the end-of-call message. Its layout is the one of
// TTC version 7 and later with capabilities 15 and 16 set: an end-of-call
// status and a sequence number lead, then the error block.
func (ss *session) errorMessage(e *encoder, code int, text string, cursor, rows int) {
	e.raw(msgError)
	e.uint(0) // end-of-call status
	e.uint(0) // end-to-end sequence number
	e.uint(uint64(rows))
	e.uint(uint64(code))
	e.uint(0) // array element with the error
	e.uint(0) // array element error
	e.uint(uint64(cursor))
	e.int(0)    // error position
	e.raw(0, 0) // SQL type, fatal flag
	e.uint(0)   // flags
	e.uint(0)   // user cursor options
	e.raw(0, 0) // UPI parameter, warning flags
	e.uint(0)   // rowid: block address
	e.uint(0)   // partition
	e.raw(0)    // table
	e.uint(0)   // block
	e.uint(0)   // slot
	e.uint(0)   // OS error
	e.raw(0, 0) // statement number, call number
	e.uint(0)   // padding
	e.uint(0)   // successful iterations
	e.dlc(nil)  // error data
	e.uint(0)   // batch error codes
	e.uint(0)   // batch error offsets
	e.uint(0)   // batch error messages
	e.uint(uint64(code))
	e.uint(uint64(rows))
	if code != 0 {
		e.clr([]byte(text))
	}
}

// describe appends the select list of a cursor (TTC describe message).
func (ss *session) describe(e *encoder, cols []column) {
	e.raw(msgDescribe, 16)
	e.Write(make([]byte, 16))
	e.uint(80) // longest row, unused by clients
	e.uint(uint64(len(cols)))
	if len(cols) > 0 {
		e.raw(0)
	}
	for _, c := range cols {
		e.raw(c.typ, 0, 0) // type, flags, precision
		// Scale: a compressed integer for these types in go-ora v2.9.0,
		// one byte in node-oracledb; 0 is the same byte in both.
		if c.typ == typeNumber || c.typ == typeTimestamp || c.typ == typeTimestampTZ || c.typ == typeTimestampLT {
			e.uint(0)
		} else {
			e.raw(0)
		}
		e.uint(uint64(c.size))
		e.uint(0) // max array elements
		e.uint(0) // continuation flags
		e.uint(0) // type object id
		e.uint(0) // version
		charset, form, chars := 0, 0, 0
		if c.typ == typeVarchar2 {
			charset, form, chars = 873, 1, c.size
		}
		e.uint(uint64(charset))
		e.raw(byte(form))
		e.uint(uint64(chars))
		if ss.ttcVersion >= 8 {
			e.uint(0) // column id
		}
		e.raw(1) // nullable
		e.raw(byte(len(c.name)))
		e.dlc([]byte(c.name))
		e.dlc(nil) // schema
		e.dlc(nil) // type name
		e.uint(0)  // column position
		e.uint(0)  // user-defined type flags
	}
	e.dlc(nil)
	e.uint(0)
	e.uint(0)
	e.uint(0)
	e.uint(0)
	e.dlc(nil)
}

// rowHeader starts a batch of n rows.
func rowHeader(e *encoder, n int) {
	e.raw(msgRowHeader, 0)
	e.uint(0)
	e.uint(0)
	e.uint(uint64(n))
	e.uint(0)
	e.dlc(nil)
	e.dlc(nil)
}

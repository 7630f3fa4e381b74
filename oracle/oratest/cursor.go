package oratest

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// column is one select-list item as the double describes it.
type column struct {
	name string
	typ  byte
	size int
}

// oracleType maps a SQLite declared column type to the Oracle type the
// double sends: TEXT/VARCHAR → VARCHAR2, INTEGER/NUMERIC/REAL → NUMBER,
// DATE/DATETIME → DATE, TIMESTAMP → TIMESTAMP, TIMESTAMP WITH TIME ZONE →
// TIMESTAMP WITH TIME ZONE. Expressions and undeclared columns are
// VARCHAR2.
func oracleType(declared string) (byte, int) {
	d := strings.ToUpper(strings.TrimSpace(declared))
	switch {
	case strings.HasPrefix(d, "TIMESTAMP") && strings.Contains(d, "TIME ZONE"):
		return typeTimestampTZ, 13
	case strings.HasPrefix(d, "TIMESTAMP"):
		return typeTimestamp, 11
	case d == "DATE" || d == "DATETIME":
		return typeDate, 7
	case strings.Contains(d, "INT"), strings.HasPrefix(d, "NUMERIC"), strings.HasPrefix(d, "NUMBER"),
		strings.HasPrefix(d, "DECIMAL"), strings.HasPrefix(d, "REAL"), strings.HasPrefix(d, "FLOAT"),
		strings.HasPrefix(d, "DOUBLE"):
		return typeNumber, 22
	}
	return typeVarchar2, 4000
}

// cursor is an open statement: its SQLite rows are read batch by batch as
// the client fetches, one row ahead so the last batch can say "no more".
type cursor struct {
	id        int
	sql       string
	bindTypes []byte // for re-execution by node-oracledb
	rows      *sql.Rows
	cols      []column
	ahead     []any // the next row, already read
	done      bool
	sent      int
	faults    []Fault
}

func newCursor(id int, oracleSQL string, rows *sql.Rows) (*cursor, error) {
	c := &cursor{id: id, sql: oracleSQL, rows: rows}
	if rows == nil {
		c.done = true
		return c, nil
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	for _, ct := range types {
		typ, size := oracleType(ct.DatabaseTypeName())
		c.cols = append(c.cols, column{name: strings.ToUpper(ct.Name()), typ: typ, size: size})
	}
	return c, c.readAhead()
}

// readAhead reads the next row into ahead, or marks the cursor done.
func (c *cursor) readAhead() error {
	if c.done {
		return nil
	}
	if !c.rows.Next() {
		c.done = true
		err := c.rows.Err()
		_ = c.rows.Close()
		return err
	}
	vals := make([]any, len(c.cols))
	ptrs := make([]any, len(c.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := c.rows.Scan(ptrs...); err != nil {
		return err
	}
	c.ahead = vals
	return nil
}

// batch encodes up to n rows; end reports that no rows remain.
func (c *cursor) batch(n int) (rows [][][]byte, end bool, err error) {
	for len(rows) < n && !c.done {
		row := make([][]byte, len(c.cols))
		for i, col := range c.cols {
			if row[i], err = encodeValue(col, c.ahead[i]); err != nil {
				return nil, false, err
			}
		}
		rows = append(rows, row)
		if err := c.readAhead(); err != nil {
			return nil, false, err
		}
	}
	c.sent += len(rows)
	return rows, c.done, nil
}

func (c *cursor) close() {
	if c.rows != nil && !c.done {
		_ = c.rows.Close()
	}
	c.done = true
}

// encodeValue writes one SQLite value as col's Oracle type; NULL is nil.
func encodeValue(col column, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	switch col.typ {
	case typeNumber:
		b, err := encodeNumber(numberText(v))
		if err != nil {
			return nil, &oraError{code: oraInvalidNumber, detail: fmt.Sprintf("column %s", col.name)}
		}
		return b, nil
	case typeDate, typeTimestamp, typeTimestampTZ:
		t, err := timeValue(v, col.typ == typeTimestampTZ)
		if err != nil {
			return nil, &oraError{code: oraInternal, detail: fmt.Sprintf("[column %s], [%v]", col.name, err)}
		}
		switch col.typ {
		case typeDate:
			return encodeDate(t), nil
		case typeTimestamp:
			return encodeTimestamp(t), nil
		}
		return encodeTimestampTZ(t), nil
	}
	return []byte(textValue(v)), nil
}

func numberText(v any) string {
	switch t := v.(type) {
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case []byte:
		return string(t)
	}
	return fmt.Sprint(v)
}

func textValue(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []byte:
		return string(t)
	case time.Time:
		return wallClockText(t)
	}
	return numberText(v)
}

// storedLayouts are the text forms a fixture may store dates in; the
// ones with an offset are for TIMESTAMP WITH TIME ZONE.
var storedLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

var storedZoneLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	time.RFC3339Nano,
}

// timeValue reads a stored date. Zone-less text is a wall clock (kept in
// a UTC time.Time, whose fields are written as they are); a TSTZ column
// needs an offset. The SQLite driver may already have parsed the text.
func timeValue(v any, wantZone bool) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case []byte:
		v = string(t)
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%T is not a date", v)
	}
	s = strings.TrimSpace(s)
	for _, layout := range storedZoneLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if wantZone {
		return time.Time{}, fmt.Errorf("%q has no offset", s)
	}
	for _, layout := range storedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

package oratest

import (
	"fmt"
	"strings"
)

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

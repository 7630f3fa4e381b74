package oratest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Oracle external type codes the server sends and accepts.
const (
	typeVarchar2    = 1
	typeNumber      = 2
	typeLong        = 8
	typeDate        = 12
	typeRaw         = 23
	typeChar        = 96
	typeBinaryFloat = 100
	typeBinaryDbl   = 101
	typeTimestamp   = 180
	typeTimestampTZ = 181
	typeTimestampLT = 231
	// The external (bind) codes of the date types, as clients send them.
	typeDateBind        = 184
	typeTimestampBind   = 187
	typeTimestampTZBind = 188
	typeTimestampLTBind = 232
)

// typeName is the Oracle name of a type code, as the record shows it.
func typeName(code byte) string {
	switch code {
	case typeVarchar2:
		return "VARCHAR2"
	case typeNumber:
		return "NUMBER"
	case typeLong:
		return "LONG"
	case typeDate, typeDateBind:
		return "DATE"
	case typeRaw:
		return "RAW"
	case typeChar:
		return "CHAR"
	case typeBinaryFloat:
		return "BINARY_FLOAT"
	case typeBinaryDbl:
		return "BINARY_DOUBLE"
	case typeTimestamp, typeTimestampBind:
		return "TIMESTAMP"
	case typeTimestampTZ, typeTimestampTZBind:
		return "TIMESTAMP WITH TIME ZONE"
	case typeTimestampLT, typeTimestampLTBind:
		return "TIMESTAMP WITH LOCAL TIME ZONE"
	}
	return fmt.Sprintf("TYPE %d", code)
}

// encodeNumber writes a decimal ("-12.5", "42", "1e3") in Oracle's NUMBER
// format: an exponent byte of base-100 digits, then the digits, negatives
// complemented and terminated by 102.
func encodeNumber(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, err
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || strings.Trim(whole+frac, "0123456789") != "" {
		return nil, fmt.Errorf("%q is not a number", s)
	}
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if whole == "" && frac == "" {
		return []byte{0x80}, nil
	}
	if len(whole)%2 == 1 {
		whole = "0" + whole
	}
	if len(frac)%2 == 1 {
		frac += "0"
	}
	digits := whole + frac
	exp := len(whole)/2 - 1
	for strings.HasPrefix(digits, "00") {
		digits = digits[2:]
		exp--
	}
	for strings.HasSuffix(digits, "00") {
		digits = digits[:len(digits)-2]
	}
	if exp > 62 || exp < -65 {
		return nil, fmt.Errorf("%q is out of NUMBER's range", s)
	}
	out := make([]byte, 0, len(digits)/2+2)
	if neg {
		out = append(out, byte(0x3E-exp))
	} else {
		out = append(out, byte(0xC1+exp))
	}
	for i := 0; i < len(digits); i += 2 {
		d := (digits[i]-'0')*10 + digits[i+1] - '0'
		if neg {
			out = append(out, 101-d)
		} else {
			out = append(out, d+1)
		}
	}
	if neg && len(out) < 21 {
		out = append(out, 102)
	}
	return out, nil
}

// decodeNumber reads a NUMBER back into decimal text (bind values).
func decodeNumber(b []byte) (string, error) {
	if len(b) == 0 {
		return "", errors.New("empty NUMBER")
	}
	if len(b) == 1 && b[0] == 0x80 {
		return "0", nil
	}
	neg := b[0]&0x80 == 0
	mant := b[1:]
	exp := int(b[0]&0x7F) - 65
	if neg {
		exp = int(^b[0]&0x7F) - 65
		if len(mant) > 0 && mant[len(mant)-1] == 102 {
			mant = mant[:len(mant)-1]
		}
	}
	var digits strings.Builder
	for _, m := range mant {
		d := int(m) - 1
		if neg {
			d = 101 - int(m)
		}
		if d < 0 || d > 99 {
			return "", fmt.Errorf("NUMBER byte %d out of range", m)
		}
		fmt.Fprintf(&digits, "%02d", d)
	}
	ds := digits.String()
	point := 2 * (exp + 1) // digits before the decimal point
	for len(ds) < point {
		ds += "0"
	}
	var whole, frac string
	if point <= 0 {
		whole, frac = "0", strings.Repeat("0", -point)+ds
	} else {
		whole, frac = ds[:point], ds[point:]
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	frac = strings.TrimRight(frac, "0")
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out, nil
}

// encodeDate writes t's wall clock as a 7-byte DATE.
func encodeDate(t time.Time) []byte {
	return []byte{byte(t.Year()/100 + 100), byte(t.Year()%100 + 100), byte(t.Month()), byte(t.Day()),
		byte(t.Hour() + 1), byte(t.Minute() + 1), byte(t.Second() + 1)}
}

// encodeTimestamp writes t's wall clock as an 11-byte TIMESTAMP.
func encodeTimestamp(t time.Time) []byte {
	return binary.BigEndian.AppendUint32(encodeDate(t), uint32(t.Nanosecond()))
}

// encodeTimestampTZ writes a TIMESTAMP WITH TIME ZONE: the UTC instant and
// the value's fixed offset (hours+20, minutes+60). Real servers may send a
// region id instead of an offset; the double always sends offsets.
func encodeTimestampTZ(t time.Time) []byte {
	_, off := t.Zone()
	b := encodeTimestamp(t.UTC())
	return append(b, byte(off/3600+20), byte((off%3600)/60+60))
}

// decodeDateTime reads a DATE, TIMESTAMP or TIMESTAMP WITH TIME ZONE bind
// value. Zone-less values come back as a wall clock in UTC; a TSTZ value
// at its offset.
func decodeDateTime(b []byte) (time.Time, error) {
	if len(b) < 7 {
		return time.Time{}, fmt.Errorf("date value of %d bytes", len(b))
	}
	year := (int(b[0])-100)*100 + int(b[1]) - 100
	nanos := 0
	if len(b) >= 11 {
		nanos = int(binary.BigEndian.Uint32(b[7:11]))
	}
	t := time.Date(year, time.Month(b[2]), int(b[3]), int(b[4])-1, int(b[5])-1, int(b[6])-1, nanos, time.UTC)
	if len(b) >= 13 && b[11]&0x80 == 0 {
		off := (int(b[11])-20)*3600 + (int(b[12])-60)*60
		t = t.In(time.FixedZone("", off))
	}
	return t, nil
}

// wallClockLayout is how zone-less date binds reach SQLite: the text form
// the project's SQLite fixtures store.
const wallClockLayout = "2006-01-02 15:04:05"

// wallClockText formats a date bind for SQLite, with fractions only when
// there are any.
func wallClockText(t time.Time) string {
	if t.Nanosecond() == 0 {
		return t.Format(wallClockLayout)
	}
	return t.Format("2006-01-02 15:04:05.999999999")
}

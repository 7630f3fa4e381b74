package oratest

import (
	"bytes"
	"testing"
	"time"
)

func TestNumberEncodingRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		bytes          []byte // Oracle's encoding, where known
	}{
		{"zero", "0", "0", []byte{0x80}},
		{"one", "1", "1", []byte{0xC1, 0x02}},
		{"hundred", "100", "100", []byte{0xC2, 0x02}},
		{"minus one", "-1", "-1", []byte{0x3E, 0x64, 0x66}},
		{"fraction", "0.01", "0.01", []byte{0xC0, 0x02}},
		{"negative fraction", "-12.5", "-12.5", nil},
		{"user id", "100042", "100042", nil},
		{"large", "12345678901234", "12345678901234", nil},
		{"leading zeros", "007", "7", nil},
		{"exponent", "1e3", "1000", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := encodeNumber(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if tc.bytes != nil && !bytes.Equal(b, tc.bytes) {
				t.Errorf("encodeNumber(%s) = % x, want % x", tc.in, b, tc.bytes)
			}
			got, err := decodeNumber(b)
			if err != nil || got != tc.want {
				t.Errorf("decodeNumber(% x) = %q, %v; want %q", b, got, err, tc.want)
			}
		})
	}
}

func TestNumberEncodingRejectsText(t *testing.T) {
	for _, in := range []string{"", "abc", "1.2.3", "12a", "-"} {
		if b, err := encodeNumber(in); err == nil {
			t.Errorf("encodeNumber(%q) = % x, want an error", in, b)
		}
	}
}

func TestDateBindsDecodeToTheWallClock(t *testing.T) {
	wall := time.Date(2026, 3, 29, 2, 15, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		b    rawBind
		want Bind
	}{
		{"DATE", rawBind{typeDate, encodeDate(wall)}, Bind{"DATE", "2026-03-29 02:15:00"}},
		{"TIMESTAMP (bind code)", rawBind{typeTimestampBind, encodeTimestamp(wall.Add(5 * time.Millisecond))}, Bind{"TIMESTAMP", "2026-03-29 02:15:00.005"}},
		{"TIMESTAMP WITH TIME ZONE", rawBind{typeTimestampTZBind, encodeTimestampTZ(wall.In(time.FixedZone("", 3600)))},
			Bind{"TIMESTAMP WITH TIME ZONE", "2026-03-29 03:15:00 +01:00"}},
		{"NULL", rawBind{typeVarchar2, nil}, Bind{"VARCHAR2", "NULL"}},
		{"NUMBER", rawBind{typeNumber, []byte{0xC2, 0x02}}, Bind{"NUMBER", "100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, got := decodeBind(tc.b); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDeclaredTypesChooseTheOracleType(t *testing.T) {
	for _, tc := range []struct {
		declared string
		want     byte
	}{
		{"TEXT", typeVarchar2}, {"VARCHAR(40)", typeVarchar2}, {"", typeVarchar2},
		{"INTEGER", typeNumber}, {"NUMERIC", typeNumber}, {"REAL", typeNumber},
		{"DATE", typeDate}, {"DATETIME", typeDate},
		{"TIMESTAMP", typeTimestamp}, {"timestamp with time zone", typeTimestampTZ},
	} {
		t.Run(tc.declared, func(t *testing.T) {
			if got, _ := oracleType(tc.declared); got != tc.want {
				t.Errorf("oracleType(%q) = %s, want %s", tc.declared, typeName(got), typeName(tc.want))
			}
		})
	}
}

func TestTruncatedMessagesAskForMoreInsteadOfPanicking(t *testing.T) {
	var e encoder
	e.clr(bytes.Repeat([]byte("x"), 1000))
	full := e.Bytes()
	for n := range len(full) {
		d := &decoder{p: full[:n]}
		if v := d.clr(); d.err == nil {
			t.Fatalf("a %d-byte prefix decoded as %d bytes", n, len(v))
		}
	}
	d := &decoder{p: full}
	if v := d.clr(); d.err != nil || len(v) != 1000 {
		t.Fatalf("whole message: %d bytes, %v", len(v), d.err)
	}
}

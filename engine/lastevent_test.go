package engine

import (
	"testing"
	"time"
)

func TestParseLastEventTime(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in      string
		want    time.Time
		wantNil bool
		wantErr bool
	}{
		{in: "", wantNil: true},
		{in: "   ", wantNil: true},
		{in: "2026-11-03T14:00:00Z", want: time.Date(2026, 11, 3, 14, 0, 0, 0, time.UTC)},
		{in: "2026-07-03T14:00:00+02:00", want: time.Date(2026, 7, 3, 12, 0, 0, 0, time.UTC)},
		// Summer time in London: 14:00 local is 13:00 UTC.
		{in: "2026-07-03 14:00", want: time.Date(2026, 7, 3, 13, 0, 0, 0, time.UTC)},
		{in: "2026-07-03 14:00:30", want: time.Date(2026, 7, 3, 13, 0, 30, 0, time.UTC)},
		{in: "2026-12-03 14:00", want: time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)},
		{in: "03/07/2026", wantErr: true},
		{in: "2026-13-03 14:00", wantErr: true},
		{in: "2026-11-03", wantErr: true},
		{in: "9999-12-31 23:59", wantErr: true},
		// The spring-forward gap moves forward, as database values do:
		// 01:30 does not exist in London on 2026-03-29; it reads as 02:30 BST.
		{in: "2026-03-29 01:30", want: time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		// The autumn overlap takes the earlier instant (01:30 BST).
		{in: "2026-10-25 01:30", want: time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := ParseLastEventTime(c.in, london)
		switch {
		case c.wantErr:
			if err == nil {
				t.Errorf("%q: want error, got %v", c.in, got)
			}
		case err != nil:
			t.Errorf("%q: %v", c.in, err)
		case c.wantNil:
			if got != nil {
				t.Errorf("%q: want nil (sliding mode), got %v", c.in, got)
			}
		case got == nil || !got.Equal(c.want):
			t.Errorf("%q: got %v, want %v", c.in, got, c.want)
		}
	}
}

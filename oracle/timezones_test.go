package oracle

import (
	"testing"

	go_ora "github.com/sijms/go-ora/v2"
)

// The type names are go-ora's; a go-ora upgrade that renames them must fail
// here rather than silently read TIMESTAMP WITH TIME ZONE as a wall clock.
func TestCarriesZoneMatchesGoOraTypeNames(t *testing.T) {
	cases := []struct {
		name  string
		typ   go_ora.TNSType
		zoned bool
	}{
		{"DATE", go_ora.DATE, false},
		{"TIMESTAMP", go_ora.TIMESTAMP, false},
		{"TIMESTAMP (DTY)", go_ora.TimeStampDTY, false},
		{"TIMESTAMP WITH TIME ZONE", go_ora.TIMESTAMPTZ, true},
		{"TIMESTAMP WITH TIME ZONE (DTY)", go_ora.TimeStampTZ_DTY, true},
		{"TIMESTAMP WITH LOCAL TIME ZONE", go_ora.TimeStampeLTZ, true},
		{"TIMESTAMP WITH LOCAL TIME ZONE (DTY)", go_ora.TimeStampLTZ_DTY, true},
		{"VARCHAR2", go_ora.NCHAR, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := (&Driver{}).CarriesZone(c.typ.String()); got != c.zoned {
				t.Errorf("CarriesZone(%q) = %v, want %v", c.typ.String(), got, c.zoned)
			}
		})
	}
}

package main

import (
	"reflect"
	"testing"
	"time"
)

// The dataset is the same every time for a day and sizes, has the sizes
// asked for, and plants takeovers only where it says: ordinary clients
// never change all four kinds, so the bench's findings are exactly the
// planted ones.
func TestGenerateIsDeterministicWithOnlyPlantedTakeovers(t *testing.T) {
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	a, b := generate(day, 20000, 5000, 20000), generate(day, 20000, 5000, 20000)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two generations of the same day and sizes differ")
	}
	if a.takeovers != 20 || len(a.changes) != 20000+4*20 || len(a.activity) != 5000 {
		t.Errorf("%d takeovers, %d changes, %d activity rows", a.takeovers, len(a.changes), len(a.activity))
	}
	kinds := map[string]int{}
	for _, c := range a.changes {
		kinds[c.user] |= 1 << c.kind
		if !c.at.Before(day) || c.at.Before(day.AddDate(0, 0, -30)) {
			t.Fatalf("change at %s is outside the 30 days before %s", c.at, day)
		}
	}
	all := 0
	for _, mask := range kinds {
		if mask == 15 {
			all++
		}
	}
	if all != a.takeovers {
		t.Errorf("%d clients changed all four kinds, %d planted", all, a.takeovers)
	}
}

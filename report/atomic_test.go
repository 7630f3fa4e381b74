package report

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestRemoveStaleTempsTakesOnlyCamsOwnOldFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-2 * time.Minute)
	files := []struct {
		name    string
		mtime   time.Time
		removed bool
	}{
		{".client_activity_20261128_090000.xlsx.tmp123456", old, true},
		{".client_activity_20261128_090000_alerts.csv.tmp9", old, true},
		{".client_activity_20261128_090000.eml.tmp42", now.Add(-61 * time.Second), true},
		{".client_activity_20261128_090000.xlsx.tmp777", now.Add(-30 * time.Second), false}, // another cam is writing it
		{".client_activity_20261128_090000.xlsx.tmp", old, false},                           // no digits: not CreateTemp's
		{".client_activity_20261128_090000.xlsx.tmp12a", old, false},
		{".notes.xlsx.tmp123", old, false}, // not a report name
		{"client_activity_20261128_090000.xlsx", old, false},
		{".client_activity_x.tmp1.keep", old, false},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, f.mtime, f.mtime); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".client_activity_dir.xlsx.tmp1"), 0o700); err != nil { // a directory is never ours
		t.Fatal(err)
	}
	removed, err := RemoveStaleTemps(dir, time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		_, statErr := os.Stat(filepath.Join(dir, f.name))
		if gone := os.IsNotExist(statErr); gone != f.removed {
			t.Errorf("%s: removed %v, want %v", f.name, gone, f.removed)
		}
		if f.removed {
			want = append(want, filepath.Join(dir, f.name))
		}
	}
	sort.Strings(removed)
	sort.Strings(want)
	if strings.Join(removed, ",") != strings.Join(want, ",") {
		t.Errorf("reported %v, want %v", removed, want)
	}
	if got, err := RemoveStaleTemps(filepath.Join(dir, "missing"), time.Minute, now); err != nil || got != nil {
		t.Errorf("missing dir: %v %v", got, err)
	}
}

package sqlite

import (
	"path/filepath"
	"reflect"
	"testing"

	"cam/config"
)

func TestValidateRequiresAnExistingFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		db   config.Database
		want []config.Problem
	}{
		{"no path", config.Database{Driver: "sqlite"}, []config.Problem{{Field: "path", Message: "is required for a sqlite database"}}},
		{"missing file named as written", config.Database{Driver: "sqlite", Path: filepath.Join(dir, "gone.db"), Written: map[string]string{"path": "gone.db"}},
			[]config.Problem{{Field: "path", Message: "file gone.db does not exist"}}},
		{"existing file", config.Database{Driver: "sqlite", Path: dir}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Driver{}).Validate(tc.db); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSQLiteTakesNoLogin(t *testing.T) {
	if len((Driver{}).Auths()) != 0 || (config.Database{Driver: "sqlite"}).AuthMethod() != "" {
		t.Error("a sqlite file needs no login")
	}
}

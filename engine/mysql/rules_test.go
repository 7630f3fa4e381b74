package mysql

import (
	"reflect"
	"testing"

	"cam/config"
)

func TestValidateNeedsAnAddressOrASocketAndNoFetchSize(t *testing.T) {
	for _, tc := range []struct {
		name string
		db   config.Database
		want []config.Problem
	}{
		{"host and port", config.Database{Driver: "mysql", Host: "h", Port: 3306}, nil},
		{"a socket instead", config.Database{Driver: "mysql", Conn: config.Connection{Socket: "/run/mysqld/mysqld.sock"}}, nil},
		{"neither", config.Database{Driver: "mysql"}, []config.Problem{
			{Field: "host", Message: "is required for a mysql database"},
			{Field: "port", Message: "must be a port number 1-65535 for a mysql database"}}},
		{"fetch_size set", config.Database{Driver: "mysql", Host: "h", Port: 3306, Written: map[string]string{"fetch_size": "1000"}},
			[]config.Problem{{Field: "fetch_size", Message: "is not used by mysql databases (their rows stream as they are read)"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Driver{}).Validate(tc.db); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

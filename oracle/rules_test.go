package oracle

import (
	"reflect"
	"testing"

	"cam/config"
)

func TestValidateNeedsTheListenerTheServiceAndThePasswordVariable(t *testing.T) {
	for _, tc := range []struct {
		name string
		db   config.Database
		want []config.Problem
	}{
		{"complete", testDB, nil},
		{"no service", config.Database{Driver: "oracle", Host: "h", Port: 1521},
			[]config.Problem{{Field: "service_name", Message: "is required for an oracle database"}}},
		{"no address", config.Database{Driver: "oracle", ServiceName: "S"}, []config.Problem{
			{Field: "host", Message: "is required for a oracle database"},
			{Field: "port", Message: "must be a port number 1-65535 for a oracle database"}}},
		{"password without its variable", config.Database{Driver: "oracle", Host: "h", Port: 1521, ServiceName: "S",
			Conn: config.Connection{Auth: config.AuthPassword, User: "u"}},
			[]config.Problem{{Field: "password_env", Message: "is required with auth: password (the name of an environment variable holding the password)"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (&Driver{}).Validate(tc.db); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestOracleLogsInWithKerberosByDefault(t *testing.T) {
	if got := (config.Database{Driver: "oracle"}).AuthMethod(); got != config.AuthKerberos {
		t.Errorf("AuthMethod = %q, want kerberos", got)
	}
}

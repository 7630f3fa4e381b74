package cli

import (
	"bytes"
	"strings"
	"testing"

	"cam/engine"
)

// A failure's class is said once: "connection: connection to …" stuttered.
func TestProgressSaysTheErrorClassOnce(t *testing.T) {
	ref := engine.QueryRef{RunID: 1, Database: "accounts", Query: "passwords"}
	cases := []struct {
		name string
		ev   engine.Event
		want string
	}{
		{"failed", engine.QueryFailed{QueryRef: ref, Attempts: 3, Class: engine.ClassConnection, Err: "connection to db:1521 failed: no such host"},
			"after 3 attempt(s): connection to db:1521 failed: no such host"},
		{"retrying", engine.QueryRetrying{QueryRef: ref, Attempt: 1, MaxAttempts: 3, Class: engine.ClassConnection, Err: "connection to db:1521 failed"},
			"after attempt 1/3: connection to db:1521 failed"},
		{"other class", engine.QueryFailed{QueryRef: ref, Attempts: 1, Class: engine.ClassAuth, Err: "ORA-01017"}, "auth: ORA-01017"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			newProgress(&out, false).show(c.ev)
			if got := out.String(); !strings.Contains(got, c.want) || strings.Contains(got, "connection: connection") {
				t.Errorf("progress %q, want %q", got, c.want)
			}
		})
	}
}

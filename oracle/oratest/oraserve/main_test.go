package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBadFlagsAreRefusedWithTheReason(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"no service", nil, "-service"},
		{"service without a path", []string{"-service", "A"}, `"A" is not NAME=VALUE`},
		{"missing file", []string{"-service", "A=" + db + ".missing"}, "no such file"},
		{"user without a password", []string{"-service", "A=" + db, "-user", "cam"}, `"cam" is not NAME:VALUE`},
		{"keytab without principal", []string{"-service", "A=" + db, "-keytab", db}, "go together"},
		{"principal without host", []string{"-service", "A=" + db, "-keytab", db, "-principal", "oracle@R"}, "SERVICE/HOST@REALM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args, io.Discard, io.Discard, nil)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("err = %v, want one saying %q", err, tc.says)
			}
		})
	}
}

func TestFirstLineNamesTheAddress(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r, w := io.Pipe()
	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() { done <- run([]string{"-service", "A=" + db, "-user", "cam:pw"}, w, io.Discard, stop) }()
	line := make([]byte, 64)
	n, err := r.Read(line)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(line[:n]); !strings.HasPrefix(got, "listening on 127.0.0.1:") || !strings.HasSuffix(got, "\n") {
		t.Errorf("first line %q", got)
	}
	stop <- os.Interrupt
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("oraserve did not stop on interrupt")
	}
}

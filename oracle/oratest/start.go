package oratest

import (
	"testing"

	go_ora "github.com/sijms/go-ora/v2"
)

// Start starts a server on a free loopback port for the test and stops it
// in Cleanup. With opts.Logf nil the server logs to t.Logf.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	done := make(chan struct{})
	logf := opts.Logf
	opts.Logf = func(format string, args ...any) {
		select {
		case <-done: // the test has ended: t.Logf would panic
		default:
			logf(format, args...)
		}
	}
	s, err := Listen("127.0.0.1:0", opts)
	if err != nil {
		t.Fatalf("oratest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("oratest: close: %v", err)
		}
		close(done)
	})
	return s
}

// URL returns a go-ora connection URL for user and password on service,
// with extra URL options (such as "PREFETCH_ROWS").
func (s *Server) URL(service, user, password string, options map[string]string) string {
	return go_ora.BuildUrl("127.0.0.1", s.Port(), service, user, password, options)
}

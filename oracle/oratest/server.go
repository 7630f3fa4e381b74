package oratest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// Services maps a service name (matched case-insensitively) to the
	// SQLite file that backs it. The files are opened read-only.
	Services map[string]string
	// Users maps a user name (case-insensitive, as Oracle folds unquoted
	// names) to its password, for O5LOGON.
	Users map[string]string
	// Schemas are schema names every service's file also answers to, so
	// that event_logs.email_changes finds email_changes.
	Schemas []string
	// Kerberos, when set, offers Kerberos logon through ANO.
	Kerberos *Kerberos
	// FetchDelay delays every fetch reply (oraserve -fetch-delay).
	FetchDelay time.Duration
	// Faults are the failures to inject; see Fault.
	Faults []Fault
	// Logf, when set, receives one line per session event. It never
	// receives passwords or row values.
	Logf func(format string, args ...any)
}

// Server is an Oracle listener and database double on a loopback port.
type Server struct {
	opts     Options
	services map[string]string // upper-cased name -> SQLite path
	users    map[string]string // upper-cased name -> password
	ln       net.Listener
	backend  *backend
	record   *Record
	faults   *faultSet

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closed   bool
	sessions sync.WaitGroup
	nextID   int
}

// Listen starts a server on addr ("127.0.0.1:0" for any free port). It
// checks that every service's SQLite file exists.
func Listen(addr string, opts Options) (*Server, error) {
	s := &Server{opts: opts, services: map[string]string{}, users: map[string]string{},
		record: &Record{}, conns: map[net.Conn]struct{}{}}
	for name, path := range opts.Services {
		if name == "" {
			return nil, fmt.Errorf("oratest: service for %s has no name", path)
		}
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("oratest: service %s: %w", name, err)
		}
		s.services[strings.ToUpper(name)] = path
	}
	for user, pw := range opts.Users {
		s.users[strings.ToUpper(user)] = pw
	}
	s.faults = newFaultSet(opts.Faults)
	b, err := newBackend(s.services, opts.Schemas)
	if err != nil {
		return nil, err
	}
	s.backend = b
	ln, err := net.Listen("tcp", addr) //nolint:noctx // listens for the life of the test server; Close ends it
	if err != nil {
		return nil, err
	}
	s.ln = ln
	s.sessions.Add(1)
	go s.accept()
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() *net.TCPAddr { return s.ln.Addr().(*net.TCPAddr) }

// Port is the TCP port the server listens on.
func (s *Server) Port() int { return s.Addr().Port }

// Record is what the server has seen so far.
func (s *Server) Record() *Record { return s.record }

// SetFaults replaces the faults to inject, from the next statement or
// connection on.
func (s *Server) SetFaults(faults ...Fault) { s.faults.set(faults) }

// Close stops listening, cuts every session and waits for them to end.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	err := s.ln.Close()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.sessions.Wait()
	s.backend.close()
	return err
}

func (s *Server) accept() {
	defer s.sessions.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = nc.Close()
			return
		}
		s.conns[nc] = struct{}{}
		s.nextID++
		id := s.nextID
		s.sessions.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.sessions.Done()
			err := s.serve(nc, id)
			s.mu.Lock()
			delete(s.conns, nc)
			s.mu.Unlock()
			_ = nc.Close()
			if err != nil && !errors.Is(err, net.ErrClosed) {
				s.logf("session %d: %v", id, err)
			} else {
				s.logf("session %d: closed", id)
			}
		}()
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

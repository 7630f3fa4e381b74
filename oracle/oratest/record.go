package oratest

import (
	"slices"
	"sync"
)

// Record is what a server saw, for tests to assert on. Its methods return
// copies and are safe while the server runs.
type Record struct {
	mu         sync.Mutex
	logins     []Login
	statements []Statement
	fetches    []Fetch
	breaks     []int
}

// Login is one logon attempt.
type Login struct {
	Session int    // the server's session number, from 1
	Service string // upper-cased service name
	User    string // upper-cased user, or the Kerberos principal's user
	Method  string // "password" or "kerberos"
	OK      bool
}

// Statement is one executed SQL text.
type Statement struct {
	Session int
	Cursor  int
	SQL     string // as the client sent it
	SQLite  string // as the double ran it; "" when it was not run
	Binds   []Bind
	// Prefetch is how many rows the client asked for with the execute;
	// FirstBatch how many the reply carried.
	Prefetch, FirstBatch int
	ErrCode              int // the ORA code answered, 0 for success
}

// Bind is one bind value as it arrived.
type Bind struct {
	Type  string // Oracle type name: VARCHAR2, NUMBER, DATE, TIMESTAMP, ...
	Value string // decoded: text, decimal, or the wall clock (with offset for TSTZ)
}

// Fetch is one fetch round trip after the execute.
type Fetch struct {
	Session, Cursor int
	Requested       int // rows the client asked for
	Rows            int // rows the reply carried
}

func (r *Record) addLogin(l Login) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logins = append(r.logins, l)
}

func (r *Record) addStatement(st Statement) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statements = append(r.statements, st)
}

func (r *Record) addFetch(f Fetch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fetches = append(r.fetches, f)
}

func (r *Record) addBreak(session int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.breaks = append(r.breaks, session)
}

// Logins returns every logon attempt in order.
func (r *Record) Logins() []Login {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.logins)
}

// Statements returns every statement in order.
func (r *Record) Statements() []Statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.statements)
	for i := range out {
		out[i].Binds = slices.Clone(out[i].Binds)
	}
	return out
}

// Fetches returns every fetch round trip in order.
func (r *Record) Fetches() []Fetch {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.fetches)
}

// Breaks returns the session numbers of the breaks received, in order.
func (r *Record) Breaks() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.breaks)
}

// Sessions returns how many sessions logged on successfully.
func (r *Record) Sessions() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, l := range r.logins {
		if l.OK {
			n++
		}
	}
	return n
}

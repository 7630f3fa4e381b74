package session

import (
	"sync"
	"time"

	"cam/config"
	"cam/report"
	"cam/triage"
)

// Options are what a session needs.
type Options struct {
	Config  *config.Config
	Engine  Engine
	Trail   *Trail // the audit trail; nil records nothing
	Version string // cam's version, printed in reports
	// Now and Zone pin the clock and the display zone (tests); zero values
	// mean time.Now and the local zone.
	Now  func() time.Time
	Zone *time.Location
}

// Session is one analyst's use of cam over one configuration: at most one
// run at a time, its hand-offs, and the audit trail of all of it. It is
// safe for concurrent use (exports run in commands, off the UI goroutine).
type Session struct {
	cfg     *config.Config
	eng     Engine
	trail   *Trail
	version string
	now     func() time.Time
	zone    *time.Location

	mu       sync.Mutex
	run      *Run
	exported []string      // files exported from the current run, oldest first
	state    *triage.Store // the triage state, once OpenState opened it
}

// New builds a session.
func New(opts Options) *Session {
	s := &Session{cfg: opts.Config, eng: opts.Engine, trail: opts.Trail, version: opts.Version,
		now: opts.Now, zone: opts.Zone}
	if s.trail == nil {
		s.trail = NewTrail(nil, nil)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Config is the configuration the session runs on.
func (s *Session) Config() *config.Config { return s.cfg }

// Trail is the session's audit trail.
func (s *Session) Trail() *Trail { return s.trail }

// AuditErr is the last failure to write the audit trail, or nil.
func (s *Session) AuditErr() error { return s.trail.Err() }

// Meta is the run context printed beside the findings in every report.
func (s *Session) Meta() report.Meta {
	meta := report.NewMeta(s.cfg, s.version)
	if s.zone != nil {
		meta.Zone = s.zone
	}
	return meta
}

// CloseState closes the triage state, if OpenState opened it.
func (s *Session) CloseState() error {
	s.mu.Lock()
	st := s.state
	s.state = nil
	s.mu.Unlock()
	if st == nil {
		return nil
	}
	return st.Close()
}

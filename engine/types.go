// Package engine runs every configured query against every configured
// database at once, streams what happens as events, and feeds the rows into
// the detection rules. It never imports the TUI.
package engine

import (
	"database/sql/driver"
	"time"

	"cam/config"
	"cam/engine/detect"
)

// ErrorClass says what kind of failure a query met; only ClassConnection is
// retried.
type ErrorClass string

// Error classes.
const (
	ClassNone       ErrorClass = ""
	ClassConnection ErrorClass = "connection"
	ClassAuth       ErrorClass = "auth"
	ClassPermission ErrorClass = "permission"
	ClassQuery      ErrorClass = "query"
	ClassTimeout    ErrorClass = "timeout"
	ClassCancelled  ErrorClass = "cancelled"
	// ClassData is a query that returned rows cam could not use: every
	// row was rejected (NULL users, times that are numbers or not
	// timestamps, times out of range).
	ClassData ErrorClass = "data"
)

// Driver is everything driver-specific about a source. The engine has no
// branches on driver names; each driver package implements this, and
// registers its config.DriverRules (its SQL dialect, its logins, the keys
// it reads and its check of a databases.yaml entry) with
// config.RegisterDriver, so the loader needs no branch on driver names
// either.
type Driver interface {
	config.DriverRules
	// Connector returns a connector for db. The engine wraps it so that it
	// can close a connection whose driver ignores cancellation, and opens
	// one pool per database per run with sql.OpenDB.
	Connector(db config.Database, s config.Settings) (driver.Connector, error)
	// Bind rewrites the :start_date parameter of q into the driver's form
	// and returns the arguments to pass with it.
	Bind(q string, start time.Time, db config.Database) (string, []any, error)
	// Classify sorts an error into a class and returns a message that tells
	// the analyst what to check. err is never nil.
	Classify(err error, db config.Database) (ErrorClass, string)
}

// ZonedTypes is implemented by a driver whose time.Time values are
// instants for some column types (Oracle TIMESTAMP WITH TIME ZONE). For
// every other column the engine takes a time.Time as a wall clock and reads
// it in the database's zone, so no driver's guess about zones is trusted.
type ZonedTypes interface {
	// CarriesZone reports whether values of a column whose
	// DatabaseTypeName is typeName carry their own zone.
	CarriesZone(typeName string) bool
}

// Mode is how the account-takeover window is placed.
type Mode string

// Modes.
const (
	ModeSliding  Mode = "sliding"  // any window inside the lookback
	ModeAnchored Mode = "anchored" // the window ending at the analyst's last event time
)

// Request is what one run is asked to do.
type Request struct {
	Config *config.Config
	// LastEventTime anchors the takeover window; nil means sliding mode.
	LastEventTime *time.Time
	// Now is the run's clock reading; zero means time.Now().
	Now time.Time
	// StartDate, when set, is bound as :start_date instead of the
	// lookback's start: an incremental rerun (triage.Plan) reads only
	// what is new since the last complete run.
	StartDate *time.Time
}

// QueryStatus is the final state of one query in a run.
type QueryStatus string

// Query statuses.
const (
	StatusOK        QueryStatus = "ok"
	StatusFailed    QueryStatus = "failed"
	StatusCancelled QueryStatus = "cancelled"
)

// QueryResult is what one database/query pair did in a run.
type QueryResult struct {
	Database   string
	Query      string
	Kind       config.QueryKind
	ChangeType config.ChangeType
	Status     QueryStatus
	Rows       int64 // rows accepted into detection
	Rejected   int64 // rows rejected (NULL or unparseable user or time)
	// RejectedBy counts rejected rows by reason (RejectReason.String());
	// nil when none were rejected.
	RejectedBy map[string]int64
	// RejectNote says the same in words, with the column each reason is
	// about ("3 unparseable_time in change_timestamp"); "" when none.
	RejectNote string
	Attempts   int
	Duration   time.Duration
	Class      ErrorClass // set when Status is failed or cancelled
	Err        string     // analyst-facing message when failed
	// Newest is the time of the newest row accepted, zero when none: an
	// incremental rerun resumes from the newest of a complete run.
	Newest time.Time
}

// Result is the outcome of a run.
type Result struct {
	RunID         int64
	StartedAt     time.Time
	FinishedAt    time.Time
	StartDate     time.Time // the :start_date bound into every query
	Mode          Mode
	LastEventTime *time.Time
	Complete      bool // every query ok and the run not cancelled
	Cancelled     bool
	Queries       []QueryResult // in configuration order
	Findings      detect.Findings
	// UserEvents is every event read, by user, when the engine was started
	// with Options.KeepUserEvents; nil otherwise.
	UserEvents *UserEvents
	// TakeoverTypes are the change types the takeover rule looked for
	// (detection.takeover_types), in report order.
	TakeoverTypes []config.ChangeType
	// Phases is where the run's time went; zero unless the engine was
	// started with Options.MeasurePhases.
	Phases Phases
}

// Phases splits a run's time for cam run --stats. Fetching and Rules are
// wall time; Fetch, Normalise and Accumulate are summed over the queries,
// which run at once, so they can add up to more than Fetching. Fetch and
// Normalise are estimated from one row in sixteen (phasetimer.go).
type Phases struct {
	Fetching   time.Duration // wall: start until the last query ended
	Fetch      time.Duration // in the driver: reading and decoding rows
	Normalise  time.Duration // user ids and timestamps checked and parsed
	Accumulate time.Duration // rows handed to the rules' accumulator
	Rules      time.Duration // wall: the four rules over everything
}

// Event is something that happened in a run. Every event carries its run
// id so consumers can drop events of a run they no longer show.
type Event interface{ Run() int64 }

// QueryRef names one query of one database within a run.
type QueryRef struct {
	RunID    int64
	Database string
	Query    string
}

// Run returns the run id.
func (r QueryRef) Run() int64 { return r.RunID }

// QueryQueued is sent once per query when the run starts, in config order.
type QueryQueued struct {
	QueryRef
	Kind       config.QueryKind
	ChangeType config.ChangeType
}

// QueryStarted is sent when an attempt begins.
type QueryStarted struct {
	QueryRef
	Attempt int
}

// QueryProgressed reports rows read so far (throttled).
type QueryProgressed struct {
	QueryRef
	Rows     int64
	Rejected int64
}

// QueryRetrying is sent before waiting to retry a connection failure.
type QueryRetrying struct {
	QueryRef
	Attempt     int // the attempt that failed
	MaxAttempts int
	Delay       time.Duration
	Class       ErrorClass
	Err         string
}

// QueryFinished is sent when a query completed successfully.
type QueryFinished struct {
	QueryRef
	Rows       int64
	Rejected   int64
	RejectedBy map[string]int64
	RejectNote string
	Attempts   int
	Duration   time.Duration
}

// QueryFailed is sent when a query gave up.
type QueryFailed struct {
	QueryRef
	Rows       int64
	Rejected   int64
	RejectedBy map[string]int64
	RejectNote string
	Attempts   int
	Duration   time.Duration
	Class      ErrorClass
	Err        string
}

// QueryCancelled is sent when the run was cancelled before the query ended.
type QueryCancelled struct {
	QueryRef
	Rows       int64
	Rejected   int64
	RejectedBy map[string]int64
	RejectNote string
	Duration   time.Duration
}

// RunFinished is the last event of a run; the channel closes after it.
type RunFinished struct {
	RunID  int64
	Result Result
}

// Run returns the run id.
func (r RunFinished) Run() int64 { return r.RunID }

package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"cam/config"
)

// CheckQuerier is implemented by a driver whose trivial query is not
// "SELECT 1" (Oracle needs FROM DUAL).
type CheckQuerier interface {
	CheckQuery() string
}

// CheckResult is one database's connectivity check.
type CheckResult struct {
	Database string
	Driver   string
	Address  string // host:port/service, socket or file
	Auth     string // kerberos, password or file
	OK       bool
	RTT      time.Duration // round trip of the check query, when OK
	Class    ErrorClass
	Message  string
}

// checkMargin is added to a database's connect_timeout: the check query
// itself needs a moment after the connection is up.
const checkMargin = 5 * time.Second

// Check connects to every database of cfg at once (at most
// max_concurrency at a time), runs the driver's trivial query on each and
// returns one result per database in configuration order. It uses the same
// connectors as a run, so what passes here connects in a run too.
func (e *Engine) Check(ctx context.Context, cfg *config.Config) []CheckResult {
	results := make([]CheckResult, len(cfg.Databases))
	sem := make(chan struct{}, maxConcurrency(cfg.Settings))
	var wg sync.WaitGroup
	for i := range cfg.Databases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = e.checkOne(ctx, cfg.Databases[i], cfg.Settings)
		}()
	}
	wg.Wait()
	return results
}

func (e *Engine) checkOne(ctx context.Context, db config.Database, s config.Settings) CheckResult {
	r := CheckResult{Database: db.Name, Driver: db.Driver, Address: Address(db), Auth: authOf(db)}
	d, ok := e.opts.Drivers[db.Driver]
	if !ok {
		r.Class, r.Message = ClassQuery, fmt.Sprintf("driver %q is not available in this build", db.Driver)
		return r
	}
	limit := db.Conn.ConnectTimeout
	if limit <= 0 {
		limit = config.DefaultConnectTimeout
	}
	limit += checkMargin
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	rtt, err := e.ping(ctx, d, db, s)
	if err == nil {
		r.OK, r.RTT = true, rtt
		e.opts.Logger.Info("check ok", "db", db.Name, "rtt", rtt)
		return r
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		r.Class, r.Message = ClassTimeout, fmt.Sprintf("no answer from %s within %s", r.Address, limit)
	case errors.Is(ctx.Err(), context.Canceled):
		r.Class, r.Message = ClassCancelled, "cancelled"
	default:
		r.Class, r.Message = d.Classify(err, db)
	}
	e.opts.Logger.Warn("check failed", "db", db.Name, "class", r.Class, "err", r.Message)
	return r
}

// ping opens one connection the way a run does and times the check query.
func (e *Engine) ping(ctx context.Context, d Driver, db config.Database, s config.Settings) (time.Duration, error) {
	connector, err := d.Connector(db, s)
	if err != nil {
		return 0, err
	}
	pool := sql.OpenDB(trackingConnector{Connector: connector})
	defer pool.Close()
	pool.SetMaxOpenConns(1)
	conn, err := pool.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	query := "SELECT 1"
	if cq, ok := d.(CheckQuerier); ok {
		query = cq.CheckQuery()
	}
	began := time.Now()
	var one int
	if err := conn.QueryRowContext(ctx, query).Scan(&one); err != nil {
		return 0, err
	}
	return time.Since(began), nil
}

// Address is where db lives, for tables and messages: its file, its
// socket, or host:port and the service or schema. It reads the entry's
// keys, not its driver's name, so a new driver needs nothing here.
func Address(db config.Database) string {
	switch {
	case db.Path != "":
		return db.Path
	case db.Conn.Socket != "":
		return db.Conn.Socket
	}
	addr := net.JoinHostPort(db.Host, strconv.Itoa(db.Port))
	if db.ServiceName != "" {
		addr += "/" + db.ServiceName
	} else if db.DefaultSchema != "" {
		addr += "/" + db.DefaultSchema
	}
	return addr
}

// authOf labels how cam logs in to db, for the check table.
func authOf(db config.Database) string {
	if a := db.AuthMethod(); a != "" {
		return a
	}
	return "file"
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"cam/engine"
	"cam/internal/applog"
	"cam/internal/inert"
	"cam/krb5"
	"cam/session"
)

// checkDocument is what `cam check --json` prints. Field names are a
// contract with scripts.
type checkDocument struct {
	ConfigDir string          `json:"config_dir"`
	Ticket    *checkTicket    `json:"ticket"` // null when no database uses Kerberos
	Databases []checkDatabase `json:"databases"`
	OK        bool            `json:"ok"`
}

type checkTicket struct {
	Principal  string  `json:"principal,omitempty"`
	Expires    *string `json:"expires"`
	RenewUntil *string `json:"renew_until"`
	Problem    string  `json:"problem,omitempty"` // missing, expired or unreadable
	Message    string  `json:"message,omitempty"`
}

type checkDatabase struct {
	Name    string `json:"name"`
	Driver  string `json:"driver"`
	Address string `json:"address"`
	Auth    string `json:"auth"`
	OK      bool   `json:"ok"`
	RTTMs   *int64 `json:"rtt_ms"`
	Class   string `json:"class,omitempty"`
	Message string `json:"message,omitempty"`
}

// runCheck is `cam check`: the configuration, the Kerberos ticket, then
// every database reached at once with a trivial query.
func runCheck(args []string, io IO) int {
	fs := newFlags("check", "cam check [--config-dir DIR | --demo] [--config-only] [--json]", io)
	dir := configDirFlag(fs)
	useDemo := fs.Bool("demo", false, "check the embedded demo databases")
	configOnly := fs.Bool("config-only", false, "validate the configuration only; connect to nothing")
	asJSON := fs.Bool("json", false, "print one JSON document on stdout")
	if code := parseFlagsNoArgs(fs, args, "cam check", io); code >= 0 {
		return code
	}
	cfg, ok := loadOrDemo(*useDemo, *dir, io)
	if !ok {
		return ExitUsage
	}
	queries := 0
	for _, db := range cfg.Databases {
		queries += len(db.Queries)
	}
	if !*asJSON {
		fmt.Fprintf(io.Out, "configuration OK: %s\n  %d database(s), %d query file(s), SID %s\n",
			inert.Text(cfg.Dir), len(cfg.Databases), queries, inert.Text(cfg.Settings.User.SID))
	}
	if *configOnly {
		if *asJSON {
			return writeCheckJSON(io, checkDocument{ConfigDir: cfg.Dir, Databases: []checkDatabase{}, OK: true}, ExitOK)
		}
		return ExitOK
	}

	logger, closer, err := openLog(cfg, "cli", nil)
	if err != nil {
		fmt.Fprintf(io.Err, "cam check: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	defer closer.Close()
	eng := engine.New(engine.Options{Drivers: session.Drivers(), Logger: logger.With(applog.ModuleKey, "engine")})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer watchSignals(io, "cam check", cancel).Stop()
	ready := session.CheckReadiness(ctx, eng, cfg, time.Now())
	doc := checkDocument{ConfigDir: cfg.Dir, OK: ready.OK()}
	if ready.Ticket != nil {
		doc.Ticket = ticketOf(*ready.Ticket, ready.At)
	}
	for _, r := range ready.Databases {
		d := checkDatabase{Name: r.Database, Driver: r.Driver, Address: r.Address, Auth: r.Auth, OK: r.OK,
			Class: string(r.Class), Message: r.Message}
		if r.OK {
			ms := r.RTT.Milliseconds()
			d.RTTMs = &ms
		}
		doc.Databases = append(doc.Databases, d)
	}
	exit := ExitOK
	if !doc.OK {
		exit = ExitCheckFail
	}
	if *asJSON {
		return writeCheckJSON(io, doc, exit)
	}
	printCheck(io.Out, doc)
	return exit
}

func writeCheckJSON(io IO, doc checkDocument, exit int) int {
	enc := json.NewEncoder(io.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		fmt.Fprintf(io.Err, "cam check: writing JSON: %s\n", inert.Text(err.Error()))
		return ExitCheckFail
	}
	return exit
}

// ticketOf is the ticket, as checked at now, in the report's words.
func ticketOf(st session.TicketStatus, now time.Time) *checkTicket {
	t := st.Ticket
	out := &checkTicket{Principal: t.Principal}
	if !t.Expires.IsZero() {
		s := t.Expires.UTC().Format(time.RFC3339)
		out.Expires = &s
	}
	if !t.RenewUntil.IsZero() {
		s := t.RenewUntil.UTC().Format(time.RFC3339)
		out.RenewUntil = &s
	}
	if !st.State.Valid() {
		out.Problem = checkProblem(st.State)
		out.Message = st.Problem
		return out
	}
	out.Message = t.Summary(now)
	if st.State == krb5.StateExpiringSoon {
		out.Message += " — expires soon, run kinit"
	}
	return out
}

// checkProblem is the JSON problem of a ticket state that is not valid:
// missing, expired, or unreadable for whatever cam could not read.
func checkProblem(s krb5.State) string {
	switch s {
	case krb5.StateMissing:
		return "missing"
	case krb5.StateExpired:
		return "expired"
	}
	return "unreadable"
}

// printCheck prints the ticket, a table that fits 80 columns, and then
// each failure's full message (too long for a table cell).
func printCheck(w io.Writer, doc checkDocument) {
	if t := doc.Ticket; t != nil {
		if t.Problem != "" {
			fmt.Fprintf(w, "Kerberos: PROBLEM (%s): %s\n", t.Problem, inert.Text(t.Message))
		} else {
			line := "Kerberos: " + t.Message
			if t.RenewUntil != nil {
				line += ", renewable until " + *t.RenewUntil
			}
			fmt.Fprintln(w, inert.Text(line))
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATABASE\tADDRESS\tAUTH\tRESULT")
	var failures []checkDatabase
	for _, d := range doc.Databases {
		result := "FAIL " + d.Class
		if d.OK {
			result = "ok " + roundTrip(*d.RTTMs)
		} else {
			failures = append(failures, d)
		}
		// The address is whole: the table is for reading it, and a pipe or
		// a wide terminal should not get a cut path.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", clipEnd(inert.Text(d.Name), 25), inert.Text(d.Address), inert.Text(d.Auth), inert.Text(result))
	}
	tw.Flush()
	for _, d := range failures {
		fmt.Fprintf(w, "\n%s (%s): %s\n", inert.Text(d.Name), d.Class, inert.Text(d.Message))
	}
	if doc.OK {
		fmt.Fprintf(w, "\nall %d database(s) answered\n", len(doc.Databases))
	} else {
		fmt.Fprintf(w, "\n%d of %d database(s) failed\n", len(failures), len(doc.Databases))
	}
}

func roundTrip(ms int64) string {
	if ms < 1 {
		return "<1ms"
	}
	return fmt.Sprintf("%dms", ms)
}

// clipEnd shortens s to n characters, keeping its start.
func clipEnd(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

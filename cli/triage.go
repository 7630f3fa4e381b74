package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"log/slog"

	"cam/config"
	"cam/engine/detect"
	"cam/internal/inert"
	"cam/session"
	"cam/triage"
)

// triageVerbs are the subcommands of `cam triage`.
var triageVerbs = []struct{ name, synopsis string }{
	{"list", "cam triage list [--status S] [--all] [--json]"},
	{"set", "cam triage set ID STATUS [--reason R] [--note TEXT] [--assignee SID]"},
	{"suppress", "cam triage suppress --user U [--rule R] --reason TEXT [--for 30d]"},
	{"suppressions", "cam triage suppressions [--all] [--json]"},
	{"history", "cam triage history ID [--json]"},
}

func triageUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: cam triage VERB ...")
	fmt.Fprintln(w)
	for _, v := range triageVerbs {
		fmt.Fprintf(w, "  %s\n", v.synopsis)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Statuses: new, acknowledged, escalated, resolved (resolved needs --reason true_positive, false_positive, benign or duplicate).")
	fmt.Fprintln(w, "Every verb takes --config-dir DIR or --demo. Exit codes: 0 ok, 2 usage or unknown id, 3 changed but not audited.")
}

// runTriage is `cam triage`: alert status, notes and suppressions from the
// command line, through the same state and audit trail as the TUI.
func runTriage(args []string, io IO) int {
	if len(args) == 0 {
		triageUsage(io.Err)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		triageUsage(io.Out)
		return ExitOK
	case "list":
		return triageList(args[1:], io)
	case "set":
		return triageSet(args[1:], io)
	case "suppress":
		return triageSuppress(args[1:], io)
	case "suppressions":
		return triageSuppressions(args[1:], io)
	case "history":
		return triageHistory(args[1:], io)
	}
	fmt.Fprintf(io.Err, "cam triage: unknown verb %q\n\n", inert.Text(args[0]))
	triageUsage(io.Err)
	return ExitUsage
}

// stateFlags are the flags every state command takes.
type stateFlags struct {
	dir  *string
	demo *bool
}

func newStateFlags(fs *flag.FlagSet) stateFlags {
	return stateFlags{dir: configDirFlag(fs), demo: fs.Bool("demo", false, "use the embedded demo's configuration")}
}

// stateEnv is what a state command works with: the configuration, the
// open state, the log and the audit trail.
type stateEnv struct {
	cfg    *config.Config
	store  *triage.Store
	sess   *session.Session // the use cases that change state and audit them
	logger *slog.Logger
	audit  *session.Trail
	closer io.Closer
}

func (e *stateEnv) Close() {
	e.audit.Close()
	_ = e.sess.CloseState() // read-only use or committed changes: nothing is lost
	e.closer.Close()
}

// openState loads the configuration and opens its state database; name
// prefixes every message. It returns false after saying why it could not.
func openState(name string, f stateFlags, io IO) (*stateEnv, bool) {
	if !eitherDemoOrDir(name, *f.demo, *f.dir, io) {
		return nil, false
	}
	cfg, ok := loadOrDemo(*f.demo, *f.dir, io)
	if !ok {
		return nil, false
	}
	logger, closer, err := openLog(cfg, "triage", nil)
	if err != nil {
		fmt.Fprintf(io.Err, "%s: %s\n", name, inert.Text(err.Error()))
		return nil, false
	}
	audit := openAudit(cfg, logger, io.Err)
	sess := session.New(session.Options{Config: cfg, Trail: audit, Version: version()})
	store, err := sess.OpenState()
	if err != nil {
		audit.Close()
		closer.Close()
		fmt.Fprintf(io.Err, "%s: %s\n", name, inert.Text(err.Error()))
		return nil, false
	}
	return &stateEnv{cfg: cfg, store: store, sess: sess, logger: logger, audit: audit, closer: closer}, true
}

// openStateStore opens the triage state of cfg (app_settings state_dir)
// as the configured analyst. `cam run` and the TUI open it the same way.
func openStateStore(cfg *config.Config) (*triage.Store, error) {
	return triage.Open(cfg.Settings.App.StateDir, triage.Options{SID: cfg.Settings.User.SID})
}

// stateError prints a state failure; an unknown id or a refused change is
// the analyst's to fix (exit 2) like any other bad argument.
func stateError(name string, err error, io IO) int {
	fmt.Fprintf(io.Err, "%s: %s\n", name, inert.Text(err.Error()))
	return ExitUsage
}

// auditedExit is the exit code after a change: 3 when the audit trail
// could not record it (the change itself is made).
func auditedExit(e *stateEnv) int {
	if e.audit.Failed() {
		return ExitIncomplete
	}
	return ExitOK
}

// alertJSON is one alert of `cam triage list --json`.
type alertJSON struct {
	ID            string `json:"id"`
	Rule          string `json:"rule"`
	Severity      string `json:"severity"`
	User          string `json:"user"`
	Database      string `json:"database"`
	FirstSeen     string `json:"first_seen"`
	LastSeen      string `json:"last_seen"`
	Count         int    `json:"count"`
	Message       string `json:"message"`
	Status        string `json:"status"`
	ClosingReason string `json:"closing_reason"`
	Assignee      string `json:"assignee"`
	ResolvedBy    string `json:"resolved_by"`
	Note          string `json:"note"`
	FirstSeenRun  int64  `json:"first_seen_run"`
	LastSeenRun   int64  `json:"last_seen_run"`
	Suppressed    bool   `json:"suppressed"`
}

func triageList(args []string, io IO) int {
	fs := newFlags("triage list", triageVerbs[0].synopsis, io)
	sf := newStateFlags(fs)
	status := fs.String("status", "", "only alerts in this status (new, acknowledged, escalated, resolved)")
	all := fs.Bool("all", false, "include resolved and suppressed alerts")
	asJSON := fs.Bool("json", false, "print one JSON document")
	if code := parseFlagsNoArgs(fs, args, "cam triage list", io); code >= 0 {
		return code
	}
	filter := triage.Filter{OpenOnly: !*all, WithSuppressed: *all}
	if *status != "" {
		st, err := triage.ParseStatus(*status)
		if err != nil {
			fmt.Fprintf(io.Err, "cam triage list: --status: %s\n", inert.Text(err.Error()))
			return ExitUsage
		}
		filter.Status, filter.OpenOnly = st, false
	}
	env, ok := openState("cam triage list", sf, io)
	if !ok {
		return ExitUsage
	}
	defer env.Close()
	list, err := env.store.List(context.Background(), filter)
	if err != nil {
		return stateError("cam triage list", err, io)
	}
	if *asJSON {
		doc := struct {
			Alerts     []alertJSON `json:"alerts"`
			Suppressed int         `json:"suppressed"`
		}{Alerts: []alertJSON{}, Suppressed: list.Suppressed}
		for _, a := range list.Alerts {
			doc.Alerts = append(doc.Alerts, alertJSON{ID: a.ID, Rule: string(a.Rule), Severity: a.Severity, User: a.User,
				Database: a.Database, FirstSeen: a.FirstSeen.UTC().Format(time.RFC3339), LastSeen: a.LastSeen.UTC().Format(time.RFC3339),
				Count: a.Count, Message: a.Message, Status: string(a.Status), ClosingReason: string(a.Reason), Assignee: a.Assignee,
				ResolvedBy: a.ResolvedBy, Note: a.Note, FirstSeenRun: a.FirstSeenRun, LastSeenRun: a.LastSeenRun, Suppressed: a.Suppressed})
		}
		return writeJSONDoc("cam triage list", doc, io)
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tSEVERITY\tRULE\tUSER\tFIRST SEEN\tCOUNT\tNOTE")
	for _, a := range list.Alerts {
		st := describeStatus(a.Status, a.Reason)
		if a.Suppressed {
			st += " (suppressed)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", inert.Text(a.ID), st, inert.Text(a.Severity), inert.Text(string(a.Rule)), inert.Text(a.User),
			a.FirstSeen.Local().Format("2006-01-02 15:04"), a.Count, inert.Text(short(a.Note, 40)))
	}
	tw.Flush()
	fmt.Fprintf(io.Out, "%d alert(s)", len(list.Alerts))
	if list.Suppressed > 0 {
		fmt.Fprintf(io.Out, ", %d suppressed (--all shows them)", list.Suppressed)
	}
	fmt.Fprintln(io.Out)
	return ExitOK
}

// describeStatus writes "resolved (benign)"; both words come from the
// state file, which is read as untrusted.
func describeStatus(s triage.Status, r triage.Reason) string {
	if r != "" {
		return inert.Text(fmt.Sprintf("%s (%s)", s, r))
	}
	return inert.Text(string(s))
}

// short cuts s to n runes, marking the cut.
func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func writeJSONDoc(name string, doc any, io IO) int {
	enc := json.NewEncoder(io.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		fmt.Fprintf(io.Err, "%s: writing JSON: %s\n", name, inert.Text(err.Error()))
		return ExitIncomplete
	}
	return ExitOK
}

func triageSet(args []string, io IO) int {
	const name = "cam triage set"
	fs := newFlags("triage set", triageVerbs[1].synopsis, io)
	sf := newStateFlags(fs)
	reason := fs.String("reason", "", "closing reason when resolving: true_positive, false_positive, benign, duplicate")
	note := fs.String("note", "", "a note kept in the alert's history")
	assignee := fs.String("assignee", "", "the SID the alert is assigned to")
	positional, code := parseFlags(fs, args, io)
	if code >= 0 {
		return code
	}
	if len(positional) != 2 {
		fmt.Fprintf(io.Err, "%s: want an alert id and a status, got %d argument(s)\nUsage: %s\n", name, len(positional), triageVerbs[1].synopsis)
		return ExitUsage
	}
	id := positional[0]
	st, err := triage.ParseStatus(positional[1])
	if err != nil {
		fmt.Fprintf(io.Err, "%s: %s\n", name, inert.Text(err.Error()))
		return ExitUsage
	}
	c := triage.Change{Status: st, Note: *note, Assignee: strings.TrimSpace(*assignee)}
	if *reason != "" {
		r, err := triage.ParseReason(*reason)
		if err != nil {
			fmt.Fprintf(io.Err, "%s: --reason: %s\n", name, inert.Text(err.Error()))
			return ExitUsage
		}
		c.Reason = r
	}
	if c.Assignee != "" {
		if err := config.ValidateSID(c.Assignee); err != nil {
			fmt.Fprintf(io.Err, "%s: --assignee %q: %s\n", name, inert.Text(c.Assignee), inert.Text(err.Error()))
			return ExitUsage
		}
	}
	env, ok := openState(name, sf, io)
	if !ok {
		return ExitUsage
	}
	defer env.Close()
	a, row, err := env.sess.SetAlert(context.Background(), id, c)
	if errors.Is(err, triage.ErrNotFound) {
		fmt.Fprintf(io.Err, "%s: no alert %q in %s (`cam triage list --all` shows the ids)\n", name, inert.Text(id), inert.Text(env.store.Path()))
		return ExitUsage
	}
	if err != nil {
		return stateError(name, err, io)
	}
	env.logger.Info("alert changed", "alert", a.ID, "from", row.FromStatus, "to", row.ToStatus)
	fmt.Fprintf(io.Out, "alert %s: %s → %s\n", inert.Text(a.ID), describeStatus(row.FromStatus, row.FromReason), describeStatus(row.ToStatus, row.ToReason))
	return auditedExit(env)
}

func triageSuppress(args []string, io IO) int {
	const name = "cam triage suppress"
	fs := newFlags("triage suppress", triageVerbs[2].synopsis, io)
	sf := newStateFlags(fs)
	user := fs.String("user", "", "the user whose alerts to hide (required)")
	rule := fs.String("rule", "", "only this rule's alerts (account_takeover, brute_force, off_hours, role_violation); default every rule")
	reason := fs.String("reason", "", "why (required)")
	lasting := fs.String("for", "30d", "how long, at most 365d (e.g. 12h, 7d)")
	if code := parseFlagsNoArgs(fs, args, name, io); code >= 0 {
		return code
	}
	switch {
	case strings.TrimSpace(*user) == "":
		fmt.Fprintf(io.Err, "%s: --user is required\n", name)
		return ExitUsage
	case strings.TrimSpace(*reason) == "":
		fmt.Fprintf(io.Err, "%s: --reason is required\n", name)
		return ExitUsage
	}
	var r detect.Rule
	if *rule != "" {
		var err error
		if r, err = triage.ParseRule(*rule); err != nil {
			fmt.Fprintf(io.Err, "%s: --rule: %s\n", name, inert.Text(err.Error()))
			return ExitUsage
		}
	}
	d, err := config.ParseDuration(*lasting)
	if err == nil && (d <= 0 || d > triage.MaxSuppression) {
		err = fmt.Errorf("%s is outside 1s–365d", *lasting)
	}
	if err != nil {
		fmt.Fprintf(io.Err, "%s: --for %q: %s\n", name, inert.Text(*lasting), inert.Text(err.Error()))
		return ExitUsage
	}
	env, ok := openState(name, sf, io)
	if !ok {
		return ExitUsage
	}
	defer env.Close()
	x, err := env.sess.Suppress(context.Background(), *user, r, *reason, d)
	if err != nil {
		return stateError(name, err, io)
	}
	env.logger.Info("suppression added", "suppression", x.ID, "rule", string(x.Rule), "expires", x.ExpiresAt)
	scope := "every rule"
	if x.Rule != "" {
		scope = string(x.Rule)
	}
	fmt.Fprintf(io.Out, "suppression %d: %s for %s until %s\n", x.ID, scope, inert.Text(x.User), x.ExpiresAt.Local().Format("2006-01-02 15:04"))
	return auditedExit(env)
}

func triageSuppressions(args []string, io IO) int {
	const name = "cam triage suppressions"
	fs := newFlags("triage suppressions", triageVerbs[3].synopsis, io)
	sf := newStateFlags(fs)
	all := fs.Bool("all", false, "include expired suppressions")
	asJSON := fs.Bool("json", false, "print one JSON document")
	if code := parseFlagsNoArgs(fs, args, name, io); code >= 0 {
		return code
	}
	env, ok := openState(name, sf, io)
	if !ok {
		return ExitUsage
	}
	defer env.Close()
	list, err := env.store.Suppressions(context.Background(), *all)
	if err != nil {
		return stateError(name, err, io)
	}
	if *asJSON {
		type row struct {
			ID        int64  `json:"id"`
			User      string `json:"user"`
			Rule      string `json:"rule"`
			Reason    string `json:"reason"`
			CreatedAt string `json:"created_at"`
			ExpiresAt string `json:"expires_at"`
			SID       string `json:"sid"`
		}
		doc := struct {
			Suppressions []row `json:"suppressions"`
		}{Suppressions: []row{}}
		for _, x := range list {
			doc.Suppressions = append(doc.Suppressions, row{x.ID, x.User, string(x.Rule), x.Reason,
				x.CreatedAt.UTC().Format(time.RFC3339), x.ExpiresAt.UTC().Format(time.RFC3339), x.SID})
		}
		return writeJSONDoc(name, doc, io)
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tRULE\tEXPIRES\tBY\tREASON")
	for _, x := range list {
		rule := string(x.Rule)
		if rule == "" {
			rule = "(all)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", x.ID, inert.Text(x.User), inert.Text(rule), x.ExpiresAt.Local().Format("2006-01-02 15:04"),
			inert.Text(x.SID), inert.Text(short(x.Reason, 50)))
	}
	tw.Flush()
	return ExitOK
}

func triageHistory(args []string, io IO) int {
	const name = "cam triage history"
	fs := newFlags("triage history", triageVerbs[4].synopsis, io)
	sf := newStateFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON document")
	positional, code := parseFlags(fs, args, io)
	if code >= 0 {
		return code
	}
	if len(positional) != 1 {
		fmt.Fprintf(io.Err, "%s: want one alert id, got %d argument(s)\n", name, len(positional))
		return ExitUsage
	}
	env, ok := openState(name, sf, io)
	if !ok {
		return ExitUsage
	}
	defer env.Close()
	rows, err := env.store.History(context.Background(), positional[0])
	if errors.Is(err, triage.ErrNotFound) {
		fmt.Fprintf(io.Err, "%s: no alert %q in %s (`cam triage list --all` shows the ids)\n", name, inert.Text(positional[0]), inert.Text(env.store.Path()))
		return ExitUsage
	}
	if err != nil {
		return stateError(name, err, io)
	}
	if *asJSON {
		type row struct {
			Seq        int64  `json:"seq"`
			At         string `json:"at"`
			SID        string `json:"sid"`
			OSUser     string `json:"os_user"`
			Kind       string `json:"kind"`
			From       string `json:"from"`
			To         string `json:"to"`
			FromReason string `json:"from_reason"`
			ToReason   string `json:"to_reason"`
			Assignee   string `json:"assignee"`
			Note       string `json:"note"`
			Count      int    `json:"count,omitempty"`
			Undoes     int64  `json:"undoes,omitempty"`
		}
		doc := struct {
			History []row `json:"history"`
		}{History: []row{}}
		for _, h := range rows {
			doc.History = append(doc.History, row{h.Seq, h.At.UTC().Format(time.RFC3339Nano), h.SID, h.OSUser, h.Kind,
				string(h.FromStatus), string(h.ToStatus), string(h.FromReason), string(h.ToReason), h.ToAssignee, h.Note, h.Count, h.Undoes})
		}
		return writeJSONDoc(name, doc, io)
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSID\tOS USER\tCHANGE\tNOTE")
	for _, h := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", h.At.Local().Format("2006-01-02 15:04:05"), inert.Text(h.SID), inert.Text(h.OSUser),
			describeChange(h), inert.Text(short(h.Note, 60)))
	}
	tw.Flush()
	return ExitOK
}

// describeChange says what one history row did.
func describeChange(h triage.HistoryEntry) string {
	move := describeStatus(h.FromStatus, h.FromReason) + " → " + describeStatus(h.ToStatus, h.ToReason)
	switch h.Kind {
	case triage.KindNote:
		return "note"
	case triage.KindEvidence:
		return fmt.Sprintf("rerun: count %d", h.Count)
	case triage.KindUndo:
		return fmt.Sprintf("undo: %s", move)
	}
	if h.ToAssignee != h.FromAssignee {
		move += " (assigned " + inert.Text(h.ToAssignee) + ")"
	}
	return move
}

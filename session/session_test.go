package session

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/journal"
	"cam/krb5"
	"cam/report"
)

// memRecorder keeps what it is asked to record; slow makes every record
// take that long, as a trail on a slow disk does.
type memRecorder struct {
	mu      sync.Mutex
	slow    time.Duration
	err     error
	actions []string
	details []map[string]any
}

func (r *memRecorder) Record(action string, details map[string]any) error {
	time.Sleep(r.slow)
	for k, v := range details {
		if err := journal.CheckDetail(k, v); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.actions = append(r.actions, action)
	r.details = append(r.details, details)
	return r.err
}

func (r *memRecorder) last(action string) map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.actions) - 1; i >= 0; i-- {
		if r.actions[i] == action {
			return r.details[i]
		}
	}
	return nil
}

func (r *memRecorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.actions...)
}

type fakeRun struct {
	id        int64
	ch        chan engine.Event
	cancelled atomic.Bool
	// onCancel, when set, is what the engine sends before closing.
	onCancel *engine.Result
}

func (r *fakeRun) ID() int64                   { return r.id }
func (r *fakeRun) Events() <-chan engine.Event { return r.ch }
func (r *fakeRun) Cancel() {
	if r.cancelled.CompareAndSwap(false, true) {
		go func() {
			if r.onCancel != nil {
				r.ch <- engine.RunFinished{RunID: r.id, Result: *r.onCancel}
			}
			close(r.ch)
		}()
	}
}

type fakeEngine struct {
	mu   sync.Mutex
	runs []*fakeRun
	reqs []engine.Request
	next *engine.Result // what a cancelled run reports
}

func (f *fakeEngine) Start(_ context.Context, req engine.Request) (RunHandle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &fakeRun{id: int64(len(f.runs) + 1), ch: make(chan engine.Event, 10), onCancel: f.next}
	f.runs = append(f.runs, r)
	f.reqs = append(f.reqs, req)
	return r, nil
}

func testConfig() *config.Config {
	return &config.Config{
		Databases: []config.Database{{Name: "clients", Driver: "sqlite",
			Queries: []config.Query{{Name: "Email"}, {Name: "Phone"}}}},
		Settings: config.Settings{User: config.User{SID: "A12345"},
			App: config.App{EmailRecipients: []string{"soc@example.com", "lead@example.com"}}},
	}
}

func newSession(t *testing.T, rec Recorder) (*Session, *fakeEngine) {
	t.Helper()
	fe := &fakeEngine{}
	trail := NewTrail(rec, nil)
	t.Cleanup(func() { trail.Close() })
	return New(Options{Config: testConfig(), Engine: fe, Trail: trail, Version: "test"}), fe
}

func result(id int64) engine.Result {
	return engine.Result{RunID: id, Complete: true, Findings: detect.Findings{
		Takeovers: []detect.Takeover{{User: "100042"}},
		Alerts:    []detect.Alert{{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "100042", Count: 4}},
	}}
}

func TestRunLifecycle(t *testing.T) {
	rec := &memRecorder{}
	s, fe := newSession(t, rec)
	anchor := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	run, err := s.Start(context.Background(), &anchor)
	if err != nil {
		t.Fatal(err)
	}
	if run.Mode() != engine.ModeAnchored || fe.reqs[0].LastEventTime != &anchor {
		t.Errorf("mode %s, request %+v: the Last Event Time must anchor the run", run.Mode(), fe.reqs[0])
	}
	if _, err := s.Start(context.Background(), nil); !errors.Is(err, ErrRunning) {
		t.Errorf("second start while running: %v, want ErrRunning", err)
	}
	fe.runs[0].ch <- engine.QueryQueued{}
	fe.runs[0].ch <- engine.RunFinished{RunID: 1, Result: result(1)}
	close(fe.runs[0].ch)
	var got []engine.Event
	for ev := range run.Events() {
		got = append(got, ev)
		if fin, ok := ev.(engine.RunFinished); ok {
			run.Finish(fin.Result, "")
			run.Finish(fin.Result, "") // a second hand-over records nothing
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d events forwarded, want 2", len(got))
	}
	if !run.Finished() || run.Result() == nil || run.Result().RunID != 1 {
		t.Errorf("after Finish: finished %v, result %+v", run.Finished(), run.Result())
	}
	if run.Abandon("", time.Second) {
		t.Error("abandoning a finished run counts as a cancellation")
	}
	s.Trail().Flush()
	if want := []string{journal.ActionRunStarted, journal.ActionRunFinished}; !reflect.DeepEqual(rec.list(), want) {
		t.Errorf("trail %v, want %v", rec.list(), want)
	}
	if d := rec.last(journal.ActionRunStarted); d["mode"] != "anchored" || d["queries"] != 2 || d["run_id"] != int64(1) {
		t.Errorf("run_started %v", d)
	}
	if _, err := s.Start(context.Background(), nil); err != nil {
		t.Errorf("a finished run blocks the next: %v", err)
	} else if s.run.Mode() != engine.ModeSliding {
		t.Errorf("no Last Event Time: mode %s, want sliding", s.run.Mode())
	}
}

func TestAbandonRecordsTheEndOnce(t *testing.T) {
	cancelled := result(1)
	cancelled.Cancelled, cancelled.Complete = true, false
	for _, tc := range []struct {
		name      string
		reports   *engine.Result
		wantRows  bool // details come from the engine's result
		wantTimed bool
	}{
		{name: "engine reports back", reports: &cancelled, wantRows: true},
		{name: "engine never reports", reports: nil, wantTimed: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &memRecorder{}
			s, fe := newSession(t, rec)
			fe.next = tc.reports
			run, err := s.Start(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !run.Abandon("SIGTERM", 2*time.Second) {
				t.Error("abandoning a running run is not a cancellation")
			}
			run.Abandon("SIGTERM", time.Second)
			s.Trail().Flush()
			if want := []string{journal.ActionRunStarted, journal.ActionRunFinished}; !reflect.DeepEqual(rec.list(), want) {
				t.Fatalf("trail %v, want %v", rec.list(), want)
			}
			d := rec.last(journal.ActionRunFinished)
			if d["signal"] != "SIGTERM" || d["cancelled"] != true || d["complete"] != false {
				t.Errorf("run_finished %v", d)
			}
			if _, ok := d["suspicious"]; ok != tc.wantRows {
				t.Errorf("run_finished %v: counts present %v, want %v", d, ok, tc.wantRows)
			}
		})
	}
}

// A slow disk delays the trail, never the caller; the order holds and
// Close writes everything queued.
func TestTrailIsAsynchronousOrderedAndFlushedOnClose(t *testing.T) {
	dir := t.TempDir()
	a, err := journal.OpenAudit(dir, "A12345")
	if err != nil {
		t.Fatal(err)
	}
	slow := &slowRecorder{a: a, d: 5 * time.Millisecond}
	trail := NewTrail(slow, nil)
	began := time.Now()
	const n = 40
	for i := 0; i < n; i++ {
		trail.Record(journal.ActionYank, map[string]any{"what": "user_ids", "count": i})
	}
	if d := time.Since(began); d > n*slow.d/2 {
		t.Errorf("queuing %d actions took %s: Record waited for the disk", n, d)
	}
	if err := trail.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, journal.AuditFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	i := 0
	for sc := bufio.NewScanner(f); sc.Scan(); i++ {
		var e journal.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if c, _ := e.Details["count"].(float64); int(c) != i {
			t.Fatalf("line %d has count %v: the trail is out of order", i, e.Details["count"])
		}
	}
	if i != n {
		t.Errorf("%d lines after Close, want %d", i, n)
	}
	trail.Record(journal.ActionYank, nil)
	if !trail.Failed() {
		t.Error("a record after Close is not reported as failed")
	}
}

type slowRecorder struct {
	a *journal.Audit
	d time.Duration
}

func (s *slowRecorder) Record(action string, details map[string]any) error {
	time.Sleep(s.d)
	return s.a.Record(action, details)
}

func (s *slowRecorder) Close() error { return s.a.Close() }

func TestTrailFailureIsSurfaced(t *testing.T) {
	full := errors.New("audit: write /logs/audit.jsonl: no space left on device")
	var mu sync.Mutex
	var heard []string
	trail := NewTrail(&memRecorder{err: full}, func(action string, err error) {
		mu.Lock()
		heard = append(heard, action+": "+err.Error())
		mu.Unlock()
	})
	defer trail.Close()
	if trail.Err() != nil || trail.Failed() {
		t.Fatal("failure before any record")
	}
	trail.Record(journal.ActionRunStarted, nil)
	select {
	case <-trail.Failures():
	case <-time.After(5 * time.Second):
		t.Fatal("no failure signalled")
	}
	if !errors.Is(trail.Err(), full) || !trail.Failed() {
		t.Errorf("Err %v, Failed %v", trail.Err(), trail.Failed())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(heard) != 1 || heard[0] != "run_started: "+full.Error() {
		t.Errorf("onFail heard %q", heard)
	}
}

func TestOpenTrailFailureFailsEveryAction(t *testing.T) {
	dir := t.TempDir()
	// The trail's file name taken by a directory: it cannot be opened.
	if err := os.MkdirAll(filepath.Join(dir, journal.AuditFileName), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Settings.App.LogDir = dir
	var failed []string
	trail, err := OpenTrail(cfg, func(action string, _ error) { failed = append(failed, action) })
	if err == nil {
		t.Fatal("opening a directory as the trail succeeded")
	}
	trail.Record(journal.ActionRunStarted, nil)
	trail.Close()
	if !trail.Failed() || len(failed) != 1 || failed[0] != journal.ActionRunStarted {
		t.Errorf("failed %v, Failed %v: the unopened trail must fail each action", failed, trail.Failed())
	}
}

// Export, mail and copies record the same lines whichever front end asks:
// the shapes live here only.
func TestHandOffRecords(t *testing.T) {
	rec := &memRecorder{}
	s, fe := newSession(t, rec)
	run, err := s.Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res := result(run.ID())
	fe.runs[0].ch <- engine.RunFinished{RunID: 1, Result: res}
	run.Finish(res, "")
	dir := t.TempDir()
	paths, err := s.Export(dir, []string{report.FormatXLSX, report.FormatCSV}, res, report.FullView(res), s.Meta())
	if err != nil {
		t.Fatal(err)
	}
	link := s.MailLink(res, s.Exported())
	s.Copied(CopiedUserIDs, 3)
	s.Copied(CopiedSummary, 1)
	s.Copied("mailto", 1)
	s.Trail().Flush()
	want := []string{journal.ActionRunStarted, journal.ActionRunFinished, journal.ActionExport, journal.ActionMail,
		journal.ActionYank, journal.ActionSummaryCopy}
	if !reflect.DeepEqual(rec.list(), want) {
		t.Fatalf("trail %v, want %v", rec.list(), want)
	}
	if d := rec.last(journal.ActionExport); !reflect.DeepEqual(d["files"], paths) || d["alerts"] != 1 || d["filter_active"] != false {
		t.Errorf("export %v", d)
	}
	wantMail := map[string]any{"run_id": int64(1), "recipients": 2, "suspicious": 1}
	if d := rec.last(journal.ActionMail); !reflect.DeepEqual(d, wantMail) {
		t.Errorf("mail %v, want %v", d, wantMail)
	}
	if link == "" || ReportFor(paths) == "" {
		t.Errorf("link %q, report %q", link, ReportFor(paths))
	}
}

func TestReportFor(t *testing.T) {
	for _, tc := range []struct {
		name  string
		paths []string
		want  string
	}{
		{name: "nothing exported", want: ""},
		{name: "the workbook first", paths: []string{"/r/a.csv", "/r/a.xlsx"}, want: "/r/a.xlsx"},
		{name: "the newest workbook", paths: []string{"/r/a.xlsx", "/r/a.csv", "/r/b.xlsx"}, want: "/r/b.xlsx"},
		{name: "no workbook: the first file", paths: []string{"/r/a-users.csv", "/r/a-alerts.csv"}, want: "/r/a-users.csv"},
		{name: "never the draft itself", paths: []string{"/r/a.eml", "/r/a.csv"}, want: "/r/a.csv"},
		{name: "only the draft", paths: []string{"/r/a.eml"}, want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReportFor(tc.paths); got != tc.want {
				t.Errorf("ReportFor(%q) = %q, want %q", tc.paths, got, tc.want)
			}
		})
	}
}

func TestTicketGate(t *testing.T) {
	for _, tc := range []struct {
		name      string
		state     krb5.State
		confirmed bool
		blocks    bool
	}{
		{name: "valid", state: krb5.StateOK},
		{name: "expiring soon still runs", state: krb5.StateExpiringSoon},
		{name: "missing", state: krb5.StateMissing, blocks: true},
		{name: "expired", state: krb5.StateExpired, blocks: true},
		{name: "confirming kinit does not lift a missing ticket", state: krb5.StateMissing, confirmed: true, blocks: true},
		{name: "unreadable cache", state: krb5.StateCacheUnreadable, blocks: true},
		{name: "unreadable cache, kinit confirmed", state: krb5.StateCacheUnreadable, confirmed: true},
		{name: "unreadable krb5.conf, kinit confirmed", state: krb5.StateConfigUnreadable, confirmed: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := TicketAllowsRun(tc.state, tc.confirmed); got == tc.blocks {
				t.Errorf("allows a run: %v, want blocking %v", got, tc.blocks)
			}
		})
	}
}

type fakeChecker []engine.CheckResult

func (f fakeChecker) Check(context.Context, *config.Config) []engine.CheckResult { return f }

func TestCheckReadiness(t *testing.T) {
	for _, tc := range []struct {
		name       string
		driver     string
		answers    fakeChecker
		wantOK     bool
		wantTicket bool
	}{
		{name: "every database answers", driver: "sqlite", answers: fakeChecker{{Database: "a", OK: true}, {Database: "b", OK: true}}, wantOK: true},
		{name: "one fails", driver: "sqlite", answers: fakeChecker{{Database: "a", OK: true}, {Database: "b"}}},
		{name: "kerberos reads the ticket", driver: "oracle", answers: fakeChecker{{Database: "a", OK: true}}, wantOK: true, wantTicket: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Databases[0].Driver = tc.driver
			cfg.Settings.OracleClient.Krb5Cache = filepath.Join(t.TempDir(), "no-such-cache")
			r := CheckReadiness(context.Background(), tc.answers, cfg, time.Now())
			if r.OK() != tc.wantOK || len(r.Databases) != len(tc.answers) {
				t.Errorf("OK %v with %d databases, want %v with %d", r.OK(), len(r.Databases), tc.wantOK, len(tc.answers))
			}
			if (r.Ticket != nil) != tc.wantTicket {
				t.Fatalf("ticket %+v, want one: %v", r.Ticket, tc.wantTicket)
			}
			if r.Ticket != nil && r.Ticket.State != krb5.StateMissing {
				t.Errorf("ticket from a missing cache: state %v, want missing", r.Ticket.State)
			}
		})
	}
}

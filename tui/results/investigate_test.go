package results

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"cam/config"
	"cam/engine"
	"cam/engine/detect"
	"cam/tui/common"
)

// The pane's screens are compared in the ASCII profile: no colour, so the
// selection must show without it.
func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// takeoverResult is a takeover over four databases, a brute force from one
// address and an alert from last year, for jdoe.
func takeoverResult() engine.Result {
	ev := []detect.Evidence{
		{Type: "password", Time: t0, Database: "accounts", Query: "pw_changes"},
		{Type: "email", Time: t0.Add(40 * time.Minute), Database: "crm", Query: "email_changes"},
		{Type: "phone", Time: t0.Add(2 * time.Hour), Database: "crm", Query: "phone_changes"},
		{Type: "token", Time: t0.Add(3*time.Hour + 12*time.Minute), Database: "tokens", Query: "token_changes"},
	}
	brute := []detect.Evidence{
		{Type: "LOGIN", Time: t0.Add(-time.Hour), Database: "dam", Query: "activity", Status: "FAILED", IP: "10.0.0.7"},
		{Type: "LOGIN", Time: t0, Database: "dam", Query: "activity", Status: "FAILED", IP: "10.0.0.7"},
	}
	return engine.Result{Complete: true, Findings: detect.Findings{
		Takeovers: []detect.Takeover{{User: "jdoe"}},
		Alerts: []detect.Alert{
			{Rule: detect.RuleTakeover, Severity: detect.SeverityCritical, User: "jdoe", FirstSeen: t0, LastSeen: ev[3].Time, Count: 4,
				Message: "password, email, phone and token changed within 3h 12m", Evidence: ev},
			{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "jdoe", FirstSeen: brute[0].Time, LastSeen: t0, Count: 2,
				Message: "2 failed logins from 10.0.0.7", IPs: []string{"10.0.0.7"}, Evidence: brute},
			{Rule: detect.RuleBruteForce, Severity: detect.SeverityHigh, User: "asmith", FirstSeen: t0, LastSeen: t0, Count: 6,
				Message: "6 failed logins from 10.0.0.7", IPs: []string{"10.0.0.7"},
				Evidence: []detect.Evidence{{Type: "LOGIN", Time: t0, Database: "dam", Query: "activity", Status: "FAILED", IP: "10.0.0.7"}}},
			{Rule: detect.RuleOffHours, Severity: detect.SeverityMedium, User: "old", FirstSeen: time.Date(2025, 12, 30, 22, 0, 0, 0, time.UTC),
				LastSeen: time.Date(2025, 12, 30, 23, 30, 0, 0, time.UTC), Count: 3, Message: "actions outside business hours"},
		}}}
}

func investigationModel(t *testing.T, w, h int) Model {
	t.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	c := common.New()
	c.Zone, c.ClipboardMode = london, "off"
	c.Now = func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	m := New(c)
	m.SetSize(w, h)
	m.SetDatabaseZones(map[string]*time.Location{"accounts": time.UTC, "crm": london, "tokens": time.FixedZone("UTC+5", 5*3600)})
	m.SetResult(takeoverResult())
	return m
}

// Without colour the selected row carries a marker, and the header names
// the sort column's direction and the WHEN column's zone.
func TestGoldenResultsWithoutColour(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 78, 18}, {"140x40", 138, 34}} {
		t.Run(size.name, func(t *testing.T) {
			m := investigationModel(t, size.w, size.h)
			m, _ = typeKeys(m, "j")
			v := m.View()
			golden.RequireEqual(t, v) // go test -update rewrites it
			lines := strings.Split(v, "\n")
			var marked []string
			for _, l := range lines {
				if strings.HasPrefix(l, "> ") {
					marked = append(marked, l)
				}
			}
			if len(marked) != 1 || !strings.Contains(marked[0], "brute force") {
				t.Errorf("want exactly the second row marked, got %q", marked)
			}
			if !strings.Contains(v, "SEV v") || !strings.Contains(v, "WHEN (Europe/London)") {
				t.Errorf("header lacks the sort direction or the zone:\n%s", v)
			}
			if !strings.Contains(v, "2025-12-30 22:00–23:30") {
				t.Errorf("last year's alert is shown without its year:\n%s", v)
			}
			t.Run("detail", func(t *testing.T) {
				m, _ := typeKeys(m, "enter")
				golden.RequireEqual(t, m.View())
			})
		})
	}
}

func TestSortHeaderFollowsColumnAndDirection(t *testing.T) {
	m := investigationModel(t, 138, 20)
	cases := []struct{ key, want string }{{"s", "RULE ^"}, {"s", "USER ^"}, {"S", "USER v"}, {"s", "WHEN (Europe/London) v"}}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			m, _ = typeKeys(m, c.key)
			if v := m.View(); !strings.Contains(v, c.want) {
				t.Errorf("after %s the header lacks %q:\n%s", c.key, c.want, strings.Split(v, "\n")[2])
			}
		})
	}
}

func TestDetailShowsDatabaseClockAndDisplayZone(t *testing.T) {
	m := investigationModel(t, 138, 30)
	m, _ = typeKeys(m, "enter")
	v := m.View()
	// 10:00 UTC on 20 November: 10:00 in London (GMT), 15:00 in UTC+5.
	for _, want := range []string{"TIME (Europe/London)", "DATABASE CLOCK", "tokens / token_changes", "3h 12m"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "token_changes") && !(strings.Contains(l, "11-20 13:12:00") && strings.Contains(l, "11-20 18:12:00")) {
			t.Errorf("the token change is not at 13:12 in London and 18:12 on the database's clock: %q", l)
		}
	}
	if strings.Contains(v, "0m0s") {
		t.Errorf("a span prints Go's duration form:\n%s", v)
	}
}

// copied types keys and returns what y would copy from the open view.
func copied(t *testing.T, m Model, keys ...string) (Model, string) {
	t.Helper()
	m, _ = typeKeys(m, keys...)
	table := &m.ev
	if m.tl != nil {
		table = &m.tl.table
	}
	text, note, err := m.cellPlan(table)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(note, text) {
		t.Errorf("the toast %q does not end in the copied text %q", note, text)
	}
	return m, note
}

func TestEvidenceYankCopiesTheCellUnderTheCursor(t *testing.T) {
	m := investigationModel(t, 138, 30)
	m, _ = typeKeys(m, "j", "enter") // jdoe's brute force
	m, note := copied(t, m)
	if note != "Copied time 11-20 09:00:00" {
		t.Errorf("y on the first cell: %q", note)
	}
	m, note = copied(t, m, "l", "l", "l", "l")
	if note != "Copied source IP 10.0.0.7" { // TIME, DATABASE CLOCK, EVENT, STATUS, SOURCE IP
		t.Errorf("y on the IP cell: %q", note)
	}
	_ = m
}

func TestPivotFiltersBySourceIPOrUser(t *testing.T) {
	m := investigationModel(t, 138, 30)
	m, _ = typeKeys(m, "j", "enter", "l", "l", "l", "l", "f")
	if m.InDetail() || m.Filter() != "ip:10.0.0.7" {
		t.Fatalf("f on the IP cell: detail %v, filter %q", m.InDetail(), m.Filter())
	}
	var users []string
	for _, a := range m.Visible() {
		users = append(users, a.User)
	}
	if strings.Join(users, ",") != "jdoe,asmith" {
		t.Errorf("ip pivot shows %v, want jdoe and asmith's brute force", users)
	}
	m, _ = typeKeys(m, "esc", "enter", "f")
	if m.Filter() != "user:jdoe" {
		t.Errorf("f on another cell: filter %q, want user:jdoe", m.Filter())
	}
}

func TestTimelineShowsEveryEventOfTheUser(t *testing.T) {
	m := investigationModel(t, 138, 30)
	m, _ = typeKeys(m, "t")
	if !m.InTimeline() {
		t.Fatal("t did not open the timeline")
	}
	v := m.View()
	for _, want := range []string{"Timeline of jdoe: 6 events", "accounts / pw_changes", "crm / email_changes", "crm / phone_changes",
		"tokens / token_changes", "brute force", "takeover", "TIME (Europe/London)"} {
		if !strings.Contains(v, want) {
			t.Errorf("timeline lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "asmith") {
		t.Errorf("another user's event is in jdoe's timeline:\n%s", v)
	}
	// The login at 10:00 is in jdoe's brute force only; the oldest row is
	// first.
	rows := m.tl.table.rows
	if !rows[0].Time.Equal(t0.Add(-time.Hour)) {
		t.Errorf("first row at %v, want the oldest event", rows[0].Time)
	}
	m, _ = typeKeys(m, "/", "crm", "enter")
	if n := len(m.tl.table.rows); n != 2 {
		t.Errorf("/crm keeps %d rows, want the two crm changes", n)
	}
	if m.InputFocused() {
		t.Error("the timeline filter keeps the keys after enter")
	}
	m, note := copied(t, m, "l", "l", "l", "l")
	if note != "Copied database / query crm / email_changes" {
		t.Errorf("yank in the timeline: %q", note)
	}
	m, _ = typeKeys(m, "esc", "esc")
	if m.InTimeline() {
		t.Error("esc, esc did not clear the filter and leave the timeline")
	}
}

func TestTimelineAddsTheRunsOtherEvents(t *testing.T) {
	rows := timelineRows(takeoverResult().Findings.Alerts, "jdoe", []detect.Evidence{
		{Type: "LOGIN", Time: t0, Database: "dam", Query: "activity", Status: "FAILED", IP: "10.0.0.7"}, // the brute force's own
		{Type: "SELECT", Time: t0.Add(5 * time.Hour), Database: "dam", Query: "activity", Status: "SUCCESS"},
	})
	if len(rows) != 7 {
		t.Fatalf("%d rows, want 6 behind findings and 1 other", len(rows))
	}
	last := rows[len(rows)-1]
	if last.Type != "SELECT" || len(last.Rules) != 0 {
		t.Errorf("last row %+v, want the unflagged SELECT", last)
	}
}

func TestDatabaseZonesComeFromTheConfiguration(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	cfg := &config.Config{Databases: []config.Database{{Name: "crm", Location: tokyo}, {Name: "dam", Location: time.UTC}}}
	z := DatabaseZones(cfg)
	if z["crm"] != tokyo || z["dam"] != time.UTC || len(z) != 2 {
		t.Errorf("zones %v", z)
	}
}

// f never puts a database's control characters into the filter line,
// which shows its text as typed.
func TestPivotRefusesControlCharacters(t *testing.T) {
	m := investigationModel(t, 138, 30)
	res := takeoverResult()
	res.Findings.Alerts[0].User = "evil\x1b]52;c;aGk=\a"
	m.SetResult(res)
	m, _ = typeKeys(m, "enter", "f")
	if m.Filter() != "" || !m.InDetail() {
		t.Errorf("f filtered by a user id with control characters: %q", m.Filter())
	}
	if v := m.View(); !strings.Contains(v, "filter by hand") || strings.Contains(v, "\x1b]52") {
		t.Errorf("the refusal is not said, or the id reached the screen raw:\n%q", v)
	}
}

// The rules word a burst's evidence LOGIN/FAILED; the database may have
// stored "Failed". The fetched event and the evidence are one row, marked,
// in the words the database used.
func TestTimelineJoinsEvidenceAndEventsWhateverTheirCase(t *testing.T) {
	rows := timelineRows(takeoverResult().Findings.Alerts, "jdoe", []detect.Evidence{
		{Type: "login", Time: t0, Database: "dam", Query: "activity", Status: "Failed", IP: "10.0.0.7"},
	})
	if len(rows) != 6 {
		t.Fatalf("%d rows, want the 6 behind findings (the fetched login is one of them)", len(rows))
	}
	for _, r := range rows {
		if r.Time.Equal(t0) && r.IP == "10.0.0.7" && (r.Status != "Failed" || r.Type != "login" || len(r.Rules) == 0) {
			t.Errorf("the burst's login %+v, want it marked and worded as stored", r)
		}
	}
}

// w shows the event row under the cursor whole: the tables cut database,
// query and address to fit 80 columns.
func TestWholeRowShowsWhatTheTableCuts(t *testing.T) {
	m := investigationModel(t, 78, 20)
	res := takeoverResult()
	long := "client_activity_analysis_on_the_secondary_site"
	res.Findings.Alerts[0].Evidence[0].Database = long
	m.SetResult(res)
	for _, view := range []struct {
		name string
		keys []string
	}{
		{"detail", []string{"enter", "w"}},
		{"timeline", []string{"t", "j", "w"}}, // the second event is the password change
	} {
		t.Run(view.name, func(t *testing.T) {
			mm, cmd := typeKeys(m, view.keys...)
			if strings.Contains(mm.View(), long) {
				t.Fatalf("the table shows %q whole already; the test needs a cut", long)
			}
			if cmd == nil {
				t.Fatal("w asked for nothing")
			}
			msg, ok := cmd().(WholeRowMsg)
			if !ok || !strings.Contains(msg.Text, "Database: "+long) || !strings.Contains(msg.Text, "Query: pw_changes") {
				t.Errorf("w gave %#v, want the whole row", msg)
			}
		})
	}
}

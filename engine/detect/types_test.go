package detect

import (
	"fmt"
	"testing"
	"time"

	"cam/config"
)

// Configured change types: five listed, three needed. A window with all
// five is critical, one with three or four is high and names what changed
// and what did not, two are not a takeover, and a type outside the list
// counts for nothing.
func TestTakeoverTypesOfYourOwn(t *testing.T) {
	const address config.ChangeType = "address"
	types := []config.ChangeType{config.ChangePassword, config.ChangeEmail, config.ChangePhone, config.ChangeToken, address}
	p := params()
	p.TakeoverTypes, p.TakeoverMinTypes = types, 3
	h := time.Hour
	cases := []struct {
		name     string
		changes  []config.ChangeType
		spread   time.Duration // between consecutive changes
		severity Severity      // 0: no takeover
		changed  string
		missing  string
		message  string
	}{
		{"all five", types, h, SeverityCritical, "[password email phone token address]", "[]",
			"password, email, phone, token and address changed within 4h"},
		{"three of five", []config.ChangeType{config.ChangePassword, address, config.ChangePhone}, h, SeverityHigh,
			"[password phone address]", "[email token]", "password, phone and address changed within 2h; email or token did not"},
		{"four of five", []config.ChangeType{address, config.ChangeToken, config.ChangeEmail, config.ChangePassword}, h, SeverityHigh,
			"[password email token address]", "[phone]", "password, email, token and address changed within 3h; phone did not"},
		{"two of five", []config.ChangeType{config.ChangePassword, address}, h, 0, "", "", ""},
		{"three, but not within the window", []config.ChangeType{config.ChangePassword, address, config.ChangeEmail}, 13 * h, 0, "", "", ""},
		{"three with an unlisted type", []config.ChangeType{config.ChangePassword, address, "colour"}, h, 0, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var changes []ChangeEvent
			for i, ct := range c.changes {
				changes = append(changes, change("u1", ct, t0.Add(time.Duration(i)*c.spread)))
			}
			f := run(p, changes, nil)
			if c.severity == 0 {
				if len(f.Takeovers) != 0 || len(f.Alerts) != 0 {
					t.Fatalf("want no takeover, got %+v %+v", f.Takeovers, f.Alerts)
				}
				return
			}
			if len(f.Takeovers) != 1 || len(f.Alerts) != 1 {
				t.Fatalf("want one takeover and its alert, got %+v %+v", f.Takeovers, f.Alerts)
			}
			tk, al := f.Takeovers[0], f.Alerts[0]
			changed, missing := tk.ChangedTypes(types)
			if fmt.Sprint(changed) != c.changed || fmt.Sprint(missing) != c.missing {
				t.Errorf("changed %v missing %v, want %s %s", changed, missing, c.changed, c.missing)
			}
			if tk.Severity(types) != c.severity || al.Severity != c.severity {
				t.Errorf("severity %v / alert %v, want %v", tk.Severity(types), al.Severity, c.severity)
			}
			if al.Message != c.message || al.Count != len(changed) || len(al.Evidence) != len(changed) {
				t.Errorf("alert %q count %d evidence %d", al.Message, al.Count, len(al.Evidence))
			}
		})
	}
}

// The rule reports the window with the most types (the earliest of those):
// five types spread over two days with at most three in one window is a
// high takeover on the first three; five in one window later on is
// critical, on that window.
func TestTakeoverPrefersAWindowWithEveryType(t *testing.T) {
	types := []config.ChangeType{config.ChangePassword, config.ChangeEmail, config.ChangePhone, config.ChangeToken, "address"}
	p := params()
	p.TakeoverTypes, p.TakeoverMinTypes = types, 3
	h := time.Hour
	early := []ChangeEvent{change("u", "address", t0), change("u", config.ChangeEmail, t0.Add(h)), change("u", config.ChangePhone, t0.Add(2*h))}
	later := []ChangeEvent{change("u", config.ChangePassword, t0.Add(30*h)), change("u", config.ChangeToken, t0.Add(31*h))}
	f := run(p, append(early, later...), nil)
	if len(f.Takeovers) != 1 || f.Takeovers[0].Severity(types) != SeverityHigh || !f.Takeovers[0].WindowStart.Equal(t0) {
		t.Fatalf("takeovers %+v", f.Takeovers)
	}
	// Every type again on the third day: that window is critical.
	var all []ChangeEvent
	for i, ct := range types {
		all = append(all, change("u", ct, t0.Add(60*h+time.Duration(i)*time.Minute)))
	}
	f = run(p, append(append(early, later...), all...), nil)
	if len(f.Takeovers) != 1 || f.Takeovers[0].Severity(types) != SeverityCritical || !f.Takeovers[0].WindowStart.Equal(t0.Add(60*h)) {
		t.Fatalf("takeovers %+v", f.Takeovers)
	}
}

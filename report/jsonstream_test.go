package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"cam/engine"
	"cam/engine/detect"
)

// tricky holds strings encoding/json escapes in every way it can.
var tricky = []string{"", "plain", "a<b>&c", "quote\" back\\slash", "tab\tnew\nline\x01", "naïve – dash",
	"line\u2028sep\u2029", "bad\xffutf8", "emoji 😀", "=HYPERLINK(\"x\")"}

func randomAlerts(rng *rand.Rand, n int) []detect.Alert {
	t0 := time.Date(2026, 11, 3, 14, 0, 0, 0, time.FixedZone("X", 3600))
	rules := []detect.Rule{detect.RuleTakeover, detect.RuleBruteForce, detect.RuleOffHours, detect.RuleRoleViolation}
	out := make([]detect.Alert, n)
	for i := range out {
		out[i] = detect.Alert{Rule: rules[rng.IntN(4)], Severity: detect.Severity(1 + rng.IntN(4)),
			User: tricky[rng.IntN(len(tricky))], Database: tricky[rng.IntN(len(tricky))],
			FirstSeen: t0.Add(time.Duration(rng.IntN(5)) * time.Hour), LastSeen: t0.Add(time.Duration(rng.IntN(9)) * time.Hour),
			Count: rng.IntN(1 << 20), Message: tricky[rng.IntN(len(tricky))] + fmt.Sprint(i)}
	}
	return out
}

// The streamed document is byte for byte the document scripts have always
// read: the fixture, the contract test's result, an empty run, and random
// alerts full of characters that need escaping, with and without reports
// and a mail link.
func TestWriteJSONMatchesDocument(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	empty := engine.Result{StartedAt: t0, FinishedAt: t0, StartDate: t0, Mode: engine.ModeSliding}
	withAlerts := fixture()
	withAlerts.Findings.Alerts = append(withAlerts.Findings.Alerts, randomAlerts(rng, 300)...)
	cases := []struct {
		name    string
		res     engine.Result
		reports []string
		mailto  string
	}{
		{"fixture", fixture(), []string{"/tmp/r.xlsx", "/tmp/r<1>.csv"}, ""},
		{"fixture with mailto", fixture(), nil, "mailto:soc@example.org?subject=a&b"},
		{"empty run", empty, nil, ""},
		{"many tricky alerts", withAlerts, []string{"x"}, "mailto:x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := NewDocument(c.res, "A1<2>", c.reports)
			doc.Mailto = c.mailto
			var want, got bytes.Buffer
			if err := doc.Write(&want); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&got, c.res, "A1<2>", c.reports, c.mailto); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("streamed document differs\n got: %s\nwant: %s", got.Bytes(), want.Bytes())
			}
		})
	}
}

// BenchmarkWriteJSON streams 150k alerts (a large run) to io.Discard.
func BenchmarkWriteJSON(b *testing.B) {
	res := fixture()
	res.Findings.Alerts = randomAlerts(rand.New(rand.NewPCG(1, 1)), 150_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSON(discardWriter{}, res, "A1", nil, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDocumentWrite is the whole-document path, for comparison.
func BenchmarkDocumentWrite(b *testing.B) {
	res := fixture()
	res.Findings.Alerts = randomAlerts(rand.New(rand.NewPCG(1, 1)), 150_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := NewDocument(res, "A1", nil).Write(discardWriter{}); err != nil {
			b.Fatal(err)
		}
	}
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }

package detect

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"cam/config"
)

// Queries adding through their own shards at once, with text and numeric
// ids and a source each, find what one accumulator finds: every user who
// changed all four types, once, under the right name and sources.
func TestShardsAddConcurrently(t *testing.T) {
	a := NewAccumulator(params())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a.NewChangeShard()
			ct := config.ChangeTypes[g%4]
			var batch []ChangeEvent
			for i := range 500 {
				user := fmt.Sprint(i)
				if i%2 == 1 {
					user = fmt.Sprintf(" u%d ", i)
				}
				batch = append(batch, ChangeEvent{User: user, Type: ct, Time: t0.Add(time.Duration(g) * time.Minute),
					Database: fmt.Sprint("db", g), Query: "q-" + string(ct)})
				if len(batch) == 64 {
					s.AddChanges(batch)
					batch = batch[:0]
				}
			}
			s.AddChanges(batch)
			a.AddActivity(login("x", "FAILED", t0, ""))
		}()
	}
	wg.Wait()
	f := a.Findings(nil)
	if len(f.Takeovers) != 500 {
		t.Fatalf("takeovers %d, want 500", len(f.Takeovers))
	}
	for _, tk := range f.Takeovers {
		if len(tk.Changes) != 4 {
			t.Fatalf("%s: %d changes", tk.User, len(tk.Changes))
		}
		for ct, ev := range tk.Changes {
			// Goroutines g and g+4 both add ct; the window ending first
			// (at g = 3) holds the events of goroutines 0–3.
			want := fmt.Sprint("db", indexOf(ct))
			if ev.Database != want || ev.Query != "q-"+string(ct) {
				t.Fatalf("%s %s from %s/%s, want %s", tk.User, ct, ev.Database, ev.Query, want)
			}
		}
	}
	if f.Takeovers[0].User != "0" || f.Takeovers[len(f.Takeovers)-1].User != "u99" {
		t.Errorf("users from %q to %q", f.Takeovers[0].User, f.Takeovers[len(f.Takeovers)-1].User)
	}
}

func indexOf(ct config.ChangeType) int {
	for i, c := range config.ChangeTypes {
		if c == ct {
			return i
		}
	}
	return -1
}

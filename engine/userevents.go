package engine

import (
	"sort"
	"strings"
	"sync"

	"cam/engine/detect"
)

// DefaultUserEventsLimit bounds the events a run keeps for user timelines
// when Options.KeepUserEvents is set and UserEventsLimit is 0: about 50 MB
// of event headers and their copied text.
const DefaultUserEventsLimit = 500_000

// UserEvents is every event a run read, by user, for the TUI's per-user
// timeline. It is kept only when Options.KeepUserEvents is set (the TUI;
// headless runs do not pay for it), and only up to a limit: past it, new
// events are counted, not kept, and Truncated says so.
type UserEvents struct {
	mu        sync.Mutex
	byUser    map[string][]detect.Evidence
	kept      int
	limit     int
	truncated int64
}

func newUserEvents(limit int) *UserEvents {
	if limit <= 0 {
		limit = DefaultUserEventsLimit
	}
	return &UserEvents{byUser: map[string][]detect.Evidence{}, limit: limit}
}

// addChanges records a batch of change events; nil-safe so the row loop
// need not ask whether events are kept.
func (u *UserEvents) addChanges(evs []detect.ChangeEvent) {
	if u == nil || len(evs) == 0 {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, e := range evs {
		if u.kept >= u.limit {
			u.truncated++
			continue
		}
		// The row loop's text lives in a buffer reused for the next batch:
		// keep copies.
		user := strings.Clone(e.User)
		u.byUser[user] = append(u.byUser[user], detect.Evidence{Type: string(e.Type), Time: e.Time, Database: e.Database, Query: e.Query})
		u.kept++
	}
}

// addActivities records a batch of activity events.
func (u *UserEvents) addActivities(evs []detect.ActivityEvent) {
	if u == nil || len(evs) == 0 {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, e := range evs {
		if u.kept >= u.limit {
			u.truncated++
			continue
		}
		user := strings.Clone(e.User) // the batch's buffer is reused, as above
		u.byUser[user] = append(u.byUser[user], detect.Evidence{Type: strings.Clone(e.Operation), Time: e.Time, Database: e.Database,
			Query: e.Query, Status: strings.Clone(e.Status), IP: strings.Clone(e.IP)})
		u.kept++
	}
}

// Of returns user's events, oldest first. The slice is the caller's.
func (u *UserEvents) Of(user string) []detect.Evidence {
	if u == nil {
		return nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	out := append([]detect.Evidence(nil), u.byUser[user]...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// Truncated is how many events arrived after the limit and were not kept.
func (u *UserEvents) Truncated() int64 {
	if u == nil {
		return 0
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.truncated
}

package engine

import (
	"sort"
	"strings"
	"sync"
	"time"

	"cam/config"
	"cam/engine/detect"
)

// DefaultUserEventsLimit bounds the events a run keeps for user timelines
// when Options.KeepUserEvents is set and UserEventsLimit is 0: about
// 100 MB of events and their copied text while a run reads; once it has
// finished, only the users its findings name keep theirs.
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

// addChanges records a batch of one change query's rows, of type ct from
// (database, query); times[i] is rows[i]'s instant as it was read, whose
// zone the timeline keeps. Nil-safe so the row loop need not ask whether
// events are kept.
func (u *UserEvents) addChanges(ct config.ChangeType, database, query string, rows []detect.ChangeRow, times []time.Time) {
	if u == nil || len(rows) == 0 {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for i, r := range rows {
		if u.kept >= u.limit {
			u.truncated++
			continue
		}
		// The row loop's text lives in a buffer reused for the next batch:
		// keep copies.
		user := strings.Clone(r.User)
		u.byUser[user] = append(u.byUser[user], detect.Evidence{Type: string(ct), Time: times[i], Database: database, Query: query})
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

// keepOnly drops the events of users no finding names (takeovers,
// possible takeovers and alerts): the timeline is opened from a finding.
func (u *UserEvents) keepOnly(f detect.Findings) {
	if u == nil {
		return
	}
	named := map[string]bool{}
	for _, t := range f.Takeovers {
		named[t.User] = true
	}
	for _, c := range f.Candidates {
		named[c.User] = true
	}
	for _, a := range f.Alerts {
		named[a.User] = true
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	kept := make(map[string][]detect.Evidence, len(named))
	u.kept = 0
	for user, evs := range u.byUser {
		if named[user] {
			kept[user] = evs
			u.kept += len(evs)
		}
	}
	u.byUser = kept
}

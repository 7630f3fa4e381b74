// Package wallclocks holds the wall clocks every driver's timestamp test
// stores and the instants cam must read from them in each zone, written
// out in UTC by hand rather than computed, so the drivers are held to one
// table. Tests only; never linked into cam.
package wallclocks

import "time"

// Zones are the database zones the cases are read in: no offset, one with
// daylight saving, and a half-hour offset.
var Zones = []string{"UTC", "America/New_York", "Asia/Kolkata"}

// Case is one stored wall clock and the instant it means per zone.
type Case struct {
	User string // a user id unique to the case
	Wall string // as stored, without a zone
	Want map[string]time.Time
}

// utc is an instant of 2026, the year every case is in.
func utc(m time.Month, d, h, min int) time.Time {
	return time.Date(2026, m, d, h, min, 0, 0, time.UTC)
}

// Cases: an ordinary wall clock, one with a fraction of a second, one in New
// York's spring-forward gap (read as 03:30 EDT) and one in its autumn
// overlap (the earlier instant, 01:30 EDT).
var Cases = []Case{
	{"wall", "2026-11-20 10:00:00", map[string]time.Time{
		"UTC": utc(11, 20, 10, 0), "America/New_York": utc(11, 20, 15, 0), "Asia/Kolkata": utc(11, 20, 4, 30)}},
	{"fraction", "2026-11-20 10:00:00.250", map[string]time.Time{
		"UTC": utc(11, 20, 10, 0).Add(250 * time.Millisecond), "America/New_York": utc(11, 20, 15, 0).Add(250 * time.Millisecond),
		"Asia/Kolkata": utc(11, 20, 4, 30).Add(250 * time.Millisecond)}},
	{"spring-gap", "2026-03-08 02:30:00", map[string]time.Time{
		"UTC": utc(3, 8, 2, 30), "America/New_York": utc(3, 8, 7, 30), "Asia/Kolkata": utc(3, 7, 21, 0)}},
	{"autumn-overlap", "2026-11-01 01:30:00", map[string]time.Time{
		"UTC": utc(11, 1, 1, 30), "America/New_York": utc(11, 1, 5, 30), "Asia/Kolkata": utc(10, 31, 20, 0)}},
}

package demo

import "time"

// Planted lists the demo's planted cases: the ids and usernames that the
// rules must flag, and near misses they must not. End-to-end tests check
// detection against it; the generator plants exactly these.
type Planted struct {
	Takeovers            []string // all four changes within 24h
	TakeoverNearMisses   []string // three of four; all four over 24h+1s; over 25h
	BruteForce           []string // more than 5 failed logins within 5 minutes
	BruteForceNearMisses []string // exactly 5 in 5 minutes; 6 over 6 minutes
	OffHours             []string // activity before 09:00 or from 18:00 London time
	RoleViolations       []string // Guest-role accounts writing
}

// Planted users and usernames.
const (
	takeoverFast     = "100042" // four changes within 3 hours, id padded in the client database
	takeoverExact24h = "100777" // first to last exactly 24h
	takeoverZones    = "104242" // password change stored in New York time, the rest in London time

	nearThreeOfFour = "100500"
	nearOverBySec   = "100501"
	nearOver25h     = "100502"

	bruteRealUser     = "jsmith"
	bruteUnknownUser  = "admin_backup" // no such account
	nearFiveInFive    = "mlopez"
	nearSixOverSixMin = "tnguyen"

	offHoursNight = "night_owl"
	offHoursEarly = "early_bird" // 08:59:59
	offHoursLate  = "late_larry" // 18:00:00
	onTheBoundary = "punctual"   // 09:00:00 and 17:59:59: not off-hours

	guestCapital = "guest_kiosk" // role 'Guest'
	guestLower   = "visitor2"    // role 'guest'
	inactiveUser = "old_account"
)

// PlantedCases returns the demo's planted cases.
func PlantedCases() Planted {
	return Planted{
		Takeovers:            []string{takeoverFast, takeoverExact24h, takeoverZones},
		TakeoverNearMisses:   []string{nearThreeOfFour, nearOverBySec, nearOver25h},
		BruteForce:           []string{bruteRealUser, bruteUnknownUser},
		BruteForceNearMisses: []string{nearFiveInFive, nearSixOverSixMin},
		OffHours:             []string{offHoursNight, offHoursEarly, offHoursLate},
		RoleViolations:       []string{guestCapital, guestLower},
	}
}

// PlantedChangedValues are the email addresses and phone numbers stored in
// the planted rows. They must never appear in a log or report; tests scan
// for them.
var PlantedChangedValues = []string{
	"k.fast+new@example.net", "k.fast@example.com", "+44 7700 900042", "+44 7700 900043",
}

// change is one planted account change.
type change struct {
	user string
	kind string // password, email, phone, token
	at   time.Time
}

// plantedChanges returns the planted change events for the demo day.
func plantedChanges(day time.Time) []change {
	base := day.Add(-3 * 24 * time.Hour).Add(9 * time.Hour) // three days ago, 09:00 UTC
	h := time.Hour
	four := func(user string, offsets ...time.Duration) []change {
		kinds := []string{"password", "email", "phone", "token"}
		var out []change
		for i, off := range offsets {
			out = append(out, change{user, kinds[i], base.Add(off)})
		}
		return out
	}
	var out []change
	out = append(out, four(takeoverFast, 0, 40*time.Minute, 2*h, 3*h)...)
	out = append(out, four(takeoverExact24h, -24*h, -20*h, -2*h, 0)...)
	// 23:30 New York is 04:30 UTC the next day: the wall clocks are a day
	// apart but the instants are within hours.
	out = append(out, four(takeoverZones, 19*h+30*time.Minute, 22*h, 23*h, 25*h)...)
	out = append(out, four(nearThreeOfFour, -48*h, -47*h, -46*h)...)
	out = append(out, four(nearOverBySec, -50*h, -40*h, -30*h, -26*h+time.Second)...)
	out = append(out, four(nearOver25h, -60*h, -59*h, -58*h, -35*h)...)
	return out
}

// activity is one planted activity row.
type activity struct {
	user, op, status, ip string
	at                   time.Time
}

// plantedActivity returns the planted activity rows; every clock here is
// London time.
func plantedActivity(day time.Time, london *time.Location) []activity {
	d := day.Add(-2 * 24 * time.Hour)
	at := func(h, m, s int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), h, m, s, 0, london)
	}
	var out []activity
	burst := func(user string, n int, every time.Duration, start time.Time) {
		for i := 0; i < n; i++ {
			status := "FAILED"
			if i%2 == 1 {
				status = "Failed"
			}
			out = append(out, activity{user, "LOGIN", status, "203.0.113." + string(rune('1'+i%3)), start.Add(time.Duration(i) * every)})
		}
	}
	burst(bruteRealUser, 8, 25*time.Second, at(11, 0, 0))
	burst(bruteUnknownUser, 7, 20*time.Second, at(14, 30, 0))
	burst(nearFiveInFive, 5, 75*time.Second, at(10, 0, 0))
	burst(nearSixOverSixMin, 6, 72*time.Second, at(15, 0, 0))
	out = append(out,
		activity{offHoursNight, "LOGIN", "SUCCESS", "198.51.100.7", at(2, 14, 0)},
		activity{offHoursNight, "SELECT", "SUCCESS", "198.51.100.7", at(2, 16, 30)},
		activity{offHoursNight, "UPDATE", "SUCCESS", "198.51.100.7", at(2, 21, 5)},
		activity{offHoursEarly, "LOGIN", "SUCCESS", "10.1.2.3", at(8, 59, 59)},
		activity{offHoursLate, "SELECT", "SUCCESS", "10.1.2.4", at(18, 0, 0)},
		activity{onTheBoundary, "LOGIN", "SUCCESS", "10.1.2.5", at(9, 0, 0)},
		activity{onTheBoundary, "LOGOUT", "SUCCESS", "10.1.2.5", at(17, 59, 59)},
		activity{guestCapital, "INSERT", "SUCCESS", "10.9.9.9", at(10, 15, 0)},
		activity{guestCapital, "UPDATE", "SUCCESS", "10.9.9.9", at(10, 16, 0)},
		activity{guestCapital, "DELETE", "SUCCESS", "10.9.9.9", at(10, 17, 0)},
		activity{guestLower, "DELETE", "SUCCESS", "10.9.9.8", at(16, 45, 0)},
	)
	return out
}

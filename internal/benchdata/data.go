package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// The dataset of issue #17: change rows over many client ids with a few
// planted takeovers, and DAM activity rows, all within the 29 days before
// the generation day so that the default 30-day lookback covers them.
const (
	firstClient  = 100000
	employees    = 5000
	historyDays  = 29
	textLayout   = "2006-01-02 15:04:05"
	takeoverMask = 1000 // every 1000th client is a planted takeover: 0.1%
)

var (
	london  = mustZone("Europe/London")
	newYork = mustZone("America/New_York")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // tzdata ships with Go
	}
	return loc
}

// changeKinds in the order of the four tables.
var changeKinds = []string{"password", "email", "phone", "token"}

// change is one change row.
type change struct {
	user string
	kind int // index into changeKinds
	at   time.Time
}

// activity is one DAM row; account 0 means an unknown username.
type activity struct {
	account   int
	attempted string
	at        time.Time
	op        string
	status    string
	ip        string
}

// account is one DAM account.
type account struct {
	name, role string
}

// dataset is every row, generated deterministically from the day and the
// sizes.
type dataset struct {
	day      time.Time
	users    int
	changes  []change
	accounts []account // accounts[i] has user_id i+1
	activity []activity
	// Planted findings, for the bench's sanity check.
	takeovers, bursts, nights, guestWrites int
}

// generate builds the dataset: nChanges ordinary change rows plus four per
// planted takeover, and nActivity activity rows including the planted
// bursts, night work and Guest writes.
func generate(day time.Time, nChanges, nActivity, users int) *dataset {
	rng := rand.New(rand.NewPCG(17, uint64(nChanges)^uint64(nActivity)<<32))
	d := &dataset{day: day, users: users}
	past := func() time.Time {
		return day.Add(-time.Duration(1 + rng.Int64N(int64(historyDays*24*time.Hour)))).Truncate(time.Second)
	}
	// Planted takeovers: four changes within two hours.
	for u := 0; u < users; u += takeoverMask {
		at := past().Add(-3 * time.Hour)
		for k := range changeKinds {
			d.changes = append(d.changes, change{fmt.Sprint(firstClient + u), k, at.Add(time.Duration(rng.IntN(7200)) * time.Second)})
		}
		d.takeovers++
	}
	// Ordinary clients never change one of the four kinds (u % 4), so
	// none is a takeover by accident.
	for len(d.changes) < nChanges+4*d.takeovers {
		u := rng.IntN(users)
		if u%takeoverMask == 0 {
			continue
		}
		k := rng.IntN(3)
		if k >= u%4 {
			k++
		}
		d.changes = append(d.changes, change{fmt.Sprint(firstClient + u), k, past()})
	}

	for i := 1; i <= employees; i++ {
		role := "User"
		switch {
		case i%50 == 0:
			role = "Guest"
		case i%100 == 1:
			role = "Admin"
		}
		d.accounts = append(d.accounts, account{fmt.Sprintf("emp%05d", i), role})
	}
	ip := func(a int) string { return fmt.Sprintf("10.%d.%d.%d", a>>16&255, a>>8&255, a&255) }
	// Planted: brute-force bursts of 8 failures in under two minutes
	// (some against unknown usernames), night work, Guest writes.
	for b := 0; b < 50; b++ {
		a, at := 1+rng.IntN(employees), workHour(rng, day)
		attempted := ""
		if b%5 == 0 {
			a, attempted = 0, fmt.Sprintf("intruder%02d", b)
		}
		for k := 0; k < 8; k++ {
			d.activity = append(d.activity, activity{a, attempted, at.Add(time.Duration(k*13) * time.Second), "LOGIN", "FAILED", "203.0.113." + fmt.Sprint(k)})
		}
		d.bursts++
	}
	for n := 0; n < 100; n++ {
		a := 1 + rng.IntN(employees)
		at := workHour(rng, day)
		at = time.Date(at.Year(), at.Month(), at.Day(), 2, rng.IntN(60), 0, 0, london)
		d.activity = append(d.activity, activity{a, "", at, "SELECT", "SUCCESS", ip(a)})
		d.nights++
	}
	for n := 0; n < 20; n++ {
		a := 50 * (1 + rng.IntN(employees/50))
		d.activity = append(d.activity, activity{a, "", workHour(rng, day), "UPDATE", "SUCCESS", ip(a)})
		d.guestWrites++
	}
	// Ordinary work: weekdays 09:00–17:59 London, Guests only read, at
	// most one failed login in a row.
	ops := []string{"SELECT", "SELECT", "SELECT", "SELECT", "LOGIN", "LOGOUT", "UPDATE", "INSERT", "DELETE", "SELECT"}
	for len(d.activity) < nActivity {
		a := 1 + rng.IntN(employees)
		op := ops[rng.IntN(len(ops))]
		if d.accounts[a-1].role == "Guest" && (op == "UPDATE" || op == "INSERT" || op == "DELETE") {
			op = "SELECT"
		}
		status := "SUCCESS"
		if op == "LOGIN" && rng.IntN(40) == 0 {
			status = "FAILED"
		}
		d.activity = append(d.activity, activity{a, "", workHour(rng, day), op, status, ip(a)})
	}
	// An audit table is written as things happen: its rows (and so the
	// SQLite rowids and InnoDB's insertion order) follow time. A query
	// reading by the date index then visits the table in order instead of
	// seeking at random, as it would on a real audit database.
	slices.SortStableFunc(d.changes, func(x, y change) int { return x.at.Compare(y.at) })
	slices.SortStableFunc(d.activity, func(x, y activity) int { return x.at.Compare(y.at) })
	return d
}

// workHour is a random weekday instant between 09:00 and 17:59 London time
// in the history before day.
func workHour(rng *rand.Rand, day time.Time) time.Time {
	for {
		d := day.AddDate(0, 0, -1-rng.IntN(historyDays-1)).In(london)
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 9+rng.IntN(9), rng.IntN(60), rng.IntN(60), 0, london)
	}
}

// zoneOf is the zone a change table's timestamps are written in: the
// password database is in New York, the client database in London.
func zoneOf(kind int) *time.Location {
	if changeKinds[kind] == "password" {
		return newYork
	}
	return london
}

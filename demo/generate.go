package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the demo's databases are real SQLite files
)

// Scale of the ordinary data.
const (
	clientUsers   = 30000 // ids 100000..129999
	employees     = 1500  // DAM accounts emp0001..emp1500
	eventsPerDay  = 15    // ordinary activity rows per employee per weekday
	changeShare   = 10    // percent of clients who change something in the month
	historyDays   = 29
	textTimestamp = "2006-01-02 15:04:05"
)

// zones of the three demo databases, as databases.yaml declares them.
var (
	londonZone  = mustZone("Europe/London")
	newYorkZone = mustZone("America/New_York")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("demo: zone %s: %v", name, err)) // tzdata is embedded in the binary
	}
	return loc
}

// generate writes client.db, account.db and activity.db into dir.
func generate(dir string, day time.Time) error {
	rng := rand.New(rand.NewPCG(uint64(day.Unix()), generatorVersion))
	if err := generateChanges(dir, day, rng); err != nil {
		return err
	}
	return generateActivity(dir, day, rng)
}

func openDB(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(off)&_pragma=synchronous(off)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// batch runs fn inside one transaction with the schema created first.
func batch(path, schema string, fn func(ctx context.Context, tx *sql.Tx) error) error {
	// Generation runs to completion in seconds; nothing cancels it.
	ctx := context.Background()
	db, err := openDB(path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("%s: schema: %w", filepath.Base(path), err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx); err != nil {
		_ = tx.Rollback() // fn's error is the one to report
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return tx.Commit()
}

const clientSchema = `
CREATE TABLE email_changes (change_id INTEGER PRIMARY KEY, user_id TEXT, old_email TEXT, new_email TEXT,
  change_date TEXT, changed_by TEXT, change_reason TEXT);
CREATE TABLE phone_changes (change_id INTEGER PRIMARY KEY, client_id TEXT, old_phone TEXT, new_phone TEXT,
  phone_type TEXT, change_date TEXT, changed_by TEXT);
CREATE TABLE token_changes (change_id INTEGER PRIMARY KEY, user_id TEXT, token_type TEXT, action TEXT,
  action_date TEXT, performed_by TEXT, ip_address TEXT);
CREATE INDEX email_changes_date ON email_changes(change_date);
CREATE INDEX phone_changes_date ON phone_changes(change_date);
CREATE INDEX token_changes_date ON token_changes(action_date);`

const accountSchema = `
CREATE TABLE password_changes (change_id INTEGER PRIMARY KEY, user_id INTEGER, change_date TEXT,
  change_type TEXT, change_source TEXT, ip_address TEXT);
CREATE INDEX password_changes_date ON password_changes(change_date);`

// generateChanges writes the change tables. Ordinary clients change at most
// three of the four kinds, so none can look like a takeover by accident.
func generateChanges(dir string, day time.Time, rng *rand.Rand) error {
	var changes []change
	kinds := []string{"password", "email", "phone", "token"}
	for id := 100000; id < 100000+clientUsers; id++ {
		if rng.IntN(100) >= changeShare || isPlantedID(fmt.Sprint(id)) {
			continue
		}
		skip := rng.IntN(4) // the kind this client never changes
		for k, kind := range kinds {
			if k == skip || rng.IntN(2) == 0 {
				continue
			}
			at := day.Add(-time.Duration(1+rng.Int64N(int64(historyDays*24*time.Hour-2*time.Second))) * time.Nanosecond).Truncate(time.Second)
			changes = append(changes, change{fmt.Sprint(id), kind, at})
		}
	}
	changes = append(changes, plantedChanges(day)...)

	london := func(t time.Time) string { return t.In(londonZone).Format(textTimestamp) }
	err := batch(filepath.Join(dir, "client.db"), clientSchema, func(ctx context.Context, tx *sql.Tx) error {
		email, err := tx.PrepareContext(ctx, `INSERT INTO email_changes (user_id, old_email, new_email, change_date, changed_by, change_reason) VALUES (?, ?, ?, ?, 'self-service', 'user request')`)
		if err != nil {
			return err
		}
		defer email.Close()
		phone, err := tx.PrepareContext(ctx, `INSERT INTO phone_changes (client_id, old_phone, new_phone, phone_type, change_date, changed_by) VALUES (?, ?, ?, 'mobile', ?, 'self-service')`)
		if err != nil {
			return err
		}
		defer phone.Close()
		token, err := tx.PrepareContext(ctx, `INSERT INTO token_changes (user_id, token_type, action, action_date, performed_by, ip_address) VALUES (?, 'TOTP', ?, ?, 'self-service', '192.0.2.10')`)
		if err != nil {
			return err
		}
		defer token.Close()
		for _, c := range changes {
			var err error
			switch c.kind {
			case "email":
				oldMail, newMail := fmt.Sprintf("client%s@example.com", c.user), fmt.Sprintf("client%s+new@example.net", c.user)
				if c.user == takeoverFast {
					oldMail, newMail = PlantedChangedValues[1], PlantedChangedValues[0]
				}
				_, err = email.ExecContext(ctx, c.user, oldMail, newMail, london(c.at))
			case "phone":
				client := c.user
				if c.user == takeoverFast {
					client = " " + c.user + " " // padded ids must still match
				}
				oldPhone, newPhone := "+44 7700 900000", "+44 7700 900001"
				if c.user == takeoverFast {
					oldPhone, newPhone = PlantedChangedValues[2], PlantedChangedValues[3]
				}
				_, err = phone.ExecContext(ctx, client, oldPhone, newPhone, london(c.at))
			case "token":
				_, err = token.ExecContext(ctx, c.user, []string{"CREATED", "REVOKED"}[len(c.user)%2], london(c.at))
			}
			if err != nil {
				return err
			}
		}
		// Broken rows: a NULL id and an unparseable date; the engine must
		// reject and count them, never flag them.
		recent := london(day.Add(-26 * time.Hour))
		if _, err := email.ExecContext(ctx, nil, "x@example.com", "y@example.com", recent); err != nil {
			return err
		}
		_, err = token.ExecContext(ctx, "100003", "CREATED", "not a date")
		return err
	})
	if err != nil {
		return err
	}
	return batch(filepath.Join(dir, "account.db"), accountSchema, func(ctx context.Context, tx *sql.Tx) error {
		pw, err := tx.PrepareContext(ctx, `INSERT INTO password_changes (user_id, change_date, change_type, change_source, ip_address) VALUES (?, ?, 'RESET', 'web', '192.0.2.20')`)
		if err != nil {
			return err
		}
		defer pw.Close()
		for _, c := range changes {
			if c.kind != "password" {
				continue
			}
			var id int64
			if _, err := fmt.Sscan(c.user, &id); err != nil {
				return fmt.Errorf("planted user %q is not a number: %w", c.user, err)
			}
			if _, err := pw.ExecContext(ctx, id, c.at.In(newYorkZone).Format(textTimestamp)); err != nil {
				return err
			}
		}
		_, err = pw.ExecContext(ctx, nil, day.Add(-30*time.Hour).In(newYorkZone).Format(textTimestamp))
		return err
	})
}

func isPlantedID(id string) bool {
	p := PlantedCases()
	for _, list := range [][]string{p.Takeovers, p.TakeoverNearMisses} {
		for _, x := range list {
			if x == id {
				return true
			}
		}
	}
	return false
}

const activitySchema = `
CREATE TABLE users (user_id INTEGER PRIMARY KEY, username TEXT UNIQUE, role TEXT, status TEXT, email TEXT);
CREATE TABLE products (product_id INTEGER PRIMARY KEY, name TEXT, price REAL);
CREATE TABLE activity_logs (log_id INTEGER PRIMARY KEY, user_id INTEGER, username TEXT, operation_type TEXT,
  operation_status TEXT, access_timestamp TEXT, ip_address TEXT, table_name TEXT);
CREATE TABLE security_alerts (alert_id INTEGER PRIMARY KEY, log_id INTEGER, alert_type TEXT, severity TEXT,
  created_at TEXT);
CREATE INDEX activity_logs_time ON activity_logs(access_timestamp);`

// generateActivity writes the DAM-shaped activity database: ordinary
// employees work 09:00-17:59 London time on weekdays, fail at most one
// login a day, and Guests only read.
func generateActivity(dir string, day time.Time, rng *rand.Rand) error {
	type account struct{ name, role, status string }
	var accounts []account
	for i := 1; i <= employees; i++ {
		role := "User"
		switch {
		case i%50 == 0:
			role = "Admin"
		case i%25 == 0:
			role = "Guest"
		}
		accounts = append(accounts, account{fmt.Sprintf("emp%04d", i), role, "active"})
	}
	for _, name := range []string{bruteRealUser, nearFiveInFive, nearSixOverSixMin, offHoursNight, offHoursEarly, offHoursLate, onTheBoundary} {
		accounts = append(accounts, account{name, "User", "active"})
	}
	accounts = append(accounts, account{guestCapital, "Guest", "active"}, account{guestLower, "guest", "active"},
		account{inactiveUser, "User", "inactive"})

	return batch(filepath.Join(dir, "activity.db"), activitySchema, func(ctx context.Context, tx *sql.Tx) error {
		users, err := tx.PrepareContext(ctx, `INSERT INTO users (username, role, status, email) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer users.Close()
		ids := map[string]int64{}
		for _, a := range accounts {
			res, err := users.ExecContext(ctx, a.name, a.role, a.status, a.name+"@corp.example.com")
			if err != nil {
				return err
			}
			ids[a.name], _ = res.LastInsertId()
		}
		products, err := tx.PrepareContext(ctx, `INSERT INTO products (name, price) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer products.Close()
		for i := 1; i <= 20; i++ {
			if _, err := products.ExecContext(ctx, fmt.Sprintf("Product %02d", i), float64(i)*9.99); err != nil {
				return err
			}
		}
		// Closed by the defer below; sqlclosecheck loses track of it in the
		// insert closure.
		logs, err := tx.PrepareContext(ctx, `INSERT INTO activity_logs (user_id, username, operation_type, operation_status, access_timestamp, ip_address, table_name) VALUES (?, ?, ?, ?, ?, ?, ?)`) //nolint:sqlclosecheck // see above
		if err != nil {
			return err
		}
		defer logs.Close()
		insert := func(user, op, status, ip string, at time.Time) error {
			var id any
			if v, ok := ids[user]; ok {
				id = v
			}
			_, err := logs.ExecContext(ctx, id, user, op, status, at.In(londonZone).Format(textTimestamp), ip, "products")
			return err
		}
		readOps := []string{"SELECT", "SELECT", "SELECT", "SELECT"}
		writeOps := []string{"SELECT", "SELECT", "INSERT", "UPDATE", "DELETE"}
		for d := historyDays; d >= 1; d-- {
			date := day.Add(-time.Duration(d) * 24 * time.Hour).In(londonZone)
			if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			open := time.Date(date.Year(), date.Month(), date.Day(), 9, 0, 0, 0, londonZone)
			for i, a := range accounts[:employees] {
				ip := fmt.Sprintf("10.20.%d.%d", i/250, i%250+1)
				ops := writeOps
				if a.role == "Guest" {
					ops = readOps
				}
				for e := 0; e < eventsPerDay; e++ {
					at := open.Add(time.Duration(rng.IntN(9*3600)) * time.Second) // 09:00:00..17:59:59
					op, status := ops[rng.IntN(len(ops))], "SUCCESS"
					if e == 0 {
						op = "LOGIN"
						if rng.IntN(50) == 0 {
							status = "FAILED"
						}
					}
					if err := insert(a.name, op, status, ip, at); err != nil {
						return err
					}
				}
			}
		}
		for _, p := range plantedActivity(day, londonZone) {
			if err := insert(p.user, p.op, p.status, p.ip, p.at); err != nil {
				return err
			}
		}
		// A broken row: no username at all.
		_, err = logs.ExecContext(ctx, nil, nil, "LOGIN", "FAILED", day.Add(-5*time.Hour).In(londonZone).Format(textTimestamp), "10.0.0.1", "")
		return err
	})
}

package demo

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"cam/config"
)

var testDay = time.Date(2026, 11, 22, 15, 4, 5, 0, time.UTC)

// sharedRoot holds the demo generated once for the tests that only read it.
var sharedRoot string

func TestMain(m *testing.M) {
	root, err := os.MkdirTemp("", "cam-demo-test-")
	if err != nil {
		panic(err)
	}
	sharedRoot = root
	code := m.Run()
	os.RemoveAll(root)
	os.Exit(code)
}

var shared = sync.OnceValues(func() (string, error) { return Prepare(sharedRoot, testDay) })

func demoDir(t *testing.T) string {
	t.Helper()
	dir, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func query(t *testing.T, dir, file, q string, args ...any) *sql.Rows {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "data", file)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rows.Close() })
	return rows
}

// scanActivity reads the one row q returns from activity.db into dest.
func scanActivity(t *testing.T, dir, q string, dest ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "data", "activity.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(q).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestDemoDirLoadsWithoutProblems(t *testing.T) {
	cfg, err := config.Load(demoDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Databases) != 3 || cfg.Databases[1].Location.String() != "America/New_York" {
		t.Errorf("databases: %+v", cfg.Databases)
	}
}

func TestPrepareReusesACompleteDir(t *testing.T) {
	first := demoDir(t)
	root := filepath.Dir(filepath.Dir(filepath.Dir(first)))
	marker := filepath.Join(first, completeMarker)
	before, _ := os.Stat(marker)
	second, err := Prepare(root, testDay.Add(time.Hour))
	if err != nil || second != first {
		t.Fatalf("second Prepare: %s, %v (first %s)", second, err, first)
	}
	after, _ := os.Stat(marker)
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("the demo was generated again")
	}
}

func tableHash(t *testing.T, dir string) string {
	h := sha256.New()
	for _, ft := range [][2]string{
		{"client.db", "email_changes"}, {"client.db", "phone_changes"}, {"client.db", "token_changes"},
		{"account.db", "password_changes"}, {"activity.db", "users"}, {"activity.db", "activity_logs"},
	} {
		file := ft[0]
		for _, table := range ft[1:] {
			rows := query(t, dir, file, "SELECT * FROM "+table+" ORDER BY 1")
			defer rows.Close()
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintln(h, file, table, vals)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestGenerationIsDeterministicAndConcurrentSafe(t *testing.T) {
	root := t.TempDir()
	var wg sync.WaitGroup
	dirs := make([]string, 2) // two racing builders; each generation is slow under -race
	errs := make([]error, 2)
	for i := range dirs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			dirs[i], errs[i] = Prepare(root, testDay)
		}(i)
	}
	wg.Wait()
	for i := range dirs {
		if errs[i] != nil || dirs[i] != dirs[0] {
			t.Fatalf("concurrent Prepare %d: %s, %v", i, dirs[i], errs[i])
		}
	}
	if a, b := tableHash(t, dirs[0]), tableHash(t, demoDir(t)); a != b {
		t.Error("two generations for the same day differ")
	}
	entries, _ := os.ReadDir(filepath.Join(root, "cam", "demo"))
	if len(entries) != 1 {
		t.Errorf("leftover directories: %v", entries)
	}
}

func TestDataIsInTheLookbackAndNeverInTheFuture(t *testing.T) {
	dir := demoDir(t)
	var min, max string
	scanActivity(t, dir, "SELECT min(access_timestamp), max(access_timestamp) FROM activity_logs", &min, &max)
	lo := testDay.Add(-30 * 24 * time.Hour).In(londonZone).Format(textTimestamp)
	hi := testDay.In(londonZone).Format(textTimestamp)
	if min < lo || max > hi {
		t.Errorf("activity from %s to %s, want within %s..%s", min, max, lo, hi)
	}
	var n int
	scanActivity(t, dir, "SELECT count(*) FROM activity_logs", &n)
	if n < 300000 {
		t.Errorf("only %d activity rows; the demo should take visible time", n)
	}
}

func TestPlantedCasesArePresent(t *testing.T) {
	dir := demoDir(t)
	count := func(file, q string, args ...any) int {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "data", file)+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count("client.db", "SELECT count(*) FROM phone_changes WHERE client_id = ?", " "+takeoverFast+" "); n != 1 {
		t.Errorf("padded planted phone change: %d rows", n)
	}
	if n := count("account.db", "SELECT count(*) FROM password_changes WHERE user_id = ?", 104242); n != 1 {
		t.Errorf("planted password change: %d rows", n)
	}
	if n := count("activity.db", "SELECT count(*) FROM activity_logs WHERE username = ? AND operation_type = 'LOGIN'", bruteUnknownUser); n != 7 {
		t.Errorf("unknown-user burst: %d rows", n)
	}
	if n := count("activity.db", "SELECT count(*) FROM users WHERE username = ?", bruteUnknownUser); n != 0 {
		t.Errorf("%s must have no account", bruteUnknownUser)
	}
	if n := count("activity.db", "SELECT count(*) FROM activity_logs WHERE username = ? AND substr(access_timestamp, 12) = '08:59:59'", offHoursEarly); n != 1 {
		t.Errorf("08:59:59 row: %d", n)
	}
	if n := count("client.db", "SELECT count(*) FROM email_changes WHERE user_id IS NULL"); n != 1 {
		t.Errorf("broken NULL-id row: %d", n)
	}
}

func TestOrdinaryDataTriggersNoRule(t *testing.T) {
	dir := demoDir(t)
	// No ordinary client changes all four kinds.
	kinds := map[string]map[string]bool{}
	add := func(file, q, kind string) {
		rows := query(t, dir, file, q)
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			if kinds[id] == nil {
				kinds[id] = map[string]bool{}
			}
			kinds[id][kind] = true
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	add("client.db", "SELECT trim(user_id) FROM email_changes WHERE user_id IS NOT NULL", "email")
	add("client.db", "SELECT trim(client_id) FROM phone_changes", "phone")
	add("client.db", "SELECT trim(user_id) FROM token_changes", "token")
	add("account.db", "SELECT CAST(user_id AS TEXT) FROM password_changes WHERE user_id IS NOT NULL", "password")
	for id, k := range kinds {
		if len(k) == 4 && !isPlantedID(id) {
			t.Errorf("ordinary client %s changed all four kinds", id)
		}
	}
	// Ordinary employees: business hours only, at most one failure a day,
	// Guests never write.
	var bad int
	scanActivity(t, dir, `SELECT count(*) FROM activity_logs a JOIN users u USING (username)
		WHERE username LIKE 'emp%' AND (substr(access_timestamp, 12) < '09:00:00' OR substr(access_timestamp, 12) >= '18:00:00'
		OR (lower(u.role) = 'guest' AND operation_type IN ('INSERT', 'UPDATE', 'DELETE')))`, &bad)
	if bad != 0 {
		t.Errorf("%d ordinary rows would trigger off-hours or role rules", bad)
	}
	scanActivity(t, dir, `SELECT count(*) FROM (SELECT username, substr(access_timestamp, 1, 10) d, count(*) n
		FROM activity_logs WHERE username LIKE 'emp%' AND operation_status = 'FAILED' GROUP BY 1, 2 HAVING n > 1)`, &bad)
	if bad != 0 {
		t.Errorf("%d ordinary user-days with more than one failed login", bad)
	}
}

func BenchmarkPrepare(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Prepare(b.TempDir(), testDay); err != nil {
			b.Fatal(err)
		}
	}
}

package triage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "cam")
	s := openTest(t, dir, nil)
	for path, want := range map[string]os.FileMode{dir: 0o700, s.Path(): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", path, got, want)
		}
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q (%v), want wal", mode, err)
	}
	oneAlert(t, s) // writes, so the WAL holds alerts and users
	for _, suffix := range []string{"-wal", "-shm"} {
		if st, err := os.Stat(s.Path() + suffix); err == nil && st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %o, want 600", suffix, st.Mode().Perm())
		}
	}
}

func TestDataVersionMovesOnOthersChanges(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	mine, other := openTest(t, dir, nil), openTest(t, dir, nil)
	id := oneAlert(t, mine)
	v0, err := mine.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := mine.Set(ctx, id, Change{Status: StatusAcknowledged}); err != nil {
		t.Fatal(err)
	}
	if v, _ := mine.DataVersion(ctx); v != v0 {
		t.Errorf("my own change moved my data version (%d → %d): the TUI would reload for nothing", v0, v)
	}
	if _, _, err := other.Set(ctx, id, Change{Status: StatusEscalated}); err != nil {
		t.Fatal(err)
	}
	if v, _ := mine.DataVersion(ctx); v == v0 {
		t.Errorf("another analyst's change left my data version at %d", v)
	}
	if a, _ := mine.Get(ctx, id); a.Status != StatusEscalated {
		t.Errorf("after reloading: %s, want the other's escalated", a.Status)
	}
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	t.Run("from empty", func(t *testing.T) {
		s := openTest(t, t.TempDir(), nil)
		if v, err := s.Version(ctx); err != nil || v != SchemaVersion {
			t.Fatalf("version %d (%v), want %d", v, err, SchemaVersion)
		}
		id := oneAlert(t, s)
		if _, _, err := s.Set(ctx, id, Change{Status: StatusAcknowledged}); err != nil {
			t.Fatal(err)
		}
	})
	for from := 1; from < SchemaVersion; from++ {
		t.Run(fmt.Sprintf("from version %d", from), func(t *testing.T) {
			dir := t.TempDir()
			old, err := openAt(dir, Options{SID: "A1"}, from)
			if err != nil {
				t.Fatal(err)
			}
			// An older database with a triaged alert in it.
			if _, err := old.db.Exec(`INSERT INTO alerts (id, key, rule, user, database, severity, message, first_seen,
				last_seen, count, status, reason, created_at, updated_at) VALUES ('abc', 'k', 'brute_force', 'u1', 'crm',
				'high', 'm', 1, 2, 6, 'resolved', 'benign', 1, 1)`); err != nil {
				t.Fatal(err)
			}
			old.Close()
			s := openTest(t, dir, nil)
			if v, _ := s.Version(ctx); v != SchemaVersion {
				t.Fatalf("version %d after opening, want %d", v, SchemaVersion)
			}
			a, err := s.Get(ctx, "abc")
			if err != nil || a.Status != StatusResolved || a.Reason != ReasonBenign || a.FirstSeenRun != 0 {
				t.Fatalf("alert after migration: %+v, %v", a, err)
			}
			// The migrated file works: a run is recorded and annotated.
			oneAlert(t, s)
			if runs, err := s.Runs(ctx, 0); err != nil || len(runs) != 1 {
				t.Fatalf("runs after migration: %v, %v", runs, err)
			}
		})
	}
	t.Run("a newer version is refused", func(t *testing.T) {
		dir := t.TempDir()
		s := openTest(t, dir, nil)
		if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
			t.Fatal(err)
		}
		s.Close()
		_, err := Open(dir, Options{})
		if err == nil || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("opening a version-99 file: %v, want a refusal naming the newer version", err)
		}
	})
}

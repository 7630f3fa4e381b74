package mariadbtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DAMPlanted lists the cases planted by testdata/dam/seed.sql: the
// usernames each activity rule must flag, once each, and near misses it
// must not. A test asserts exactly these, no more and no fewer.
type DAMPlanted struct {
	BruteForce           []string // more than 5 failed logins within 5 minutes
	BruteForceNearMisses []string // exactly 5 in 5 minutes; 6 over 6 minutes
	OffHours             []string // activity before 09:00 or from 18:00
	OffHoursNearMisses   []string // 09:00:00 and 17:59:59; 03:00 beyond the lookback
	RoleViolations       []string // Guest accounts writing
	RoleNearMisses       []string // User accounts writing
}

// DAMPlantedCases returns the DAM seed's planted cases.
func DAMPlantedCases() DAMPlanted {
	return DAMPlanted{
		BruteForce:           []string{"jdoe", "root"}, // root has no account
		BruteForceNearMisses: []string{"asmith", "backup"},
		OffHours:             []string{"admin", "jdoe", "olduser"},
		OffHoursNearMisses:   []string{"asmith"},
		RoleViolations:       []string{"guest"},
		RoleNearMisses:       []string{"asmith"},
	}
}

// DAMFiles are the DAM schema and seed in the order they load.
var DAMFiles = []string{"schema.sql", "seed.sql"}

// DAMDir returns the repository's testdata/dam directory, found from this
// source file so tests of any package can load it.
func DAMDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("mariadbtest: cannot locate its source file")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "dam")
	if _, err := os.Stat(filepath.Join(dir, DAMFiles[0])); err != nil {
		return "", fmt.Errorf("mariadbtest: DAM schema not found: %w", err)
	}
	return filepath.Clean(dir), nil
}

// LoadDAM loads the DAM schema and seed into Schema, and grants
// LimitedUser SELECT on the users table alone.
func (s *Server) LoadDAM() error {
	dir, err := DAMDir()
	if err != nil {
		return err
	}
	for _, name := range DAMFiles {
		script, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := s.Exec(string(script)); err != nil {
			return fmt.Errorf("loading %s: %w", name, err)
		}
	}
	return s.Exec(fmt.Sprintf("GRANT SELECT ON %s.users TO '%s'@'%%'", Schema, LimitedUser))
}

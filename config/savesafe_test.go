package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const savedYAML = "# shared\nuser_settings:\n  sid: A12345\n"

func TestSaveSettingsWritesThroughASymlinkToItsTarget(t *testing.T) {
	for _, c := range []struct {
		name     string
		relative bool
		chain    bool
	}{{"absolute link", false, false}, {"relative link", true, false}, {"link to a link", false, true}} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			shared := filepath.Join(root, "team", "app_settings.yaml")
			must(t, os.MkdirAll(filepath.Dir(shared), 0o700))
			if err := os.WriteFile(shared, []byte(savedYAML), 0o640); err != nil {
				t.Fatal(err)
			}
			cfgDir := filepath.Join(root, "me")
			must(t, os.MkdirAll(cfgDir, 0o700))
			link := filepath.Join(cfgDir, "app_settings.yaml")
			target := shared
			if c.relative {
				target = filepath.Join("..", "team", "app_settings.yaml")
			}
			if c.chain {
				mid := filepath.Join(root, "mid.yaml")
				must(t, os.Symlink(shared, mid))
				target = mid
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			if err := SaveSettings(link, Settings{User: User{SID: "C77777"}, App: App{ReportOutputDir: filepath.Join(cfgDir, "reports")}}); err != nil {
				t.Fatal(err)
			}
			if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("the link was replaced by a regular file: %v %v", st.Mode(), err)
			}
			data, _ := os.ReadFile(shared)
			if !strings.Contains(string(data), "sid: C77777") || !strings.Contains(string(data), "# shared") {
				t.Errorf("the shared target was not updated:\n%s", data)
			}
			// Relative paths still resolve against the configuration
			// directory (the link's), not the target's.
			if !strings.Contains(string(data), "report_output_dir: reports") {
				t.Errorf("report_output_dir not relative to the config dir:\n%s", data)
			}
			if st, _ := os.Stat(shared); st.Mode().Perm() != 0o640 {
				t.Errorf("target mode %v, want 0640 kept", st.Mode().Perm())
			}
			for _, d := range []string{cfgDir, filepath.Dir(shared)} {
				es, _ := os.ReadDir(d)
				for _, e := range es {
					if strings.Contains(e.Name(), ".tmp") {
						t.Errorf("temp file left in %s: %s", d, e.Name())
					}
				}
			}
		})
	}
}

func TestSaveSettingsRefusesAReadOnlyFile(t *testing.T) {
	for _, mode := range []os.FileMode{0o444, 0o400, 0o040} {
		t.Run(mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "app_settings.yaml")
			must(t, os.WriteFile(path, []byte(savedYAML), 0o600))
			must(t, os.Chmod(path, mode))
			err := SaveSettings(path, Settings{User: User{SID: "C77777"}})
			if err == nil || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), path) ||
				!strings.Contains(err.Error(), "chmod u+w") {
				t.Fatalf("want a read-only error naming %s and the fix, got %v", path, err)
			}
			if data, _ := os.ReadFile(path); string(data) != savedYAML {
				t.Errorf("the read-only file changed:\n%s", data)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != mode {
				t.Errorf("mode %v, want %v untouched", st.Mode().Perm(), mode)
			}
		})
	}
}

func TestSaveSettingsKeepsTheFilesMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app_settings.yaml")
	must(t, os.WriteFile(path, []byte(savedYAML), 0o600))
	must(t, os.Chmod(path, 0o664))
	if err := SaveSettings(path, Settings{User: User{SID: "C77777"}}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o664 {
		t.Errorf("mode %v, want 0664 kept", st.Mode().Perm())
	}
}

func TestSaveSettingsDetectsAChangeOnDiskSinceLoad(t *testing.T) {
	dir := writeDir(t, goodFiles())
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	theirs := "# another cam saved this\nuser_settings:\n  sid: B22222\n"
	if err := os.WriteFile(cfg.SettingsFile, []byte(theirs), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Settings.User.SID = "D4444"
	loaded := cfg.SettingsStamp
	_, err = SaveSettingsWith(cfg.SettingsFile, cfg.Settings, SaveOptions{Loaded: &loaded})
	var changed *ChangedOnDiskError
	if !errors.As(err, &changed) || !strings.Contains(err.Error(), cfg.SettingsFile) {
		t.Fatalf("want ChangedOnDiskError naming the file, got %v", err)
	}
	if data, _ := os.ReadFile(cfg.SettingsFile); string(data) != theirs {
		t.Fatalf("the other save was overwritten:\n%s", data)
	}
	stamp, err := SaveSettingsWith(cfg.SettingsFile, cfg.Settings, SaveOptions{Loaded: &loaded, Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(cfg.SettingsFile)
	if !strings.Contains(string(data), "D4444") || !strings.Contains(string(data), "# another cam saved this") {
		t.Errorf("overwrite did not merge the edit into the file on disk:\n%s", data)
	}
	// The returned stamp is the file as written: the next save goes through.
	if _, err := SaveSettingsWith(cfg.SettingsFile, cfg.Settings, SaveOptions{Loaded: &stamp}); err != nil {
		t.Errorf("a save right after our own was refused: %v", err)
	}
}

func TestRemoveStaleTempsTakesOnlyOldSettingsTemps(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-5 * time.Minute)
	cases := map[string]struct {
		mtime   time.Time
		removed bool
	}{
		".app_settings.yaml.tmp-12345": {old, true},
		".databases.yaml.tmp-9":        {old, true},
		".app_settings.yaml.tmp-777":   {now, false}, // a save in progress
		".app_settings.yaml.tmp-x1":    {old, false},
		".other.yaml.tmp-1":            {old, false},
		"app_settings.yaml":            {old, false},
	}
	for name, c := range cases {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, nil, 0o600))
		must(t, os.Chtimes(p, c.mtime, c.mtime))
	}
	removed := RemoveStaleTemps(dir, time.Minute, now)
	for name, c := range cases {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := errors.Is(err, os.ErrNotExist); gone != c.removed {
			t.Errorf("%s: removed %v, want %v", name, gone, c.removed)
		}
	}
	if len(removed) != 2 {
		t.Errorf("reported %v, want the two old temps", removed)
	}
}

// TestConcurrentSavesLeaveOneWholeFile: several cams saving at once each
// replace the file whole; it always parses as one of their versions and
// no temporary file is left.
func TestConcurrentSavesLeaveOneWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app_settings.yaml")
	must(t, os.WriteFile(path, []byte(savedYAML), 0o600))
	sids := []string{"A11111", "B22222", "C33333", "D44444", "E55555", "F66666", "G77777", "H88888"}
	done := make(chan error, len(sids))
	for _, sid := range sids {
		go func() {
			var err error
			for range 20 {
				if err = SaveSettings(path, Settings{User: User{SID: sid}}); err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range sids {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	data, _ := os.ReadFile(path)
	found := 0
	for _, sid := range sids {
		if strings.Contains(string(data), "sid: "+sid) {
			found++
		}
	}
	if found != 1 || !strings.Contains(string(data), "# shared") {
		t.Errorf("the file is not one whole save:\n%s", data)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("left in the directory: %v", es)
	}
}

// must fails the test when a fixture step fails.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

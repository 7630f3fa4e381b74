package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStateDir(t *testing.T) {
	t.Run("default under XDG_STATE_HOME", func(t *testing.T) {
		t.Setenv("XDG_STATE_HOME", "/srv/state")
		cfg, err := Load(writeDir(t, goodFiles()))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Settings.App.StateDir != "/srv/state/cam" {
			t.Errorf("state_dir %s, want /srv/state/cam", cfg.Settings.App.StateDir)
		}
	})
	t.Run("default without XDG_STATE_HOME", func(t *testing.T) {
		t.Setenv("XDG_STATE_HOME", "")
		home, _ := os.UserHomeDir()
		if got := DefaultStateDir(os.Getenv); got != filepath.Join(home, ".local", "state", "cam") {
			t.Errorf("default %s", got)
		}
	})
	t.Run("relative to the config directory", func(t *testing.T) {
		files := goodFiles()
		files["app_settings.yaml"] = "app_settings:\n  state_dir: state\nuser_settings:\n  sid: A12345\n"
		dir := writeDir(t, files)
		cfg, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Settings.App.StateDir != filepath.Join(dir, "state") {
			t.Errorf("state_dir %s", cfg.Settings.App.StateDir)
		}
	})
	t.Run("empty is a problem", func(t *testing.T) {
		files := goodFiles()
		files["app_settings.yaml"] = "app_settings:\n  state_dir: ''\nuser_settings:\n  sid: A12345\n"
		_, err := Load(writeDir(t, files))
		probs := mustProblems(t, err)
		if len(probs) != 1 || !strings.Contains(probs[0].Error(), "state_dir") {
			t.Errorf("problems: %v", probs)
		}
	})
}

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cam init's placeholder SID is refused at load with the file, the field
// and what to set; a starter written with it says the same.
func TestPlaceholderSIDIsRefusedWithWhatToSet(t *testing.T) {
	for _, sid := range []string{"CHANGEME", "changeme"} {
		t.Run(sid, func(t *testing.T) {
			files := goodFiles()
			files["app_settings.yaml"] = "user_settings:\n  sid: " + sid + "\n"
			_, err := Load(writeDir(t, files))
			msg := mustProblems(t, err).Error()
			for _, want := range []string{"app_settings.yaml", "user_settings.sid", "placeholder", "your SID"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the problem lacks %q: %s", want, msg)
				}
			}
		})
	}
	t.Run("starter", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "cam")
		if err := WriteStarter(dir, PlaceholderSID); err != nil {
			t.Fatalf("cam init cannot write its placeholder: %v", err)
		}
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "placeholder") {
			t.Errorf("a starter with the placeholder loads: %v", err)
		}
	})
}

// An environment override is not the file's value: a save of other
// fields leaves the overridden key exactly as the file has it.
func TestSaveLeavesEnvironmentOverridesOutOfTheFile(t *testing.T) {
	files := goodFiles()
	files["app_settings.yaml"] = "user_settings:\n  sid: A12345 # mine\napp_settings:\n  email_recipients: [soc@example.com]\n"
	dir := writeDir(t, files)
	t.Setenv("CAM_USER_SETTINGS__SID", "B99999")
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.EnvOverrides["user_settings.sid"]; got != "CAM_USER_SETTINGS__SID" {
		t.Fatalf("EnvOverrides = %v, want user_settings.sid from CAM_USER_SETTINGS__SID", cfg.EnvOverrides)
	}
	before, _ := os.ReadFile(cfg.SettingsFile)
	s := cfg.Settings
	s.App.EmailRecipients = []string{"ir@example.com"}
	if _, err := SaveSettingsWith(cfg.SettingsFile, s, SaveOptions{Skip: cfg.EnvOverrides}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(cfg.SettingsFile)
	if !strings.Contains(string(after), "sid: A12345 # mine") || strings.Contains(string(after), "B99999") ||
		!strings.Contains(string(after), "ir@example.com") {
		t.Errorf("the save did not keep the file's SID line or lost the edit:\n--- before\n%s--- after\n%s", before, after)
	}
	// Without Skip the same save writes the environment's value: the
	// check above can fail.
	if _, err := SaveSettingsWith(cfg.SettingsFile, s, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if unguarded, _ := os.ReadFile(cfg.SettingsFile); !strings.Contains(string(unguarded), "B99999") {
		t.Errorf("an unguarded save kept the SID; the test proves nothing:\n%s", unguarded)
	}
}

func TestDisplayZoneDefaultsToTheBusinessZone(t *testing.T) {
	cases := []struct {
		name, settings, want, problem string
	}{
		{"business zone", "detection:\n  business_timezone: Asia/Tokyo\n", "Asia/Tokyo", ""},
		{"own setting", "app_settings:\n  display_zone: Europe/London\ndetection:\n  business_timezone: Asia/Tokyo\n", "Europe/London", ""},
		{"bad zone", "app_settings:\n  display_zone: Mars/Base\n", "", "app_settings.display_zone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := goodFiles()
			files["app_settings.yaml"] = "user_settings:\n  sid: A12345\n" + c.settings
			cfg, err := Load(writeDir(t, files))
			if c.problem != "" {
				if err == nil || !strings.Contains(err.Error(), c.problem) {
					t.Errorf("want a problem naming %s, got %v", c.problem, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Settings.App.DisplayLocation; got == nil || got.String() != c.want {
				t.Errorf("display zone %v, want %s", got, c.want)
			}
		})
	}
}

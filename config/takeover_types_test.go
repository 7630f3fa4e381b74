package config

import (
	"fmt"
	"strings"
	"testing"
)

// detection.takeover_types and takeover_min_types: the defaults, a list of
// one's own, and every mistake named at its file, entry and field.
func TestTakeoverTypesSettings(t *testing.T) {
	seventeen := make([]string, 17)
	for i := range seventeen {
		seventeen[i] = fmt.Sprintf("t%d", i)
	}
	cases := []struct {
		name      string
		detection string // the detection section of app_settings.yaml
		env       string // CAM_DETECTION__TAKEOVER_TYPES, when set
		types     string // the loaded list, when it loads
		min       int
		problems  []string
	}{
		{name: "defaults", types: "[password email phone token]", min: 4},
		{name: "five of our own, three needed", detection: "takeover_types: [Password, email, phone, token, mfa_device]\n  takeover_min_types: 3",
			types: "[password email phone token mfa_device]", min: 3},
		{name: "environment override", env: "password,email,mfa_device", types: "[password email mfa_device]", min: 3},
		{name: "a query's type not listed", detection: "takeover_types: [password, phone, token]", problems: []string{
			`databases.yaml: databases[0] "clients": sql_queries[0] "Email": change_type: "email" is not a change type (use one of detection.takeover_types: password, phone, token)`}},
		{name: "bad names and duplicates", detection: "takeover_types: [password, email, \"mfa device\", Email]", problems: []string{
			`app_settings.yaml: detection.takeover_types[2]: "mfa device" is not a change type name`,
			`app_settings.yaml: detection.takeover_types[3]: "Email" is listed twice`}},
		{name: "empty list", detection: "takeover_types: []", problems: []string{
			`app_settings.yaml: detection.takeover_types: must list at least one change type`}},
		{name: "too many", detection: "takeover_types: [password, email, " + strings.Join(seventeen, ", ") + "]", problems: []string{
			`app_settings.yaml: detection.takeover_types: lists 19 change types; the most is 16`}},
		{name: "minimum above the list", detection: "takeover_min_types: 5", problems: []string{
			`app_settings.yaml: detection.takeover_min_types: 5 is outside 1–4 (the number of takeover_types)`}},
		{name: "minimum zero", detection: "takeover_min_types: 0", problems: []string{
			`app_settings.yaml: detection.takeover_min_types: 0 is outside 1–4`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := goodFiles()
			files["app_settings.yaml"] += "detection:\n  " + c.detection + "\n"
			if c.env != "" {
				t.Setenv("CAM_DETECTION__TAKEOVER_TYPES", c.env)
			}
			cfg, err := Load(writeDir(t, files))
			if len(c.problems) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				d := cfg.Settings.Detection
				if fmt.Sprint(d.TakeoverTypes) != c.types || d.TakeoverMinTypes != c.min {
					t.Errorf("types %v min %d, want %s %d", d.TakeoverTypes, d.TakeoverMinTypes, c.types, c.min)
				}
				return
			}
			text := mustProblems(t, err).Error()
			for _, w := range c.problems {
				if !strings.Contains(text, w) {
					t.Errorf("missing problem %q in:\n%s", w, text)
				}
			}
		})
	}
}

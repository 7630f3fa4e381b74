package config

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// settingsKeys lists every key of app_settings.yaml by section; it is the
// allow-list for environment overrides.
var settingsKeys = map[string][]string{
	"oracle_client": {"instant_client_dir", "krb5_conf", "krb5_cache", "trace_level", "trace_directory"},
	"app_settings": {"report_output_dir", "log_dir", "log_level", "email_recipients", "max_concurrency",
		"query_timeout", "max_attempts", "clipboard", "state_dir", "display_zone"},
	"user_settings": {"sid"},
	"detection": {"lookback", "takeover_window", "brute_force_threshold", "brute_force_window",
		"business_hours_start", "business_hours_end", "business_timezone", "guest_roles",
		"takeover_types", "takeover_min_types"},
}

// listKeys are settings whose environment value is a comma-separated list.
var listKeys = map[string]bool{"email_recipients": true, "guest_roles": true, "takeover_types": true}

// applyEnv overrides settings from CAM_<SECTION>__<KEY> variables and
// returns which: "section.key" to the variable's name, so the settings
// pane can show them as overridden and a save can leave them out of the
// file. CAM_CONFIG_DIR and other CAM_ variables without "__" are not
// settings.
func applyEnv(raw map[string]any, environ []string, probs *Problems) map[string]string {
	overrides := map[string]string{}
	sort.Strings(environ)
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		rest, ok := strings.CutPrefix(name, "CAM_")
		if !ok {
			continue
		}
		sectionName, key, ok := strings.Cut(strings.ToLower(rest), "__")
		if !ok {
			continue
		}
		known, ok := settingsKeys[sectionName]
		if !ok || !contains(known, key) {
			probs.add(name, "", "", "environment override for unknown setting %s.%s", sectionName, key)
			continue
		}
		overrides[sectionName+"."+key] = name
		sec, _ := raw[sectionName].(map[string]any)
		if sec == nil {
			sec = map[string]any{}
			raw[sectionName] = sec
		}
		if listKeys[key] {
			items := []any{}
			for _, v := range SplitList(value) {
				items = append(items, v)
			}
			sec[key] = items
		} else {
			sec[key] = value
		}
	}
	return overrides
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseSettings(raw map[string]any, dir string, probs *Problems) (Settings, []string) {
	const file = SettingsFileName
	top := newSection(file, "", "", raw, probs)
	var st Settings
	var warnings []string

	sec := func(name string) *section {
		v, _ := top.get(name)
		return newSection(file, "", name+".", v, probs)
	}

	oc := sec("oracle_client")
	st.OracleClient = OracleClient{
		InstantClientDir: oc.str("instant_client_dir", ""),
		Krb5Conf:         resolvePath(oc.str("krb5_conf", ""), dir),
		Krb5Cache:        oc.str("krb5_cache", ""),
		TraceLevel:       oc.integerIn("trace_level", 0),
		TraceDirectory:   resolvePath(oc.str("trace_directory", ""), dir),
	}
	if c := st.OracleClient.Krb5Cache; c != "" && !strings.Contains(c, ":") {
		st.OracleClient.Krb5Cache = resolvePath(c, dir)
	}
	if st.OracleClient.InstantClientDir != "" {
		warnings = append(warnings, "app_settings.yaml: oracle_client.instant_client_dir is unused: cam's Oracle driver is pure Go and needs no Instant Client")
	}
	oc.reportUnknown()

	app := sec("app_settings")
	st.App = App{
		ReportOutputDir: resolvePath(app.str("report_output_dir", "reports"), dir),
		LogDir:          resolvePath(app.str("log_dir", "logs"), dir),
		LogLevel:        strings.ToLower(app.str("log_level", "info")),
		EmailRecipients: app.strings("email_recipients", nil),
		MaxConcurrency:  app.integerIn("max_concurrency", 8),
		QueryTimeout:    app.durationIn("query_timeout", 10*time.Minute),
		MaxAttempts:     app.integerIn("max_attempts", 3),
		Clipboard:       strings.ToLower(app.str("clipboard", "auto")),
		StateDir:        resolvePath(app.str("state_dir", DefaultStateDir(os.Getenv)), dir),
	}
	if st.App.StateDir == "" {
		app.bad("state_dir", "is empty; remove the key to keep the state in %s", DefaultStateDir(os.Getenv))
	}
	if !contains([]string{"debug", "info", "warn", "error"}, st.App.LogLevel) {
		app.bad("log_level", "%q is not a level (use debug, info, warn or error)", st.App.LogLevel)
	}
	for i, r := range st.App.EmailRecipients {
		if err := ValidateEmail(r); err != nil {
			app.bad(fmt.Sprintf("email_recipients[%d]", i), "%v", err)
		}
	}
	if !contains([]string{"auto", "osc52", "system", "off"}, st.App.Clipboard) {
		app.bad("clipboard", "%q is not a clipboard mode (use auto, osc52, system or off)", st.App.Clipboard)
	}
	st.Detection = parseDetection(sec("detection"))
	// The display zone defaults to the business zone: the hours the
	// off-hours rule judges are the hours the analyst reads.
	st.App.DisplayZone = app.str("display_zone", "")
	st.App.DisplayLocation = st.Detection.BusinessLocation
	if st.App.DisplayZone != "" {
		loc, err := LoadZone(st.App.DisplayZone)
		if err != nil {
			app.bad("display_zone", "%v", err)
		} else {
			st.App.DisplayLocation = loc
		}
	}
	app.reportUnknown()

	us := sec("user_settings")
	st.User.SID = us.str("sid", "")
	if err := ValidateSID(st.User.SID); err != nil {
		us.bad("sid", "%v", err)
	}
	us.reportUnknown()
	top.reportUnknown()
	return st, warnings
}

func parseDetection(s *section) Detection {
	d := Detection{
		Lookback:            s.durationIn("lookback", 720*time.Hour),
		TakeoverWindow:      s.durationIn("takeover_window", 24*time.Hour),
		BruteForceThreshold: s.integerIn("brute_force_threshold", 5),
		BruteForceWindow:    s.durationIn("brute_force_window", 5*time.Minute),
		BusinessHoursStart:  s.str("business_hours_start", "09:00"),
		BusinessHoursEnd:    s.str("business_hours_end", "18:00"),
		BusinessTimezone:    s.str("business_timezone", "Local"),
		GuestRoles:          s.strings("guest_roles", []string{"Guest"}),
	}
	var errStart, errEnd error
	d.BusinessStart, errStart = ParseClock(d.BusinessHoursStart)
	if errStart != nil {
		s.bad("business_hours_start", "%v", errStart)
	}
	d.BusinessEnd, errEnd = ParseClock(d.BusinessHoursEnd)
	if errEnd != nil {
		s.bad("business_hours_end", "%v", errEnd)
	}
	if errStart == nil && errEnd == nil && d.BusinessEnd <= d.BusinessStart {
		s.bad("business_hours_end", "%s must be after business_hours_start %s", d.BusinessHoursEnd, d.BusinessHoursStart)
	}
	loc, err := LoadZone(d.BusinessTimezone)
	if err != nil {
		s.bad("business_timezone", "%v", err)
	}
	d.BusinessLocation = loc
	d.TakeoverTypes, d.TakeoverMinTypes = parseTakeoverTypes(s)
	s.reportUnknown()
	return d
}

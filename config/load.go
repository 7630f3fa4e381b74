package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"
)

// File names inside a configuration directory.
const (
	DatabasesFileName = "databases.yaml"
	SettingsFileName  = "app_settings.yaml"
)

// DefaultDir is the configuration directory when no --config-dir is given:
// $CAM_CONFIG_DIR, else $XDG_CONFIG_HOME/cam, else ~/.config/cam.
func DefaultDir() string {
	if d := os.Getenv("CAM_CONFIG_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "cam")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".config", "cam")
	}
	return filepath.Join(".config", "cam")
}

// DefaultStateDir is where the triage state lives when app_settings has
// no state_dir: $XDG_STATE_HOME/cam, else ~/.local/state/cam.
func DefaultStateDir(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "cam")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "cam")
	}
	return filepath.Join(".local", "state", "cam")
}

// Load reads and validates a configuration directory. On any problem it
// returns a Problems error listing every one of them.
func Load(dir string) (*Config, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("config directory %q: %w", dir, err)
	}
	cfg := &Config{
		Dir:           abs,
		DatabasesFile: filepath.Join(abs, DatabasesFileName),
		SettingsFile:  filepath.Join(abs, SettingsFileName),
	}
	var probs Problems

	if raw, ok := readYAML(cfg.DatabasesFile, DatabasesFileName, true, MaxDatabasesFileSize, &probs); ok {
		cfg.Databases = parseDatabases(raw, abs, &probs)
	}
	settings := map[string]any{}
	// Stamped before reading, so an edit in between is seen as a change.
	cfg.SettingsStamp, _ = StampFile(cfg.SettingsFile)
	if k, _ := readYAML(cfg.SettingsFile, SettingsFileName, false, MaxSettingsFileSize, &probs); k != nil {
		settings = k.Raw()
	}
	cfg.EnvOverrides = applyEnv(settings, os.Environ(), &probs)
	cfg.Settings, cfg.Warnings = parseSettings(settings, abs, &probs)
	checkChangeTypes(cfg.Databases, cfg.Settings.Detection.TakeoverTypes, &probs)

	if len(probs) > 0 {
		return nil, probs
	}
	return cfg, nil
}

// readYAML loads one YAML file with koanf. A missing optional file yields
// (nil, true); a missing required one is a problem, and so is anything but
// a regular file of at most limit bytes, refused before it is parsed.
func readYAML(path, name string, required bool, limit int64, probs *Problems) (*koanf.Koanf, bool) {
	st, err := os.Stat(path)
	if err == nil {
		switch {
		case !st.Mode().IsRegular():
			probs.add(name, "", "", "%s is not a regular file", path)
			return nil, false
		case st.Size() > limit:
			probs.add(name, "", "", "%s is %d bytes; the limit is %d MiB", path, st.Size(), limit>>20)
			return nil, false
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if required {
				probs.add(name, "", "", "%s does not exist; create it with `cam init %s` (or try `cam demo`)", path, filepath.Dir(path))
				return nil, false
			}
			return nil, true
		}
		probs.add(name, "", "", "cannot read %s: %v", path, err)
		return nil, false
	}
	k := koanf.New("\x00") // keys hold no delimiter: sections are walked by hand
	if err := k.Load(file.Provider(path), yaml.Parser()); err != nil {
		probs.add(name, "", "", "not valid YAML: %v", cleanYAMLError(err))
		return nil, false
	}
	return k, true
}

func cleanYAMLError(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// resolvePath expands ~ and environment references (the seed writes
// /tmp/krb5cc_${UID}; UID is a shell variable, not an environment one, so
// it is supplied here) and makes a relative path absolute against dir.
func resolvePath(p, dir string) string {
	if p == "" {
		return ""
	}
	p = os.Expand(p, func(name string) string {
		if name == "UID" {
			if v := os.Getenv("UID"); v != "" {
				return v
			}
			return strconv.Itoa(os.Getuid())
		}
		return os.Getenv(name)
	})
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

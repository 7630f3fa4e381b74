package cli

import "fmt"

// runCheck validates the configuration. Connectivity and Kerberos checks
// join it with the Oracle issue.
func runCheck(args []string, io IO) int {
	fs := newFlags("check", "cam check [--config-dir DIR]", io)
	dir := configDirFlag(fs)
	if _, code := parseFlags(fs, args, io); code >= 0 {
		return code
	}
	cfg, ok := loadConfig(resolveConfigDir(*dir), io)
	if !ok {
		return ExitUsage
	}
	queries := 0
	for _, db := range cfg.Databases {
		queries += len(db.Queries)
	}
	fmt.Fprintf(io.Out, "configuration OK: %s\n  %d database(s), %d query file(s), SID %s\n",
		cfg.Dir, len(cfg.Databases), queries, cfg.Settings.User.SID)
	return ExitOK
}

package cli

import (
	"fmt"
	"os/user"
	"path/filepath"
	"strings"

	"cam/config"
	"cam/internal/inert"
)

// runInit writes a starter configuration directory.
func runInit(args []string, io IO) int {
	fs := newFlags("init", "cam init [DIR] [--sid SID] [--dam]", io)
	sid := fs.String("sid", "", "your SID for reports and the audit trail (default: your login name when it is 5-10 letters and digits)")
	dam := fs.Bool("dam", false, "a MySQL/MariaDB database with the DAM schema (activity_logs, users) instead of the Oracle audit databases")
	positional, code := parseFlags(fs, args, io)
	if code >= 0 {
		return code
	}
	if len(positional) > 1 {
		fmt.Fprintf(io.Err, "cam init: one directory at most, got %d\n", len(positional))
		return ExitUsage
	}
	dir := config.DefaultDir()
	if len(positional) == 1 {
		dir = positional[0]
	}
	guessed := *sid == ""
	if guessed {
		*sid = defaultSID()
	}
	if err := config.ValidateSID(*sid); err != nil && !(guessed && *sid == config.PlaceholderSID) {
		fmt.Fprintf(io.Err, "cam init: --sid: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	write, next := config.WriteStarter, "Next: edit databases.yaml (hosts, services, queries), then run `cam check --config-dir "+dir+"`."
	if *dam {
		write = config.WriteDAMStarter
		next = "Next: edit databases.yaml (host, port, user), export the variable named by password_env, then run `cam check --config-dir " + dir + "`."
	}
	if err := write(dir, *sid); err != nil {
		fmt.Fprintf(io.Err, "cam init: %s\n", inert.Text(err.Error()))
		return ExitUsage
	}
	fmt.Fprintf(io.Out, "Wrote a starter configuration to %s\n", dir)
	if *sid == config.PlaceholderSID {
		fmt.Fprintf(io.Out, "Set user_settings.sid in %s to your SID: %s is a placeholder, and cam refuses to run with it.\n",
			filepath.Join(dir, config.SettingsFileName), config.PlaceholderSID)
	}
	fmt.Fprintln(io.Out, next)
	return ExitOK
}

// defaultSID is the login name when it has the shape of a SID, else the
// placeholder, which validation refuses until the analyst sets a SID.
func defaultSID() string {
	if u, err := user.Current(); err == nil {
		if sid := strings.ToUpper(u.Username); config.ValidateSID(sid) == nil {
			return sid
		}
	}
	return config.PlaceholderSID
}

package oracle

import (
	"fmt"
	"os"
	"os/exec"
	"time"

	"cam/config"
)

// ExpiryWarning is how close to expiry the run pane starts warning.
const ExpiryWarning = time.Hour

// Summary is the ticket line of the run pane, e.g.
// "analyst@CORP.EXAMPLE — valid for 7h12m".
func (t Ticket) Summary(now time.Time) string {
	left := t.ValidFor(now).Truncate(time.Minute)
	if left <= 0 {
		return t.Principal + " — expired"
	}
	h, m := int(left.Hours()), int(left.Minutes())%60
	if h == 0 {
		return fmt.Sprintf("%s — valid for %dm", t.Principal, m)
	}
	return fmt.Sprintf("%s — valid for %dh%02dm", t.Principal, h, m)
}

// ExpiresSoon reports whether the run pane should warn: under an hour left.
func (t Ticket) ExpiresSoon(now time.Time) bool {
	return t.ValidFor(now) < ExpiryWarning
}

// KinitCmd returns the kinit command the TUI runs in the foreground (for
// the password prompt). It writes to the same cache CheckTicket and the
// authenticator read, and uses the same krb5.conf; principal is the one of
// the last ticket when known ("" lets kinit use the login name). stdin,
// stdout and stderr are left for the caller to connect.
func KinitCmd(krb5Conf, cache, principal string) (*exec.Cmd, error) {
	path, err := ResolveCache(cache)
	if err != nil {
		return nil, err
	}
	args := []string{"-c", "FILE:" + path}
	if principal != "" {
		args = append(args, principal)
	}
	cmd := exec.Command("kinit", args...)
	cmd.Env = append(os.Environ(), "KRB5CCNAME=FILE:"+path)
	if krb5Conf != "" {
		cmd.Env = append(cmd.Env, "KRB5_CONFIG="+krb5Conf)
	}
	return cmd, nil
}

// UsesKerberos reports whether any database of cfg logs in with the
// analyst's Kerberos ticket, so the ticket matters to a run.
func UsesKerberos(cfg *config.Config) bool {
	for _, db := range cfg.Databases {
		if db.Driver == config.DriverOracle && db.AuthMethod() == config.AuthKerberos {
			return true
		}
	}
	return false
}

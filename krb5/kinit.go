package krb5

import (
	"os"
	"os/exec"
)

// KinitCmd returns the kinit command a front end runs in the foreground
// (for the password prompt). It writes to the same cache CheckTicket and
// ServiceRequest read, and uses the same krb5.conf; principal is the one
// of the last ticket when known ("" lets kinit use the login name). stdin,
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
	// No context: kinit runs in the foreground until the analyst has typed
	// the password, and nothing waits on it.
	cmd := exec.Command("kinit", args...) //nolint:noctx // see above
	cmd.Env = append(os.Environ(), "KRB5CCNAME=FILE:"+path)
	if krb5Conf != "" {
		cmd.Env = append(cmd.Env, "KRB5_CONFIG="+krb5Conf)
	}
	return cmd, nil
}

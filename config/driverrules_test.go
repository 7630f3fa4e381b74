package config

import (
	"strings"
	"testing"
)

// The loader words a driver's problems from the registered drivers' own
// rules; the text is what it was when config knew the drivers by name.
func TestDriverProblemsComeFromTheRegisteredDrivers(t *testing.T) {
	for _, tc := range []struct {
		name, entry, want string
	}{
		{"unknown driver lists the registered ones", "    driver: postgres\n",
			`databases[2] "x": driver: "postgres" is not a driver (use oracle, mysql or sqlite)`},
		{"kerberos names the drivers that log in with it", "    driver: mysql\n    host: h\n    port: 3306\n    auth: kerberos\n",
			`databases[2] "x": auth: kerberos is only available for oracle databases (use password)`},
		{"a wallet is oracle's", "    driver: mysql\n    host: h\n    port: 3306\n    user: u\n    ssl: true\n    wallet: wallet\n",
			`databases[2] "x": wallet: is only used by oracle databases`},
		{"a socket is mysql's", "    host: h\n    port: 1521\n    service_name: S\n    socket: /tmp/s\n",
			`databases[2] "x": socket: is only used by mysql databases`},
		{"a CA file is mysql's", "    host: h\n    port: 1521\n    service_name: S\n    ssl: true\n    ssl_ca: ca.pem\n",
			`databases[2] "x": ssl_ca: is only used by mysql databases`},
		{"mysql has no fetch_size", "    driver: mysql\n    host: h\n    port: 3306\n    user: u\n    fetch_size: 10\n",
			`databases[2] "x": fetch_size: is not used by mysql databases (their rows stream as they are read)`},
		{"mysql needs an address without a socket", "    driver: mysql\n    user: u\n",
			`databases[2] "x": port: must be a port number 1-65535 for a mysql database`},
		{"oracle needs the password variable", "    host: h\n    port: 1521\n    service_name: S\n    auth: password\n    user: u\n",
			`databases[2] "x": password_env: is required with auth: password (the name of an environment variable holding the password)`},
		{"sqlite takes no login", "    driver: sqlite\n    path: data/clients.db\n    connect_timeout: 5s\n",
			`databases[2] "x": connect_timeout: is not used by a sqlite database`},
		{"sqlite names a missing file as written", "    driver: sqlite\n    path: data/${CAM_NO_SUCH_VAR}missing.db\n",
			`databases[2] "x": path: file data/${CAM_NO_SUCH_VAR}missing.db does not exist`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entry := "  - name: x\n" + tc.entry + "    sql_queries:\n      - name: Activity\n        query_location: queries/activity.sql\n        kind: activity\n"
			_, err := Load(writeDir(t, withDatabase(entry)))
			probs := mustProblems(t, err)
			if text := probs.Error(); !strings.Contains(text, "databases.yaml: "+tc.want+"\n") && !strings.HasSuffix(text, "databases.yaml: "+tc.want) {
				t.Errorf("want the line %q in\n%s", tc.want, text)
			}
		})
	}
}

func TestDriverNamesPutTheDefaultFirst(t *testing.T) {
	if got := strings.Join(DriverNames(), " "); got != "oracle mysql sqlite" {
		t.Errorf("DriverNames = %q", got)
	}
}

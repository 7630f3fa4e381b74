package config

import (
	"fmt"

	"cam/queries"
)

// damActivityQuery is the shipped query of the DAM schema, inside queries.Files.
const damActivityQuery = "mysql/activity.sql"

// starterDAMDatabases is one MySQL database with the DAM schema.
const starterDAMDatabases = `# databases.yaml: the databases cam queries and the SQL it runs on each.
# Admin-managed: cam never writes this file. Paths are relative to this directory.
databases:
  - name: dam
    driver: mysql                      # MySQL 8 or MariaDB
    host: mysql.dam.example.com
    port: 3306
    # socket: /run/mysqld/mysqld.sock  # instead of host and port, on the database host
    default_schema: dam
    timezone: Europe/London            # zone of DATETIME values, which carry none
    user: cam_auditor                  # needs SELECT on activity_logs and users
    password_env: CAM_DAM_PASSWORD     # the variable holding the password: export it before running cam
    # ssl: true                        # TLS; the server certificate is verified ...
    # ssl_ca: certs/dam-ca.pem         # ... against this CA, else the system's
    max_connections: 2
    sql_queries:
      - name: Database activity
        query_location: queries/` + damActivityQuery + `
        kind: activity                 # feeds brute force, off-hours and Guest-write rules
`

// damBusinessZone puts business hours in the DAM's zone: its clocks are
// London time, and an off-hours rule in another zone would misfire.
const damBusinessZone = "Europe/London    # the zone of the DAM's clocks"

// WriteDAMStarter creates dir (0700) with a databases.yaml for one MySQL
// database holding the DAM schema, a commented app_settings.yaml for sid
// with business hours in the DAM's zone, and the DAM activity query. It
// never overwrites a file: an existing one is an error naming it.
func WriteDAMStarter(dir, sid string) error {
	if err := ValidateSID(sid); err != nil && sid != PlaceholderSID {
		return fmt.Errorf("sid: %w", err)
	}
	query, err := queries.Files.ReadFile(damActivityQuery)
	if err != nil {
		return err
	}
	return writeNewFiles(dir, map[string][]byte{
		DatabasesFileName:             []byte(starterDAMDatabases),
		SettingsFileName:              []byte(fmt.Sprintf(starterSettings, sid, damBusinessZone)),
		"queries/" + damActivityQuery: query,
	})
}

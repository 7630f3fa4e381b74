package oracle

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/keytab"

	"cam/config"
	"cam/engine"
	"cam/internal/integration"
	"cam/krb5/krb5test"
	"cam/oracle/oratest"
)

// servicePrincipal is the database's Kerberos service principal; go-ora
// asks for a ticket to the service and host the server names in ANO.
const servicePrincipal = "oracle/" + dbHost

// requireNonLoopbackAddress: go-ora v2.9.0 puts a local non-loopback
// address into its Kerberos ANO message (getHostIPAddress) and fails
// without one, although the connection itself is to 127.0.0.1.
func requireNonLoopbackAddress(t *testing.T) {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if ip, ok := a.(*net.IPNet); ok && !ip.IP.IsLoopback() {
			return
		}
	}
	msg := "no non-loopback interface address: go-ora's Kerberos logon needs one"
	if integration.Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// kerberosOracle starts a KDC with the analyst and the database's service
// principal, and an oratest server that holds key, the service key (nil:
// the KDC's). It writes a cam configuration for one Kerberos database
// reading cache, and returns its loaded form.
func kerberosOracle(t *testing.T, key *keytab.Keytab, lifetime string) (*config.Config, *oratest.Server) {
	t.Helper()
	requireNonLoopbackAddress(t)
	k := krb5test.Start(t, analyst+":"+analystPW, servicePrincipal)
	if key == nil {
		var err error
		if key, err = keytab.Load(k.Keytab(servicePrincipal + "@" + testRealm)); err != nil {
			t.Fatal(err)
		}
	}
	cache := k.Kinit(analyst, analystPW, "-l", lifetime)
	dir := t.TempDir()
	srv := oratest.Start(t, oratest.Options{
		Services: map[string]string{"CLIENT_AUDIT": writeFixture(t, changesScript)},
		Kerberos: &oratest.Kerberos{Keytab: key, Service: "oracle", Host: dbHost},
	})
	files := map[string]string{
		"databases.yaml": fmt.Sprintf(`databases:
  - name: audit
    driver: oracle
    host: 127.0.0.1
    port: %d
    service_name: CLIENT_AUDIT
    timezone: Europe/London
    sql_queries:
      - {name: passwords, query_location: changes.sql, change_type: password}
`, srv.Port()),
		"changes.sql":       "SELECT user_id, change_date AS change_timestamp FROM changes WHERE change_date >= :start_date",
		"app_settings.yaml": fmt.Sprintf("user_settings:\n  sid: A12345\noracle_client:\n  krb5_conf: %s\n  krb5_cache: FILE:%s\napp_settings:\n  log_dir: logs\n  report_output_dir: reports\n", k.Krb5Conf, cache),
	}
	for name, text := range files {
		krb5test.WriteFile(t, filepath.Join(dir, name), text)
	}
	cfg, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, srv
}

func oracleEngine() *engine.Engine {
	return engine.New(engine.Options{Drivers: map[string]engine.Driver{config.DriverOracle: New()}})
}

func TestKerberosTicketFromTheKDCLogsOnForCheckAndRun(t *testing.T) {
	cfg, srv := kerberosOracle(t, nil, "1h")
	check := oracleEngine().Check(context.Background(), cfg)
	if len(check) != 1 || !check[0].OK || check[0].Auth != "kerberos" {
		t.Fatalf("check: %+v", check)
	}
	// The anchored run reads the fixture's whole March 2026.
	anchor := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	run, err := oracleEngine().Start(context.Background(), engine.Request{Config: cfg, LastEventTime: &anchor})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Wait()
	if len(res.Queries) != 1 || res.Queries[0].Status != engine.StatusOK || res.Queries[0].Rows != 4 {
		t.Fatalf("run: %+v", res.Queries)
	}
	logins := srv.Record().Logins()
	if len(logins) < 2 {
		t.Fatalf("logins: %+v", logins)
	}
	for _, l := range logins {
		if !l.OK || l.Method != "kerberos" || l.User != "ANALYST" {
			t.Errorf("login %+v, want a Kerberos logon as ANALYST", l)
		}
	}
}

func TestKerberosWithAWrongServiceKeyIsAnAuthFailureWithTheKinitHint(t *testing.T) {
	wrong := keytab.New()
	if err := wrong.AddEntry(servicePrincipal, testRealm, "not-the-service-key", time.Now(), 2, etypeID.AES256_CTS_HMAC_SHA1_96); err != nil {
		t.Fatal(err)
	}
	cfg, srv := kerberosOracle(t, wrong, "1h")
	check := oracleEngine().Check(context.Background(), cfg)
	if len(check) != 1 || check[0].OK || check[0].Class != engine.ClassAuth || !strings.Contains(check[0].Message, "kinit") {
		t.Fatalf("check: %+v, want an auth failure that says kinit", check)
	}
	for _, l := range srv.Record().Logins() {
		if l.OK {
			t.Errorf("a ticket for the wrong key logged on: %+v", l)
		}
	}
}

func TestKerberosWithAnExpiredTicketIsAnAuthFailureWithTheKinitHint(t *testing.T) {
	cfg, srv := kerberosOracle(t, nil, "3s")
	time.Sleep(4 * time.Second)
	check := oracleEngine().Check(context.Background(), cfg)
	if len(check) != 1 || check[0].OK || check[0].Class != engine.ClassAuth || !strings.Contains(check[0].Message, "kinit") {
		t.Fatalf("check: %+v, want an auth failure that says kinit", check)
	}
	if n := srv.Record().Sessions(); n != 0 {
		t.Errorf("%d sessions logged on with an expired ticket", n)
	}
}

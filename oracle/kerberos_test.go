package oracle

import (
	"strings"
	"testing"

	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"

	"cam/krb5/krb5test"
)

const (
	testRealm = krb5test.Realm
	analyst   = "analyst@" + testRealm
	analystPW = "Correct-Horse-7"
	dbHost    = "db.cam.test"
)

func TestKerberosAuthBuildsAPREQForOracleService(t *testing.T) {
	service := "oracle/" + dbHost + "@" + testRealm
	k := krb5test.Start(t, analyst+":"+analystPW, service)
	cache := k.Kinit(analyst, analystPW)

	auth := &KerberosAuth{Krb5Conf: k.Krb5Conf, Krb5Cache: "FILE:" + cache}
	raw, err := auth.Authenticate(dbHost, "oracle")
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	var apreq messages.APReq
	if err := apreq.Unmarshal(raw); err != nil {
		t.Fatalf("not an AP-REQ: %v", err)
	}
	if got := apreq.Ticket.SName.PrincipalNameString(); got != "oracle/"+dbHost {
		t.Errorf("service ticket for %q, want oracle/%s", got, dbHost)
	}
	// The database would decrypt the ticket with its keytab; do the same.
	kt, err := keytab.Load(k.Keytab(service))
	if err != nil {
		t.Fatal(err)
	}
	if err := apreq.Ticket.DecryptEncPart(kt, nil); err != nil {
		t.Fatalf("service cannot decrypt the ticket: %v", err)
	}
	if got := apreq.Ticket.DecryptedEncPart.CName.PrincipalNameString() + "@" + apreq.Ticket.DecryptedEncPart.CRealm; got != analyst {
		t.Errorf("ticket client = %q, want %q", got, analyst)
	}
}

func TestKerberosAuthPicksUpFreshKinitWithoutRestart(t *testing.T) {
	service := "oracle/" + dbHost + "@" + testRealm
	k := krb5test.Start(t, analyst+":"+analystPW, service)
	cache := t.TempDir() + "/cc"
	auth := &KerberosAuth{Krb5Conf: k.Krb5Conf, Krb5Cache: "FILE:" + cache}
	if _, err := auth.Authenticate(dbHost, "oracle"); err == nil {
		t.Fatal("Authenticate succeeded before kinit")
	} else if _, class := classifyForTest(err); class != "auth" {
		t.Errorf("no-ticket error classified %q, want auth", class)
	}
	k.Run(analystPW+"\n", "kinit", "-c", "FILE:"+cache, analyst)
	if _, err := auth.Authenticate(dbHost, "oracle"); err != nil {
		t.Fatalf("Authenticate after kinit: %v", err)
	}
}

func TestKerberosAuthUnknownServiceIsAnAuthError(t *testing.T) {
	k := krb5test.Start(t, analyst+":"+analystPW)
	cache := k.Kinit(analyst, analystPW)
	auth := &KerberosAuth{Krb5Conf: k.Krb5Conf, Krb5Cache: cache}
	_, err := auth.Authenticate("unknown.cam.test", "oracle")
	if err == nil {
		t.Fatal("want an error for a service the KDC does not know")
	}
	msg, class := classifyForTest(err)
	if class != "auth" || !strings.Contains(msg, "oracle/unknown.cam.test") {
		t.Errorf("classified %q %q, want auth naming the service", class, msg)
	}
}

package krb5

import (
	"errors"
	"strings"
	"testing"
	"time"

	"cam/krb5/krb5test"
)

const (
	analyst   = "analyst@" + krb5test.Realm
	analystPW = "Correct-Horse-7"
)

func TestCheckTicketReadsPrincipalExpiryAndRenewUntil(t *testing.T) {
	k := krb5test.Start(t, analyst+":"+analystPW)
	before := time.Now().Truncate(time.Second)
	cache := k.Kinit(analyst, analystPW, "-l", "2h", "-r", "1d")

	tkt, err := CheckTicket(k.Krb5Conf, "FILE:"+cache, time.Now())
	if err != nil {
		t.Fatalf("CheckTicket: %v", err)
	}
	if tkt.Principal != analyst {
		t.Errorf("principal = %q, want %q", tkt.Principal, analyst)
	}
	if tkt.CachePath != cache {
		t.Errorf("cache path = %q, want %q", tkt.CachePath, cache)
	}
	if got := tkt.Expires.Sub(before); got < 2*time.Hour-time.Minute || got > 2*time.Hour+time.Minute {
		t.Errorf("expires %s after kinit, want about 2h", got)
	}
	if got := tkt.RenewUntil.Sub(before); got < 24*time.Hour-time.Minute || got > 24*time.Hour+time.Minute {
		t.Errorf("renew-until %s after kinit, want about 24h", got)
	}
	if v := tkt.ValidFor(time.Now()); v < 119*time.Minute || v > 2*time.Hour {
		t.Errorf("ValidFor = %s, want just under 2h", v)
	}
}

func TestCheckTicketUsesKRB5CCNAMEWhenNoCacheIsConfigured(t *testing.T) {
	k := krb5test.Start(t, analyst+":"+analystPW)
	cache := k.Kinit(analyst, analystPW)
	t.Setenv("KRB5CCNAME", "FILE:"+cache)
	tkt, err := CheckTicket("", "", time.Now())
	if err != nil {
		t.Fatalf("CheckTicket: %v", err)
	}
	if tkt.CachePath != cache || tkt.Principal != analyst {
		t.Errorf("got %+v, want principal %s in %s", tkt, analyst, cache)
	}
}

func TestCheckTicketReportsExpiredTicket(t *testing.T) {
	k := krb5test.Start(t, analyst+":"+analystPW)
	cache := k.Kinit(analyst, analystPW, "-l", "1m")

	_, err := CheckTicket("", cache, time.Now().Add(2*time.Minute))
	var te *TicketError
	if !errors.As(err, &te) || te.Kind != TicketExpired {
		t.Fatalf("err = %v, want an expired TicketError", err)
	}
	if te.Overridable() {
		t.Error("an expired ticket must block the run, not offer the override")
	}
	if !strings.Contains(te.Error(), "expired") || !strings.Contains(te.Error(), "kinit") {
		t.Errorf("message %q should say expired and kinit", te.Error())
	}
}

func TestCheckTicketReportsMissingCache(t *testing.T) {
	missing := t.TempDir() + "/no-such-cache"
	_, err := CheckTicket("", "FILE:"+missing, time.Now())
	var te *TicketError
	if !errors.As(err, &te) || te.Kind != TicketMissing {
		t.Fatalf("err = %v, want a missing TicketError", err)
	}
	if !strings.Contains(te.Error(), missing) || !strings.Contains(te.Error(), "kinit") {
		t.Errorf("message %q should name the cache and kinit", te.Error())
	}
	if te.Overridable() {
		t.Error("a missing cache must block the run")
	}
}

func TestCheckTicketExplainsUnreadableCacheTypes(t *testing.T) {
	for _, cache := range []string{"KEYRING:persistent:1000", "KCM:1000", "DIR:/run/user/1000/krb5cc"} {
		_, err := CheckTicket("", cache, time.Now())
		var te *TicketError
		if !errors.As(err, &te) || te.Kind != TicketUnreadable {
			t.Fatalf("%s: err = %v, want an unreadable TicketError", cache, err)
		}
		if !te.Overridable() {
			t.Errorf("%s: the analyst must be able to override an unreadable cache", cache)
		}
		if !strings.Contains(te.Error(), "export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u)") {
			t.Errorf("%s: message %q lacks the export hint", cache, te.Error())
		}
	}
}

func TestCheckTicketCorruptCacheIsUnreadable(t *testing.T) {
	path := t.TempDir() + "/cc"
	krb5test.WriteFile(t, path, "not a credential cache")
	_, err := CheckTicket("", path, time.Now())
	var te *TicketError
	if !errors.As(err, &te) || te.Kind != TicketUnreadable {
		t.Fatalf("err = %v, want an unreadable TicketError", err)
	}
}

func TestKinitCmdWritesTheCacheCamReads(t *testing.T) {
	k := krb5test.Start(t, analyst+":"+analystPW)
	cache := t.TempDir() + "/cc"
	cmd, err := KinitCmd(k.Krb5Conf, "FILE:"+cache, analyst)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdin = strings.NewReader(analystPW + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kinit: %v\n%s", err, out)
	}
	tkt, err := CheckTicket(k.Krb5Conf, "FILE:"+cache, time.Now())
	if err != nil || tkt.Principal != analyst {
		t.Fatalf("after KinitCmd: %+v %v", tkt, err)
	}
}

func TestKinitCmdRefusesUnreadableCacheTypes(t *testing.T) {
	if _, err := KinitCmd("", "KEYRING:persistent:1000", ""); err == nil {
		t.Fatal("kinit into a KEYRING cache cam cannot read must be refused")
	}
}

func TestTicketSummaryAndWarning(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	tkt := Ticket{Principal: "analyst@CORP.EXAMPLE", Expires: now.Add(7*time.Hour + 12*time.Minute + 30*time.Second)}
	if got := tkt.Summary(now); got != "analyst@CORP.EXAMPLE — valid for 7h12m" {
		t.Errorf("Summary = %q", got)
	}
	if tkt.ExpiresSoon(now) {
		t.Error("7h left must not warn")
	}
	soon := now.Add(6*time.Hour + 30*time.Minute)
	if !tkt.ExpiresSoon(soon) || tkt.Summary(soon) != "analyst@CORP.EXAMPLE — valid for 42m" {
		t.Errorf("42m left: warn=%v summary=%q", tkt.ExpiresSoon(soon), tkt.Summary(soon))
	}
	if got := tkt.Summary(now.Add(8 * time.Hour)); got != "analyst@CORP.EXAMPLE — expired" {
		t.Errorf("after expiry Summary = %q", got)
	}
}

// A ticket asked for without -r is not renewable; the cache stores its
// renew-till as 0, which must not read as "renewable until 1970".
func TestCheckTicketReportsNoRenewUntilForANonRenewableTicket(t *testing.T) {
	k := krb5test.Start(t, analyst+":"+analystPW)
	cache := k.Kinit(analyst, analystPW, "-l", "2h")
	tkt, err := CheckTicket(k.Krb5Conf, "FILE:"+cache, time.Now())
	if err != nil {
		t.Fatalf("CheckTicket: %v", err)
	}
	if !tkt.RenewUntil.IsZero() {
		t.Errorf("renew-until = %s, want none for a non-renewable ticket", tkt.RenewUntil)
	}
	if st := Assess(tkt, nil, time.Now()); st.State != StateOK || !st.Ticket.RenewUntil.IsZero() {
		t.Errorf("status = %+v, want ok without a renew-until", st)
	}
}

package oratest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/service"
)

// Kerberos is the server's half of Kerberos logon: the key of its service
// principal (Service/Host@realm), as a KDC's keytab export holds it.
type Kerberos struct {
	Keytab  *keytab.Keytab
	Service string // the principal's first part, "oracle"
	Host    string // the principal's second part, the database host
}

// ParsePrincipal splits "oracle/HOST@REALM" into service and host.
func ParsePrincipal(principal string) (service, host string, err error) {
	name, _, _ := strings.Cut(principal, "@")
	service, host, ok := strings.Cut(name, "/")
	if !ok || service == "" || host == "" {
		return "", "", fmt.Errorf("principal %q is not SERVICE/HOST@REALM", principal)
	}
	return service, host, nil
}

// verify checks a KRB_AP_REQ against the keytab and returns the client's
// user name, upper-cased as Oracle maps external users. gokrb5 keeps a
// process-wide replay cache: the same AP-REQ verifies only once.
func (k *Kerberos) verify(apReq []byte) (string, error) {
	var ap messages.APReq
	if err := ap.Unmarshal(apReq); err != nil {
		return "", fmt.Errorf("AP-REQ: %w", err)
	}
	ok, creds, err := service.VerifyAPREQ(&ap, service.NewSettings(k.Keytab, service.DecodePAC(false)))
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errors.New("AP-REQ not valid")
	}
	return strings.ToUpper(creds.UserName()), nil
}

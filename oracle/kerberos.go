package oracle

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/jcmturner/gokrb5/v8/client"
	krbconfig "github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// KerberosError is a failure to build Kerberos credentials for a
// connection; Classify maps it to the auth class.
type KerberosError struct {
	Msg string // analyst-facing
	Err error
}

// Error returns the analyst-facing message.
func (e *KerberosError) Error() string { return e.Msg }

// Unwrap returns the underlying error.
func (e *KerberosError) Unwrap() error { return e.Err }

// KerberosAuth implements go-ora's KerberosAuthInterface for one database.
// It loads krb5.conf and the credential cache on every call, so a fresh
// kinit is used without restarting cam.
type KerberosAuth struct {
	Krb5Conf  string // "" means KRB5_CONFIG, then /etc/krb5.conf
	Krb5Cache string // "" means KRB5CCNAME, then /tmp/krb5cc_<uid>
}

// Authenticate returns a Kerberos AP-REQ for service/server (for Oracle,
// oracle/<db host>), using a service ticket from the cache or obtained
// from the KDC with the cached ticket-granting ticket.
func (a *KerberosAuth) Authenticate(server, service string) ([]byte, error) {
	conf, err := loadKrb5Conf(a.Krb5Conf)
	if err != nil {
		return nil, err
	}
	path, err := ResolveCache(a.Krb5Cache)
	if err != nil {
		return nil, &KerberosError{Msg: err.Error(), Err: err}
	}
	cc, err := credentials.LoadCCache(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &KerberosError{Err: err,
			Msg: fmt.Sprintf("no Kerberos ticket: credential cache %s does not exist; run kinit", path)}
	}
	if err != nil {
		return nil, &KerberosError{Err: err,
			Msg: fmt.Sprintf("cannot read credential cache %s (%v); %s", path, err, fileCacheHint)}
	}
	cl, err := client.NewFromCCache(cc, conf, client.DisablePAFXFAST(true))
	if err != nil {
		return nil, &KerberosError{Err: err,
			Msg: fmt.Sprintf("credential cache %s holds no usable ticket (%v); run kinit", path, err)}
	}
	spn := service + "/" + server
	tkt, key, err := cl.GetServiceTicket(spn)
	if err != nil {
		return nil, &KerberosError{Err: err,
			Msg: fmt.Sprintf("cannot get a Kerberos service ticket for %s (%v); check that your ticket is valid (klist; run kinit if it expired) and that the KDC knows %s", spn, err, spn)}
	}
	token, err := spnego.NewKRB5TokenAPREQ(cl, tkt, key, []int{gssapi.ContextFlagMutual}, []int{})
	if err != nil {
		return nil, &KerberosError{Err: err, Msg: fmt.Sprintf("cannot build Kerberos request for %s: %v", spn, err)}
	}
	return token.APReq.Marshal()
}

// loadKrb5Conf loads krb5.conf as resolved by resolveKrb5Conf.
func loadKrb5Conf(conf string) (*krbconfig.Config, error) {
	path := resolveKrb5Conf(conf)
	c, err := krbconfig.Load(path)
	if err != nil {
		return nil, &KerberosError{Err: err,
			Msg: fmt.Sprintf("cannot load Kerberos configuration %s: %v (set krb5_conf in app_settings.yaml or KRB5_CONFIG)", path, err)}
	}
	return c, nil
}

package oracle

import "cam/krb5"

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
// krb5 loads krb5.conf and the credential cache on every call, so a fresh
// kinit is used without restarting cam.
type KerberosAuth struct {
	Krb5Conf  string // "" means KRB5_CONFIG, then /etc/krb5.conf
	Krb5Cache string // "" means KRB5CCNAME, then /tmp/krb5cc_<uid>
}

// Authenticate returns a Kerberos AP-REQ for service/server (for Oracle,
// oracle/<db host>), using a service ticket from the cache or obtained
// from the KDC with the cached ticket-granting ticket.
func (a *KerberosAuth) Authenticate(server, service string) ([]byte, error) {
	req, err := krb5.ServiceRequest(a.Krb5Conf, a.Krb5Cache, server, service)
	if err != nil {
		return nil, &KerberosError{Msg: err.Error(), Err: err}
	}
	return req, nil
}

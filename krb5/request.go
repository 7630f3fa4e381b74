package krb5

import (
	"fmt"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// RequestError is a failure to build a login request from a readable
// cache: no usable ticket in it, no service ticket from the KDC, or a
// request that cannot be encoded. Msg is ready to show the analyst.
type RequestError struct {
	Msg string
	Err error
}

// Error returns the analyst-facing message.
func (e *RequestError) Error() string { return e.Msg }

// Unwrap returns the underlying error.
func (e *RequestError) Unwrap() error { return e.Err }

// ServiceRequest returns a Kerberos AP-REQ for service/server (for Oracle,
// oracle/<db host>), using a service ticket from the cache or obtained
// from the KDC with the cached ticket-granting ticket. krb5.conf and the
// cache are read on every call, so a fresh kinit is used at once. Errors
// are a *TicketError (configuration or cache) or a *RequestError.
func ServiceRequest(krb5Conf, cache, server, service string) ([]byte, error) {
	conf, err := loadConfig(krb5Conf)
	if err != nil {
		return nil, err
	}
	path, err := ResolveCache(cache)
	if err != nil {
		return nil, err
	}
	cc, err := loadCache(path)
	if err != nil {
		return nil, err
	}
	cl, err := client.NewFromCCache(cc, conf, client.DisablePAFXFAST(true))
	if err != nil {
		return nil, &RequestError{Err: err,
			Msg: fmt.Sprintf("credential cache %s holds no usable ticket (%v); run kinit", path, err)}
	}
	spn := service + "/" + server
	tkt, key, err := cl.GetServiceTicket(spn)
	if err != nil {
		return nil, &RequestError{Err: err,
			Msg: fmt.Sprintf("cannot get a Kerberos service ticket for %s (%v); check that your ticket is valid (klist; run kinit if it expired) and that the KDC knows %s", spn, err, spn)}
	}
	token, err := spnego.NewKRB5TokenAPREQ(cl, tkt, key, []int{gssapi.ContextFlagMutual}, []int{})
	if err != nil {
		return nil, &RequestError{Err: err, Msg: fmt.Sprintf("cannot build Kerberos request for %s: %v", spn, err)}
	}
	return token.APReq.Marshal()
}

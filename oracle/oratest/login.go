package oratest

import (
	"fmt"
	"strings"
)

// Function codes of the calls the server answers (TTC message 3).
const (
	fnLogoff      = 0x09
	fnFetch       = 0x05
	fnReexecute   = 0x04
	fnVersion     = 0x3B
	fnExecute     = 0x5E
	fnReexecFetch = 0x4E
	fnAuth        = 0x73
	fnSessionKey  = 0x76
	fnPing        = 0x93
)

// function dispatches one function call.
func (ss *session) function(msg []byte) error {
	if len(msg) < 2 {
		return fmt.Errorf("function call of %d bytes", len(msg))
	}
	switch msg[1] {
	case fnExecute, fnFetch, fnReexecute, fnReexecFetch:
		if !ss.loggedOn {
			return ss.replyError(oraNotLoggedOn, 0)
		}
	}
	switch msg[1] {
	case fnSessionKey:
		return ss.sessionKey(msg)
	case fnAuth:
		return ss.authenticate(msg)
	case fnVersion:
		return ss.version()
	case fnExecute:
		return ss.execute(msg)
	case fnFetch:
		return ss.fetch(msg)
	case fnReexecute, fnReexecFetch:
		return ss.reexecute(msg)
	case fnPing, fnLogoff:
		e := ss.newEncoder()
		e.raw(msgStatus)
		e.uint(0) // end-of-call status
		e.uint(0) // end-to-end sequence number
		return ss.send(e)
	}
	return fmt.Errorf("unsupported function 0x%X", msg[1])
}

// TTC reply message codes.
const (
	msgParameters = 8
	msgStatus     = 9
	msgError      = 4
	msgRowHeader  = 6
	msgRowData    = 7
	msgDescribe   = 16
)

// authRequest reads the user and key/value pairs of a logon call.
func authRequest(d *decoder) (string, map[string]string) {
	d.skip(3)
	userLen := 0
	if d.byte() == 1 {
		userLen = d.count()
	} else {
		d.byte()
	}
	d.int() // logon mode
	d.byte()
	n := d.count()
	d.byte()
	d.byte()
	user := ""
	if userLen > 0 {
		user = string(d.clr())
	}
	kv := map[string]string{}
	for range n {
		k, v := d.keyValue()
		kv[k] = v
	}
	return user, kv
}

// sessionKey answers the first O5LOGON call. An unknown user gets a
// challenge for a random password, so the reply does not reveal which
// users exist; the logon then fails in the second call.
func (ss *session) sessionKey(msg []byte) error {
	var user string
	if err := ss.parse(msg, func(d *decoder) { user, _ = authRequest(d) }); err != nil {
		return err
	}
	ss.user = strings.ToUpper(user)
	ss.method = "password"
	pw, ok := ss.srv.users[ss.user]
	if !ok {
		random, err := randomBytes(12)
		if err != nil {
			return err
		}
		pw = string(random)
	}
	o5, err := newO5Logon(pw)
	if err != nil {
		return err
	}
	ss.o5 = o5
	pairs, err := o5.challenge()
	if err != nil {
		return err
	}
	e := ss.newEncoder()
	e.raw(msgParameters)
	e.uint(uint64(len(pairs)))
	for _, kv := range pairs {
		e.keyValue(kv.key, kv.value, kv.flag)
	}
	ss.status(e, 0, 0)
	return ss.send(e)
}

// authenticate answers the second logon call: the password check, or,
// after Kerberos in ANO, the session properties.
func (ss *session) authenticate(msg []byte) error {
	var kv map[string]string
	if err := ss.parse(msg, func(d *decoder) { _, kv = authRequest(d) }); err != nil {
		return err
	}
	e := ss.newEncoder()
	ok := false
	switch {
	case ss.o5 != nil:
		_, known := ss.srv.users[ss.user]
		ok = known && ss.o5.verify(kv["AUTH_SESSKEY"], kv["AUTH_PASSWORD"])
	case ss.method == "kerberos":
		ok = ss.user != ""
	}
	ss.srv.record.addLogin(Login{Session: ss.id, Service: ss.service, User: ss.user, Method: ss.method, OK: ok})
	ss.srv.logf("session %d: logon %s as %s to %s: ok=%v", ss.id, ss.method, ss.user, ss.service, ok)
	if !ok {
		ss.oraError(e, 1017, 0, 0)
		return ss.send(e)
	}
	ss.loggedOn = true
	props := []keyValue{
		{"AUTH_VERSION_NO", "318767104", 0},
		{"AUTH_SESSION_ID", fmt.Sprint(ss.id), 0},
		{"AUTH_SERIAL_NUM", fmt.Sprint(1000 + ss.id), 0},
		{"AUTH_SC_SERVICE_NAME", ss.service, 0},
		{"AUTH_SC_INSTANCE_NAME", "ORATEST", 0},
		{"AUTH_SC_DBUNIQUE_NAME", "ORATEST", 0},
		{"AUTH_SC_DB_DOMAIN", "", 0},
	}
	if ss.o5 != nil {
		resp, err := ss.o5.serverResponse()
		if err != nil {
			return err
		}
		props = append(props, keyValue{"AUTH_SVR_RESPONSE", resp, 0})
	}
	e.raw(msgParameters)
	e.uint(uint64(len(props)))
	for _, p := range props {
		e.keyValue(p.key, p.value, p.flag)
	}
	ss.status(e, 0, 0)
	return ss.send(e)
}

// version answers the version call with a 19c banner.
func (ss *session) version() error {
	const banner = "Oracle Database 19c Enterprise Edition Release 19.0.0.0.0 - Production (oratest)"
	e := ss.newEncoder()
	e.raw(msgParameters)
	e.uint(uint64(len(banner)))
	e.clr([]byte(banner))
	e.uint(19<<24 | 3<<20)
	return ss.send(e)
}

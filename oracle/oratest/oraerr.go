package oratest

import (
	"fmt"
	"strings"
)

// Oracle error codes the double answers.
const (
	oraNoData          = 1403
	oraCancelled       = 1013
	oraInvalidCursor   = 1001
	oraLogonDenied     = 1017
	oraNotLoggedOn     = 1012
	oraNotAllBound     = 1008
	oraInvalidNumber   = 1722
	oraNoTable         = 942
	oraInvalidIdent    = 904
	oraInvalidSQL      = 900
	oraNoPrivileges    = 1031
	oraReadOnlyTxn     = 1456
	oraInternal        = 600
	oraUnknownService  = 12514
	oraCredentialsFail = 12638
)

// oraMessages are the message texts of the codes above, as a real server
// words them (without the details a real server adds).
var oraMessages = map[int]string{
	oraNoData:          "no data found",
	oraCancelled:       "user requested cancel of current operation",
	oraInvalidCursor:   "invalid cursor",
	oraLogonDenied:     "invalid username/password; logon denied",
	oraNotLoggedOn:     "not logged on",
	oraNotAllBound:     "not all variables bound",
	oraInvalidNumber:   "invalid number",
	oraNoTable:         "table or view does not exist",
	oraInvalidIdent:    "invalid identifier",
	oraInvalidSQL:      "invalid SQL statement",
	oraNoPrivileges:    "insufficient privileges",
	oraReadOnlyTxn:     "may not perform insert/delete/update operation inside a READ ONLY transaction",
	oraInternal:        "internal error code",
	oraUnknownService:  "TNS:listener does not currently know of service requested in connect descriptor",
	oraCredentialsFail: "TNS:Credential retrieval failed",
}

// oraText is the full message of code, "ORA-00942: table or view does not
// exist", with detail appended when given.
func oraText(code int, detail string) string {
	msg := oraMessages[code]
	if msg == "" {
		msg = "error"
	}
	if detail != "" {
		msg += ": " + detail
	}
	return fmt.Sprintf("ORA-%05d: %s\n", code, msg)
}

// sqliteToORA maps a SQLite error to the ORA code a real server gives for
// the same mistake.
func sqliteToORA(err error) (int, string) {
	msg := err.Error()
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(lower, "no such table"):
		return oraNoTable, ""
	case strings.Contains(lower, "no such column"), strings.Contains(lower, "no such function"):
		return oraInvalidIdent, msg
	case strings.Contains(lower, "syntax error"), strings.Contains(lower, "incomplete input"):
		return oraInvalidSQL, ""
	case strings.Contains(lower, "readonly"), strings.Contains(lower, "read-only"):
		return oraNoPrivileges, ""
	}
	return oraInternal, "[sqlite], [" + msg + "]"
}

// oraError is an ORA error answered to a statement.
type oraError struct {
	code   int
	detail string
}

func (e *oraError) Error() string { return strings.TrimSpace(oraText(e.code, e.detail)) }

// Package oratest is a test double of an Oracle database server: a
// listener on 127.0.0.1 that speaks enough of the TNS/TTC wire protocol
// for the real go-ora client (v2.9.0, the version in go.mod) to log on,
// run SQL with binds, fetch in batches and be cancelled, with the data
// held in SQLite files. Tests call Start; the oraserve command serves the
// same double to other clients (node-oracledb in the cross-check).
//
// What it implements, for go-ora v2.9.0 and node-oracledb (Thin mode):
//   - CONNECT → ACCEPT (protocol version 315) or REFUSE with ORA-12514 for
//     an unknown service; protocol and data-type negotiation.
//   - O5LOGON with the 12c PBKDF2 verifier, checking the password and
//     sending AUTH_SVR_RESPONSE; ORA-01017 on a wrong password or user.
//   - Kerberos through ANO (KERBEROS5 only, no encryption or checksums):
//     the client's AP-REQ is verified with gokrb5 against a keytab;
//     a bad ticket gets ORA-12638.
//   - Execute (OALL8) with binds, re-execute of a cached cursor, fetch,
//     cursor close, ping, logoff, version; break → reset → ORA-01013.
//   - Values: VARCHAR2, NUMBER, DATE, TIMESTAMP, TIMESTAMP WITH TIME ZONE
//     and NULL, chosen from the SQLite declared column type (oracleType);
//     binds of those types are decoded and recorded.
//   - SQL runs on the service's SQLite file after a small translation
//     (see translate.go); SQLite errors map to ORA codes (oraerr.go).
//     Schema-qualified names resolve through Options.Schemas.
//   - Faults per test (Fault): slow execute, slow fetch, a silent or cut
//     connection mid-fetch, an ORA error for a statement, refusal. The
//     Record holds logons, statements with their binds, fetch round trips
//     and breaks.
//
// What a real server does differently, where known:
//   - It sends row data compressed (repeated values as a bit vector),
//     NUMBER scale and precision, and time zones as region ids; the double
//     sends every value, scale 0 and fixed offsets.
//   - Its database zone comes from the database; the double's is +00:00.
//   - It supports encryption and checksums in ANO, LOBs, PL/SQL, DML,
//     transactions, DRCP, TCPS, and sends a real Kerberos AP-REP.
//   - go-ora sends no break when a fetch is cancelled, so neither server
//     learns of it: cam must cut the socket, and the tests check it does.
//
// TestGoOraVersion fails when go.mod's go-ora version changes, so the
// double is checked again on every upgrade.
package oratest

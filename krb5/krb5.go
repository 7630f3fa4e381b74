// Package krb5 reads the analyst's Kerberos credential cache and says what
// it holds: the principal, when the ticket-granting ticket expires and
// until when it renews, and a State (ok, expiring soon, expired, missing,
// an unreadable cache or configuration). It also builds the AP-REQ a
// database login sends and the kinit command that refreshes the cache.
//
// It returns facts, never key hints: a front end decides what to call a
// state and which key to offer.
package krb5

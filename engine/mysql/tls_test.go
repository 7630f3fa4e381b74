package mysql

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cam/engine"
	"cam/engine/mysql/mariadbtest"
)

// testPKI writes a throwaway CA and a server certificate for 127.0.0.1
// into dir and returns the paths of the CA, the server cert and its key.
func testPKI(t *testing.T, dir string) (caPath, certPath, keyPath string) {
	t.Helper()
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	write := func(name, kind string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caKey, srvKey := newKey(), newKey()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cam test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(srvKey)
	if err != nil {
		t.Fatal(err)
	}
	return write("ca.pem", "CERTIFICATE", caDER), write("server.pem", "CERTIFICATE", leafDER), write("server-key.pem", "PRIVATE KEY", keyDER)
}

// TestTLSVerifiesTheServerAgainstSSLCA: with ssl and ssl_ca the session is
// encrypted and the server is verified; without the CA the certificate is
// refused with a hint; ssl_verify: false encrypts without verifying.
func TestTLSVerifiesTheServerAgainstSSLCA(t *testing.T) {
	dir := t.TempDir()
	ca, cert, key := testPKI(t, dir)
	srv := mariadbtest.Start(t, "--ssl-ca="+ca, "--ssl-cert="+cert, "--ssl-key="+key)

	db := srv.Database("dam", mariadbtest.User, time.UTC)
	db.Conn.SSL, db.Conn.SSLCA = true, ca
	var cipher, name string
	if err := openPool(t, db).QueryRow("SHOW SESSION STATUS LIKE 'Ssl_cipher'").Scan(&name, &cipher); err != nil {
		t.Fatalf("verified TLS login: %v", err)
	}
	if cipher == "" {
		t.Error("the session is not encrypted")
	}

	untrusted := db
	untrusted.Conn.SSLCA = ""
	err := openPool(t, untrusted).Ping()
	if err == nil {
		t.Fatal("a certificate from an unknown CA was accepted")
	}
	class, msg := Driver{}.Classify(err, untrusted)
	if class != engine.ClassConnection || !strings.Contains(msg, "not trusted") || !strings.Contains(msg, "ssl_ca") {
		t.Errorf("class %s, message %q", class, msg)
	}

	unverified := untrusted
	unverified.Conn.SSLVerify = false
	if err := openPool(t, unverified).QueryRow("SHOW SESSION STATUS LIKE 'Ssl_cipher'").Scan(&name, &cipher); err != nil || cipher == "" {
		t.Errorf("ssl_verify: false: err %v, cipher %q", err, cipher)
	}
}

package oratest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"strings"
)

// O5LOGON with the 12c verifier (type 18453): the server proves it knows
// the password's PBKDF2 key by sending a session key encrypted with it,
// the client answers with its own encrypted key half and the password
// encrypted under the combined key. The server checks the password; a real
// server holds only the verifier, the double derives it from the password.

// o5logonVerifierType is the verifier type sent with AUTH_VFR_DATA.
const o5logonVerifierType = 18453

// pbkdf2SHA512 is the first 64-byte block of PBKDF2-HMAC-SHA512, all that
// O5LOGON uses (RFC 8018).
func pbkdf2SHA512(password, salt []byte, iterations int) []byte {
	mac := hmac.New(sha512.New, password)
	mac.Write(salt)
	mac.Write([]byte{0, 0, 0, 1})
	u := mac.Sum(nil)
	out := append([]byte(nil), u...)
	for range iterations - 1 {
		mac.Reset()
		mac.Write(u)
		u = mac.Sum(nil)
		for j := range out {
			out[j] ^= u[j]
		}
	}
	return out
}

// aesCBC encrypts or decrypts in with a zero IV, as O5LOGON does. in must
// be a whole number of blocks and key 16, 24 or 32 bytes.
func aesCBC(key, in []byte, encrypt bool) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(in)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%d bytes is not a whole number of AES blocks", len(in))
	}
	out := make([]byte, len(in))
	iv := make([]byte, aes.BlockSize)
	if encrypt {
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, in)
	} else {
		cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, in)
	}
	return out, nil
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := rand.Read(b)
	return b, err
}

func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// o5logon is the server half of one exchange.
type o5logon struct {
	password  string
	salt      []byte // AUTH_VFR_DATA
	cskSalt   []byte // AUTH_PBKDF2_CSK_SALT
	vgenCount int
	sderCount int
	serverKey []byte
	passKey   []byte
	comboKey  []byte // set by verify; encrypts AUTH_SVR_RESPONSE
}

func newO5Logon(password string) (*o5logon, error) {
	o := &o5logon{password: password, vgenCount: 4096, sderCount: 3}
	var err error
	for _, b := range []*[]byte{&o.salt, &o.cskSalt} {
		if *b, err = randomBytes(16); err != nil {
			return nil, err
		}
	}
	if o.serverKey, err = randomBytes(32); err != nil {
		return nil, err
	}
	speedy := pbkdf2SHA512([]byte(password), append(bytes.Clone(o.salt), "AUTH_PBKDF2_SPEEDY_KEY"...), o.vgenCount)
	h := sha512.Sum512(append(speedy, o.salt...))
	o.passKey = h[:32]
	return o, nil
}

// keyValue is one pair of a logon reply.
type keyValue struct {
	key, value string
	flag       uint64
}

// challenge is the reply to the first logon call (OSESSKEY).
func (o *o5logon) challenge() ([]keyValue, error) {
	sessKey, err := aesCBC(o.passKey, o.serverKey, true)
	if err != nil {
		return nil, err
	}
	return []keyValue{
		{"AUTH_SESSKEY", upperHex(sessKey), 0},
		{"AUTH_VFR_DATA", upperHex(o.salt), o5logonVerifierType},
		{"AUTH_PBKDF2_CSK_SALT", upperHex(o.cskSalt), 0},
		{"AUTH_PBKDF2_VGEN_COUNT", fmt.Sprint(o.vgenCount), 0},
		{"AUTH_PBKDF2_SDER_COUNT", fmt.Sprint(o.sderCount), 0},
		{"AUTH_GLOBALLY_UNIQUE_DBID", "0123456789ABCDEF0123456789ABCDEF", 0},
	}, nil
}

// verify checks the client's AUTH_SESSKEY and AUTH_PASSWORD.
func (o *o5logon) verify(clientSessKey, encPassword string) bool {
	ck, err := hex.DecodeString(clientSessKey)
	if err != nil || len(ck) < 32 {
		return false
	}
	clientKey, err := aesCBC(o.passKey, ck[:32], false)
	if err != nil {
		return false
	}
	mix := upperHex(append(bytes.Clone(clientKey), o.serverKey...))
	o.comboKey = pbkdf2SHA512([]byte(mix), o.cskSalt, o.sderCount)[:32]
	ep, err := hex.DecodeString(encPassword)
	if err != nil || len(ep) < 32 {
		return false
	}
	pw, err := aesCBC(o.comboKey, ep, false)
	if err != nil {
		return false
	}
	pad := int(pw[len(pw)-1])
	if pad == 0 || pad > 16 || len(pw)-pad < 16 {
		return false
	}
	// The first block is random salt the client put before the password.
	return hmac.Equal(pw[16:len(pw)-pad], []byte(o.password))
}

// serverResponse is AUTH_SVR_RESPONSE: 16 random bytes and
// "SERVER_TO_CLIENT" under the combined key. It proves the server knew the
// password; node-oracledb checks it, go-ora v2.9.0 ignores it.
func (o *o5logon) serverResponse() (string, error) {
	plain, err := randomBytes(16)
	if err != nil {
		return "", err
	}
	plain = append(plain, "SERVER_TO_CLIENT"...)
	plain = append(plain, bytes.Repeat([]byte{16}, 16)...)
	enc, err := aesCBC(o.comboKey, plain, true)
	if err != nil {
		return "", err
	}
	return upperHex(enc), nil
}

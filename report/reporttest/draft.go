package reporttest

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"testing"
)

// ReadDraft reads the .eml draft at path as a mail client would: its
// decoded subject and its quoted-printable body.
func ReadDraft(tb testing.TB, path string) (subject, body string) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	msg, err := mail.ReadMessage(f)
	if err != nil {
		tb.Fatalf("%s does not parse as mail: %v", path, err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		tb.Fatalf("%s: subject: %v", path, err)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		tb.Fatalf("%s: body: %v", path, err)
	}
	return subject, string(b)
}

package oratest

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Advanced Networking Option (ANO) negotiation, server side. The double
// turns it on only for Kerberos: it offers no encryption or checksums,
// and the authentication service is KERBEROS5 when the client asks for it.

const (
	anoMagic   = 0xDEADBEEF
	anoVersion = 0xB200200
)

// ANO service numbers.
const (
	anoAuthentication = 1
	anoEncryption     = 2
	anoDataIntegrity  = 3
	anoSupervisor     = 4
)

// ANO sub-packet types.
const (
	anoString      = 0
	anoBytes       = 1
	anoUB1         = 2
	anoVersionType = 5
	anoStatus      = 6
)

type anoSubPacket struct {
	typ  int
	data []byte
}

type anoService struct {
	typ  int
	err  uint32
	subs []anoSubPacket
}

func parseANO(b []byte) ([]anoService, error) {
	if len(b) < 13 || binary.BigEndian.Uint32(b) != anoMagic {
		return nil, errors.New("not an ANO packet")
	}
	n := int(binary.BigEndian.Uint16(b[10:]))
	b = b[13:]
	var out []anoService
	for range n {
		if len(b) < 8 {
			return nil, errors.New("short ANO service header")
		}
		s := anoService{typ: int(binary.BigEndian.Uint16(b)), err: binary.BigEndian.Uint32(b[4:])}
		subs := int(binary.BigEndian.Uint16(b[2:]))
		b = b[8:]
		for range subs {
			if len(b) < 4 {
				return nil, errors.New("short ANO sub-packet")
			}
			l := int(binary.BigEndian.Uint16(b))
			if len(b) < 4+l {
				return nil, errors.New("short ANO sub-packet data")
			}
			s.subs = append(s.subs, anoSubPacket{int(binary.BigEndian.Uint16(b[2:])), b[4 : 4+l]})
			b = b[4+l:]
		}
		out = append(out, s)
	}
	return out, nil
}

func appendSub(b []byte, p anoSubPacket) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(p.data)))
	b = binary.BigEndian.AppendUint16(b, uint16(p.typ))
	return append(b, p.data...)
}

// buildANO encodes services, then extra sub-packets outside any service
// (the Kerberos round trips carry their data that way).
func buildANO(services []anoService, extra ...anoSubPacket) []byte {
	var body []byte
	for _, s := range services {
		body = binary.BigEndian.AppendUint16(body, uint16(s.typ))
		body = binary.BigEndian.AppendUint16(body, uint16(len(s.subs)))
		body = binary.BigEndian.AppendUint32(body, s.err)
		for _, p := range s.subs {
			body = appendSub(body, p)
		}
	}
	for _, p := range extra {
		body = appendSub(body, p)
	}
	h := binary.BigEndian.AppendUint32(nil, anoMagic)
	h = binary.BigEndian.AppendUint16(h, uint16(13+len(body)))
	h = binary.BigEndian.AppendUint32(h, anoVersion)
	h = binary.BigEndian.AppendUint16(h, uint16(len(services)))
	h = append(h, 0)
	return append(h, body...)
}

func subVersion() anoSubPacket {
	return anoSubPacket{anoVersionType, binary.BigEndian.AppendUint32(nil, anoVersion)}
}
func subStatus(v uint16) anoSubPacket {
	return anoSubPacket{anoStatus, binary.BigEndian.AppendUint16(nil, v)}
}
func subUB1(v byte) anoSubPacket      { return anoSubPacket{anoUB1, []byte{v}} }
func subString(s string) anoSubPacket { return anoSubPacket{anoString, []byte(s)} }
func subBytes(b []byte) anoSubPacket  { return anoSubPacket{anoBytes, b} }

func (ss *session) receiveANO() ([]anoService, error) {
	p := ss.next()
	if p == nil {
		return nil, ss.goneErr()
	}
	return parseANO(p.body)
}

// negotiateANO answers the client's ANO request and, when it asks for
// KERBEROS5, checks its AP-REQ against the server's keytab.
func (ss *session) negotiateANO() error {
	req, err := ss.receiveANO()
	if err != nil {
		return err
	}
	kerberos := false
	for _, s := range req {
		for _, p := range s.subs {
			kerberos = kerberos || s.typ == anoAuthentication && p.typ == anoString && string(p.data) == "KERBEROS5"
		}
	}
	// The supervisor's list of services the server runs.
	services := binary.BigEndian.AppendUint32(nil, anoMagic)
	services = binary.BigEndian.AppendUint16(services, 3)
	services = binary.BigEndian.AppendUint32(services, 4)
	for _, v := range []uint16{anoSupervisor, anoAuthentication, anoEncryption, anoDataIntegrity} {
		services = binary.BigEndian.AppendUint16(services, v)
	}
	auth := anoService{typ: anoAuthentication, subs: []anoSubPacket{subVersion(), subStatus(0xFBFF)}}
	if kerberos {
		auth.subs = []anoSubPacket{subVersion(), subStatus(0xFAFF), subUB1(1), subString("KERBEROS5")}
	}
	reply := buildANO([]anoService{
		{typ: anoSupervisor, subs: []anoSubPacket{subVersion(), subStatus(31), subBytes(services)}},
		auth,
		{typ: anoEncryption, subs: []anoSubPacket{subVersion(), subUB1(0)}},
		{typ: anoDataIntegrity, subs: []anoSubPacket{subVersion(), subUB1(0)}},
	})
	if err := ss.conn.writeData(reply); err != nil {
		return err
	}
	if !kerberos {
		return nil
	}
	ss.method = "kerberos"
	if _, err := ss.receiveANO(); err != nil { // the client's Kerberos request
		return err
	}
	k := ss.srv.opts.Kerberos
	// Which service principal to get a ticket for: service, then host.
	if err := ss.conn.writeData(buildANO([]anoService{{typ: anoAuthentication}}, subString(k.Service), subString(k.Host))); err != nil {
		return err
	}
	msg, err := ss.receiveANO()
	if err != nil {
		return err
	}
	if len(msg) != 1 || len(msg[0].subs) < 4 {
		return fmt.Errorf("unexpected Kerberos ANO message with %d services", len(msg))
	}
	user, verr := k.verify(msg[0].subs[3].data)
	if verr != nil {
		ss.srv.logf("session %d: Kerberos ticket rejected: %v", ss.id, verr)
		ss.srv.record.addLogin(Login{Session: ss.id, Service: ss.service, Method: "kerberos"})
		return ss.conn.writeData(buildANO([]anoService{{typ: anoAuthentication, err: oraCredentialsFail}}))
	}
	ss.user = user
	// An AP-REP placeholder: go-ora v2.9.0 reads and discards it; a real
	// server sends the mutual-authentication reply here.
	if err := ss.conn.writeData(buildANO([]anoService{{typ: anoAuthentication}}, subUB1(0), subBytes([]byte{0}))); err != nil {
		return err
	}
	_, err = ss.receiveANO() // the client's closing message
	return err
}

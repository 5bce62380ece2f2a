package pki

import (
	"math/big"
	"time"
)

// DER writing: each function returns one complete element.

// tlv is an element of tag with contents.
func tlv(tag byte, contents ...[]byte) []byte {
	n := 0
	for _, c := range contents {
		n += len(c)
	}
	out := []byte{tag}
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	default:
		var l []byte
		for m := n; m > 0; m >>= 8 {
			l = append([]byte{byte(m)}, l...)
		}
		out = append(out, 0x80|byte(len(l)))
		out = append(out, l...)
	}
	for _, c := range contents {
		out = append(out, c...)
	}
	return out
}

const (
	tagBoolean     = 0x01
	tagInteger     = 0x02
	tagBitString   = 0x03
	tagOctetString = 0x04
	tagNull        = 0x05
	tagOID         = 0x06
	tagUTF8String  = 0x0c
	tagPrintable   = 0x13
	tagUTCTime     = 0x17
	tagGeneralized = 0x18
	tagSequence    = 0x30
	tagSet         = 0x31
)

func sequence(children ...[]byte) []byte { return tlv(tagSequence, children...) }
func set(children ...[]byte) []byte      { return tlv(tagSet, children...) }
func null() []byte                       { return []byte{tagNull, 0} }
func octets(b []byte) []byte             { return tlv(tagOctetString, b) }
func bitString(b []byte) []byte          { return tlv(tagBitString, []byte{0}, b) }

// explicit wraps an element in the context-specific constructed tag n ([n] EXPLICIT).
func explicit(n byte, child []byte) []byte { return tlv(0xa0|n, child) }

func boolean(v bool) []byte {
	if v {
		return []byte{tagBoolean, 1, 0xff}
	}
	return []byte{tagBoolean, 1, 0}
}

// integer is a non-negative INTEGER, with a leading zero when its top bit is set.
func integer(v *big.Int) []byte {
	b := v.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return tlv(tagInteger, b)
}

func smallInt(v int64) []byte { return integer(big.NewInt(v)) }

// oid encodes an OBJECT IDENTIFIER.
func oid(arcs ...int) []byte {
	body := []byte{byte(arcs[0]*40 + arcs[1])}
	for _, a := range arcs[2:] {
		var enc []byte
		for {
			enc = append([]byte{byte(a & 0x7f)}, enc...)
			a >>= 7
			if a == 0 {
				break
			}
		}
		for i := 0; i < len(enc)-1; i++ {
			enc[i] |= 0x80
		}
		body = append(body, enc...)
	}
	return tlv(tagOID, body)
}

// timeDER is UTCTime before 2050 and GeneralizedTime from then on (RFC 5280).
func timeDER(t time.Time) []byte {
	t = t.UTC()
	if t.Year() < 2050 {
		return tlv(tagUTCTime, []byte(t.Format("060102150405Z")))
	}
	return tlv(tagGeneralized, []byte(t.Format("20060102150405Z")))
}

// DER reading.

// element is one TLV read from DER.
type element struct {
	tag  byte
	body []byte
}

// next reads the element at the start of b; ok is false for malformed input.
func next(b []byte) (e element, rest []byte, ok bool) {
	if len(b) < 2 {
		return element{}, nil, false
	}
	tag, l := b[0], int(b[1])
	b = b[2:]
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 4 || len(b) < n {
			return element{}, nil, false
		}
		l = 0
		for _, x := range b[:n] {
			l = l<<8 | int(x)
		}
		b = b[n:]
	}
	if l > len(b) {
		return element{}, nil, false
	}
	return element{tag: tag, body: b[:l]}, b[l:], true
}

// children reads all the elements of a constructed element's body.
func children(b []byte) ([]element, bool) {
	var out []element
	for len(b) > 0 {
		e, rest, ok := next(b)
		if !ok {
			return nil, false
		}
		out = append(out, e)
		b = rest
	}
	return out, true
}

// bigInt reads an INTEGER's body.
func bigInt(e element) (*big.Int, bool) {
	if e.tag != tagInteger || len(e.body) == 0 || e.body[0]&0x80 != 0 {
		return nil, false
	}
	return new(big.Int).SetBytes(e.body), true
}

package api

import "k8s.io/apimachinery/pkg/types"

// FormatUID writes 16 bytes as a uid in the canonical lower-case 8-4-4-4-12 form, by hand:
// the API server makes one for every object and event, and the store unpacks them.
func FormatUID(b [16]byte) types.UID {
	var out [36]byte
	return types.UID(AppendUID(out[:0], b))
}

// AppendUID appends the uid FormatUID writes to dst.
func AppendUID(dst []byte, b [16]byte) []byte {
	const hexDigits = "0123456789abcdef"
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[x>>4], hexDigits[x&0x0f])
	}
	return dst
}

// ParseUID reads a uid written as FormatUID writes one; ok is false for any other form
// (upper case, no dashes, another length), which FormatUID would not give back.
func ParseUID(uid types.UID) (b [16]byte, ok bool) {
	s := string(uid)
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return b, false
	}
	// Each byte's two digits by table, without a branch per digit: the store parses the
	// uid of every event it packs.
	var bad byte
	for i, at := range uidDigits {
		hi, lo := hexValues[s[at]], hexValues[s[at+1]]
		bad |= hi | lo
		b[i] = hi<<4 | lo
	}
	return b, bad&0xf0 == 0
}

// uidDigits are where the 16 bytes' digit pairs start in the 8-4-4-4-12 form.
var uidDigits = [16]uint8{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// hexValues is each lower-case hex digit's value, 0xff for any other byte.
var hexValues = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c - 'a' + 10)
	}
	return t
}()

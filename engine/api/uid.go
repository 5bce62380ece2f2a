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
	if len(s) != 36 {
		return b, false
	}
	j := 0
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return b, false
			}
			continue
		}
		var v byte
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		default:
			return b, false
		}
		b[j/2] |= v << (4 * (1 - j%2))
		j++
	}
	return b, true
}

package share

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"io"
)

// fragmentEncoding is base64url without padding: every character is allowed in a URL
// fragment as is. Strict, so that a changed last character cannot decode to the same bytes.
var fragmentEncoding = base64.RawURLEncoding.Strict()

// Fragment returns the bundle in the form a link's fragment carries: the canonical JSON,
// zlib-compressed at the best level (deterministic for a given Go release), in base64url.
// A result over MaxFragmentSize is an error wrapping ErrTooLarge.
func (b *Bundle) Fragment() (string, error) {
	j, err := b.JSON()
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(j); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	s := fragmentEncoding.EncodeToString(buf.Bytes())
	if len(s) > MaxFragmentSize {
		return "", tooLarge("the workspace is too large for a link: %d characters, the limit is %d; share fewer or smaller files, or a shorter history", len(s), MaxFragmentSize)
	}
	return s, nil
}

// ParseFragment reads a bundle from its fragment form (without the leading "#" or any
// "name=" the page puts before it). A damaged or altered fragment is an error wrapping
// ErrInvalid that says which layer failed; one over the limits wraps ErrTooLarge.
func ParseFragment(s string) (*Bundle, error) {
	if len(s) > MaxFragmentSize {
		return nil, tooLarge("the shared link is too long: %d characters, the limit is %d", len(s), MaxFragmentSize)
	}
	if s == "" {
		return nil, invalid("the shared link is damaged: it carries no workspace")
	}
	raw, err := fragmentEncoding.DecodeString(s)
	if err != nil {
		if pos, ok := err.(base64.CorruptInputError); ok {
			return nil, invalid("the shared link is damaged: unexpected character at position %d (was it cut or changed?)", int64(pos)+1)
		}
		return nil, invalid("the shared link is damaged: %s", err)
	}
	src := bytes.NewReader(raw)
	zr, err := zlib.NewReader(src)
	if err != nil {
		return nil, invalid("the shared link is damaged: not a compressed workspace (%s)", err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, MaxJSONSize+1))
	if err != nil {
		return nil, invalid("the shared link is damaged: its compressed data is corrupt (%s)", err)
	}
	if len(data) > MaxJSONSize {
		return nil, tooLarge("the shared workspace is too large: over %d bytes once decompressed", MaxJSONSize)
	}
	if err := zr.Close(); err != nil {
		return nil, invalid("the shared link is damaged: %s", err)
	}
	if src.Len() != 0 {
		return nil, invalid("the shared link is damaged: %d unexpected bytes after the compressed data", src.Len())
	}
	b, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return b, nil
}

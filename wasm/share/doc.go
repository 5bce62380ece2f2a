// Package share owns the share bundle: the files, seed, start time and terminal history
// that reproduce a kubetab workspace, its JSON form, its URL-fragment form and its
// content-addressed id.
//
// Two forms carry a bundle:
//
//   - JSON, what POST /api/share takes and GET /api/share/<id> returns (at most
//     MaxJSONSize bytes);
//   - a fragment for links without a server: the canonical JSON, zlib-compressed (DEFLATE
//     with an Adler-32 checksum, so a damaged link fails instead of loading something
//     else), then base64url without padding (at most MaxFragmentSize characters).
//
// The id is derived from the canonical JSON (ID), so the same workspace always gets the
// same id and a stored bundle can be checked against its key.
//
// Decoding is strict: every error says what is wrong with the input, wraps ErrTooLarge or
// ErrInvalid so that a server can pick a status code, and nothing panics on any input.
//
// share is pure Go: it must not import syscall/js, go-app or the engine, so that the
// worker, the browser app and the CLI can all use it and its tests run natively.
package share

package sh

// Internet may be implemented by an Env that answers some URLs of names the cluster does not
// resolve (the terminal's node answers the docs' example URLs from a bundled copy, as
// kubetab is offline). curl and wget ask it only after the name failed to resolve.
type Internet interface {
	// HTTPGetInternet answers url, or says (ok false) that it cannot.
	HTTPGetInternet(url string) (status int, body string, ok bool)
}

// internetGet asks env's Internet for url when resolving its host failed (an unknown host,
// or no name server that answers).
func internetGet(env Env, url string) (status int, body string, ok bool) {
	in, isInternet := env.(Internet)
	if !isInternet {
		return 0, "", false
	}
	return in.HTTPGetInternet(url)
}

// Package examples answers the URLs of example manifests that docs and books tell readers to
// fetch (`kubectl apply -f https://k8s.io/examples/application/deployment.yaml`) from a bundle
// the host supplies, because kubetab is offline. It owns the mapping from a URL to a path of
// the bundle (public/examples/README.md lists the sources and their licences) and the errors
// kubectl and curl print for URLs it cannot answer.
//
// It holds no files itself and must not import os, net or embed: the browser fetches the
// bundle's files lazily from the site, the native CLI and the tests embed them (package
// public). It imports nothing of kubetab's.
package examples

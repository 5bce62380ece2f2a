// Package rest is the API server's read-only HTTP face, as `kubectl proxy` exposes it: GET on
// the discovery paths (/version, /api, /apis, ...), lists and objects
// (/api/v1/namespaces/NS/pods, /apis/apps/v1/...), written as the API server writes them for
// curl (indented JSON, lists with their resourceVersion, errors as Status objects with the
// API server's messages), and the pods/NAME:PORT/proxy/ and services/NAME:PORT/proxy/
// subresources through a function the caller supplies (the network is the kubelets').
//
// It reads the store and never writes; it imports api and store, not the kubelets, and
// nothing in it reads the wall clock.
package rest

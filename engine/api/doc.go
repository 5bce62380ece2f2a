// Package api is kubetab's view of the Kubernetes API types: which resources the cluster
// serves (resources.go), how manifests are decoded (YAML, JSON and KYAML streams, strict
// fields with suggestions, legacy apiVersions accepted with a warning) and encoded
// (`kubectl get -o yaml|json`), the API server's defaulting and admission defaults (with the
// Secret conversion that merges stringData into data), its
// validation with the upstream messages, and `kubectl explain` documentation.
//
// It works on the real k8s.io/api types (core/v1, apps/v1, batch/v1, discovery/v1) and
// apimachinery.
// It is a leaf of the engine: it must not import any other engine package (store,
// controller, kubectl, ...) but engine/zoneinfo, the time zone database that CronJob
// validation and ParseCronSchedule read, and like all of engine/ it does no I/O, reads no
// clock and starts no goroutines.
package api

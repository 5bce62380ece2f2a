// Package printers renders API objects the way kubectl does: the `kubectl get` tables
// (PrintTable, with the pod STATUS logic in PodStatus), `kubectl describe` (Describe) and the
// -o formats yaml, json, name, jsonpath, custom-columns and go-template (PrintObjects; the
// template language is package gotemplate's, kubetab's own evaluator).
//
// Everything here is a pure function of the objects and the instant passed in: no clock, no
// store access, no goroutines. Callers gather what kubectl would have fetched (events about
// the object, the pods a controller selects, ...) and pass it in DescribeContext.
//
// The package imports only engine/api, its gotemplate and the k8s.io / sigs.k8s.io
// libraries. Formats follow modern upstream code: k8s.io/kubernetes pkg/printers/internalversion/printers.go (columns),
// k8s.io/kubectl pkg/describe/describe.go (describe) and k8s.io/cli-runtime pkg/printers
// (tabwriter settings, json/yaml/jsonpath/custom-columns printers).
package printers

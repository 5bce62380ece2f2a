// Package idbconformance runs engine/persist's conformance suite against the IndexedDB
// backend the browser uses. Its test is built for js/wasm and run inside headless
// Chromium by the e2e suite (TestIndexedDBConformance), because IndexedDB exists only in a
// browser: Node, which runs the other js/wasm tests, has none.
package idbconformance

// kubetab: opens the site's IndexedDB database while the app's wasm downloads, so that the
// app's own open (app/session/storage_wasm.go, through hackpadfs) finds it made and
// the browser's storage backend started: on a first visit that open took 0.07–0.18 s of the
// time to window.kubetab.ready, 0.02–0.05 s after this. It makes the database as
// hackpadfs/indexeddb v0.2.4 does (version 1; the object stores "contents" and "info", the
// latter with the index "Parent"); app/server/loader_test.go checks hackpadfs's
// source against it. An open still running when the app's starts makes the app's wait for
// it. The embed widget keeps its cluster in memory and opens nothing.
(function () {
	if (/\/embed(\.html)?\/?$/.test(location.pathname)) return;
	try {
		var r = indexedDB.open("kubetab", 1);
		r.onupgradeneeded = function () {
			var db = r.result;
			db.createObjectStore("contents");
			db.createObjectStore("info").createIndex("Parent", "Parent");
		};
		r.onsuccess = function () { r.result.close(); };
		r.onerror = function (e) { e.preventDefault(); };
	} catch (e) {}
})();

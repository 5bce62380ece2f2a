// The worker's entry point: the Go worker (build/worker.mjs, written by workers-assets-gen)
// with what Go cannot do through syumai/workers. Copied into the build directory by
// `make worker`, next to the worker.mjs it imports.
import worker from "./worker.mjs";

// A response the Go handler marks with this header already holds compressed bytes (the
// gzipped app.wasm). The runtime must send them as they are rather than compress them
// again, which only a Response built with encodeBody: "manual" does.
const marker = "X-Kubetab-Encoded-Body";

// For a failure before Go could answer (the Go handler sets the full set of headers on
// everything it answers, its own errors included).
const failureHeaders = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
};

export default {
  ...worker,
  async fetch(request, env, ctx) {
    let res;
    try {
      res = await worker.fetch(request, env, ctx);
    } catch (err) {
      console.error("kubetab worker:", err);
      return new Response('{"error":"internal error"}\n', { status: 500, headers: failureHeaders });
    }
    if (!res.headers.has(marker)) {
      return res;
    }
    const headers = new Headers(res.headers);
    headers.delete(marker);
    return new Response(res.body, {
      status: res.status,
      statusText: res.statusText,
      headers,
      encodeBody: "manual",
    });
  },
};

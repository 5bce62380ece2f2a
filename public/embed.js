/*
 * kubetab embed.js: one script tag puts a live kubetab cluster in a documentation page.
 *
 *   <div data-kubetab id="lab" data-run="kubectl get nodes" data-theme="light"></div>
 *   <pre data-kubetab-run>kubectl get pods</pre>
 *   <script src="https://kubetab.example/embed.js" defer></script>
 *
 * Each <div data-kubetab> becomes an iframe of the widget (/embed, from this script's own
 * origin and directory unless data-src names another widget URL); its height follows the widget's
 * content. Each <pre data-kubetab-run> gets a Run button that sends the block's commands,
 * one at a time, to a widget on the page (the one whose id data-kubetab-target names, else
 * the first). The protocol is described in docs/embed.md.
 *
 * No dependencies; nothing from a page or a widget is ever inserted as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // The widget is served next to this script (/embed beside /embed.js, below any base path).
  var widgetBase = script && script.src ? new URL("embed", script.src).href : new URL("/embed", location.href).href;
  var widgets = []; // {el, iframe, origin, ready, waiting: [fn], pending: {id: resolve}}
  var seq = 0;

  function widgetURL(div) {
    var base = div.getAttribute("data-src") || widgetBase;
    var url = new URL(base, location.href);
    var params = url.searchParams;
    var theme = div.getAttribute("data-theme");
    if (theme) params.set("theme", theme);
    if (div.hasAttribute("data-readonly")) params.set("readonly", "1");
    if (div.hasAttribute("data-editor")) params.set("editor", "1");
    if (div.hasAttribute("data-strict")) params.set("strict", "1");
    var run = div.getAttribute("data-run");
    if (run) {
      splitCommands(run).forEach(function (line) { params.append("run", line); });
    }
    // The host page is allowed to drive its widget; data-origins may add others.
    var origins = [location.origin];
    var extra = div.getAttribute("data-origins");
    if (extra) origins = origins.concat(extra.split(","));
    params.set("origins", origins.join(","));
    var bundle = div.getAttribute("data-bundle");
    if (bundle) url.hash = "bundle=" + bundle;
    return url;
  }

  function mount(div) {
    if (div.getAttribute("data-kubetab-mounted")) return;
    div.setAttribute("data-kubetab-mounted", "1");
    var url = widgetURL(div);
    var iframe = document.createElement("iframe");
    iframe.src = url.href;
    iframe.title = div.getAttribute("data-title") || "kubetab: a Kubernetes cluster in the page";
    iframe.setAttribute("loading", "eager");
    iframe.className = "kubetab-frame";
    // The frame's size comes from attributes, not inline styles (a strict CSP allows no
    // inline styles); kubetab:height messages set its height afterwards.
    iframe.width = "100%";
    iframe.height = div.getAttribute("data-height") || "420";
    iframe.setAttribute("frameborder", "0");
    div.appendChild(iframe);
    var w = { el: div, iframe: iframe, origin: url.origin, ready: false, waiting: [], pending: {} };
    widgets.push(w);
    return w;
  }

  function widgetFor(source) {
    for (var i = 0; i < widgets.length; i++) {
      if (widgets[i].iframe.contentWindow === source) return widgets[i];
    }
    return null;
  }

  window.addEventListener("message", function (ev) {
    var w = widgetFor(ev.source);
    if (!w || ev.origin !== w.origin) return; // not from one of our widgets
    var m = ev.data;
    if (!m || typeof m !== "object" || typeof m.type !== "string") return;
    if (m.type === "kubetab:ready") {
      w.ready = true;
      var waiting = w.waiting;
      w.waiting = [];
      waiting.forEach(function (fn) { fn(); });
    } else if (m.type === "kubetab:result" && typeof m.id === "string") {
      var resolve = w.pending[m.id];
      if (resolve) {
        delete w.pending[m.id];
        resolve({ output: String(m.output), exitCode: Number(m.exitCode) });
      }
    } else if (m.type === "kubetab:height" && typeof m.height === "number" && m.height > 0) {
      iframeHeight(w, Math.min(Math.ceil(m.height), 10000));
    } else if (m.type === "kubetab:changed") {
      w.el.dispatchEvent(new CustomEvent("kubetab:changed"));
    }
  });

  function iframeHeight(w, h) {
    w.iframe.height = String(h);
  }

  function whenReady(w) {
    return new Promise(function (resolve) {
      if (w.ready) resolve();
      else w.waiting.push(resolve);
    });
  }

  // send posts a message to a widget once it is ready and resolves with its result.
  function send(w, msg) {
    return whenReady(w).then(function () {
      return new Promise(function (resolve) {
        msg.id = "m" + (++seq);
        w.pending[msg.id] = resolve;
        w.iframe.contentWindow.postMessage(msg, w.origin);
      });
    });
  }

  // splitCommands cuts a block of text into commands of the terminal language: one per
  // line, except that a line ending in "\" continues on the next and a here-document
  // (<<WORD) runs to its WORD line. Blank lines and # comments are skipped.
  function splitCommands(text) {
    var lines = String(text).replace(/\r\n?/g, "\n").split("\n");
    var out = [];
    var cur = null;
    var delim = null;
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (delim !== null) {
        cur += "\n" + line;
        if (line.replace(/^\t+/, "") === delim) {
          out.push(cur);
          cur = null;
          delim = null;
        }
        continue;
      }
      if (cur === null) {
        var t = line.replace(/^\s+/, "");
        if (t === "" || t.charAt(0) === "#") continue;
        // a "$ " prompt copied from a transcript is not part of the command
        if (t.indexOf("$ ") === 0) line = t.slice(2);
        cur = line;
      } else {
        cur += "\n" + line;
      }
      var hd = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
      if (hd) {
        delim = hd[2];
        continue;
      }
      if (/\\$/.test(line)) continue;
      out.push(cur);
      cur = null;
    }
    if (cur !== null) out.push(cur);
    return out;
  }

  function target(pre) {
    var id = pre.getAttribute("data-kubetab-target");
    if (id) {
      for (var i = 0; i < widgets.length; i++) {
        if (widgets[i].el.id === id) return widgets[i];
      }
      return null;
    }
    return widgets[0] || null;
  }

  function addRunButton(pre) {
    if (pre.getAttribute("data-kubetab-button")) return;
    pre.setAttribute("data-kubetab-button", "1");
    var bar = document.createElement("div");
    bar.className = "kubetab-run";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kubetab-run-button";
    button.textContent = "Run";
    var status = document.createElement("span");
    status.className = "kubetab-run-status";
    status.setAttribute("role", "status");
    bar.appendChild(button);
    bar.appendChild(status);
    pre.parentNode.insertBefore(bar, pre.nextSibling);

    button.addEventListener("click", function () {
      var w = target(pre);
      if (!w) {
        status.textContent = "No kubetab widget on this page.";
        return;
      }
      var commands = splitCommands(pre.textContent);
      button.disabled = true;
      status.textContent = w.ready ? "Running…" : "Waiting for the cluster…";
      var failed = 0;
      var chain = Promise.resolve();
      commands.forEach(function (line) {
        chain = chain.then(function () {
          status.textContent = "Running…";
          return send(w, { type: "kubetab:exec", line: line }).then(function (res) {
            if (res.exitCode !== 0) failed++;
          });
        });
      });
      chain.then(function () {
        button.disabled = false;
        pre.setAttribute("data-kubetab-done", failed ? "failed" : "ok");
        status.textContent = failed ? failed + " of " + commands.length + " commands failed: see the widget." : "Done.";
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("div[data-kubetab]"), mount);
    Array.prototype.forEach.call(document.querySelectorAll("pre[data-kubetab-run]"), addRunButton);
  }

  // A small API for pages that want more than Run buttons.
  window.kubetabEmbed = {
    exec: function (line, widgetId) {
      var w = widgetId ? target({ getAttribute: function () { return widgetId; } }) : widgets[0];
      if (!w) return Promise.reject(new Error("no kubetab widget on this page"));
      return send(w, { type: "kubetab:exec", line: String(line) });
    },
    load: function (files, widgetId) {
      var w = widgetId ? target({ getAttribute: function () { return widgetId; } }) : widgets[0];
      if (!w) return Promise.reject(new Error("no kubetab widget on this page"));
      return send(w, { type: "kubetab:load", files: files });
    },
    reset: function (widgetId) {
      var w = widgetId ? target({ getAttribute: function () { return widgetId; } }) : widgets[0];
      if (!w) return Promise.reject(new Error("no kubetab widget on this page"));
      return send(w, { type: "kubetab:reset" });
    },
    splitCommands: splitCommands
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

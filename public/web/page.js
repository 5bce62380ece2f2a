"use strict";
// What kubetab's pages do in the browser around the app (app/ui), kept out of the wasm:
// the theme, skip links and the in-page dialog. It runs from the head, before the page
// is painted; everything it shows is set as text, never as markup.
(function () {
	var root = document.documentElement, key = "kubetab-theme";

	// The theme, light or dark: the system's (prefers-color-scheme; app.css) until the
	// learner picks one with the theme toggle (#theme-toggle), kept in localStorage; the
	// embed widget takes its URL's theme= instead.
	var embed = /\/embed\/?$/.test(location.pathname);
	var chosen = null;
	try {
		chosen = embed ? new URLSearchParams(location.search).get("theme") : localStorage.getItem(key);
	} catch (e) {}
	if (chosen === "light" || chosen === "dark") root.setAttribute("data-theme", chosen);
	function toggleTheme() {
		var now = root.getAttribute("data-theme") || (matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark");
		var next = now === "dark" ? "light" : "dark";
		root.setAttribute("data-theme", next);
		if (!embed) {
			try { localStorage.setItem(key, next); } catch (e) {}
		}
	}

	// Clicks the app does not handle itself. Skip links move the focus to their target,
	// showing its section first on a narrow screen (its tab, data-view), and go no further:
	// go-app would take a link for a navigation.
	document.addEventListener("click", function (e) {
		var t = e.target instanceof Element ? e.target : null;
		if (t && t.closest("#theme-toggle")) {
			toggleTheme();
			return;
		}
		// A button that opens a file chooser: the <input type=file> it names, which is
		// hidden (its own look cannot be styled) and out of the keyboard's way.
		var opener = t && t.closest("button[data-opens]");
		if (opener) {
			var chooser = document.getElementById(opener.dataset.opens);
			if (chooser) chooser.click();
			return;
		}
		var a = t && t.closest("a.skip-link");
		if (!a) return;
		e.preventDefault();
		e.stopPropagation();
		var tab = a.dataset.view && document.getElementById("tab-" + a.dataset.view);
		if (tab && tab.offsetParent) tab.click();
		var focus = function () {
			var el = document.getElementById(a.getAttribute("href").slice(1));
			if (el) el.focus();
		};
		setTimeout(focus, 50);
	});

	// A share link pasted into the address bar of a page already open differs from it in
	// its fragment only, which the browser does not load: load it (app/sharelink opens it).
	window.addEventListener("hashchange", function () {
		if (/^#share=/.test(location.hash)) location.reload();
	});

	// kubetabDownload saves text to the user's disk as a file called name, through a Blob
	// URL (go-app lets a link with download go).
	window.kubetabDownload = function (name, text, type) {
		var url = URL.createObjectURL(new Blob([text], {type: type}));
		var a = document.createElement("a");
		a.href = url;
		a.download = name;
		a.style.display = "none";
		document.body.append(a);
		a.click();
		a.remove();
		URL.revokeObjectURL(url);
	};

	// kubetabAsk shows a modal dialog in place of prompt() and confirm(): a title, a text,
	// maybe a text field (field is its label; value its first text), and a button (ok) that
	// goes ahead. The Promise gets the field's value ("" without one) when it is pressed,
	// null on Cancel or Escape; the focus then goes back where it was.
	window.kubetabAsk = function (title, text, field, value, ok) {
		return new Promise(function (resolve) {
			var back = document.activeElement;
			var el = function (tag, props) {
				var n = document.createElement(tag);
				for (var k in props) n[k] = props[k];
				return n;
			};
			var d = el("dialog", {id: "dialog", className: "dialog"});
			d.setAttribute("aria-labelledby", "dialog-title");
			d.setAttribute("aria-describedby", "dialog-text");
			var form = el("form", {className: "dialog-form"});
			form.append(el("h2", {id: "dialog-title", textContent: title}), el("p", {id: "dialog-text", textContent: text}));
			var input = null;
			if (field) {
				var wrap = el("div", {className: "dialog-field"});
				input = el("input", {id: "dialog-input", type: "text", value: value || "", autocomplete: "off", spellcheck: false});
				input.setAttribute("autocapitalize", "off");
				wrap.append(el("label", {htmlFor: "dialog-input", textContent: field}), input);
				form.append(wrap);
			}
			var cancel = el("button", {id: "dialog-cancel", type: "button", className: "btn", textContent: "Cancel"});
			var go = el("button", {id: "dialog-ok", type: "submit", className: "btn primary", textContent: ok});
			var actions = el("div", {className: "dialog-actions"});
			actions.append(cancel, go);
			form.append(actions);
			d.append(form);
			var done = function (answer) {
				d.remove();
				if (back && back.focus) back.focus();
				resolve(answer);
			};
			form.addEventListener("submit", function (e) { e.preventDefault(); done(input ? input.value : ""); });
			cancel.addEventListener("click", function () { done(null); });
			d.addEventListener("cancel", function (e) { e.preventDefault(); done(null); });
			var old = document.getElementById("dialog");
			if (old) old.remove();
			document.body.append(d);
			d.showModal();
			if (input) input.select();
		});
	};
})();

"use strict";
// kubetab's theme, light or dark: the system's (prefers-color-scheme, in app.css) until the
// learner picks one with the theme toggle (app/ui's themeToggle calls kubetabToggleTheme),
// kept in localStorage; the embed widget takes its URL's theme= instead. It runs from the
// head, before the page is painted, and only sets <html data-theme>.
(function () {
	var root = document.documentElement, key = "kubetab-theme";
	var embed = /\/embed\/?$/.test(location.pathname);
	var chosen = null;
	try {
		chosen = embed ? new URLSearchParams(location.search).get("theme") : localStorage.getItem(key);
	} catch (e) {}
	if (chosen === "light" || chosen === "dark") root.setAttribute("data-theme", chosen);
	window.kubetabToggleTheme = function () {
		var now = root.getAttribute("data-theme") || (matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark");
		var next = now === "dark" ? "light" : "dark";
		root.setAttribute("data-theme", next);
		if (!embed) {
			try { localStorage.setItem(key, next); } catch (e) {}
		}
	};
})();

"use strict";
// The pod chips of kubetab's cluster view (app/podchips: chips.go, dom_wasm.go).
// The app works out which chips came, went, moved or changed, and hands the changes over in
// one call per update, as a JSON list of operations: each call from the WebAssembly module into the page
// costs far more than the DOM work it does, and a thousand pods made ten thousand calls.
// Names, statuses and owners are set as text and attribute values, never parsed as markup.
window.kubetabChips = (() => {
	const chips = new Map(); // "namespace/name" → its element, its parts and what they show
	const numbers = new WeakMap(); // list element → its number (lists)
	let lastNumber = 0;
	// The chips of a burst (hundreds of pods created at once) come without their entrance
	// animation: a thousand at a time cost the page more than the burst itself, and one
	// cannot follow them anyway.
	const burst = 40;
	let inBurst = false;
	const span = (className, title) => {
		const s = document.createElement("span");
		s.className = className;
		if (title) s.title = title;
		return s;
	};
	const list = (id) => {
		const l = document.getElementById(id);
		if (!l) throw new Error("kubetab: no pod list " + id);
		return l;
	};
	const ops = {
		// n: a new chip, <li><button class="pod"> with its four parts</li>. The button's
		// text is its accessible name: the pod's name, status, ready and restarts, as shown.
		n(key) {
			const c = {li: document.createElement("li"), btn: document.createElement("button"), name: span("pod-name"), status: span("pod-status"),
				ready: span("pod-ready", "READY"), restarts: span("pod-restarts", "RESTARTS"), shown: {}};
			c.btn.type = "button";
			c.btn.append(c.name, " ", c.status, " ", c.ready, c.restarts);
			c.li.append(c.btn);
			c.quiet = inBurst;
			chips.set(key, c);
		},
		// d: draw a chip; only what differs from what it shows is written.
		d(key, className, pressed, title, name, namespace, status, owner, ready, restarts) {
			const v = {className, pressed, title, name, namespace, status, owner, ready, restarts};
			const c = chips.get(key), li = c.btn, was = c.shown;
			const attr = (attribute, field) => { if (was[field] !== v[field]) li.setAttribute(attribute, v[field]); };
			const text = (el, field) => { if (was[field] !== v[field]) el.textContent = v[field]; };
			if (was.className !== className) li.className = c.quiet ? className + " quiet" : className;
			attr("aria-pressed", "pressed");
			attr("title", "title");
			attr("data-pod", "name");
			attr("data-namespace", "namespace");
			attr("data-status", "status");
			attr("data-owner", "owner");
			text(c.name, "name");
			text(c.status, "status");
			text(c.ready, "ready");
			if (was.restarts !== restarts) {
				c.restarts.textContent = " ↻" + restarts;
				c.restarts.hidden = restarts === "0";
			}
			c.shown = v;
		},
		// i: insert a chip into a list, before another chip ("": at the end).
		i(id, key, before) {
			const li = chips.get(key).li;
			touch(li.parentNode);
			touch(list(id)).insertBefore(li, before ? chips.get(before).li : null);
		},
		// x: take a chip out of its list and forget it, its pod is gone (or its list is
		// not shown).
		x(key) { const li = chips.get(key).li; touch(li.parentNode); li.remove(); chips.delete(key); },
		// c: empty a list element the app did not fill.
		c(id) { touch(list(id)).textContent = ""; },
	};
	// A list of many chips shows them as squares (app.css, .pods.many): a class set here
	// rather than a :has() rule, which cost the page's style work twice over in a burst.
	const many = 25;
	const touched = new Set();
	const touch = (l) => { if (l) touched.add(l); return l; };
	return {
		// lists numbers the list elements with these ids (0: none): an element keeps its
		// number, so the app can tell a list it filled from one made or reused since.
		lists(ids) {
			return JSON.stringify(JSON.parse(ids).map((id) => {
				const el = document.getElementById(id);
				if (!el) return 0;
				if (!numbers.has(el)) numbers.set(el, ++lastNumber);
				return numbers.get(el);
			}));
		},
		apply(json) {
			const todo = JSON.parse(json);
			inBurst = todo.length > burst;
			for (const [op, ...args] of todo) ops[op](...args);
			for (const l of touched) l.classList.toggle("many", l.childElementCount >= many);
			touched.clear();
		},
	};
})();

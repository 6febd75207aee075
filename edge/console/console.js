// Kindred console: moderation, referrals, community and settings over the
// admin API, same origin. Everything shoppers wrote is shown as text.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let brand = sessionStorage.getItem("kindred.console.brand");
  let key = sessionStorage.getItem("kindred.console.key");

  // The settings' ETag as last read: a save is refused (412) if someone
  // changed them since, instead of overwriting their change.
  let settingsTag = null;

  async function api(method, path, body, extra = {}) {
    const r = await fetch(`/v1/admin/brands/${encodeURIComponent(brand)}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (path === "" && r.ok) settingsTag = r.headers.get("etag");
    const text = await r.text();
    const json = text ? JSON.parse(text) : null;
    if (!r.ok) throw Object.assign(new Error(json?.error?.message || `HTTP ${r.status}`), { status: r.status });
    return json;
  }

  // Every page of a list the API pages by `next_cursor` (blocks, removals,
  // held conversions, referrers), as one list under `key`: at most `pages`
  // pages (200 entries each; 500 for referrers, 4 pages), so
  // a list of thousands still opens; `more` says the rest is left out.
  async function allPages(path, key, pages = 10) {
    const all = [];
    // An entry that moved between two pages' reads (a post reported again
    // is ordered anew) is listed once (helper-93).
    const seen = new Set();
    let cursor = null;
    for (let i = 0; i < pages; i++) {
      const page = await api("GET", cursor ? `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}` : path);
      for (const x of page[key]) {
        const id = x.target_id ?? x.id ?? x.member_key;
        if (id === undefined || !seen.has(id)) all.push(x);
        seen.add(id);
      }
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return { [key]: all, more: Boolean(cursor) };
  }

  function status(msg) {
    $("status").textContent = msg || "";
  }

  /** A list item with text lines and action buttons; all text via textContent. */
  // A shopper's words inside an English line (a name, a tag, a group), in a
  // direction of their own: "tags: جري, مشي" kept its commas and order
  // (helper-89). U+2068 FIRST STRONG ISOLATE ... U+2069 (UAX #9).
  const iso = (s) => `\u2068${s}\u2069`;

  function item(lines, actions, id) {
    const li = document.createElement("li");
    if (id) li.dataset.id = id;
    for (const [cls, text] of lines) {
      const p = document.createElement("div");
      if (cls) p.className = cls;
      // A line of the shopper's own (a title, a review) in its own direction.
      else p.dir = "auto";
      p.textContent = text;
      li.appendChild(p);
    }
    if (actions.length) {
      const bar = document.createElement("div");
      bar.className = "actions";
      for (const action of actions) {
        if (action instanceof Node) {
          bar.appendChild(action);
          continue;
        }
        // `after` "leave": the row leaves this list when the action is done
        // (a decision): taken out in place, so a moderator deep in "Load
        // more" stays where they are; anything else reloads the list.
        // `whom`: who the button acts on, in its accessible name after its
        // label (a list of people; the name keeps the visible label first,
        // WCAG 2.5.3).
        const [label, fn, after, whom] = action;
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = label;
        if (whom) b.setAttribute("aria-label", `${label}: ${whom}`);
        b.addEventListener("click", async () => {
          b.disabled = true;
          let left = false;
          let answer = null;
          try {
            // An action may answer what to tell (e.g. a new invite link).
            // `false`: the moderator thought again (a confirm cancelled).
            const said = await fn();
            answer = said;
            if (said === false) {
              status("Nothing changed.");
              b.disabled = false;
              b.focus();
              return;
            }
            status(typeof said === "string" ? said : `${label}: done`);
            left = after === "leave";
          } catch (e) {
            status(`${label}: ${e.message}`);
            // Refused here, before any request (a reason not chosen, a
            // reply not written): nothing changed, the row stays as it is.
            if (e.status === undefined && !(e instanceof TypeError)) {
              b.disabled = false;
              return;
            }
          }
          if (!left) {
            const where = li.parentElement?.id;
            const id = li.dataset.id;
            // A testimonial that stays in the queue (featured, replied to)
            // is drawn again in place from the answer: a moderator deep in
            // "Load more" keeps their place, and the focus its button (or
            // the one that took its place: Feature and Unfeature).
            if (where === "testimonials" && answer && typeof answer === "object" && answer.id === id) {
              const fresh = testimonialRow(answer);
              li.replaceWith(fresh);
              const buttons = [...fresh.querySelectorAll("button")];
              const twin = { Feature: "Unfeature", Unfeature: "Feature", Reply: "Save reply", "Delete reply": "Reply" }[label];
              (buttons.find((x) => x.textContent === label) || buttons.find((x) => x.textContent === twin) || buttons[0])?.focus();
              await loadLedger().catch(() => {});
              return;
            }
            // Elsewhere the tab is read again: the focus goes back to this
            // button on the row as it is now, if it is still there.
            await refresh();
            const row = where && id ? [...$(where).querySelectorAll("li[data-id]")].find((x) => x.dataset.id === id) : null;
            const same = [...(row?.querySelectorAll("button") || [])].find((x) => x.textContent === label);
            if (same) return same.focus();
            // It moved to another list (a thread hidden, a post shown
            // again): its row there, else the list it left, keeps the focus
            // off the page's start.
            const moved = id ? [...document.querySelectorAll(`main li[data-id]`)].find((x) => x.dataset.id === id && x.parentElement?.id !== where) : null;
            const to = moved?.querySelector("button") || (where && $(where));
            if (to) {
              if (!to.matches("button")) to.tabIndex = -1;
              to.focus();
            }
            return;
          }
          const list = li.parentElement;
          const next = li.nextElementSibling || li.previousElementSibling;
          li.remove();
          // The next row (a focusable one, the queue's), else its first button.
          (next && !next.hasAttribute("tabindex") ? next.querySelector("button") : next)?.focus?.();
          // The last one gone: the list says it is empty, and the focus
          // goes to its heading rather than the page.
          if (tab !== "moderation" && list && !list.querySelector("li")) {
            let heading = list.previousElementSibling;
            while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
            await refresh();
            if (heading) {
              heading.tabIndex = -1;
              heading.focus();
            }
            return;
          }
          if (tab === "moderation") {
            if (!$("testimonials").querySelector("li[data-id]") && !nextCursor) await loadTestimonials().catch((e) => status(e.message));
            else await loadLedger().catch(() => {});
            $("bulk").hidden = !$("testimonials").querySelector(".pick");
            syncPickAll();
          }
        });
        bar.appendChild(b);
      }
      li.appendChild(bar);
    }
    return li;
  }

  function fill(listId, items, empty) {
    const ul = $(listId);
    ul.replaceChildren(...(items.length ? items : [item([["meta", empty]], [])]));
  }

  // Photos stay private until their testimonial is approved: the console
  // fetches each with the admin key and shows it from a blob URL.
  function thumbs(photos) {
    const strip = document.createElement("div");
    strip.className = "thumbs";
    for (const ph of photos) {
      const img = document.createElement("img");
      img.alt = "Photo attached to this testimonial";
      img.width = 96;
      img.height = Math.round((96 * ph.height) / Math.max(1, ph.width));
      strip.appendChild(img);
      fetch(ph.url, { headers: { authorization: `Bearer ${key}` } })
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((b) => { img.src = URL.createObjectURL(b); })
        .catch(() => { img.alt = "Photo unavailable"; });
    }
    return strip;
  }

  // Rejection reasons (core::moderation::RejectReason): none is the rating.
  const REASONS = [
    ["spam", "Spam"], ["offensive", "Offensive"], ["personal_data", "Personal data"],
    ["off_topic", "Not about the product or service"], ["duplicate", "Duplicate"], ["other", "Other (note required)"],
  ];
  /** A report's reason in the moderator's words: one of
   * core::community::REPORT_REASONS' names (the rejection reasons but
   * `duplicate`); words a report gave before reasons were names, isolated. */
  const reportReason = (reason) => reason === "other" ? "Other" : REASONS.find(([value]) => value === reason)?.[1] ?? (reason ? iso(reason) : "no reason");
  /** Every reason of a post's open reports, each with its count: "Personal
   * data 1, Spam 2" (helper-91: the latest alone hid the others). */
  const reportReasons = (r) => Object.entries(r.reasons || {})
    // Most given first; a tie in the widget's order of reasons.
    .sort(([ka, a], [kb, b]) => b - a || REASONS.findIndex(([v]) => v === ka) - REASONS.findIndex(([v]) => v === kb))
    .map(([k, n]) => `${reportReason(k)} ${n}`).join(", ");
  const VIA = { auto: "published on submission", moderator: "approved by a moderator", max_hold: "published when the maximum hold ended", import: "published at its source before the import" };
  const SOURCES = { "judge.me": "Judge.me", yotpo: "Yotpo", okendo: "Okendo", stamped: "Stamped", kindred: "a Kindred export" };

  /** The reason picker and note field beside a Reject button; `path` is
   * the reject route (with its `seen` guard); `after` as in `item`. */
  function rejectControls(path, after = "leave") {
    const reason = document.createElement("select");
    reason.setAttribute("aria-label", "Reason for rejecting");
    reason.className = "reason";
    // No reason is chosen for the moderator: one click never records "spam".
    reason.add(new Option("Choose a reason…", ""));
    for (const [value, label] of REASONS) reason.add(new Option(label, value));
    const note = document.createElement("input");
    note.type = "text";
    note.className = "note";
    note.maxLength = 500;
    note.placeholder = "Note (required for Other)";
    note.setAttribute("aria-label", "Note for the rejection");
    const reject = () => {
      if (!reason.value) {
        reason.focus();
        throw new Error("choose a reason first");
      }
      // The API refuses "other" without a note: the field that needs it
      // takes the focus, not the button (helper-89).
      if (reason.value === "other" && !note.value.trim()) {
        note.focus();
        throw new Error("write a note for “Other”");
      }
      return api("POST", path, { reason: reason.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) });
    };
    return [reason, note, ["Reject", reject, after]];
  }

  /** The brand's public reply under a testimonial or a thread (`path` is
   * its reply route): a text field, Reply or Save reply, and Delete reply
   * when one is shown. Shoppers see it marked as the brand's. */
  // `row`: the testimonial the controls are on, answered with its reply
  // gone after a delete (so its row is drawn again in place).
  function replyControls(path, current, what, row) {
    const text = document.createElement("textarea");
    text.className = "reply-text";
    text.rows = 2;
    text.maxLength = 2000;
    text.value = current ? current.body : "";
    text.setAttribute("aria-label", `Public reply as the brand under this ${what}`);
    const save = [current ? "Save reply" : "Reply", () => {
      if (!text.value.trim()) throw new Error("write the reply first");
      return api("POST", path, { body: text.value });
    }];
    return [text, save, ...(current ? [["Delete reply", () => confirm("Take the public reply down? Its history is kept.") && api("DELETE", path).then(() => (row ? { ...row, reply: null } : null))]] : [])];
  }

  function replyLine(r) {
    return r ? [["reply", `Your public reply${r.edited_at ? " (edited)" : ""}: ${r.body}`]] : [];
  }

  function moderationLine(t) {
    if (t.status === "approved") return VIA[t.published_via] || "approved";
    if (t.status === "rejected") return `rejected: ${t.reject_reason || "unspecified"}${t.reject_note ? ` (${t.reject_note})` : ""}`;
    return t.hold_ends_at ? `published on ${new Date(t.hold_ends_at).toLocaleString()} unless rejected` : "pending";
  }

  async function loadLedger() {
    const l = await api("GET", "/moderation/ledger");
    const body = $("ledger").tBodies[0];
    body.replaceChildren(...l.stars.slice().reverse().map((s) => {
      const tr = document.createElement("tr");
      const reasons = Object.entries(s.rejected).filter(([k, n]) => k !== "total" && n > 0).map(([k, n]) => `${k.replace("_", " ")} ${n}`).join(", ");
      for (const text of [`${s.rating} ★`, `${s.published.total}${s.published.imported ? ` (${s.published.imported} imported)` : ""}`, String(s.published.max_hold), `${s.rejected.total}${reasons ? ` (${reasons})` : ""}`, String(s.pending), String(s.deleted)]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      }
      return tr;
    }));
    $("ledger-hold").textContent = `Held testimonials are published after ${l.max_hold_days} days unless rejected for a reason.`;
  }

  // The queue's filters (kindred_core::moderation::QueueFilter) and the
  // cursor of the next page: "Load more" pages on, past 50.
  const FILTERS = [["f-q", "q"], ["f-product", "product"], ["f-rating", "rating"], ["f-tag", "tag"], ["f-photos", "photos"], ["f-provenance", "provenance"]];
  // "Load more" continues the query the list shows (not fields edited
  // since), and only the newest load may change the list.
  let shown = null;
  let nextCursor = null;
  let generation = 0;

  /** A testimonial's row in the moderation list (its text, state and actions). */
  function testimonialRow(t) {
    return withPhotos(t.photos, item(
      [
        ["", `${"★".repeat(t.rating)}${"☆".repeat(5 - t.rating)} ${t.title}`],
        ["", t.body],
        ["meta", `${iso(t.author_name)} <${t.author_email || "no email"}>${t.verified_buyer ? " · verified buyer" : ""}${t.verified_purchase ? " · verified purchase" : ""}${t.incentivised ? " · incentivised" : ""}${t.imported_from ? ` · imported from ${SOURCES[t.imported_from] || t.imported_from}${t.imported_via ? ` through ${SOURCES[t.imported_via] || t.imported_via}` : ""}` : ""}${t.reuse_consent_at ? ` · may be featured in ads, social and email (since ${new Date(t.reuse_consent_at).toLocaleDateString()})` : " · not for ads, social or email"} · ${t.product || "brand-wide"} · tags: ${t.tags.map(iso).join(", ") || "none"} · ${new Date(t.created_at).toLocaleString()}`],
        ["meta", moderationLine(t)],
        ...replyLine(t.reply),
      ],
      [
        // The version read: a decision on words edited since is refused (409).
        ...(t.status !== "approved" ? [["Approve", () => api("POST", `/testimonials/${t.id}/approve?seen_edit=${t.edited_at || 0}`), "leave"]] : []),
        ...(t.status !== "rejected" ? rejectControls(`/testimonials/${t.id}/reject?seen_edit=${t.edited_at || 0}`) : []),
        ...(t.status === "approved" ? [[t.featured ? "Unfeature" : "Feature", () => api("POST", `/testimonials/${t.id}/${t.featured ? "unfeature" : "feature"}`)]] : []),
        ...(t.status === "rejected" ? [["Delete", () => confirm("Delete this rejected testimonial and its photos? It stays counted in the ledger.") && api("DELETE", `/testimonials/${t.id}`), "leave"]] : []),
        ...(t.status === "approved" ? replyControls(`/testimonials/${t.id}/reply`, t.reply, "testimonial", t) : []),
      ],
      t.id,
    ));
  }

  async function loadTestimonials(more = false) {
    if (more && (!shown || !nextCursor)) return;
    let query;
    if (more) {
      query = new URLSearchParams(shown);
      query.set("cursor", nextCursor);
    } else {
      query = new URLSearchParams({ status: $("status-filter").value, limit: "50" });
      for (const [id, key] of FILTERS) {
        const v = $(id).value.trim();
        if (v) query.set(key, v);
      }
    }
    const st = query.get("status");
    const filtered = [...query.keys()].filter((k) => k !== "cursor").length > 2;
    const mine = ++generation;
    $("more").disabled = true;
    const [data] = await Promise.all([api("GET", `/testimonials?${query}`), more ? null : loadLedger()]).finally(() => {
      if (mine === generation) $("more").disabled = false;
    });
    if (mine !== generation) return;
    if (!more) {
      query.delete("cursor");
      shown = query.toString();
    }
    const lis = data.testimonials.map(testimonialRow);
    const firstNew = lis[0];
    if (more) {
      if (lis.length) for (const li of $("testimonials").querySelectorAll("li:not([data-id])")) li.remove();
      $("testimonials").append(...lis);
    } else {
      fill("testimonials", lis, filtered ? `None of the ${st} testimonials looked through match.` : `No ${st} testimonials.`);
    }
    nextCursor = data.next_cursor || null;
    const hadFocus = document.activeElement === $("more");
    $("more").hidden = !nextCursor;
    // A filtered page looks through 2,000 at a time (QUEUE_WALK).
    $("more-note").textContent = nextCursor && filtered && data.testimonials.length < 50 ? "Looked through 2,000: load more to search further back." : more ? `${lis.length} more shown.` : "";
    addPicks(data, st, more);
    // Focus stays in the list rather than falling to the page.
    if (more && hadFocus && (firstNew || !nextCursor)) (firstNew || $("testimonials")).focus?.();
  }

  // Bulk decisions: a checkbox on each pending testimonial, one request for
  // all the ticked ones (each decided as it would be alone). Only pending
  // ones: a rejection's reason stands once given.
  function addPicks(data, st, more) {
    const pending = new Map(st === "pending" ? data.testimonials.map((t) => [t.id, t]) : []);
    for (const li of $("testimonials").querySelectorAll("li[data-id]")) {
      const t = pending.get(li.dataset.id);
      if (!t || li.querySelector(".pick")) continue;
      li.tabIndex = -1;
      const pick = document.createElement("input");
      pick.type = "checkbox";
      pick.className = "pick";
      pick.dataset.seen = String(t.edited_at || 0);
      pick.setAttribute("aria-label", `Select the testimonial by ${t.author_name}`);
      pick.addEventListener("change", syncPickAll);
      li.prepend(pick);
    }
    $("bulk").hidden = !$("testimonials").querySelector(".pick");
    if (!more) {
      $("pick-all").checked = false;
      $("pick-all").indeterminate = false;
    } else {
      syncPickAll();
    }
  }

  function syncPickAll() {
    const all = [...$("testimonials").querySelectorAll(".pick")];
    const on = all.filter((p) => p.checked).length;
    $("pick-all").checked = on > 0 && on === all.length;
    $("pick-all").indeterminate = on > 0 && on < all.length;
  }

  let deciding = false;
  async function bulk(action, lis) {
    if (deciding) return;
    const items = lis.map((li) => ({ id: li.dataset.id, seen_edit: Number(li.querySelector(".pick").dataset.seen) }));
    if (!items.length) return status("Select testimonials first.");
    const reason = $("bulk-reason").value;
    if (action === "reject" && !reason) return status("Choose a reason for rejecting first.");
    const note = $("bulk-note").value.trim();
    const body = { action, items, ...(action === "reject" ? { rejection: { reason, ...(note ? { note } : {}) } } : {}) };
    const names = new Map(lis.map((li) => [li.dataset.id, li.querySelector(".pick").getAttribute("aria-label").replace("Select the testimonial by ", "")]));
    deciding = true;
    try {
      // At most 50 a request (BULK_MAX): a bigger selection goes in turns.
      const r = { results: [] };
      for (let i = 0; i < items.length; i += 50) {
        const part = await api("POST", "/testimonials/bulk", { ...body, items: items.slice(i, i + 50) });
        r.results.push(...part.results);
      }
      const failed = r.results.filter((o) => o.error);
      if (action === "reject") $("bulk-note").value = "";
      // The decided leave the list where they are, so a moderator deep in
      // "Load more" stays there (the keyboard's focus moves to the next).
      const done = new Set(r.results.filter((o) => !o.error).map((o) => o.id));
      for (const li of lis) if (done.has(li.dataset.id)) li.remove();
      if (!$("testimonials").querySelector("li[data-id]") && !nextCursor) await loadTestimonials();
      else await loadLedger();
      $("bulk").hidden = !$("testimonials").querySelector(".pick");
      syncPickAll();
      status(`${action === "approve" ? "Approved" : "Rejected"} ${r.results.length - failed.length}.${failed.length ? ` Not done: ${failed.map((o) => `${names.get(o.id) || o.id}: ${o.error.message}`).join("; ")}` : ""}`);
    } catch (e) {
      // Some may have been decided before the failure: show what is true now.
      await loadTestimonials().catch(() => {});
      status(`Not done: ${e.message}`);
    } finally {
      deciding = false;
    }
  }

  const picked = () => [...$("testimonials").querySelectorAll("li[data-id]")].filter((li) => li.querySelector(".pick:checked"));
  $("bulk-reason").add(new Option("Choose a reason…", ""));
  for (const [value, label] of REASONS) $("bulk-reason").add(new Option(label, value));
  $("pick-all").addEventListener("change", () => {
    for (const p of $("testimonials").querySelectorAll(".pick")) p.checked = $("pick-all").checked;
  });
  $("bulk-approve").addEventListener("click", () => bulk("approve", picked()));
  $("bulk-reject").addEventListener("click", () => bulk("reject", picked()));
  // Single-key shortcuts only once the moderator turns them on (WCAG 2.1.4),
  // remembered in this browser; never while typing, never on key repeat.
  $("keys-on").checked = localStorage.getItem("kindred.console.keys") === "on";
  $("keys-on").addEventListener("change", () => localStorage.setItem("kindred.console.keys", $("keys-on").checked ? "on" : "off"));
  $("testimonials").tabIndex = -1;
  $("testimonials").setAttribute("aria-keyshortcuts", "j k x a r");
  document.addEventListener("keydown", (ev) => {
    if (!$("keys-on").checked || tab !== "moderation" || ev.repeat || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target instanceof HTMLElement && ev.target.closest("input, textarea, select, button, a, [contenteditable]")) return;
    const lis = [...$("testimonials").querySelectorAll("li[data-id]")].filter((li) => li.querySelector(".pick"));
    if (!lis.length) return;
    const at = lis.indexOf(document.activeElement instanceof HTMLElement ? document.activeElement.closest("li[data-id]") : null);
    const current = lis[at] || null;
    if (ev.key === "j" || ev.key === "k") {
      const next = lis[Math.min(lis.length - 1, Math.max(0, at + (ev.key === "j" ? 1 : -1)))] || lis[0];
      next.focus();
      ev.preventDefault();
    } else if (ev.key === "x" && current) {
      const p = current.querySelector(".pick");
      p.checked = !p.checked;
      syncPickAll();
      ev.preventDefault();
    } else if ((ev.key === "a" || ev.key === "r") && current && !deciding) {
      ev.preventDefault();
      bulk(ev.key === "a" ? "approve" : "reject", [current]).then(() => {
        const again = [...$("testimonials").querySelectorAll("li[data-id]")].filter((li) => li.querySelector(".pick"));
        (again[Math.min(at, again.length - 1)] || $("testimonials")).focus();
      });
    }
  });

  function withPhotos(photos, li) {
    if (photos && photos.length) li.insertBefore(thumbs(photos), li.querySelector(".actions"));
    return li;
  }

  async function loadReferrals() {
    const [held, pools, refs, notes] = await Promise.all([allPages("/conversions?status=held", "conversions"), api("GET", "/coupons"), allPages("/referrers", "referrers", 4), api("GET", "/referrers/notes")]);
    // Referrers' notes to friends wait for a person (no hold publishes them).
    $("notes-count").textContent = notes.notes.length ? ` (${notes.notes.length}${notes.next_cursor ? "+" : ""})` : "";
    fill("notes", notes.notes.map((n) => item(
      [["note-text", n.note], ["meta", `${n.name} (${n.code}) · ${n.email} · written ${new Date(n.written_at).toLocaleString()}`]],
      [
        // Each decision reloads the tab: the count and the list stay true.
        ["Approve", () => api("POST", `/referrers/${n.code}/note/approve?seen=${n.written_at}`)],
        ...rejectControls(`/referrers/${n.code}/note/reject?seen=${n.written_at}`, null),
      ],
      n.code,
    )), "No notes waiting.");
    fill("held", [...held.conversions.map((c) => item(
      [["", `Order ${c.order_id} via ${c.referrer_code || "?"}`], ["meta", `${c.reason || ""} · auto-approved ${c.hold_until ? new Date(c.hold_until).toLocaleString() : ""}`]],
      [["Approve", () => api("POST", `/conversions/${c.id}/approve`)], ["Reject", () => api("POST", `/conversions/${c.id}/reject`)]],
      c.id,
    )), ...tooMany(held.more)], "Nothing held for review.");
    fill("pools", pools.pools.map((p) => item([["", `${p.kind}: ${p.available} available, ${p.assigned} handed out`]], [])), "No coupons uploaded yet.");
    fill("referrers", [...refs.referrers.map((r) => item([["", `${r.name} (${r.code})`], ["meta", `${r.email} · ${r.clicks} clicks · ${r.friends} friends · ${r.purchases} purchases`]], [])), ...tooMany(refs.more)], "No referrers yet.");
  }

  // The group whose threads are listed, if any.
  let openGroup = null;

  // A member the brand decided about ("Restriction": named by a customer id
  // or by a post, never a member token), as a line in a list.
  const how = (k) => (k.startsWith("id:") ? `customer ${k.slice(3)}` : k.startsWith("legacy:") ? "decided before decisions kept the post they were made from" : "named by their post");
  const whom = (r) => `${r.name || "A member whose name is gone"} · ${how(r.member_key)} · since ${new Date(r.created_at).toLocaleString()}`;

  // The line that ends a list cut by allPages.
  const tooMany = (more, which = "newest 2,000") => (more ? [item([["meta", `Only the ${which} are shown here; the API lists the rest (follow next_cursor).`]], [])] : []);

  // Lifting a decision named by a post cannot be taken back once that post
  // is gone or its author erased their data (there is then nobody to name).
  const undoable = (r) => (r.member_key.startsWith("legacy:") ? " You will not be able to make this decision again from here: name them by a post of theirs." : r.member_key.startsWith("post:") && !r.name ? " You will not be able to block or remove them again: their post, or their data, is gone." : "");

  // A lift by a customer id lifts every decision that reached them by it
  // (those made by naming a post they wrote signed in too): the list is
  // read again. Any other leaves its row in place.
  const lifted = (r) => (r.member_key.startsWith("id:") ? undefined : "leave");

  // "Block author": the member named by `member_key` may not post anywhere.
  const blockAction = (member_key, name) => ["Block author", async () => {
    if (!confirm(`Block ${name || "this post's author"}? They will not be able to join a group, post, reply or react anywhere in your community until you unblock them (Blocked members, below).`)) return false;
    await api("POST", "/blocks", { member_key });
    return `${name || "The author"} is blocked; unblock them under Blocked members.`;
  }, undefined, name || undefined];

  async function loadThreads() {
    if (!openGroup) return;
    const at = `/groups/${encodeURIComponent(openGroup.id)}`;
    const [page, waiting, hidden, removed] = await Promise.all([
      allPages(`${at}/threads`, "threads", 25),
      allPages(`${at}/pending`, "pending"),
      allPages(`${at}/hidden`, "hidden"),
      allPages(`${at}/removals`, "removals"),
    ]);
    // A pre-moderated group's posts wait here; the author is named by their
    // post (author_key "post:<id>" or their customer id), never a token.
    $("pending-title").textContent = `Posts waiting in ${openGroup.name}`;
    $("pending-title").hidden = false;
    const path = (w) => `/${w.kind === "thread" ? "threads" : "replies"}/${w.id}`;
    fill("pending-posts", [...waiting.pending.map((w) => item(
      [["", w.body], ["meta", `${w.kind} · ${w.author_name} · ${new Date(w.created_at).toLocaleString()}`]],
      [
        ["Approve", () => api("POST", `${path(w)}/approve`)],
        ["Delete", () => api("POST", `${path(w)}/delete`)],
        ["Remove author from group", async () => {
          if (!confirm(`Take ${w.author_name} out of ${openGroup.name}? They will not be able to join it again until you readmit them.`)) return false;
          await api("POST", `/groups/${encodeURIComponent(openGroup.id)}/removals`, { member_key: w.author_key });
          return `${w.author_name} is out of ${openGroup.name}; their post still waits for your decision.`;
        }, undefined, w.author_name],
        blockAction(w.author_key, w.author_name),
      ],
      w.id,
    )), ...tooMany(waiting.more, "oldest 500")], "No posts waiting.");
    $("threads-title").textContent = `Threads in ${openGroup.name}`;
    $("threads-title").hidden = false;
    fill("threads", [...page.threads.map((t) => item(
      [
        ["", `${t.pinned ? "📌 " : ""}${t.title}`],
        ["", t.body],
        ["meta", `${t.author_name} · ${t.reply_count} repl${t.reply_count === 1 ? "y" : "ies"} · ${new Date(t.created_at).toLocaleString()}`],
        ...replyLine(t.brand_reply),
      ],
      [
        ...replyControls(`/threads/${t.id}/reply`, t.brand_reply, "thread"),
        [t.pinned ? "Unpin" : "Pin", () => api("POST", `/threads/${t.id}/${t.pinned ? "unpin" : "pin"}`)],
        ["Hide", async () => {
          await api("POST", `/threads/${t.id}/hide`);
          return `Hidden: "${t.title}" is listed under Hidden in ${openGroup.name}, where you can show it again.`;
        }, undefined, t.author_name],
        // The author by their post: the brand never sees a member token.
        ["Remove author from group", async () => {
          if (!confirm(`Take ${t.author_name} out of ${openGroup.name}? They will not be able to join it again until you readmit them.`)) return false;
          await api("POST", `/groups/${encodeURIComponent(openGroup.id)}/removals`, { member_key: `post:${t.id}` });
          return `${t.author_name} is out of ${openGroup.name} and cannot join it again until you readmit them.`;
        }, undefined, t.author_name],
        ["Readmit author", async () => {
          if (!confirm(`Lift the removal of ${t.author_name} from ${openGroup.name} made by naming this post?`)) return false;
          const r = await api("POST", `/groups/${encodeURIComponent(openGroup.id)}/readmissions`, { member_key: `post:${t.id}` });
          return r.readmitted ? `The removal made by naming this post is lifted: ${t.author_name} may join ${openGroup.name} again unless another removal keeps them out.` : `No removal was made by naming this post.`;
        }, undefined, t.author_name],
        blockAction(`post:${t.id}`, t.author_name),
      ],
      t.id,
    )), ...tooMany(page.more, "first 500")], "No threads in this group yet.");
    // What a moderator hid, hidden last first: shown again (a reply counts
    // in its thread again) or deleted for good.
    $("hidden-title").textContent = `Hidden in ${openGroup.name}`;
    $("hidden-title").hidden = false;
    fill("hidden-posts", [...hidden.hidden.map((h) => item(
      [["", h.body], ["meta", `${h.kind} · ${h.author_name} · written ${new Date(h.created_at).toLocaleString()} · hidden ${new Date(h.hidden_at ?? h.created_at).toLocaleString()}`]],
      [
        ["Show again", async () => {
          await api("POST", `${path(h)}/approve`);
          return `The ${h.kind} by ${h.author_name} is shown again.`;
        }, undefined, h.author_name],
        ["Delete", async () => {
          if (!confirm(`Delete this ${h.kind} by ${h.author_name} for good? It cannot be shown again.`)) return false;
          await api("POST", `${path(h)}/delete`);
          return `The ${h.kind} by ${h.author_name} is deleted.`;
        }, "leave", h.author_name],
      ],
      h.id,
    )), ...tooMany(hidden.more, "newest 500")], `Nothing is hidden in ${openGroup.name}.`);
    // Who was taken out of it, each readmitted by the name the removal was made under.
    $("removals-title").textContent = `Taken out of ${openGroup.name}`;
    $("removals-title").hidden = false;
    const group = openGroup;
    fill("removals", [...removed.removals.map((r) => item(
      [["", whom(r)]],
      [["Readmit", async () => {
        if (!confirm(`Let ${r.name || "this member"} join ${group.name} again?${undoable(r)}`)) return false;
        const res = await api("POST", `/groups/${encodeURIComponent(group.id)}/readmissions`, { member_key: r.member_key });
        return res.readmitted ? `${r.name || "The member"} may join ${group.name} again, unless another removal keeps them out.` : "That removal was already lifted.";
      }, lifted(r), r.name || "a member whose name is gone"]],
      r.member_key,
    )), ...tooMany(removed.more)], `Nobody was taken out of ${openGroup.name}.`);
  }

  async function loadCommunity() {
    const [reports, groups, blocks] = await Promise.all([allPages("/reports", "reports"), api("GET", "/groups"), allPages("/blocks", "blocks"), loadThreads()]);
    const kind = (r) => (r.target_type === "thread" ? "threads" : "replies");
    fill("reports", [...reports.reports.map((r) => item(
      // What was reported, by whom, where: the moderator decides on the
      // words, not on an id (helper-89).
      [["", r.title || (r.target_type === "reply" ? "Reply" : "Thread")], ["", r.excerpt],
        ["meta", `${iso(r.author_name)} · ${iso(r.group_name)} · ${r.reports} report(s): ${reportReasons(r)}`]],
      [["Hide", () => api("POST", `/${kind(r)}/${r.target_id}/hide`)], ["Delete", () => api("POST", `/${kind(r)}/${r.target_id}/delete`)], ["Keep", () => api("POST", `/${kind(r)}/${r.target_id}/approve`)],
        ["Remove author from group", async () => {
          if (!confirm("Take this post's author out of its group? They will not be able to join it again until you readmit them.")) return false;
          const res = await api("POST", `/groups/${encodeURIComponent(r.group_id)}/removals`, { member_key: `post:${r.target_id}` });
          return "The author is out of the group and cannot join it again until you readmit them.";
        }],
        blockAction(`post:${r.target_id}`, null)],
      r.target_id,
    )), ...tooMany(reports.more, "first 1,000")], "No open reports.");
    fill("blocks", [...blocks.blocks.map((r) => item(
      [["", whom(r)]],
      [["Unblock", async () => {
        if (!confirm(`Unblock ${r.name || "this member"}? They may join groups, post, reply and react again.${undoable(r)}`)) return false;
        const res = await api("POST", "/unblocks", { member_key: r.member_key });
        return res.unblocked ? `${r.name || "The member"} is unblocked, unless another block still holds them.` : "That block was already lifted.";
      }, lifted(r), r.name || "a member whose name is gone"]],
      r.member_key,
    )), ...tooMany(blocks.more)], "Nobody is blocked.");
    fill("groups", groups.groups.map((g) => item(
      [["", `${g.name} (${g.visibility})`], ["meta", `${g.members} members · ${g.description}`]],
      [["Threads", () => { openGroup = { id: g.id, name: g.name }; }], ["New invite link", async () => {
        const inv = await api("POST", `/groups/${g.id}/invites`, { expires_in_hours: 168, single_use: false });
        return `Invite token (7 days): ${inv.token} · link: your page?kindred_group=${g.id}&kindred_invite=${inv.token}`;
      }]],
      g.id,
    )), "No groups yet.");
  }

  // The settings as loaded: a save sends only what the editor changed.
  let loadedSettings = null;
  async function loadSettings() {
    const cfg = await api("GET", "");
    const editable = { name: cfg.name, accent: cfg.accent, incentive_copy: cfg.incentive_copy, allowed_origins: cfg.allowed_origins, moderation: cfg.moderation, max_hold_days: cfg.max_hold_days, review_incentive: cfg.review_incentive, review_webhook_url: cfg.review_webhook_url, review_page_url: cfg.review_page_url, rate_limits: cfg.rate_limits, referral: cfg.referral, community_webhook_url: cfg.community_webhook_url, privacy: cfg.privacy };
    loadedSettings = editable;
    $("settings").value = JSON.stringify(editable, null, 2);
  }

  /** The JSON Merge Patch (RFC 7396) that turns `from` into `to`: changed
   * members, null for removed ones, objects compared member by member,
   * anything else (arrays included) replaced whole. */
  function mergePatch(from, to) {
    const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
    const patch = {};
    for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
    for (const [k, v] of Object.entries(to)) {
      if (isObject(v) && isObject(from[k])) {
        const inner = mergePatch(from[k], v);
        if (Object.keys(inner).length) patch[k] = inner;
      } else if (JSON.stringify(v) !== JSON.stringify(from[k])) {
        patch[k] = v;
      }
    }
    return patch;
  }

  let tab = "moderation";
  // Analytics: one figure per chart (Chart.js on a canvas, its numbers in
  // a table for screen readers and copying, a CSV download).
  const COLORS = ["#0b7a75", "#8250df", "#bf3989", "#1a7f37", "#9a6700", "#cf222e", "#0969da"];
  let drawn = [];
  const csvCell = (v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

  function downloadCsv(name, a, c) {
    const unit = c.unit === "minor units" ? " (minor units)" : "";
    const lines = [["day", ...c.series.map((s) => s.label + unit)].map(csvCell).join(",")];
    a.days.forEach((d, i) => lines.push([d, ...c.series.map((s) => s.values[i])].map(csvCell).join(",")));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob(["\uFEFF", lines.join("\r\n"), "\r\n"], { type: "text/csv" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function figure(a, c) {
    const fig = document.createElement("figure");
    fig.dataset.chart = c.id;
    const h = document.createElement("h2");
    h.textContent = c.title + (c.unit === "minor units" ? " (minor units)" : "");
    h.id = `chart-${c.id}`;
    fig.setAttribute("aria-labelledby", h.id);
    const totals = document.createElement("p");
    totals.className = "totals";
    totals.textContent = c.series.length ? c.series.map((s) => `${s.label}${s.key === "active_members" ? " (busiest day)" : ""}: ${s.total.toLocaleString()}`).join(" · ") : "Nothing yet in these days.";
    const plot = document.createElement("div");
    plot.className = "plot";
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${c.title}, ${a.from} to ${a.to}: ${totals.textContent}`);
    plot.appendChild(canvas);
    const actions = document.createElement("div");
    actions.className = "chart-actions";
    const dl = document.createElement("button");
    dl.type = "button";
    dl.textContent = "Download CSV";
    dl.setAttribute("aria-label", `Download CSV: ${c.title}`);
    const scoped = a.product && ["testimonial_funnel", "ratings"].includes(c.id) ? `-${a.product}` : "";
    dl.addEventListener("click", () => downloadCsv(`${brand}-${c.id}${scoped}-${a.from}-${a.to}.csv`, a, c));
    actions.appendChild(dl);
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Numbers by day";
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const t of ["Day", ...c.series.map((s) => s.label)]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = t;
      head.appendChild(th);
    }
    const body = table.createTBody();
    a.days.forEach((d, i) => {
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = d;
      tr.appendChild(th);
      for (const s of c.series) tr.insertCell().textContent = String(s.values[i]);
    });
    details.append(summary, table);
    fig.append(h, totals, plot, actions, details);
    if (window.Chart && c.series.length) {
      drawn.push(new window.Chart(canvas, {
        type: c.id === "ratings" ? "bar" : "line",
        data: {
          labels: a.days,
          datasets: c.series.map((s, i) => ({ label: s.label, data: s.values, borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], tension: 0.2, pointRadius: a.days.length > 60 ? 0 : 2 })),
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          scales: { x: { stacked: c.id === "ratings", ticks: { maxTicksLimit: 8 } }, y: { stacked: c.id === "ratings", beginAtZero: true, ticks: { precision: 0 } } },
        },
      }));
    }
    return fig;
  }

  async function loadAnalytics() {
    const q = new URLSearchParams();
    for (const [k, id] of [["from", "a-from"], ["to", "a-to"], ["product", "a-product"]]) if ($(id).value.trim()) q.set(k, $(id).value.trim());
    const a = await api("GET", `/analytics${q.toString() ? `?${q}` : ""}`);
    $("a-from").value = a.from;
    $("a-to").value = a.to;
    drawn.forEach((c) => c.destroy());
    drawn = [];
    $("charts").replaceChildren(...a.charts.map((c) => figure(a, c)));
  }

  async function refresh() {
    try {
      if (tab === "moderation") await Promise.all([loadTestimonials(), importFilesShown || loadImportFiles()]);
      if (tab === "referrals") await loadReferrals();
      if (tab === "community") await loadCommunity();
      if (tab === "analytics") await loadAnalytics();
      // Not the settings' text: an edit typed there stays.
      if (tab === "settings") await loadOverlaps();
    } catch (e) {
      status(e.message);
    }
  }

  async function start() {
    try {
      await api("GET", "");
    } catch (e) {
      $("signin-error").textContent = e.message;
      return;
    }
    $("signin").hidden = true;
    $("app").hidden = false;
    $("signout").hidden = false;
    $("who").textContent = brand;
    await refresh();
  }

  $("signin").addEventListener("submit", (ev) => {
    ev.preventDefault();
    brand = $("brand").value.trim();
    key = $("key").value.trim();
    sessionStorage.setItem("kindred.console.brand", brand);
    sessionStorage.setItem("kindred.console.key", key);
    start();
  });
  $("signout").addEventListener("click", () => {
    sessionStorage.clear();
    location.reload();
  });
  $("status-filter").addEventListener("change", refresh);
  $("queue-filter").addEventListener("submit", (e) => {
    e.preventDefault();
    refresh();
  });
  $("more").addEventListener("click", () => loadTestimonials(true).catch((e) => status(e.message)));
  for (const b of document.querySelectorAll("[role=tab]")) {
    b.addEventListener("click", async () => {
      tab = b.dataset.tab;
      for (const o of document.querySelectorAll("[role=tab]")) o.setAttribute("aria-selected", String(o === b));
      for (const s of document.querySelectorAll("main section")) s.hidden = s.id !== `tab-${tab}`;
      status("");
      if (tab === "settings") await Promise.all([loadSettings(), loadProxyState(), loadOverlaps()]).catch((e) => status(e.message));
      else await refresh();
    });
  }
  $("save-settings").addEventListener("click", async () => {
    try {
      const patch = mergePatch(loadedSettings || {}, JSON.parse($("settings").value));
      if (!Object.keys(patch).length) return status("Nothing changed.");
      await api("PATCH", "", patch, settingsTag ? { "if-match": settingsTag } : {});
      await loadSettings();
      status("Settings saved.");
    } catch (e) {
      status(`Not saved: ${e.message}`);
    }
  });
  // The proxy key (.../proxy-key): whether there is one (GET), a new one
  // shown once in #proxy-key (POST), none (DELETE).
  const when = (ms) => new Date(ms).toLocaleString();
  let proxyState = null;
  async function loadProxyState() {
    const st = await api("GET", "/proxy-key");
    proxyState = st;
    $("proxy-state").textContent = !st.set ? "This brand has no proxy key."
      : `A proxy key is set${st.made_at ? ` (made ${when(st.made_at)})` : ""}.${st.previous_until ? ` The key it replaced still works until ${when(st.previous_until)}.` : ""}`;
    $("delete-proxy-key").disabled = !st.set;
  }
  // After an action that was done: the state again, its failure said on its own.
  const reloadProxyState = () => loadProxyState().catch((e) => status(`Done, but the key's state did not load: ${e.message}`));
  $("new-proxy-key").addEventListener("click", async () => {
    // Only one replaced key is kept: a key made within a day of the last
    // one ends the key before it at once.
    const ends = proxyState && proxyState.previous_until
      ? " The key before the current one stops working now; the current one still works for 24 hours."
      : " The current one, if any, still works for 24 hours: put the new one in your proxy's settings before then.";
    if (!confirm(`Make a new proxy key?${ends}`)) return;
    let made;
    try {
      made = await api("POST", "/proxy-key");
    } catch (e) {
      return status(`No new key: ${e.message}`);
    }
    $("proxy-key").textContent = `X-Kindred-Proxy-Key: ${made.proxy_key} (shown this once: copy it into your proxy's settings)`;
    status("New proxy key made.");
    await reloadProxyState();
  });
  $("delete-proxy-key").addEventListener("click", async () => {
    if (!confirm("Delete the proxy key, and the one it replaced? Requests that send either are refused from now on.")) return;
    try {
      await api("DELETE", "/proxy-key");
    } catch (e) {
      return status(`Not deleted: ${e.message}`);
    }
    $("proxy-key").textContent = "";
    status("Proxy key deleted.");
    await reloadProxyState();
  });
  // Secrets (.../secrets/{secret}): a new value, shown once; the old one
  // ends at once or works on for the hours chosen (keep_previous_hours).
  // A new admin key becomes this console's own.
  const SECRET_USES = {
    admin_key: "every integration that calls the admin API (your server's conversion reports, imports) must send the new key. If the old key leaked, delete the proxy key below too: whoever held the key could have made one",
    identity_secret: "your server must sign shoppers' identity tokens with the new secret; tokens signed with the old one are refused once it stops (review links and opt-out links already emailed keep working)",
    webhook_secret: "your webhook receivers must check signatures with the new secret; webhooks still waiting go out signed with it (and with the old one while that works)",
  };
  const SECRET_NAMES = { admin_key: "admin key", identity_secret: "identity secret", webhook_secret: "webhook secret" };
  // Replaced secrets still working (GET .../secrets), each with a button
  // that stops it now, once every integration uses the new one.
  async function loadOverlaps() {
    const st = await api("GET", "/secrets");
    const live = Object.entries(st).filter(([, s]) => s.previous_until);
    fill("secret-overlaps", live.map(([which, s]) => item(
      [["", `The old ${SECRET_NAMES[which]} works until ${when(s.previous_until)}.`]],
      [[`Stop the old ${SECRET_NAMES[which]} now`, () => confirm(`Stop the old ${SECRET_NAMES[which]} now? Only the new one works from then on: ${SECRET_USES[which]}.`)
        && api("DELETE", `/secrets/${which}/previous`).then(() => `The old ${SECRET_NAMES[which]} stopped.`), "leave"]],
      which,
    )), "No replaced secret works any more: only the current ones do.");
  }
  for (const button of document.querySelectorAll("[data-secret]")) {
    button.addEventListener("click", async () => {
      const which = button.dataset.secret;
      const hours = Number($("secret-overlap").value);
      const stops = hours ? `The old one works for ${$("secret-overlap").selectedOptions[0].textContent.replace(/^works for /, "")}, then stops` : "The old one stops working at once";
      if (!confirm(`${button.textContent}? ${stops}: ${SECRET_USES[which]}.`)) return;
      let made;
      try {
        made = await api("POST", `/secrets/${which}?keep_previous_hours=${hours}`);
      } catch (e) {
        return status(`Not replaced: ${e.message}`);
      }
      if (which === "admin_key") {
        key = made.value;
        sessionStorage.setItem("kindred.console.key", key);
      }
      $("secret-value").textContent = `${which}: ${made.value} (shown this once: copy it now)${made.previous_until ? `; the old one works until ${new Date(made.previous_until).toLocaleString()}` : ""}`;
      status(`${button.textContent}: done.`);
      await loadOverlaps().catch((e) => status(`Done, but the old secrets' state did not load: ${e.message}`));
      // The settings' ETag moved with the webhook secret: read it again
      // (the text box, and any edit in it, stays as it is).
      if (which === "webhook_secret") await api("GET", "").catch((e) => status(`Done, but the settings did not load: ${e.message}`));
    });
  }
  // Export: every page, following Kindred-Next-Cursor, in one file.
  $("export-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const dataset = $("export-dataset").value;
    const format = $("export-format").value;
    const parts = [];
    let cursor = "";
    try {
      for (let page = 1; ; page++) {
        status(`Exporting ${dataset}: page ${page}…`);
        const r = await fetch(`/v1/admin/brands/${encodeURIComponent(brand)}/export/${dataset}?format=${format}${cursor ? `&cursor=${cursor}` : ""}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        if (!r.ok) throw new Error((await r.json().catch(() => null))?.error?.message || `HTTP ${r.status}`);
        parts.push(await r.text());
        cursor = r.headers.get("kindred-next-cursor") || "";
        if (!cursor) break;
      }
      // text() drops the CSV's byte order mark; Excel needs it for Arabic.
      if (format === "csv") parts.unshift("\uFEFF");
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob(parts, { type: format === "csv" ? "text/csv" : "application/jsonl" }));
      a.download = `${brand}-${dataset}.${format}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      status(`Exported ${dataset}.`);
    } catch (e) {
      status(`Export failed: ${e.message}`);
    }
  });
  // Import: the file is read here (CSV with Papa Parse; JSON or JSON
  // Lines), then sent a chunk a request (at most IMPORT_CHUNK records and
  // IMPORT_BYTES of JSON). How far a file got is kept per file (name, size,
  // date), so choosing it again after a stop goes on from there; rows sent
  // twice change nothing anyway.
  const IMPORT_CHUNK = 200;
  const IMPORT_BYTES = 3 * 1024 * 1024;
  let importing = false;

  /**
   * The file's text: UTF-8, or Windows-1252 (what Excel on Windows saves as
   * "CSV") when nothing in it is UTF-8 beyond ASCII. A file that is UTF-8
   * but for a few bytes (a paste from elsewhere) is neither: read either
   * way, its letters would be published wrong, so it is refused, saying
   * where the first bad byte is.
   */
  async function fileText(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    // Excel's "Unicode text" is UTF-16, said by its byte order mark.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes), legacy: false };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes), legacy: false };
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), legacy: false };
    } catch {
      // Count, on the bytes, the well-formed UTF-8 sequences of two to four
      // bytes (RFC 3629) and the bytes over 0x7F that are in none. A UTF-8
      // file with a stray byte has many of the first and few of the second;
      // a Windows-1252 file the reverse (its accents are lone bytes, and a
      // chance sequence such as "é »", E9 A0 BB, is rare).
      let sequences = 0;
      let strays = 0;
      const tail = (i, n) => {
        for (let k = 1; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return false;
        return true;
      };
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i];
        if (b < 0x80) continue;
        const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
        if (n && tail(i, n)) {
          sequences++;
          i += n;
        } else {
          strays++;
        }
      }
      if (sequences > strays) {
        const good = new TextDecoder("utf-8").decode(bytes);
        const bad = good.indexOf("\uFFFD");
        const line = good.slice(0, bad).split("\n").length;
        throw new Error(`the file is UTF-8 except for some bytes (the first on line ${line}), so its letters cannot be read right: fix that line or save the file again as "CSV UTF-8", then import it`);
      }
      return { text: new TextDecoder("windows-1252").decode(bytes), legacy: true };
    }
  }

  /** The file's records (objects keyed by column), the first one's row, and whether they are CSV's cells. */
  function readImport(name, text) {
    const t = text.replace(/^\uFEFF/, "");
    if (/\.json$/i.test(name) || /^\s*\[/.test(t)) {
      const v = JSON.parse(t);
      const list = Array.isArray(v) ? v : Array.isArray(v?.reviews) ? v.reviews : null;
      if (!list) throw new Error("a JSON export is a list of reviews");
      return { records: list, firstRow: 1 };
    }
    if (/\.(jsonl|ndjson)$/i.test(name) || /^\s*\{/.test(t)) {
      const records = t.split(/\r?\n/).filter((l) => l.trim()).map((l, i) => {
        try {
          return JSON.parse(l);
        } catch {
          throw new Error(`line ${i + 1} is not JSON`);
        }
      });
      return { records, firstRow: 1 };
    }
    const parsed = Papa.parse(t, { header: true, skipEmptyLines: "greedy" });
    // A broken quote can swallow the rest of a file into one cell: stop and say where.
    const broken = parsed.errors.filter((e) => e.type !== "Delimiter");
    if (broken.length) {
      throw new Error(`the file is not well-formed CSV: ${broken.slice(0, 3).map((e) => `row ${(e.row ?? 0) + 2}: ${e.message}`).join("; ")}`);
    }
    // Sent as CSV's cells: the edge takes a Kindred CSV export's formula
    // guard (one leading "'") off them (kindred_core::export::csv_cell).
    return { records: parsed.data, firstRow: 2, csv: true };
  }

  /**
   * How the whole file writes dates like 03/01/2024 (kindred_core::import::DateOrder::of,
   * over every cell that is such a date): "day_first", "month_first", or
   * null when no date says. Sent with every chunk, so one file is read
   * one way, whichever chunk holds its telling date.
   */
  function dateOrder(records) {
    let day = null;
    let month = null;
    for (const r of records) {
      if (r === null || typeof r !== "object") continue;
      for (const v of Object.values(r)) {
        // A whole cell that is such a date (a time may follow), as
        // kindred_core::import reads them: not text that starts with one.
        const m = typeof v === "string" && /^\s*(\d{1,2})\/(\d{1,2})\/\d{4}(?:\s+[\d:. ]+(?:[AaPp][Mm])?)?\s*$/.exec(v);
        if (!m) continue;
        const [a, b] = [Number(m[1]), Number(m[2])];
        if (a > 12 && b <= 12) day ??= v.trim();
        else if (b > 12 && a <= 12) month ??= v.trim();
      }
    }
    if (day && month) throw new Error(`the file writes dates both day first (${day}) and month first (${month}): make them one way, then import it`);
    return day ? "day_first" : month ? "month_first" : null;
  }

  /**
   * Records from `at`: at most `most` (IMPORT_CHUNK), and IMPORT_BYTES of
   * JSON as sent (UTF-8 bytes, as the edge counts its body limit).
   */
  const utf8Length = (s) => new TextEncoder().encode(s).length;
  function chunkFrom(records, at, most = IMPORT_CHUNK) {
    const out = [];
    let bytes = 0;
    for (let i = at; i < records.length && out.length < most; i++) {
      const n = utf8Length(JSON.stringify(records[i]));
      if (out.length && bytes + n > IMPORT_BYTES) break;
      out.push(records[i]);
      bytes += n;
    }
    return out;
  }

  /** One chunk, tried again (3 times, backing off) when the network or the edge failed. */
  async function sendChunk(body) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await api("POST", "/imports", body);
      } catch (e) {
        const passing = e instanceof TypeError || e.status >= 500 || e.status === 429;
        if (!passing || attempt >= 3) throw e;
        await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
      }
    }
  }

  /**
   * How the edge will know the file (`ImportChunk.file`): its name (150
   * characters at most, cut between code points) and the 32-bit FNV-1a hash
   * of its bytes in hex, so two partners' `export.csv` are two files and
   * the same file chosen again is the same one, whether or not the page is
   * a secure context (SubtleCrypto's digests are not there over plain http).
   */
  async function fileLabel(file) {
    const name = Array.from(file.name).slice(0, 150).join("");
    const bytes = new Uint8Array(await file.arrayBuffer());
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return `${name} · ${(h >>> 0).toString(16).padStart(8, "0")}`;
  }

  /**
   * The files imported, each with its own undo (`GET .../imports`, `files`):
   * read when the tab first shows and after an import or an undo, not on
   * every reload of the queue (it counts every imported review).
   */
  let importFilesShown = false;
  async function loadImportFiles() {
    const s = await api("GET", "/imports");
    importFilesShown = true;
    fill("import-files", s.files.map((f) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Undo this file…";
      b.setAttribute("aria-label", `Undo this file…: ${f.file}`);
      b.dataset.source = f.source;
      b.dataset.file = f.file;
      b.addEventListener("click", () => undoImport(f.source, f.file));
      return item([["", f.file], ["meta", `${f.testimonials} ${f.testimonials === 1 ? "review" : "reviews"} from ${SOURCES[f.source] || f.source}`]], [b]);
    }), "No file imported by name yet (files imported before the console named them are undone by source, above).");
    if (s.files_more) $("import-files").append(item([["meta", `Only the ${s.files.length} latest files are listed: undo an older one by source, or through the API.`]], []));
  }

  // Polled without the counts (`GET .../imports/photos`): the status's
  // counts read every imported review.
  async function watchImportPhotos() {
    for (let i = 0; i < 200; i++) {
      const s = await api("GET", "/imports/photos").catch(() => null);
      if (!s) return;
      const failed = s.failed.length ? ` ${s.failed.length} could not be fetched (latest: ${s.failed[0].url}: ${s.failed[0].error}).` : "";
      $("import-count").textContent = s.pending ? `Photos: ${s.pending} still to fetch.${failed}` : `Photos: all fetched.${failed}`;
      if (!s.pending) return;
      await new Promise((r) => setTimeout(r, 3000));
    }
  }

  function showImportRows(failed, warnings) {
    const lines = [
      ...failed.slice(0, 100).map((f) => `Row ${f.row}${f.source_id ? ` (${f.source_id})` : ""}: not imported: ${f.field}: ${f.message}`),
      ...warnings.slice(0, 100).map((f) => `Row ${f.row}${f.source_id ? ` (${f.source_id})` : ""}: imported without ${f.field}: ${f.message}`),
    ];
    if (failed.length > 100 || warnings.length > 100) lines.push(`…and more (${failed.length} not imported, ${warnings.length} imported without a part).`);
    if (lines.length) fill("import-failed", lines.map((l) => item([["", l]], [])), "");
    else $("import-failed").replaceChildren();
  }

  // Which column of the file holds each part of a review. The platforms'
  // usual columns, the fields and which a review needs come from
  // kindred_core::import (Field, Source::columns), written by the build
  // into import-columns.json; the edge reads a chunk's records the same
  // way, and takes the brand's choices as the chunk's `columns`.
  let importTable = null;
  // The file chosen, read once (the choice and Import share the reading):
  // { file, promise of { legacy, records, firstRow, csv, headers } }.
  let prepared = null;
  // As kindred_core::import::column_key: letters and digits of any script,
  // lower case ("Reviewer Name" and "reviewer_name" are one column).
  const columnKey = (s) => Array.from(String(s)).filter((c) => /[\p{Alphabetic}\p{N}]/u.test(c)).map((c) => c.toLowerCase()).join("");

  /** Reads the chosen file (once per file) and draws its columns; null without one. */
  async function prepareImport() {
    const file = $("import-file").files[0];
    if (!file) {
      prepared = null;
      $("import-columns").hidden = true;
      return null;
    }
    if (prepared?.file !== file) {
      const promise = (async () => {
        const { text, legacy } = await fileText(file);
        const read = readImport(file.name, text);
        // Every record's columns (a JSON export's vary), those that can hold
        // text: no blank or punctuation-only name (the edge refuses or
        // cannot tell them apart), no nested object (read as empty).
        const headers = [];
        const seen = new Set();
        for (const r of read.records) {
          if (r === null || typeof r !== "object" || Array.isArray(r)) continue;
          for (const [k, v] of Object.entries(r)) {
            if (seen.has(k)) continue;
            seen.add(k);
            if (columnKey(k) && !(v !== null && typeof v === "object" && !Array.isArray(v))) headers.push(k);
          }
        }
        return { legacy, ...read, headers };
      })();
      prepared = { file, promise };
    }
    const read = await prepared.promise;
    importTable ??= await fetch("import-columns.json").then((r) => {
      if (!r.ok) throw new Error(`the console's column table did not load (${r.status})`);
      return r.json();
    });
    // Another file chosen meanwhile draws its own (helper-110: the slower
    // read drew over the one chosen last).
    if ($("import-file").files[0] !== file) throw new StaleFile();
    drawColumns(read);
    return read;
  }
  class StaleFile extends Error {
    constructor() {
      super("another file was chosen");
    }
  }

  /** The brand's choices, by field (only those made). */
  function columnChoices() {
    const out = {};
    for (const s of $("import-columns-list").querySelectorAll("select")) if (s.value) out[s.dataset.field] = s.value;
    return out;
  }

  /**
   * One row per field: the column the edge will read ("Usual: review_score",
   * or none in this file) or the brand's choice, and the first row's value
   * in it. A field a review needs with no column is marked; Import waits
   * for a choice (every row would fail).
   */
  function drawColumns(prepared) {
    const kept = columnChoices();
    const usual = importTable.sources[$("import-source").value] || {};
    const byKey = new Map();
    for (const h of prepared.headers) if (!byKey.has(columnKey(h))) byKey.set(columnKey(h), h);
    const first = prepared.records.find((r) => r !== null && typeof r === "object" && !Array.isArray(r)) || {};
    const rows = importTable.fields.map((f) => {
      const auto = (usual[f.field] || []).map((c) => byKey.get(columnKey(c))).find((h) => h !== undefined);
      const label = document.createElement("label");
      label.dataset.field = f.field;
      const select = document.createElement("select");
      select.dataset.field = f.field;
      select.dataset.auto = auto ?? "";
      select.append(new Option(auto ? `Usual: ${auto}` : "Usual: none in this file", ""));
      for (const h of prepared.headers) select.append(new Option(h, h));
      if (kept[f.field] && prepared.headers.includes(kept[f.field])) select.value = kept[f.field];
      const sample = document.createElement("span");
      sample.className = "note";
      sample.dir = "auto";
      sample.id = `import-column-${f.field}`;
      select.setAttribute("aria-describedby", sample.id);
      const show = () => {
        const col = select.value || select.dataset.auto;
        const v = col ? first[col] : undefined;
        const missing = f.needed && !col && !(f.or && columnFor(f.or));
        select.setAttribute("aria-invalid", missing ? "true" : "false");
        sample.textContent = missing ? `needed: choose the column${f.or ? ` (or one for ${importTable.fields.find((x) => x.field === f.or)?.label})` : ""}` : v === undefined || v === null || v === "" ? "" : `e.g. ${String(typeof v === "object" ? JSON.stringify(v) : v).slice(0, 60)}`;
      };
      select.addEventListener("change", () => {
        for (const s of $("import-columns-list").querySelectorAll("select")) s.dispatchEvent(new Event("refresh"));
      });
      select.addEventListener("refresh", show);
      // The sample beside the label, not in it: it is the select's description, not its name.
      label.append(`${f.label} `, select);
      const row = document.createElement("div");
      row.append(label, " ", sample);
      return { label: row, show };
    });
    $("import-columns-list").replaceChildren(...rows.map((r) => r.label));
    for (const r of rows) r.show();
    $("import-columns").hidden = false;
  }

  /** The column a field is read from now (the brand's choice, else the usual one found), or "". */
  function columnFor(field) {
    const s = $("import-columns-list").querySelector(`select[data-field="${field}"]`);
    return s ? s.value || s.dataset.auto : "";
  }

  // Imports started: a file's reading that fails says so only if none
  // started since (Import says it then, its own way).
  let importsStarted = 0;
  for (const id of ["import-file", "import-source"]) {
    $(id).addEventListener("change", () => {
      $("import-result").textContent = "";
      const started = importsStarted;
      prepareImport().catch((e) => {
        if (e instanceof StaleFile) return;
        $("import-columns").hidden = true;
        if (started === importsStarted) $("import-result").textContent = `The file cannot be imported: ${e.message}.`;
      });
    });
  }

  $("import-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (importing) return;
    const file = $("import-file").files[0];
    if (!file) return;
    importsStarted += 1;
    const source = $("import-source").value;
    const base = $("import-base").value.trim();
    const bar = $("import-progress");
    importing = true;
    $("import-go").disabled = true;
    $("import-failed").replaceChildren();
    const said = (m) => ($("import-result").textContent = m);
    const sum = { imported: 0, already: 0, failed: [], warnings: [], photos: 0 };
    let at = 0;
    try {
      // Read again: the file may have been edited since it was chosen (a
      // header fixed in a spreadsheet; helper-110: the old text was sent).
      prepared = null;
      const { legacy, records, firstRow, csv } = await prepareImport();
      const total = records.length;
      if (!total) throw new Error("the file has no reviews");
      const missing = [...$("import-columns-list").querySelectorAll('select[aria-invalid="true"]')];
      if (missing.length) {
        missing[0].focus();
        const names = missing.map((m) => importTable.fields.find((f) => f.field === m.dataset.field)?.label);
        return said(`Nothing imported: the file has no usual column for ${names.join(" and ")}: choose one under “Columns in this file”.`);
      }
      const columns = columnChoices();
      const order = dateOrder(records);
      const named = await fileLabel(file);
      // A file without review ids has each one's id made from what it says
      // (kindred_core::import::fallback_source_id): read through other
      // columns than last time, its reviews would all come in again, as
      // new ones (helper-110). The columns it was last imported with are
      // kept by file.
      const usedKey = `kindred.import.columns.${brand}.${source}.${named}`;
      const used = localStorage.getItem(usedKey);
      const now = JSON.stringify(columns);
      if (!columnFor("id") && used !== null && used !== now) {
        if (!confirm("This file has no review ids, and it was imported before with other columns: its reviews would be imported again, as new ones, next to those. Undo this file first (under “Imported files”), or import anyway?")) return said("Nothing imported.");
      }
      // Read with other columns, the file is another import: from its first row.
      const mapped = Object.keys(columns).length ? `.${JSON.stringify(columns)}` : "";
      const mark = `kindred.import.${brand}.${source}.${file.name}.${file.size}.${file.lastModified}${mapped}`;
      at = Number(localStorage.getItem(mark)) || 0;
      if (!(at < total)) at = 0;
      bar.max = total;
      bar.value = at;
      bar.hidden = false;
      const how = legacy ? " (read as Windows-1252: save as CSV UTF-8 if letters look wrong)" : "";
      said(at ? `Going on from review ${at + 1} of ${total}${how}.` : `Importing ${total} reviews${how}.`);
      let most = IMPORT_CHUNK;
      localStorage.setItem(usedKey, now);
      while (at < total) {
        // A list item that is not a review (a `null`, a number) is that
        // row's failure, not the chunk's.
        if (records[at] === null || typeof records[at] !== "object" || Array.isArray(records[at])) {
          sum.failed.push({ row: firstRow + at, field: "record", message: "not a review (an object of columns)" });
          at += 1;
          continue;
        }
        let records_ = chunkFrom(records, at, most);
        const cut = records_.findIndex((r) => r === null || typeof r !== "object" || Array.isArray(r));
        if (cut > 0) records_ = records_.slice(0, cut);
        const body = { source, first_row: firstRow + at, records: records_ };
        if (base) body.photo_base = base;
        if (order) body.date_order = order;
        if (csv) body.format = "csv";
        if (mapped) body.columns = columns;
        body.file = named;
        let r;
        try {
          r = await sendChunk(body);
        } catch (e) {
          // Too large for one request (413): half as many records at once;
          // one record alone that is too large is its row's failure.
          if (e.status !== 413) throw e;
          if (records_.length > 1) {
            most = Math.max(1, Math.floor(records_.length / 2));
            continue;
          }
          r = { imported: 0, already: 0, photos_queued: 0, failed: [{ row: firstRow + at, field: "record", message: "too large to send (over 4 MB)" }] };
        }
        most = IMPORT_CHUNK;
        sum.imported += r.imported;
        sum.already += r.already;
        sum.photos += r.photos_queued;
        sum.failed.push(...r.failed);
        sum.warnings.push(...(r.warnings || []));
        at += records_.length;
        localStorage.setItem(mark, String(at));
        bar.value = at;
        $("import-count").textContent = `${at} of ${total} read: ${sum.imported} new, ${sum.already} already here, ${sum.failed.length} not imported.`;
      }
      localStorage.removeItem(mark);
      said(`Import done: ${sum.imported} new reviews, ${sum.already} were already here, ${sum.failed.length} not imported${sum.failed.length || sum.warnings.length ? " (listed below)" : ""}.${sum.photos ? ` ${sum.photos} photos are being fetched.` : ""}${how}`);
    } catch (e) {
      said(`Import stopped at review ${at + 1}: ${e.message}. Choose the same file again to go on from there.`);
    } finally {
      showImportRows(sum.failed, sum.warnings);
      importing = false;
      $("import-go").disabled = false;
    }
    await Promise.all([refresh(), loadImportFiles().catch((e) => status(e.message))]);
    if (sum.photos) watchImportPhotos();
  });
  // Undoing an import (the wrong file, the wrong products): every review
  // imported from the chosen source goes, or (`file`) only those one file
  // brought in, 100 a request, until the edge says none is left; the file
  // can then be imported again, from its first row (the marks of imports
  // that stopped go: going on from one would skip the rows undone).
  async function undoImport(source, file) {
    const said = (m) => ($("import-result").textContent = m);
    // The button pressed, as the list is drawn again: the file's own while
    // it is listed, else the list's heading (not the source's undo: it acts
    // on whatever source is chosen above).
    const button = () => {
      if (!file) return $("import-undo");
      const own = [...$("import-files").querySelectorAll("button")].find((b) => b.dataset.source === source && b.dataset.file === file);
      if (own) return own;
      $("import-files-title").tabIndex = -1;
      return $("import-files-title");
    };
    if (importing) return said("An import or undo is running: wait for it to end.");
    const label = file ? `“${file}”` : SOURCES[source] || source;
    const bar = $("import-progress");
    importing = true;
    let deleted = 0;
    let changed = false;
    try {
      const s = await api("GET", "/imports");
      const total = Number(file ? s.files.find((f) => f.source === source && f.file === file)?.testimonials : s.imported[source]) || 0;
      if (!total) return said(`Nothing imported from ${label} to undo.`);
      const what = file ? `the ${total} reviews the file ${label} brought in first (a review another file also carried goes too; import that file again to bring it back)` : `all ${total} reviews imported from ${label}`;
      if (!confirm(`Delete ${what}, whatever their state, with their photos, votes and replies? Reviews written on your pages stay. The ledger counts each as deleted. You can import the file again afterwards.`)) return said("Nothing changed.");
      // The marks of imports of this source that stopped go now, whatever
      // happens next (an answer lost after the first page deleted rows):
      // going on from one would skip the rows undone.
      const prefix = `kindred.import.${brand}.${source}.`;
      for (const k of Object.keys(localStorage)) if (k.startsWith(prefix)) localStorage.removeItem(k);
      // And the columns the undone files were read with: read again, they start afresh.
      const used = `kindred.import.columns.${brand}.${source}.${file ?? ""}`;
      for (const k of Object.keys(localStorage)) if (file ? k === used : k.startsWith(used)) localStorage.removeItem(k);
      changed = true;
      $("import-go").disabled = true;
      bar.setAttribute("aria-label", "Undo progress");
      bar.max = total;
      bar.value = 0;
      bar.hidden = false;
      const path = `/imports/${encodeURIComponent(source)}${file ? `?file=${encodeURIComponent(file)}` : ""}`;
      for (let done = false; !done; ) {
        const r = await api("DELETE", path);
        deleted += r.deleted;
        done = r.done;
        bar.value = Math.min(deleted, total);
        $("import-count").textContent = `${deleted} of ${total} deleted.`;
      }
      said(`Import from ${label} undone: ${deleted} reviews deleted.`);
    } catch (e) {
      said(`Undo stopped after ${deleted} reviews: ${e.message}. Choose Undo again to go on.`);
    } finally {
      importing = false;
      $("import-go").disabled = false;
      bar.setAttribute("aria-label", "Import progress");
      if (changed) await Promise.all([refresh(), loadImportFiles().catch((e) => status(e.message))]);
      button().focus();
    }
  }
  $("import-undo").addEventListener("click", () => undoImport($("import-source").value, null));
  $("analytics-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await loadAnalytics();
      status("");
    } catch (e) {
      status(`Analytics: ${e.message}`);
    }
  });
  $("coupon-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    // One code per line, as the label says: a line with a space in it is
    // sent whole, for the API to refuse with its reason ("SUMMER 10" split
    // at the space made two codes nobody issued: helper-89).
    const codes = $("coupon-codes").value.split(/\r?\n/).map((c) => c.trim()).filter(Boolean);
    try {
      const r = await api("POST", "/coupons", { kind: $("coupon-kind").value, codes });
      const other = r.in_other_pool.length ? ` Left out, already in the other pool: ${r.in_other_pool.join(", ")}.` : "";
      status(`${r.added} coupon(s) added${r.already ? `, ${r.already} already there` : ""}.${other}`);
      $("coupon-codes").value = "";
    } catch (e) {
      status(e.message);
    }
    await refresh();
  });
  if (brand && key) start();
})();

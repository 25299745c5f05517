/* The console's behaviour: live updates (Server-Sent Events, resuming after a dropped
   connection, falling back to polling), forms posted as JSON to the API, keyboard shortcuts,
   service-level timers and the advice alert. Everything inserted into a page was rendered and
   escaped by the server; this file never builds markup from data. */
(function () {
  "use strict";

  // --- forms posted to the JSON API -----------------------------------------------------------
  htmx.defineExtension("json-form", {
    onEvent: function (name, evt) {
      if (name === "htmx:configRequest") {
        evt.detail.headers["Content-Type"] = "application/json";
        evt.detail.headers["Accept"] = "application/json";
      }
    },
    encodeParameters: function (xhr, parameters, elt) {
      xhr.overrideMimeType("text/json");
      var form = elt.closest("form") || elt;
      var lists = (form.dataset.lists || "").split(" ").filter(Boolean);
      var out = {};
      parameters.forEach(function (value, key) {
        if (key === "csrf_token") return;
        if (lists.indexOf(key) >= 0) {
          (out[key] = out[key] || []).push(value);
        } else if (value !== "") {
          out[key] = value;
        }
      });
      return JSON.stringify(out);
    },
  });

  function problemText(xhr) {
    try {
      var body = JSON.parse(xhr.responseText);
      return body.detail || body.title || "That did not work (" + xhr.status + ")";
    } catch (e) {
      return "That did not work (" + xhr.status + "); try again";
    }
  }

  function errorRegion(elt) {
    var form = elt.closest("form") || elt;
    return form.querySelector("[data-error]");
  }

  document.addEventListener("htmx:afterRequest", function (evt) {
    var elt = evt.detail.elt;
    var region = errorRegion(elt);
    if (!evt.detail.successful) {
      if (region && evt.detail.xhr) region.textContent = problemText(evt.detail.xhr);
      return;
    }
    if (region) region.textContent = "";
    var form = elt.closest("form");
    if (form && form.hasAttribute("data-reset")) form.reset();
    // What was typed has been sent: the panels it changes are shown afresh.
    var names = (elt.dataset.refreshAfter || (form && form.dataset.refreshAfter) || "").split(" ");
    names.filter(Boolean).forEach(function (name) {
      document.querySelectorAll('[data-refresh-on~="' + name + '"]').forEach(function (panel) {
        refreshPanel(panel, true);
      });
    });
    var done = form && form.dataset.done;
    if (done) announce(done);
    if (form && form.dataset.goAfter) window.location.href = form.dataset.goAfter;
  });

  // Keyboard-first: when the warning signs are shown afresh (after an acknowledgement, or a new
  // sign), the focus stays at the same place in the list, so the next sign is one key away.
  var signFocus = -1;
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.target.id !== "panel-signs") return;
    var signs = Array.prototype.slice.call(document.querySelectorAll("#panel-signs [data-sign]"));
    var active = document.activeElement;
    signFocus = signs.findIndex(function (s) { return s.contains(active); });
  });
  document.addEventListener("htmx:afterSettle", function (evt) {
    if (evt.detail.target.id !== "panel-signs" || signFocus < 0) return;
    var signs = document.querySelectorAll("#panel-signs [data-sign]");
    var target = signs[Math.min(signFocus, signs.length - 1)] || document.getElementById("h-signs");
    signFocus = -1;
    if (target) target.focus();
  });

  // --- live updates ------------------------------------------------------------------------
  var live = (window.heardLive = { lastId: 0, mode: "off", received: 0 });

  // A panel someone is writing in is never replaced under their hands: its refresh waits until
  // they send or clear what they typed, or leave the panel without having typed anything.
  var TEXT_FIELD = "input:not([type=radio]):not([type=checkbox]):not([type=hidden]), textarea, select";

  function edited(panel) {
    return Array.prototype.some.call(panel.querySelectorAll("input, textarea, select"), function (f) {
      if (f.type === "hidden") return false;
      if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
      if (f.tagName === "SELECT") {
        // With no option marked selected the browser shows the first: that is the default too.
        var initial = Array.prototype.findIndex.call(f.options, function (o) { return o.defaultSelected; });
        return f.selectedIndex !== Math.max(initial, 0);
      }
      return f.value !== f.defaultValue;
    });
  }

  function busy(panel) {
    var active = document.activeElement;
    return edited(panel) || (active && panel.contains(active) && active.matches(TEXT_FIELD));
  }

  function refreshPanel(panel, force) {
    if (!force && busy(panel)) {
      if (!panel.dataset.stale) {
        panel.dataset.stale = "1";
        var note = document.createElement("p");
        note.className = "hint stale-note";
        note.textContent = "New information for this panel appears when you send or clear what you typed.";
        var heading = panel.querySelector("h2");
        if (heading) heading.insertAdjacentElement("afterend", note);
      }
      return;
    }
    htmx.trigger(panel, "heard:refresh");
  }

  function refresh(name) {
    document.querySelectorAll('[data-refresh-on~="' + name + '"]').forEach(function (panel) {
      refreshPanel(panel, false);
    });
  }

  // A panel that could not be fetched (the network dropped for a moment) tries again, so it does
  // not stay out of date until the next event about it.
  document.addEventListener("htmx:sendError", function (evt) {
    var panel = evt.detail.elt;
    if (!panel.dataset || panel.dataset.refreshOn === undefined) return;
    var tries = parseInt(panel.dataset.retries || "0", 10);
    if (tries >= 5) return;
    panel.dataset.retries = String(tries + 1);
    setTimeout(function () { if (panel.isConnected) refreshPanel(panel, false); }, 2000 * (tries + 1));
  });

  document.addEventListener("focusout", function (evt) {
    var panel = evt.target.closest("[data-refresh-on]");
    if (!panel || !panel.dataset.stale || panel.contains(evt.relatedTarget)) return;
    if (!edited(panel)) refreshPanel(panel, true);
  });

  function upsert(item) {
    var container = document.querySelector('[data-live-into="' + item.into + '"]');
    if (!container) return;
    var holder = document.createElement("template");
    holder.innerHTML = item.html.trim();
    var node = holder.content.firstElementChild;
    if (!node) return;
    var existing = document.getElementById(item.id);
    if (existing) {
      existing.replaceWith(node);
    } else {
      var empty = container.querySelector("[data-empty]");
      if (empty) empty.remove();
      container.appendChild(node);
      if (container.dataset.follow !== undefined) node.scrollIntoView({ block: "nearest" });
    }
    htmx.process(node);
  }

  function announce(text) {
    var region = document.getElementById("announce");
    if (region) region.textContent = text;
  }

  function alertUser(alert) {
    var banner = document.getElementById("alert-banner");
    if (banner) {
      banner.textContent = alert.text;
      banner.hidden = false;
      banner.classList.remove("flash");
      void banner.offsetWidth; // restart the animation
      banner.classList.add("flash");
    }
    beep();
  }

  function handle(kind, id, data) {
    live.received += 1;
    live.lastSeenAt = Date.now();
    if (id) live.lastId = Math.max(live.lastId, id);
    if (kind === "heartbeat") return;
    if (kind === "reload") {
      window.location.reload();
      return;
    }
    var message = typeof data === "string" ? JSON.parse(data) : data;
    (message.upsert || []).forEach(upsert);
    (message.refresh || []).forEach(refresh);
    if (message.alert) alertUser(message.alert);
    document.dispatchEvent(new CustomEvent("heard:live", { detail: { kind: kind, id: id } }));
  }

  function setStatus(mode, words) {
    live.mode = mode;
    var status = document.getElementById("live-status");
    if (status) {
      status.textContent = words;
      status.dataset.mode = mode;
    }
  }

  function startLive(el) {
    var url = el.dataset.live;
    var kinds = (el.dataset.liveKinds || "").split(" ").filter(Boolean);
    var heartbeatMs = parseFloat(el.dataset.liveHeartbeat || "15") * 1000;
    var pollMs = 2000;
    var source = null;
    var failures = 0;
    var pollTimer = null;
    live.lastId = parseInt(el.dataset.liveAfter || "0", 10);
    live.lastSeenAt = Date.now();

    function withAfter(base) {
      return base + (base.indexOf("?") >= 0 ? "&" : "?") + "after=" + live.lastId;
    }

    function connect() {
      if (source) source.close();
      if (!window.EventSource || el.dataset.livePoll !== undefined) return startPolling();
      setStatus("connecting", "Connecting…");
      source = new EventSource(withAfter(url));
      source.onopen = function () {
        failures = 0;
        live.lastSeenAt = Date.now();
        stopPolling();
        setStatus("sse", "Live");
      };
      // Reconnect ourselves (from the last event seen) rather than leave it to the browser,
      // and after repeated failures fall back to polling: some proxies never let a stream open.
      source.onerror = function () {
        failures += 1;
        source.close();
        source = null;
        setStatus("connecting", "Reconnecting…");
        if (failures >= 3) startPolling();
        else setTimeout(connect, 500 * failures);
      };
      kinds.forEach(function (kind) {
        source.addEventListener(kind, function (evt) {
          handle(kind, evt.lastEventId ? parseInt(evt.lastEventId, 10) : 0, evt.data);
        });
      });
    }

    function stopPolling() {
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
    }

    function startPolling() {
      setStatus("poll", "Updating every 2 s");
      stopPolling();
      var poll = function () {
        fetch(withAfter(url), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (answer) {
            if (answer.status === 401) {
              window.location.href = "/login?next=" + encodeURIComponent(window.location.pathname);
            }
            return answer.json();
          })
          .then(function (body) {
            if (body.reload) return window.location.reload();
            body.events.forEach(function (e) { handle(e.event, e.id, e.data); });
            live.lastId = Math.max(live.lastId, body.cursor);
            live.lastSeenAt = Date.now();
            pollTimer = setTimeout(poll, body.more ? 0 : pollMs);
          })
          .catch(function () { pollTimer = setTimeout(poll, pollMs * 2); });
      };
      poll();
      // Try the stream again now and then: the fallback is for when it cannot be held open.
      setTimeout(function () { if (live.mode === "poll" && window.EventSource) { failures = 0; connect(); } }, 60000);
    }

    // A stream that went quiet (no event, no heartbeat) is treated as dropped.
    setInterval(function () {
      if (live.mode === "sse" && Date.now() - live.lastSeenAt > heartbeatMs * 2.5) connect();
    }, 2000);
    connect();
  }

  // --- the advice beep (Web Audio; no sound files) ---------------------------------------
  var audio = null;
  function unlockAudio() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }
  document.addEventListener("keydown", unlockAudio, { once: true });
  document.addEventListener("pointerdown", unlockAudio, { once: true });

  function beep() {
    document.body.dataset.beeps = String(parseInt(document.body.dataset.beeps || "0", 10) + 1);
    if (!audio) unlockAudio();
    if (!audio) return;
    var start = audio.currentTime;
    [0, 0.25].forEach(function (offset) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.22);
    });
  }

  // --- service-level timers --------------------------------------------------------------
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function span(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" + pad(m) : m) + ":" + pad(sec);
  }
  function tickTimers() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var text = span(now - Date.parse(el.dataset.since));
      if (el.textContent !== text) el.textContent = text;
    });
    document.querySelectorAll("[data-due]").forEach(function (el) {
      if (el.dataset.picked) return;
      var due = Date.parse(el.dataset.due), amber = Date.parse(el.dataset.amber);
      var state = now >= due ? "red" : now >= amber ? "amber" : "ok";
      var text = now >= due ? span(now - due) + " overdue" : span(due - now) + " left";
      var label = el.querySelector(".timer-text");
      if (label && label.textContent !== text) label.textContent = text;
      var word = el.querySelector(".timer-word");
      if (word) word.textContent = { ok: "On time", amber: "Amber", red: "Overdue" }[state];
      el.dataset.state = state;
    });
  }

  // --- keyboard ---------------------------------------------------------------------------
  var ACK_KEYS = { "1": "asked_about_it", "2": "passed_to_officers", "3": "raised_grade", "4": "not_relevant" };
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }
  document.addEventListener("keydown", function (evt) {
    if (evt.ctrlKey || evt.metaKey || evt.altKey) return;
    var sign = evt.target.closest("[data-sign]");
    if (sign && !typing(evt.target) && ACK_KEYS[evt.key]) {
      var button = sign.querySelector('[data-ack="' + ACK_KEYS[evt.key] + '"]');
      if (button) {
        evt.preventDefault();
        if (ACK_KEYS[evt.key] === "not_relevant") {
          var reason = sign.querySelector("textarea, input[name=reason]");
          if (reason) return reason.focus();
        }
        button.click();
      }
      return;
    }
    if (typing(evt.target)) return;
    var jump = document.querySelector('[data-key="' + evt.key + '"]');
    if (jump) {
      evt.preventDefault();
      var focusable = jump.querySelector("[data-key-target]") ||
        jump.querySelector("a, button, select, textarea, input, [tabindex]");
      (focusable || jump).focus();
    }
  });

  // --- the grade control: lowering needs a reason and a second person's sign-off ------------
  function gradeControl(select) {
    var form = select.closest("form");
    var floor = parseInt(select.dataset.floor || "-1", 10);
    var chosen = select.options[select.selectedIndex];
    var lowers = chosen && parseInt(chosen.dataset.rank || "99", 10) < floor;
    form.querySelectorAll("[data-lowering]").forEach(function (el) { el.hidden = !lowers; });
    var reason = form.querySelector("[name=reason]");
    if (reason) reason.required = lowers;
  }
  document.addEventListener("change", function (evt) {
    if (evt.target.matches("select[data-grade]")) gradeControl(evt.target);
  });

  function init(root) {
    root.querySelectorAll("select[data-grade]").forEach(gradeControl);
  }

  document.addEventListener("htmx:load", function (evt) { init(evt.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    var el = document.querySelector("[data-live]");
    if (el) startLive(el);
    tickTimers();
    setInterval(tickTimers, 1000);
  });
})();

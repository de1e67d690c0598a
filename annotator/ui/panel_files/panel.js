// The annotate panel (issue 22): the article's sentences, the annotator's labels and the
// scheme live here, in the browser; a key moves on at once, and each answer is an event
// with this tab's sequence number, kept in sessionStorage until the server acknowledges it.
// Article text, notes, labels and messages are set with textContent only, never as markup.

const STORE = "ca-panel";
const RESEND_MS = 2000; // an unacknowledged answer is sent again after this long
let view = null; // what the server sent last, and the tab's own state on top of it
let send = null;
let keep = null;
let timer = null;

function load() {
  const saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
  if (saved && saved.tab) return saved;
  const tab = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + "-tab");
  // `typed` (input key -> text) and `toggled` (sentence id -> switch) wait for an answer; kept
  // here, they survive a visit to another page and a reload, like the queue.
  return { tab, next: 1, queue: [], typed: {}, toggled: {} };
}

function store(tabState) {
  sessionStorage.setItem(STORE, JSON.stringify(tabState));
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function child(parent, tag, className) {
  return parent.appendChild(el(tag, className));
}

function field(parent, className, inputClass) {
  const label = child(parent, "label", "ca-field " + className);
  child(label, "span", inputClass + "-label");
  return child(label, "input", inputClass);
}

function build(root) {
  // Built element by element: the panel never parses markup, not even its own.
  const panel = el("div", "ca-panel");
  panel.dataset.testid = "ca-panel";
  const progress = child(panel, "div", "ca-progress");
  progress.dataset.testid = "ca-progress";
  progress.setAttribute("role", "progressbar");
  const counts = child(progress, "div", "ca-progress-line");
  child(counts, "span", "ca-progress-text");
  child(counts, "span", "ca-pending").setAttribute("aria-live", "polite");
  child(child(progress, "div", "ca-bar"), "div");
  const view = child(panel, "div", "ca-sentence-view");
  child(view, "div", "ca-speaker");
  child(view, "div", "ca-context").dataset.testid = "ca-context";
  const line = child(view, "div", "ca-line");
  child(line, "span", "ca-your-label");
  const accept = child(line, "button", "ca-accept");
  accept.type = "button";
  child(view, "div", "ca-status").dataset.testid = "ca-status";
  child(view, "div", "ca-row ca-labels");
  const dates = child(view, "div", "ca-row ca-date-row");
  const toggle = child(dates, "button", "ca-date-bound");
  toggle.type = "button";
  const asOf = field(dates, "", "ca-as-of");
  asOf.maxLength = 10;
  asOf.placeholder = "YYYY-MM-DD";
  field(view, "ca-note-field", "ca-note");
  child(view, "div", "ca-row ca-nav");
  root.appendChild(panel);
  return panel;
}

function button(row, name, text, key) {
  const node = el("button", "ca-button", text);
  node.type = "button";
  node.dataset.name = name;
  hint(node, key);
  row.appendChild(node);
  return node;
}

function hint(node, key) {
  // The key, shown on the button as Streamlit shows a shortcut; not part of its name.
  if (key === undefined || key === null) return;
  const kbd = el("kbd", "ca-kbd", keyName(key));
  kbd.setAttribute("aria-hidden", "true");
  node.appendChild(kbd);
}

function fresh(data, old) {
  const sameArticle = old && old.data.article === data.article;
  const moved = !old || old.data.jump !== data.jump || !sameArticle;
  const tabState = old ? old.tabState : load();
  return {
    data,
    position: moved ? data.position : old.position,
    toggled: tabState.toggled,
    typed: tabState.typed,
    refused: sameArticle ? old.refused : {},
    lastSaved: sameArticle ? old.lastSaved : null,
    shownAt: moved ? performance.now() : old.shownAt,
    tabState,
  };
}

function body() {
  return view.data.body;
}

function current() {
  return body()[view.position];
}

function pendingFor(sentenceId) {
  const queue = view.tabState.queue.filter((e) => e.sentence === sentenceId);
  return queue.length ? queue[queue.length - 1] : null;
}

function labelOf(sentenceId) {
  // What the annotator sees as their answer: the newest unacknowledged one, else the saved.
  const pending = pendingFor(sentenceId);
  if (pending) return pending;
  return view.data.labels[String(sentenceId)] || null;
}

function labelText(label) {
  if (!label) return "not labelled";
  if (label.skipped || label.claim_type === null) return "skipped";
  const type = view.data.scheme.types.find((t) => t.value === label.claim_type);
  const parts = [type ? type.label : label.claim_type];
  if (label.date_bound) parts.push(label.as_of ? "date-bound (" + label.as_of + ")" : "date-bound");
  return parts.join(" · ");
}

function choice(sentence) {
  const label = labelOf(sentence.id);
  const [suggests, suggestedAsOf] = sentence.date_bound;
  const asOf = label && label.as_of ? label.as_of : suggestedAsOf;
  if (sentence.id in view.toggled) return { on: view.toggled[sentence.id], suggested: false, asOf };
  if (label) {
    const on = label.claim_type === view.data.scheme.date_bound_applies_to && !!label.date_bound;
    return { on, suggested: false, asOf };
  }
  return { on: !!suggests, suggested: suggests !== null, asOf };
}

function typedOr(key, saved) {
  return key in view.typed ? view.typed[key] : saved;
}

const AS_OF = /^(\d{4})(-?)(\d{2})\2(\d{2})$/;

function parseAsOf(text) {
  text = text.trim();
  if (!text) return null;
  const match = AS_OF.exec(text);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[3]), Number(match[4])];
    const day = new Date(Date.UTC(y, m - 1, d));
    if (y >= 1 && day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d) {
      return match[1] + "-" + match[3] + "-" + match[4];
    }
  }
  throw new Error("as of '" + text.slice(0, 40) + "' is not a date: type it as YYYY-MM-DD");
}

function answerFor(sentence, claimType, skipped) {
  // The answer as the panel shows it: the switch (a suggestion included), the typed date, the note.
  const label = labelOf(sentence.id);
  const note = typedOr("note_" + sentence.id, label ? label.note : "");
  if (skipped) return { claim_type: null, skipped: true, date_bound: null, as_of: null, note };
  const on = choice(sentence);
  if (!on.on) return { claim_type: claimType, skipped: false, date_bound: false, as_of: null, note };
  const typed = typedOr("as_of_" + sentence.id, "");
  const asOf = typed ? parseAsOf(typed) : on.asOf;
  return { claim_type: claimType, skipped: false, date_bound: true, as_of: asOf, note };
}

function enqueue(sentence, answer, later) {
  const tabState = view.tabState;
  const earlier = pendingFor(sentence.id);
  const saved = view.data.labels[String(sentence.id)];
  const isCurrent = current() && current().id === sentence.id;
  const event = Object.assign({}, answer, {
    seq: tabState.next,
    sentence: sentence.id,
    seconds: isCurrent ? (performance.now() - view.shownAt) / 1000 : 0,
    seen: earlier ? null : saved ? saved.updated_at : null,
    after: earlier ? earlier.seq : null,
  });
  tabState.next += 1;
  tabState.queue.push(event);
  delete view.toggled[sentence.id];
  delete view.typed["note_" + sentence.id];
  delete view.typed["as_of_" + sentence.id];
  store(tabState);
  delete view.refused[sentence.id];
  view.lastSaved = sentence.id;
  if (!later) flush(true);
}

function flush(now) {
  // Send every unacknowledged answer (not just the newest): a replay is harmless.
  const tabState = view.tabState;
  // Nothing to send, or the panel is off the page (signed out, another page): it sends again
  // when it is mounted next.
  if (!tabState.queue.length || !send || !view.panel.isConnected) return;
  if (!now && performance.now() - (view.sentAt || 0) < RESEND_MS) return;
  view.sentAt = performance.now();
  send("answers", { tab: tabState.tab, events: tabState.queue, position: where() });
}

function acknowledge(acks) {
  const tabState = view.tabState;
  const before = tabState.queue.length;
  tabState.queue = tabState.queue.filter((event) => {
    const ack = acks[String(event.seq)];
    if (!ack || ack.tab !== tabState.tab) return true;
    if (ack.state === "refused") view.refused[event.sentence] = ack.message;
    return false;
  });
  if (tabState.queue.length !== before) store(tabState);
}

function firstUnlabelled() {
  const found = body().findIndex((s) => !labelOf(s.id));
  return found < 0 ? body().length : found;
}

function afterAnswer(position) {
  // The next unlabelled sentence after this one, else the summary (navigation.after_answer).
  const ids = body();
  for (let i = position + 1; i < ids.length; i++) if (!labelOf(ids[i].id)) return i;
  return ids.length;
}

function where() {
  return { article: view.data.article, position: view.position, at: Date.now() };
}

function goTo(position, quiet) {
  // Drawn here at once; the server hears of it after (it shows the summary at the end, and
  // signs out a tab whose account was disabled on its next key, even a move). After an
  // answer the move travels with the answer (`quiet`).
  view.position = Math.max(0, Math.min(position, body().length));
  view.shownAt = performance.now();
  render();
  if (!quiet) keep("position", where());
}

function answer(claimType, skipped) {
  const sentence = current();
  if (!sentence) return;
  let given;
  try {
    given = answerFor(sentence, claimType, skipped);
  } catch (error) {
    view.message = "Not saved: " + error.message;
    render();
    return;
  }
  view.message = "";
  enqueue(sentence, given, true);
  goTo(afterAnswer(view.position), true);
  flush(true);
}

function resave(sentence) {
  // A change to a labelled sentence (the switch, the note, the date) is saved at once.
  const label = labelOf(sentence.id);
  if (!label) return render();
  try {
    enqueue(sentence, answerFor(sentence, label.claim_type, label.skipped));
    view.message = "";
  } catch (error) {
    view.message = "Not saved: " + error.message;
  }
  render();
}

function toggleDateBound() {
  const sentence = current();
  if (!sentence || view.data.scheme.date_bound_applies_to === null) return;
  view.toggled[sentence.id] = !choice(sentence).on;
  store(view.tabState);
  const label = labelOf(sentence.id);
  if (label && label.claim_type !== null) resave(sentence);
  else render();
}

function numberOf(sentenceId) {
  return body().findIndex((s) => s.id === sentenceId) + 1;
}

function renderProgress(panel) {
  const all = body();
  const done = all.filter((s) => labelOf(s.id)).length;
  const position = Math.min(view.position + 1, all.length);
  const total = view.data.work_total;
  const newHere = all.filter((s) => labelOf(s.id) && !view.data.labels[String(s.id)]).length;
  const overall = total ? " · " + (view.data.done_overall + newHere).toLocaleString("en") +
    " of " + total.toLocaleString("en") + " overall" : "";
  const pending = view.tabState.queue.length;
  const box = panel.querySelector(".ca-progress");
  box.querySelector(".ca-progress-text").textContent = "Sentence " + position + " of " + all.length +
    " · " + done + " of " + all.length + " labelled in this article" + overall;
  box.querySelector(".ca-bar div").style.width = (100 * done / all.length) + "%";
  box.setAttribute("aria-valuenow", String(done));
  box.setAttribute("aria-valuemax", String(all.length));
  box.querySelector(".ca-pending").textContent = pending ? " · " + pending + " saving…" : "";
  panel.dataset.pending = String(pending);
}

function renderContext(box, sentence) {
  box.textContent = "";
  const [start, stop] = sentence.window;
  const all = view.data.sentences;
  for (let i = start; i < stop; i++) {
    const s = all[i];
    if (i > start) box.appendChild(document.createTextNode(s.gap));
    if (s.id === sentence.id) {
      const mark = el("mark");
      mark.dataset.testid = "ca-current";
      mark.dataset.sentence = String(s.id);
      for (const [text, title] of sentence.pieces) {
        if (title === null) mark.appendChild(document.createTextNode(text));
        else {
          const time = el("span", "ca-time", text);
          time.title = title;
          mark.appendChild(time);
        }
      }
      box.appendChild(mark);
      continue;
    }
    const label = labelOf(s.id);
    if (!label) {
      box.appendChild(document.createTextNode(s.text));
      continue;
    }
    const skipped = label.skipped;
    const span = el("span", skipped ? "ca-skipped" : "ca-done", s.text);
    span.title = skipped ? "skipped" : "labelled";
    if (view.refused[s.id]) span.classList.add("ca-refused");
    box.appendChild(span);
  }
  const mark = box.querySelector("mark");
  const inBox = box.getBoundingClientRect();
  const at = mark.getBoundingClientRect();
  if (at.top < inBox.top || at.bottom > inBox.bottom) box.scrollTop += at.top - inBox.top - 8;
}

function stateText(sentence) {
  if (view.refused[sentence.id]) return " · refused: " + view.refused[sentence.id];
  if (pendingFor(sentence.id)) return " · saving…";
  if (view.data.labels[String(sentence.id)]) return " · saved";
  return "";
}

function savedNote(sentence) {
  // The latest answer given here, while another sentence is on screen: saved, on its way, or refused.
  const id = view.lastSaved;
  if (id === null || id === sentence.id || !labelOf(id)) return "";
  if (view.refused[id]) return " · ✗ sentence " + numberOf(id) + " refused (← to see why)";
  const text = labelText(labelOf(id));
  if (pendingFor(id)) return " · sentence " + numberOf(id) + " saving as " + text + "…";
  return " · ✓ sentence " + numberOf(id) + " saved as " + text + " (← to change it)";
}

function renderSentence(panel, sentence) {
  const scheme = view.data.scheme;
  const keys = view.data.keys;
  const label = labelOf(sentence.id);
  const speaker = panel.querySelector(".ca-speaker");
  speaker.textContent = sentence.speaker ? "Speaker: " + sentence.speaker : "";
  renderContext(panel.querySelector(".ca-context"), sentence);
  panel.querySelector(".ca-your-label").textContent =
    "Your label: " + labelText(label) + stateText(sentence) + savedNote(sentence);
  const model = sentence.model;
  const accept = panel.querySelector(".ca-accept");
  const preselected = model && model.mode === "preselected" && !label;
  accept.hidden = !preselected;
  if (preselected) {
    const type = scheme.types.find((t) => t.value === model.answer);
    accept.textContent = "Accept " + type.label;
    hint(accept, keys.accept);
    accept.title = suggestedBy(model);
    accept.onclick = () => answer(model.answer, false);
  }
  const status = panel.querySelector(".ca-status");
  status.textContent = view.message || "";
  status.setAttribute("role", view.message ? "alert" : "status");
  const row = panel.querySelector(".ca-labels");
  row.textContent = "";
  for (const type of scheme.types) {
    const suggested = model && model.answer === type.value;
    const text = suggested ? type.label + " · " + Math.round(model.confidence * 100) + "%" : type.label;
    const node = button(row, "type_" + type.value, text, type.key);
    node.classList.toggle("ca-primary", !!label && label.claim_type === type.value);
    if (suggested) {
      const icon = el("span", "ca-icon", "✦ ");
      icon.setAttribute("aria-hidden", "true"); // the button's name stays the label's
      node.prepend(icon);
    }
    node.title = suggested ? suggestedBy(model) : "Key " + type.key.toUpperCase();
    node.onclick = () => answer(type.value, false);
  }
  const dateRow = panel.querySelector(".ca-date-row");
  dateRow.hidden = scheme.date_bound_applies_to === null;
  const on = choice(sentence);
  const toggle = panel.querySelector(".ca-date-bound");
  toggle.textContent = "Date-bound: " + (on.on ? "yes" : "no") + (on.suggested ? " (suggested)" : "");
  hint(toggle, keys.date_bound);
  toggle.onclick = toggleDateBound;
  const asOfKey = "as_of_" + sentence.id;
  const asOf = panel.querySelector(".ca-as-of");
  panel.querySelector(".ca-as-of-label").textContent = "As of · " + keyName(keys.as_of);
  asOf.setAttribute("aria-label", "As of · " + keyName(keys.as_of));
  asOf.disabled = !on.on;
  asOf.dataset.key = asOfKey;
  setValue(asOf, typedOr(asOfKey, on.asOf || ""));
  const noteKey = "note_" + sentence.id;
  const note = panel.querySelector(".ca-note");
  const noteLabel = "Note · " + keyName(keys.note) + " (also the reason when you skip)";
  panel.querySelector(".ca-note-label").textContent = noteLabel;
  note.setAttribute("aria-label", noteLabel);
  note.dataset.key = noteKey;
  setValue(note, typedOr(noteKey, label ? label.note : ""));
  renderNav(panel.querySelector(".ca-nav"));
}

function setValue(input, value) {
  // Never under the annotator's fingers: an acknowledgement may arrive while they type.
  if (document.activeElement !== input) input.value = value;
}

function renderNav(row) {
  row.textContent = "";
  const keys = view.data.keys; // ← and → are already on their buttons
  const back = button(row, "back", "← Back");
  back.setAttribute("aria-label", "Back");
  back.disabled = view.position === 0;
  back.onclick = () => goTo(view.position - 1);
  const skip = button(row, "skip", "Skip", keys.skip);
  skip.onclick = () => answer(null, true);
  const next = button(row, "next", "Next →");
  next.setAttribute("aria-label", "Next");
  next.onclick = () => goTo(view.position + 1);
  const first = button(row, "first_unlabelled", "Unlabelled", keys.unlabelled);
  first.title = "The first unlabelled sentence of this article";
  first.onclick = () => goTo(firstUnlabelled());
}

function suggestedBy(model) {
  return "Suggested by model " + model.model + ", " + Math.round(model.confidence * 100) + "% sure";
}

function keyName(key) {
  const names = { ArrowLeft: "←", ArrowRight: "→", Enter: "Enter", Home: "Home" };
  if (key === null) return "—";
  return names[key] || key.toUpperCase();
}

function render() {
  const panel = view.panel;
  renderProgress(panel);
  const sentence = current();
  panel.querySelector(".ca-sentence-view").hidden = !sentence;
  if (sentence) renderSentence(panel, sentence);
  else panel.querySelector(".ca-context").textContent = ""; // the summary: no current sentence
}

function editing(target) {
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function leaveInput(event) {
  const target = event.target;
  const key = target.dataset && target.dataset.key;
  if (!key || !target.closest(".ca-panel")) return;
  if (event.key === "Enter" || event.key === "Escape") {
    event.preventDefault();
    target.blur();
  }
}

function onInputDone(event) {
  const target = event.target;
  const key = target.dataset && target.dataset.key;
  if (!key || !view || !current()) return;
  const sentence = current();
  const label = labelOf(sentence.id);
  const saved = key.startsWith("note_") ? (label ? label.note : "") : (choice(sentence).asOf || "");
  if (target.value === typedOr(key, saved)) return;
  view.typed[key] = target.value;
  store(view.tabState);
  if (label) resave(sentence);
}

function onKey(event) {
  if (!view || !view.panel.isConnected) return;
  if (event.target.closest && event.target.closest('[data-testid="stDataFrame"]')) return;
  if (editing(event.target)) return leaveInput(event);
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.repeat) {
    // A held key acts once: its repeats would label sentences nobody has read.
    event.preventDefault();
    event.stopImmediatePropagation();
    return;
  }
  const action = actionFor(event.key.length === 1 ? event.key.toLowerCase() : event.key);
  if (!action) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  action();
}

function actionFor(key) {
  const keys = view.data.keys;
  const sentence = current();
  const atSummary = !sentence;
  if (key === keys.back) return view.position > 0 ? () => goTo(view.position - 1) : null;
  if (key === keys.unlabelled || key === keys.unlabelled_alt) return () => goTo(firstUnlabelled());
  if (atSummary) return null;
  const type = view.data.scheme.types.find((t) => t.key === key);
  if (type) return () => answer(type.value, false);
  if (key === keys.skip) return () => answer(null, true);
  if (key === keys.next) return () => goTo(view.position + 1);
  if (key === keys.date_bound && view.data.scheme.date_bound_applies_to !== null) return toggleDateBound;
  if (key === keys.as_of && view.data.scheme.date_bound_applies_to !== null) return () => focus(".ca-as-of");
  if (key === keys.note) return () => focus(".ca-note");
  const model = sentence.model;
  if (key === keys.accept && model && model.mode === "preselected" && !labelOf(sentence.id)) {
    return () => answer(model.answer, false);
  }
  return null;
}

function focus(selector) {
  const input = view.panel.querySelector(selector);
  if (!input.disabled) input.focus();
}

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  send = setTriggerValue;
  keep = setStateValue;
  const old = view && view.panel.isConnected && view.panel.parentNode === parentElement ? view : null;
  view = fresh(data, old);
  view.panel = old ? old.panel : build(parentElement);
  view.message = old && old.data.article === data.article ? old.message : "";
  acknowledge(data.acks);
  if (!old && current() && labelOf(current().id)) {
    // After a reload the server opened the article where its saved labels stop; the answers
    // this tab still holds go further.
    goTo(afterAnswer(view.position));
  }
  render();
  if (!old) flush(true); // a reload or a new mount: replay what was never acknowledged
  if (!timer) timer = setInterval(() => view && flush(false), RESEND_MS);
  if (!window.caPanelKeys) {
    window.caPanelKeys = true;
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("change", onInputDone, true);
  }
}

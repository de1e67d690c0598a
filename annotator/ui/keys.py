"""The annotate page's keys: which key does what, the list the `?` key shows, and the one
small script for the sidebar.

The annotate panel (`annotator/ui/panel.py`) handles every key of the sentence itself, at
document level. The sidebar's script opens and closes the keys list (`?`, `Esc`), gives the
keys back to the page after a sidebar selector closes, and keeps keys typed in the review
table in the table. It is a constant plus a JSON map of constants, so nothing an article or
a scheme contains can reach it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st

from annotator.scheme import Scheme

DATE_BOUND = "d"
SKIP = "s"
BACK = "left"
NEXT = "right"
NEXT_ARTICLE = "enter"
ACCEPT = "enter"  # accepts a preselected suggestion (a sentence never shows the summary's button)
HELP = "?"
CLOSE = "Escape"  # closes the keys list when it is open
# The scheme's label keys come first; an action whose first key a scheme uses takes the next.
AS_OF_KEYS = ("a", "o")
NOTE_KEYS = ("n", "e")
UNLABELLED_KEYS = ("u", "home")

HELP_BOX = "ca_help"  # the keys list's expander: the script finds it by its class st-key-ca_help
NAMES = {"left": "←", "right": "→", "enter": "Enter", "home": "Home"}


@dataclass(frozen=True)
class PageKeys:
    """The keys of the actions that are not labels (None: the scheme took every candidate)."""

    as_of: str | None
    note: str | None
    unlabelled: str | None


def page_keys(scheme: Scheme) -> PageKeys:
    """The page's own keys for a scheme: each action's first key that no label uses."""
    taken = {c.key for c in scheme.claim_types}

    def free(candidates: tuple[str, ...]) -> str | None:
        return next((key for key in candidates if key not in taken), None)

    return PageKeys(free(AS_OF_KEYS), free(NOTE_KEYS), free(UNLABELLED_KEYS))


def key_name(key: str | None) -> str:
    """How a key is written for people: `D`, `←`, `Enter`; `—` for no key."""
    if key is None:
        return "—"
    return NAMES.get(key, key.upper())


def key_rows(scheme: Scheme, keys: PageKeys) -> list[tuple[str, str]]:
    """Every key of the annotate page with what it does, in the order an annotator meets them."""
    rows = [
        (key_name(c.key), f"{c.label} (saves, then the next unlabelled sentence)")
        for c in scheme.claim_types
    ]
    if scheme.date_bound_applies_to is not None:
        rows += [
            (key_name(DATE_BOUND), "Date-bound on/off"),
            (key_name(keys.as_of), "Type the as-of date (when date-bound); Enter or Esc returns"),
        ]
    return [
        *rows,
        (key_name(keys.note), "Type a note; Enter, Ctrl+Enter or Esc returns"),
        (key_name(SKIP), "Skip (the note is the reason)"),
        (key_name(BACK), "Back one sentence (to change an answer: go back, answer again)"),
        (key_name(NEXT), "Next sentence (without labelling)"),
        (key_name(keys.unlabelled), "Jump to the first unlabelled sentence of the article"),
        (key_name(ACCEPT), "Accept the suggested answer (when the project preselects one)"),
        (key_name(NEXT_ARTICLE), "Next article (on the article-finished summary)"),
        (key_name(HELP), "Show or hide these keys and the label definitions (Esc hides)"),
    ]


def script_config() -> dict[str, object]:
    """What the sidebar's script needs: the keys that open and close the keys list, and the
    review table whose keys are its own. Constants only."""
    return {
        "keys": {
            HELP: f".st-key-{HELP_BOX} summary",
            CLOSE: f".st-key-{HELP_BOX} details[open] summary",
        },
        "table": '[data-testid="stDataFrame"]',
    }


SCRIPT = """<script>
(function () {
  window.caKeys = %s;
  if (window.caKeysInstalled) return;
  window.caKeysInstalled = true;
  function editing(target) {
    return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
  }
  function reveal(summary, before, last, tries) {
    // Scroll the opened keys list into view once the sidebar has grown and stopped growing
    // (the expander animates open; the sidebar cannot scroll to what is not drawn yet).
    var pane = summary.closest('[data-testid="stSidebarContent"]');
    var height = pane ? pane.scrollHeight : 0;
    if (height > before && height === last) {
      summary.scrollIntoView({block: "start"});
    } else if (tries > 0) {
      setTimeout(function () { reveal(summary, before, height, tries - 1); }, 60);
    }
  }
  document.addEventListener("keydown", function (event) {
    if (editing(event.target) || event.repeat) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var selector = window.caKeys.keys[event.key];
    var summary = selector && document.querySelector(selector);
    if (!summary) return;
    event.preventDefault();
    event.stopPropagation();
    // The keys list is at the foot of the sidebar, below the fold for a lead: bring it into view.
    var pane = summary.closest('[data-testid="stSidebarContent"]');
    var opening = !summary.closest("details").open;
    var before = pane ? pane.scrollHeight : 0;
    summary.click();
    if (opening) reveal(summary, before, -1, 50);
  }, true);
  // A sidebar selector keeps the focus once its menu closes (an article or project chosen,
  // or Esc): give it back to the page, so the next key labels instead of searching the list.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      var box = change.target;
      if (change.oldValue === "true" && box.getAttribute("aria-expanded") === "false" &&
          box === document.activeElement && box.closest('[data-testid="stSidebar"]')) {
        setTimeout(function () { box.blur(); }, 0);
      }
    });
  }).observe(document.body, {
    subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["aria-expanded"]
  });
  // A click on the keys list's heading leaves the focus there, where Enter would fold the
  // list: give it back to the page, as the sidebar's selectors do.
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest(window.caKeys.keys["?"]);
    if (summary) setTimeout(function () { summary.blur(); }, 0);
  }, true);
  document.body.addEventListener("keydown", function (event) {
    // Keys typed in the review table belong to the table, not to the page's shortcuts.
    if (event.target.closest && event.target.closest(window.caKeys.table)) {
      event.stopPropagation();
    }
  });
})();
</script>"""


def script() -> str:
    """The sidebar's key script with its configuration filled in."""
    config = json.dumps(script_config()).replace("<", "\\u003c")
    return SCRIPT % config


def install() -> None:
    """Put the key script on the page (it installs its listeners once per browser tab)."""
    st.html(script(), unsafe_allow_javascript=True)

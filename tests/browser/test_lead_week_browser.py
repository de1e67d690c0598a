"""In Chromium, a lead's week (issue 18, items 11 to 13), on one server: Adjudicate starts the
gold form from the annotators' answers, in YYYY-MM-DD, and names the sentence it settled (in
view, under its buttons); the Assign form starts empty after assigning, and the Users and
Progress pages show each outcome by the form that produced it; the pages read as words, and the
heat map's numbers can be read on every cell in the light and the dark theme."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from annotator.services import accounts, labelling
from annotator.services.labelling import LabelInput
from tests.browser.pages import WAIT_MS, choose_project, open_page, settle, signed_in
from tests.conftest import PASSWORD, open_session
from tests.teams import MOST_DISPUTED, TEAM_PROJECT, build_team_project

pytestmark = pytest.mark.browser
AS_OF = "2024-03-01"  # ann's as-of date for the most disputed sentence, which she calls factual
HEIGHT = 700  # px: the Users and Progress pages are taller, their forms at the bottom
IN_VIEW = (
    "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
)
HEAT_MAP_CELLS = """chart => [...chart.querySelectorAll('.layer_1_marks text')].map(text => {
    const box = text.getBoundingClientRect(), x = box.x + box.width / 2, y = box.y + box.height / 2;
    const cell = [...chart.querySelectorAll('.layer_0_marks path')].find(rect => {
        const r = rect.getBoundingClientRect();
        return r.left <= x && x <= r.right && r.top <= y && y <= r.bottom;
    });
    return [text.textContent, getComputedStyle(text).fill, getComputedStyle(cell).fill];
})"""


@pytest.fixture(scope="module")
def lead_week(module_app_server: tuple[str, str]) -> str:
    """The server's URL, on the team project (tests/teams.py) where ann's answer to the most
    disputed sentence is factual and date-bound as of AS_OF, and with an annotator `dan` who
    is not in the project yet."""
    url, db_url = module_app_server
    sentences = build_team_project(db_url)
    with open_session(db_url) as session:
        ann = accounts.authenticate(session, "ann", PASSWORD)
        dated = LabelInput("factual", date_bound=True, as_of=dt.date.fromisoformat(AS_OF))
        labelling.save_label(session, ann, sentences[MOST_DISPUTED], dated, 2.0)
        accounts.create_user(session, "dan", "annotator", PASSWORD)
    return url


def test_adjudicate_starts_from_the_answers_in_iso_dates_and_names_the_sentence_it_settled(
    lead_week: str, browser: Any
) -> None:
    lead = signed_in(browser, lead_week, "lena", TEAM_PROJECT)
    open_page(lead, "Adjudicate")
    date_bound = lead.get_by_role("checkbox", name=re.compile("^Date-bound"))
    as_of = lead.get_by_role("group", name="As of")
    assert date_bound.is_checked()  # the only factual answer says date-bound
    assert _date(as_of) == AS_OF  # hers, as YYYY-MM-DD: not today, not YYYY/MM/DD
    _click_and_settle(lead, date_bound)
    assert as_of.count() == 0  # no as-of date for an answer that is not date-bound
    _click_and_settle(lead, date_bound)
    lead.get_by_role("button", name=re.compile("^Factual claim")).click()
    confirmation = lead.get_by_text("Gold set for")
    confirmation.wait_for(timeout=WAIT_MS)
    assert confirmation.inner_text() == (
        "Gold set for sentence 3 of “Pak-Russia alliance against terrorism” (“An agreement was "
        "concluded for expansion of cooperation…”): Factual claim · date-bound (as of "
        f"{AS_OF})."
    )
    settle(lead)
    assert confirmation.evaluate(IN_VIEW)  # by the buttons, not at the top of a long page
    # The next disputed sentence: its factual answers say "not date-bound".
    assert not date_bound.is_checked() and as_of.count() == 0


def test_forms_show_their_outcome_in_view_assign_starts_empty_and_the_pages_read_as_words(
    lead_week: str, browser: Any
) -> None:
    admin = signed_in(browser, lead_week, "admin", height=HEIGHT)
    open_page(admin, "Users")
    admin.get_by_label("User name").fill("eve")
    admin.get_by_label("Password", exact=True).fill(PASSWORD)
    _submit_at_the_bottom(admin, "Create account")
    assert _shown_by(admin, "Created annotator eve.", "Create account")

    choose_project(admin, TEAM_PROJECT)  # the lead's pages, which an admin has too
    open_page(admin, "Progress")
    headers = admin.get_by_test_id("stDataFrame").first.locator("th")  # in the grid's canvas
    headers.first.wait_for(state="attached", timeout=WAIT_MS)
    assert headers.all_text_contents()[-2:] == ["sentences per hour", "median seconds"]
    chooser = admin.get_by_test_id("stMultiSelect")
    chooser.get_by_role("combobox").click()
    chooser.get_by_role("combobox").press("ArrowDown")  # opens the list
    admin.get_by_role("option", name="dan", exact=True).click()
    admin.keyboard.press("Escape")
    settle(admin)
    _submit_at_the_bottom(admin, "Assign")
    assert _shown_by(admin, re.compile("new assignments?, "), "Assign")
    assert chooser.locator("[data-tag]").count() == 0  # no names left chosen

    open_page(admin, "Agreement")
    assert admin.get_by_role("tab").all_inner_texts() == ["Claim type", "Date-bound"]
    for theme in ("light", "dark"):
        _use_theme(admin, theme)
        cells = admin.get_by_test_id("stVegaLiteChart").first.evaluate(HEAT_MAP_CELLS)
        faint = [
            (number, ink, paper) for number, ink, paper in cells if _contrast(ink, paper) < 4.5
        ]
        assert len(cells) == 9 and not faint, (theme, faint)  # WCAG AA for text: 4.5


def _date(field: Any) -> str:
    """What a date field shows (its parts are separate elements)."""
    return re.sub(r"\s", "", field.inner_text())


def _click_and_settle(page: Any, locator: Any) -> None:
    locator.click(force=True)  # Streamlit's checkbox input is drawn over by its label
    settle(page)


def _submit_at_the_bottom(page: Any, button: str) -> None:
    """Scroll to the end of the page, as one does to reach its last form, and press `button`."""
    page.get_by_role("button", name=button, exact=True).scroll_into_view_if_needed()
    page.mouse.wheel(0, 5_000)
    page.wait_for_timeout(300)
    page.get_by_role("button", name=button, exact=True).click()


def _shown_by(page: Any, text: str | re.Pattern[str], button: str) -> bool:
    """Whether the message reading `text` appears in the window together with the `button`
    that produced it, without scrolling."""
    message = page.get_by_test_id("stAlert").filter(has_text=text)
    message.wait_for(timeout=WAIT_MS)
    settle(page)
    pressed = page.get_by_role("button", name=button, exact=True)
    return bool(message.evaluate(IN_VIEW) and pressed.evaluate(IN_VIEW))


def _use_theme(page: Any, theme: str) -> None:
    """Switch the browser's colour scheme (Streamlit follows it) and wait for the chart to be
    drawn again in it."""
    label = page.locator("[data-testid=stVegaLiteChart] .role-axis-label text").first
    before = label.evaluate("e => getComputedStyle(e).fill")
    page.emulate_media(color_scheme=theme)
    if theme != "light":
        page.wait_for_function(
            "before => getComputedStyle(document.querySelector("
            "'[data-testid=stVegaLiteChart] .role-axis-label text')).fill !== before",
            arg=before,
            timeout=WAIT_MS,
        )
    settle(page)


def _contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS `rgb(...)` colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    red, green, blue = (int(c) / 255 for c in re.findall(r"\d+", colour)[:3])
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

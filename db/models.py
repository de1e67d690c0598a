"""The tables: users and their login sessions, projects, articles, sentences, labels, gold
labels and their histories."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    desc,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime

ROLES = ("admin", "lead", "annotator")
SENTENCE_ROLES = ("body", "title", "meta", "caption", "related", "boilerplate")
GOLD_POLICIES = ("unanimous", "majority")
OUTCOME_STATUSES = ("pending", "disputed", "gold")
GOLD_METHODS = ("unanimous", "majority", "adjudicated")
SUGGESTION_MODES = ("off", "shown", "preselected")  # a project's setting (NULL: by overlap)
SHOWN_MODES = ("shown", "preselected")  # what a label records that its annotator was shown
ARTICLE_ORDERS = ("import", "uncertain")  # the order work goes out in (a project's setting)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class User(Base):
    """An account: admin, lead or annotator. `email` (lower case, unique) is the address it
    signs in with through the organisation's provider (docs/sign-in.md); None: passwords only."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        Index("uq_users_email", "email", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    email: Mapped[str | None] = mapped_column(String(254))


class LoginSession(Base):
    """One sign-in of one browser tab, live until `ended_at` is set: by logging out in that
    browser, a change or reset of the account's password, or the account being disabled.

    The tab keeps a random token in its Streamlit session state; only the token's SHA-256 is
    stored (`token_hash`, looked up on every run of the tab). `browser_key` is a SHA-256 of
    what identifies the browser (its XSRF cookie), so that a logout ends the user's other tabs
    in that browser too, and so that a reload or a new tab resumes the browser's session.

    `created_at` is when the user signed in (a resumed tab's row copies it: the lifetime runs
    from the sign-in). `sign_in_key` marks a session started by a sign-in at the organisation's
    provider, which starts at most one (see services/sessions.py).
    """

    __tablename__ = "login_sessions"
    __table_args__ = (
        Index("ix_login_sessions_user_id_browser_key", "user_id", "browser_key"),
        Index("ix_login_sessions_browser_key", "browser_key"),
        Index("ix_login_sessions_sign_in_key", "sign_in_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    browser_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    sign_in_key: Mapped[str | None] = mapped_column(String(64))


class Project(Base):
    """A body of articles labelled with one scheme; `n_body` is kept up to date on import."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("overlap >= 1", name="overlap_positive"),
        CheckConstraint(_in("gold_policy", GOLD_POLICIES), name="gold_policy"),
        CheckConstraint("gold_min_votes >= 1", name="gold_min_votes_positive"),
        CheckConstraint(
            f"suggestions IS NULL OR {_in('suggestions', SUGGESTION_MODES)}", name="suggestions"
        ),
        CheckConstraint("retrain_every >= 0", name="retrain_every_nonnegative"),
        CheckConstraint(_in("article_order", ARTICLE_ORDERS), name="article_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    scheme: Mapped[str] = mapped_column(String(64), default="claims-v1")
    overlap: Mapped[int] = mapped_column(Integer, default=1)
    guidelines: Mapped[str] = mapped_column(Text, default="")
    n_body: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    scheme_json: Mapped[str] = mapped_column(Text, default="", server_default="")
    gold_policy: Mapped[str] = mapped_column(
        String(16), default="unanimous", server_default="unanimous"
    )
    gold_min_votes: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Model suggestions on the annotate page (issue 21): NULL means `shown` for a project with
    # overlap 1 and `off` for a project whose agreement they could sway.
    suggestions: Mapped[str | None] = mapped_column(String(16))
    retrain_every: Mapped[int] = mapped_column(Integer, default=200, server_default="200")
    # The order `assign` and `claim_next` hand out articles in (issue 21): `import`, or
    # `uncertain` (the model's least sure first, from `article_uncertainties`).
    article_order: Mapped[str] = mapped_column(
        String(16), default="import", server_default="import"
    )


class ProjectMember(Base):
    """A user's part in a project: `lead` (manages it) or `annotator` (gets work in it)."""

    __tablename__ = "project_members"
    __table_args__ = (
        UniqueConstraint("project_id", "user_id"),
        CheckConstraint("role IN ('lead', 'annotator')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Article(Base):
    """One imported article: the original text, unchanged, and what was parsed from it."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("project_id", "content_hash"),
        UniqueConstraint("project_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    published_raw: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(Text)
    n_sentences: Mapped[int] = mapped_column(Integer)
    n_body: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    n_assigned: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ArticleOriginal(Base):
    """The file an article's text was extracted from, kept byte for byte: the HTML of a web
    page (its text is trafilatura's extraction). Kept apart from `articles`, so that reading
    an article never loads a page of markup."""

    __tablename__ = "article_originals"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Assignment(Base):
    """One whole article handed to one annotator (each article goes to `overlap` of them)."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("article_id", "annotator_id"),
        Index("ix_assignments_annotator_id_project_id", "annotator_id", "project_id", "article_id"),
        Index("ix_assignments_project_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Sentence(Base):
    """A span of an article's text: `article.text[char_start:char_end]`."""

    __tablename__ = "sentences"
    __table_args__ = (
        UniqueConstraint("article_id", "index"),
        CheckConstraint("char_start >= 0 AND char_start < char_end", name="span_valid"),
        CheckConstraint(_in("role", SENTENCE_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str | None] = mapped_column(Text)  # transcripts: who said it


class Label(Base):
    """One annotator's current answer for one sentence; every change also goes to history."""

    __tablename__ = "labels"
    __table_args__ = (
        UniqueConstraint("sentence_id", "annotator_id"),
        Index("ix_labels_annotator_id_sentence_id", "annotator_id", "sentence_id"),
        Index("ix_labels_annotator_id_updated_at", "annotator_id", "updated_at"),
        CheckConstraint("seconds_spent >= 0", name="seconds_nonnegative"),
        CheckConstraint(
            "(skipped AND claim_type IS NULL) OR (NOT skipped AND claim_type IS NOT NULL)",
            name="skipped_xor_type",
        ),
        CheckConstraint(
            f"suggestion_mode IS NULL OR {_in('suggestion_mode', SHOWN_MODES)}",
            name="suggestion_mode",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sentence_id: Mapped[int] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    claim_type: Mapped[str | None] = mapped_column(String(32))
    date_bound: Mapped[bool | None] = mapped_column(Boolean)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds_spent: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # What the annotator was shown when answering (NULL: no suggestion was shown).
    suggestion: Mapped[str | None] = mapped_column(String(32))
    suggestion_confidence: Mapped[float | None] = mapped_column(Float)
    suggestion_model: Mapped[str | None] = mapped_column(String(64))
    suggestion_mode: Mapped[str | None] = mapped_column(String(16))


class LabelHistory(Base):
    """Append-only: who changed which label when, from what to what (JSON of the fields).

    Database triggers (see the migration) refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "label_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id"), index=True)
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)


class LabelEvent(Base):
    """One answer the annotate panel sent, by the browser tab's id and its sequence number:
    a replay of the same event (a reload, a reconnect) finds this row and saves nothing twice.

    `label_updated_at` is the version of the label this event left, so that a later answer
    of the same tab, given before this one was acknowledged, can say which version it saw.
    """

    __tablename__ = "label_events"
    __table_args__ = (UniqueConstraint("annotator_id", "tab", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    tab: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    sentence_id: Mapped[int] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"))
    label_updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Outcome(Base):
    """What a sentence's labels add up to: `pending`, `disputed`, or `gold` (a settled answer).

    One row per sentence with at least one label, kept up to date whenever a label is saved, so
    the adjudication queue and the gold export read an index instead of grouping every label.
    `method` says how a gold answer was decided; `adjudicator_id` is the lead who set it.
    """

    __tablename__ = "outcomes"
    __table_args__ = (
        # The dispute queue's order, so that its first page is read from the index.
        Index(
            "ix_outcomes_project_id_status_queue",
            "project_id",
            "status",
            "agreement",
            desc("n_labels"),
            "sentence_id",
        ),
        CheckConstraint(_in("status", OUTCOME_STATUSES), name="status"),
        CheckConstraint(f"method IS NULL OR {_in('method', GOLD_METHODS)}", name="method"),
        CheckConstraint(
            "(status = 'gold') = (claim_type IS NOT NULL AND method IS NOT NULL)",
            name="gold_has_answer",
        ),
        CheckConstraint(
            "(COALESCE(method, '') = 'adjudicated') = (adjudicator_id IS NOT NULL)",
            name="adjudicator",
        ),
    )

    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentences.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    n_labels: Mapped[int] = mapped_column(Integer)
    agreement: Mapped[float | None] = mapped_column(Float)
    claim_type: Mapped[str | None] = mapped_column(String(32))
    date_bound: Mapped[bool | None] = mapped_column(Boolean)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(16))
    adjudicator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class GoldHistory(Base):
    """Append-only: every change of a sentence's gold answer (JSON; None = no gold).

    `changed_by` is None when the project's policy made the change rather than a person.
    Database triggers (see the migration) refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "gold_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    sentence_id: Mapped[int] = mapped_column(ForeignKey("sentences.id"), index=True)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


VERDICTS = ("true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable")


class FactCheck(Base):
    """One claim in one checker's fact-check queue, and the verdict once given.

    A row is created when a lead assigns the claim (a gold `factual` sentence); `verdict` is
    None while the check is open (again open after a lead re-opens it).
    """

    __tablename__ = "fact_checks"
    __table_args__ = (
        UniqueConstraint("sentence_id", "checker_id"),
        Index("ix_fact_checks_checker_id_project_id", "checker_id", "project_id", "verdict"),
        Index("ix_fact_checks_project_id_verdict", "project_id", "verdict"),
        CheckConstraint(f"verdict IS NULL OR {_in('verdict', VERDICTS)}", name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    sentence_id: Mapped[int] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"))
    checker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    verdict: Mapped[str | None] = mapped_column(String(16))
    evidence_urls: Mapped[str] = mapped_column(Text, default="")  # URLs, space-separated
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    rationale: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class FactCheckHistory(Base):
    """Append-only: every verdict given, changed or re-opened (JSON; None = open).

    Database triggers (see the migration) refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "fact_check_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    fact_check_id: Mapped[int] = mapped_column(ForeignKey("fact_checks.id"), index=True)
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class CheckSetAside(Base):
    """A gold claim a lead chose not to fact-check (issue 21): it leaves the claims waiting for
    a checker, and teaches the check-worthiness model what the desk does not check. Deleting
    the row puts the claim back among the waiting ones."""

    __tablename__ = "check_set_asides"

    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentences.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: command line
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CheckWorth(Base):
    """How check-worthy the project's newest check-worthiness model rates one gold claim that
    has no verdict yet (0 to 1), written when that model is trained, so that a checker's queue
    and the claims waiting for a checker are ordered from an index, never by predicting on a
    page."""

    __tablename__ = "check_worth"
    __table_args__ = (Index("ix_check_worth_project_id_score", "project_id", "score"),)

    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentences.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)


class LabelDayCount(Base):
    """How many current labels one annotator has in one project, by the day last changed.

    Kept up to date with every label write (annotator/services/counts.py) so that the progress
    page sums a few rows per annotator instead of reading every label of the project.
    """

    __tablename__ = "label_day_counts"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    labels: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)


class LabelSecondCount(Base):
    """How many of an annotator's current labels in a project took each whole number of
    seconds: the histogram the progress page takes the median time from."""

    __tablename__ = "label_second_counts"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    second: Mapped[int] = mapped_column(Integer, primary_key=True)
    labels: Mapped[int] = mapped_column(Integer)


class AssignedCount(Base):
    """How many articles, and body sentences in them, one annotator holds in one project.

    Kept up to date by every assignment write (annotator/services/counts.py) so that the
    progress page and the annotate page's "is this project assigned?" read a row per
    annotator instead of every assignment of the project.
    """

    __tablename__ = "assigned_counts"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer)
    sentences: Mapped[int] = mapped_column(Integer)


class ArticleLabelCount(Base):
    """How many body sentences of one article one annotator has labelled or skipped.

    Kept up to date by every label write (annotator/services/counts.py) so that the annotate
    page's article list reads a row per article instead of grouping the annotator's labels.
    """

    __tablename__ = "article_label_counts"

    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    labels: Mapped[int] = mapped_column(Integer)


class OutcomeCount(Base):
    """How many sentences of a project have each outcome status and gold method ('' = none).

    Kept up to date by every outcome write (annotator/services/counts.py) so that the
    adjudication page reads a few rows instead of counting every outcome of the project.
    """

    __tablename__ = "outcome_counts"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    method: Mapped[str] = mapped_column(String(16), primary_key=True)
    sentences: Mapped[int] = mapped_column(Integer)


class LabelChangeCount(Base):
    """How many label changes (rows of `label_history`) one annotator's labels in one project
    have had: the stamp an agreement snapshot is compared with to know whether it is current.

    One row per annotator rather than per project, so that annotators saving at once on
    PostgreSQL do not queue for one counter row.
    """

    __tablename__ = "label_change_counts"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer)


class AgreementSnapshot(Base):
    """The agreement page's figures for one field of one project, as last computed (JSON),
    with the project's label change count at that time: while the count is the same, the page
    shows the snapshot instead of reading every label again."""

    __tablename__ = "agreement_snapshots"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer)
    labels: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    seconds: Mapped[float] = mapped_column(Float)
    report: Mapped[str] = mapped_column(Text)


class Model(Base):
    """A trained model of one field of a project's labels (issue 21), one row per version.

    `content` is the fitted scikit-learn pipeline as joblib wrote it: whoever can write this
    table can run code in the app, as whoever can write any table can change every label;
    the database is trusted as a whole (docs/model.md). `figures` is the JSON of its
    held-out evaluation; `labels_seen` the project's label count when it was trained, from
    which the next automatic retrain is counted.
    """

    __tablename__ = "models"
    __table_args__ = (UniqueConstraint("project_id", "field", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    trained_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    n_train: Mapped[int] = mapped_column(Integer)
    n_heldout: Mapped[int] = mapped_column(Integer)
    labels_seen: Mapped[int] = mapped_column(Integer)
    beats_baseline: Mapped[bool] = mapped_column(Boolean)
    figures: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ArticleUncertainty(Base):
    """How unsure the project's claim-type model `model_id` is of an article's body
    sentences: the mean over them of 1 - the probability of its answer (issue 21, active
    ordering). Written when a model that beats its baseline is trained, for the articles
    still short of annotators then (all of a project's rows come from one model), so that
    `assign` and `claim_next` read the order from the index instead of predicting."""

    __tablename__ = "article_uncertainties"
    __table_args__ = (
        Index(
            "ix_article_uncertainties_project_id_order",
            "project_id",
            "model_id",
            desc("uncertainty"),
            "article_id",
        ),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"))
    uncertainty: Mapped[float] = mapped_column(Float)

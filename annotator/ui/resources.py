"""The process's database sessions, opened (and the database migrated and seeded) once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from annotator.config import Settings, load_settings
from annotator.services.setup import DatabaseSession, open_database


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The environment's settings, read once per process."""
    return load_settings()


@st.cache_resource(show_spinner="Preparing the database…")
def sessions() -> Callable[[], DatabaseSession]:
    """One engine per process: migrate on start, create `default` with the seeds on first start."""
    return open_database(settings())


@contextmanager
def db_session() -> Iterator[DatabaseSession]:
    """A short-lived session for one service call (services own their transactions)."""
    with sessions()() as session:
        yield session

"""The process's database engine, created (and the database migrated and seeded) once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from annotator.config import load_settings
from annotator.services.setup import initialise
from db.engine import make_engine, session_factory


@st.cache_resource(show_spinner="Preparing the database…")
def sessions() -> sessionmaker[Session]:
    """One engine per process: migrate on start, create `default` with the seeds on first start."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    factory = session_factory(engine)
    with factory() as session:
        initialise(engine, session, settings.seeds_dir)
    return factory


@contextmanager
def db_session() -> Iterator[Session]:
    """A short-lived session for one service call (services own their transactions)."""
    with sessions()() as session:
        yield session

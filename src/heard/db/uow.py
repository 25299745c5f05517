"""Unit of work: one transaction per use case, rolled back unless committed, events after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from heard.db.engine import READ_ONLY_OPTION
from heard.events import DomainEvent, EventBus, delivery

_PENDING_EVENTS = "heard.pending_events"
# Work that must follow an event is written in the event's own transaction, before it commits
# (a durable job), so a crash between the commit and a subscriber can never lose it.
BeforeCommit = Callable[[Session, Sequence[DomainEvent]], None]


def record_event(session: Session, event: DomainEvent) -> None:
    """Queue an event on the session; it is published only if the transaction commits."""
    session.info.setdefault(_PENDING_EVENTS, []).append(event)


class UnitOfWork:
    def __init__(
        self, session: Session, bus: EventBus, before_commit: Sequence[BeforeCommit] = ()
    ) -> None:
        self.session = session
        self._bus = bus
        self._before_commit = before_commit
        self.committed = False

    def commit(self) -> None:
        for hook in self._before_commit:
            hook(self.session, tuple(self.session.info.get(_PENDING_EVENTS, ())))
        events: list[DomainEvent] = self.session.info.pop(_PENDING_EVENTS, [])
        self.session.commit()
        self.committed = True
        with delivery():
            for event in events:
                self._bus.publish(event)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed:
            self.session.info.pop(_PENDING_EVENTS, None)
            self.session.rollback()
        self.session.close()


class Database:
    """Holds the engine, session factory and bus; built by the composition root, never at import."""

    def __init__(self, engine: Engine, bus: EventBus) -> None:
        self.engine = engine
        self.bus = bus
        self.session_factory = sessionmaker(engine, expire_on_commit=False)
        self.before_commit: list[BeforeCommit] = []

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory(), self.bus, self.before_commit)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Convenience for scripts and tests: commit on success, roll back on error."""
        with self.unit_of_work() as uow:
            yield uow.session
            uow.commit()

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A session for long reads that write nothing: on SQLite it does not take the write lock,
        so other processes keep writing while it reads. Always rolled back."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{READ_ONLY_OPTION: True})
            session = Session(bind=connection)
            try:
                yield session
            finally:
                session.rollback()
                session.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()

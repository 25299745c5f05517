import pytest

from heard.db.states import InvalidTransition
from heard.jobs.models import JOB_TRANSITIONS, JobStatus


def test_a_queued_job_may_start_running():
    assert JOB_TRANSITIONS.check(JobStatus.QUEUED, JobStatus.RUNNING) is JobStatus.RUNNING


def test_a_succeeded_job_can_never_change_again():
    assert JOB_TRANSITIONS.terminal(JobStatus.SUCCEEDED)
    for target in JobStatus:
        assert not JOB_TRANSITIONS.allowed(JobStatus.SUCCEEDED, target)


def test_an_illegal_move_names_both_states():
    with pytest.raises(InvalidTransition, match="'queued' to 'succeeded'"):
        JOB_TRANSITIONS.check(JobStatus.QUEUED, JobStatus.SUCCEEDED)


def test_every_state_appears_in_the_transition_table():
    assert set(JOB_TRANSITIONS.transitions) == set(JobStatus)

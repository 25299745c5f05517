import os
import subprocess
import sys

from sqlalchemy import text

HEARD = [sys.executable, "-m", "heard.cli"]


def run(args, database_url, **env):
    environment = {
        **os.environ,
        "HEARD_ENVIRONMENT": "test",
        "HEARD_DATABASE_URL": database_url,
        "HEARD_LOG_JSON": "false",
        **env,
    }
    return subprocess.run(
        HEARD + args, capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_help_lists_the_commands_an_operator_needs():
    out = subprocess.run([*HEARD, "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("serve", "worker", "db", "audit", "demo", "admin"):
        assert command in out


def test_db_upgrade_can_be_run_twice(database_url):
    assert run(["db", "upgrade"], database_url).returncode == 0
    assert run(["db", "upgrade"], database_url).returncode == 0
    assert run(["db", "check"], database_url).returncode == 0


def test_audit_verify_exits_non_zero_when_a_chain_is_broken(database_url, db):
    assert run(["admin", "create-force", "CLI", "CLI force"], database_url).returncode == 0
    created = run(["admin", "create-user", "CLI", "cli.admin", "administrator"], database_url)
    assert created.returncode == 0 and "password" in created.stdout
    ok = run(["audit", "verify", "--force", "CLI"], database_url)
    assert ok.returncode == 0 and "intact" in ok.stdout
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET username = 'someone else'"))
    broken = run(["audit", "verify"], database_url)
    assert broken.returncode == 1 and "BROKEN" in broken.stdout


def test_bad_settings_stop_the_command_with_a_readable_message(database_url):
    result = run(["db", "upgrade"], database_url, HEARD_ENVIRONMENT="production")
    assert result.returncode == 2 and "HEARD_SECRET_KEY" in result.stderr

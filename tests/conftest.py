"""Every test gets its own ledger file; nothing touches a real ledger.db."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from ledger.cli import app


# Reports say they were made 2026-01-01 (reproducible-builds' SOURCE_DATE_EPOCH), in every test and child
# process, module fixtures included: two runs over one history compare equal.
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"

def pytest_addoption(parser):
    parser.addoption(
        "--postgres", metavar="URL", default=os.environ.get("LEDGER_TEST_POSTGRES"),
        help="Run each test's ledger in its own database on this PostgreSQL server (a throw-away one: "
             "scripts/postgres-test-server start DIR prints its URL). Default: LEDGER_TEST_POSTGRES; without it, SQLite.",
    )


# Tests whose mechanics are SQLite's own, left out of the PostgreSQL run (`-m postgres`): they open the test's
# ledger.db with sqlite3 (tampering behind the tool's back, copying a template file), derive file paths from
# it (export next to the ledger, refusing to overwrite the open ledger file), hold SQLite's write lock, or
# test the SQLite writer process. Every other test runs on both backends.
SQLITE_MECHANICS = {
    "test_cli_errors.py": {
        "test_a_deeply_nested_json_line_is_that_lines_error",
        "test_a_failed_export_leaves_the_existing_file_as_it_was_and_no_partial_file",
        "test_an_import_with_a_malformed_number_names_the_row",
        "test_an_import_with_an_impossible_document_id_names_the_row",
        "test_an_impossible_id_is_one_error_line_naming_the_argument",
        "test_claim_add_refuses_an_impossible_document_id",
        "test_export_refuses_a_link_to_the_open_ledger",
        "test_export_refuses_to_write_over_any_sqlite_file",
        "test_export_refuses_to_write_over_the_open_ledger",
        "test_export_replaces_a_text_file_whole_and_keeps_its_permissions",
        "test_export_to_a_folder_or_a_missing_folder_is_one_line",
    },
    "test_concurrency.py": {
        "test_an_import_meeting_another_writer_fails_in_one_line_and_imports_nothing",
    },
    "test_every_command_and_table.py": {  # PostgreSQL refuses a value of another type than its column's
        "test_verify_names_a_value_of_a_type_the_ledger_never_writes",
        "test_reads_of_a_mistyped_ledger_answer_or_fail_in_one_line",
    },
    "test_editing_cli.py": {
        "test_a_forged_correction_entry_breaks_the_chain",
        "test_bad_corrections_are_one_line_and_change_nothing",
        "test_verify_names_a_corrected_field_changed_behind_the_ledgers_back",
        "test_verify_names_a_removed_document_put_back_behind_the_ledgers_back",
        "test_verify_names_a_restoration_undone_behind_the_ledgers_back",
        "test_verify_names_a_source_field_changed_after_an_edit",
    },
    "test_html_browser.py": {  # a page made from the ledger is the same page on either backend: one browser run
        "test_the_seed_report_in_chromium",
    },
    "test_provenance_cli.py": {
        "test_audit_document_quote_and_history",
        "test_audit_lists_verdicts_involving_the_claim_directly_or_as_a_part",
        "test_audit_relay_path_roles_and_grade_meaning",
        "test_audit_shows_each_attribution_shape",
        "test_audit_unknown_claim_is_one_line_exit_2",
        "test_claim_import_entries_plug_into_verify",
        "test_corrections_and_retractions_show_in_audit_and_report",
        "test_log_lists_entries_with_short_hashes",
        "test_merge_errors_are_one_line_exit_2",
        "test_merge_makes_names_resolve_to_the_target_and_is_in_the_history",
        "test_merge_twice_moves_earlier_merges_on",
        "test_merged_sources_claims_list_under_the_target",
        "test_truncation_is_caught_only_against_a_kept_head",
        "test_verify_catches_a_deleted_claim_row",
        "test_verify_catches_a_deleted_history_entry",
        "test_verify_catches_a_retraction_flag_set_behind_the_ledgers_back",
        "test_verify_catches_an_altered_claim_value",
        "test_verify_catches_an_altered_document_text",
        "test_verify_catches_an_altered_history_payload",
        "test_verify_clean_ledger",
        "test_verify_json_lists_problems",
        "test_verify_streams_in_batches_and_still_finds_a_gap",
        "test_wrong_quote_is_refused_naming_the_closest_passage_and_kept_only_as_unverified",
    },
    "test_kept_results.py": {
        "test_a_kept_report_is_the_report_rebuilt_from_scratch",  # each example its own SQLite file: the rule is the same
        "test_a_report_does_not_wait_for_a_writer_to_keep_its_results",  # PostgreSQL writers lock rows, not the file
        "test_kept_results_that_cannot_be_read_are_judged_again_not_failed_on",  # forged with SQLite's X'' literals
        "test_a_ledger_in_memory_brings_its_kept_results_up_to_date_as_a_file_does",  # SQLite in memory, per thread
    },
    "test_transfer.py": {
        "test_bad_row_after_rows_were_sent_to_the_writer_process_rolls_everything_back",
        "test_core_writer_for_other_databases_records_the_same_rows",
        "test_jsonl_round_trip_is_byte_identical_with_sources_and_documents",
        "test_large_import_goes_through_the_writer_process_and_matches_a_small_one",
        "test_writer_process_refuses_a_ledger_that_changed_since_it_was_read",
    },
}


def pytest_collection_modifyitems(config, items):
    """Mark the tests that run on PostgreSQL too; without ``--postgres`` leave out those that need a server."""
    for item in items:
        module, _, name = item.nodeid.partition("::")
        if name.split("[")[0] not in SQLITE_MECHANICS.get(module.removeprefix("tests/"), ()):
            item.add_marker(pytest.mark.postgres)
    if not config.getoption("--postgres"):
        needing = [item for item in items if item.get_closest_marker("postgres_only")]
        if needing:
            config.hook.pytest_deselected(items=needing)
            items[:] = [item for item in items if not item.get_closest_marker("postgres_only")]


def pytest_report_header(config):
    url = config.getoption("--postgres")
    if url:
        return f"ledger backend: PostgreSQL ({url})"
    return "ledger backend: SQLite (PostgreSQL-only tests left out: scripts/test runs them on a throw-away server)"


@pytest.fixture(scope="session")
def postgres(request):
    """The PostgreSQL server the run targets (``--postgres``), or None for SQLite."""
    url = request.config.getoption("--postgres")
    return PostgresDatabases(url) if url else None


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch, postgres):
    if postgres is None:
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = postgres.fresh()
    monkeypatch.setenv("LEDGER_DB", url)
    monkeypatch.setenv("LEDGER_USER", "tester")
    monkeypatch.delenv("COLUMNS", raising=False)  # tables at their natural width, whatever terminal runs the tests
    monkeypatch.chdir(tmp_path)
    yield url
    if postgres is not None:
        postgres.drop(url)


class PostgresDatabases:
    """Each test's ledger on the server: one database, migrated once, emptied after every test (its tables
    truncated, ids restarting at 1, the test's connections closed): 30 ms a test, against 500 ms for a
    database of its own."""

    NAME = "ledger_tests"

    def __init__(self, url: str):
        import sqlalchemy

        self.server = sqlalchemy.make_url(url)
        self.admin = sqlalchemy.create_engine(self.server, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.NAME} WITH (FORCE)")
            conn.exec_driver_sql(f"CREATE DATABASE {self.NAME}")
        self.url = self.server.set(database=self.NAME).render_as_string(hide_password=False)
        from ledger.storage.store import open_store

        open_store(self.url).engine.dispose()  # the schema, migrated once
        self.tests = sqlalchemy.create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self.tests.connect() as conn:
            self.tables = [name for (name,) in conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]

    def fresh(self) -> str:
        return self.url

    def drop(self, url: str) -> None:
        with self.tests.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 f"WHERE datname = '{self.NAME}' AND pid <> pg_backend_pid()")
            conn.exec_driver_sql(f"TRUNCATE {', '.join(self.tables)} RESTART IDENTITY CASCADE")


class Ledger:
    """Drive the CLI as a user would: ``run("claim", "add", …)``."""

    def __init__(self):
        self.runner = CliRunner()

    def run(self, *args: str, ok: bool = True, code: int | None = None, input: bytes | str | None = None):
        result = self.runner.invoke(app, list(args), catch_exceptions=False, input=input)
        expected = code if code is not None else (0 if ok else None)
        if expected is not None:
            assert result.exit_code == expected, f"{args}: exit {result.exit_code}\n{result.output}"
        return result

    def json(self, *args: str):
        return json.loads(self.run(*args, "--json").stdout)

    def make_empty(self) -> None:
        """An empty ledger at LEDGER_DB, as a first record would make it: reading commands refuse a file that is not there."""
        from ledger import open_ledger

        open_ledger().store.engine.dispose()


@pytest.fixture
def cli():
    return Ledger()


@pytest.fixture
def seeded(cli):
    """A ledger with the sources the seed article needs and its document."""
    cli.run("source", "add", "Al Jazeera", "--alias", "Al-Jazeera", "--kind", "media", "--grade", "B")
    cli.run("source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR", "--alias", "the observatory", "--kind", "ngo")
    cli.run("source", "add", "Syrian Democratic Forces", "--alias", "SDF", "--kind", "armed-group")
    cli.run("source", "add", "local sources", "--kind", "anonymous")
    cli.run("source", "add", "Mazloum Abdi", "--kind", "person", "--affiliation", "SDF")
    return cli

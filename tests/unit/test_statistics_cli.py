"""``relais-admin report`` (app/admin/report.py), called directly: the annual
report's PDF and CSV tables, headless, audited as relais-admin."""

from __future__ import annotations

import argparse
import io

import pytest
import statistics_data as data
from pypdf import PdfReader

from app.admin import report as cli
from app.services.kernel.errors import RelaisError


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="relais-admin")
    parser.add_argument("--database", default=None)
    commands = parser.add_subparsers(dest="command")
    cli.add_parser(commands)
    return parser.parse_args(argv)


def test_report_writes_the_pdf_and_the_csv_tables(services, team, make_patient, tmp_path,
                                                  audit_log):  # fmt: skip
    data.build(services, team, make_patient)
    pdf, folder = tmp_path / "rapport-2025.pdf", tmp_path / "tableaux"
    args = parse(["report", "--year", "2025", "--pdf", str(pdf), "--csv", str(folder)])
    assert args.handler is cli.run
    out, err = io.StringIO(), io.StringIO()
    before = audit_log.last_id()
    assert cli.run(args, services, out=out, err=err) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Rapport d'activité — année 2025" in text
    assert "Orientations par mois et par issue" in text
    assert "MSP des Tilleuls (test)" in text  # the letterhead
    names = sorted(p.name for p in folder.iterdir())
    assert "orientations_par_mois.csv" in names and "delais_par_etape.csv" in names
    march = next(
        line
        for line in (folder / "orientations_par_mois.csv").read_text("utf-8-sig").splitlines()
        if line.startswith("mars 2025")
    )
    assert march == "mars 2025;0;6;< 5;< 5;< 5;masqué"
    assert "Rapport d'activité 2025 enregistré" in out.getvalue()
    assert "100 %" in err.getvalue()
    rows = audit_log.since(before, object_type="statistics")
    assert {r.username for r in rows} == {"relais-admin"}
    assert {r.action for r in rows} == {"read", "export"}


def test_report_opens_the_database_itself(services, team, db_url, tmp_path):
    pdf = tmp_path / "rapport.pdf"
    args = parse(["--database", db_url, "report", "--year", "2025", "--pdf", str(pdf)])
    opened = []

    def open_services(url):
        opened.append(url)
        return type(services).open(url)

    assert cli.run(args, open_services=open_services, out=io.StringIO(), err=io.StringIO()) == 0
    assert opened == [db_url] and pdf.read_bytes().startswith(b"%PDF")


def test_report_needs_an_output_and_a_valid_year(services, team, tmp_path):
    with pytest.raises(RelaisError):
        cli.run(parse(["report", "--year", "2025"]), services, err=io.StringIO())
    with pytest.raises(RelaisError):
        cli.run(parse(["report", "--year", "1900", "--pdf", str(tmp_path / "x.pdf")]), services,
                err=io.StringIO())  # fmt: skip

"""Commands: `heard link-eval` (the evaluation contract) and `heard link train|dedupe`.

`train` and `dedupe` work on CSV files in the evaluation columns for now; reading person records
from the database comes with the intake work, through the same `Linker.build`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

link_app = typer.Typer(
    help="Record linkage: train weights, de-duplicate records.", no_args_is_help=True
)


def link_eval(
    directory: Annotated[
        Path, typer.Argument(help="Folder with left.csv, right.csv and optionally truth.csv")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Where to write left_id,right_id,probability")
    ] = Path("pairs.csv"),
) -> None:
    """Train on left.csv (no labels), match right.csv one record at a time, print a JSON line."""
    from heard.linking.evaluation import link_eval as run

    for name in ("left.csv", "right.csv"):
        if not (directory / name).is_file():
            raise typer.BadParameter(f"{directory / name} does not exist", param_hint="DIR")
    typer.echo(json.dumps(run(directory, out)))


def train(
    records: Annotated[Path, typer.Argument(help="CSV of person records (evaluation columns)")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model JSON")] = Path(
        "linking-model.json"
    ),
    engine: Annotated[
        str, typer.Option(help="'heard' (built-in EM) or 'splink' (Splink on DuckDB)")
    ] = "heard",
) -> None:
    """Learn m and u from the records without labels and save them as the force's model."""
    from heard.linking.linker import Linker
    from heard.linking.records import read_records

    if engine == "heard":
        model = Linker.build(read_records(records)).train()
    elif engine == "splink":
        from heard.linking.splink_adapter import train_model

        model = train_model(list(read_records(records)))
    else:
        raise typer.BadParameter("engine must be 'heard' or 'splink'", param_hint="--engine")
    model.save(out)
    typer.echo(json.dumps({"model": str(out), **model.trained}))


def dedupe(
    records: Annotated[Path, typer.Argument(help="CSV of person records (evaluation columns)")],
    out: Annotated[Path, typer.Option("--out", help="Where to write record_id,cluster_id")] = Path(
        "clusters.csv"
    ),
    threshold: Annotated[
        float, typer.Option(help="Link pairs at or above this probability")
    ] = 0.95,
) -> None:
    """Batch de-duplication with Splink: score all blocked pairs, then cluster them."""
    from heard.linking.records import read_records
    from heard.linking.splink_adapter import dedupe as run

    clusters = run(list(read_records(records)), threshold=threshold)
    with out.open("w", encoding="utf-8") as handle:
        handle.write("record_id,cluster_id\n")
        for record_id, cluster_id in clusters:
            handle.write(f"{record_id},{cluster_id}\n")
    typer.echo(json.dumps({"records": len(clusters), "clusters": len({c for _, c in clusters})}))


link_app.command("train")(train)
link_app.command("dedupe")(dedupe)

"""The statistics of each form as one self-contained HTML page, plots embedded as PNG.

Plots are drawn with matplotlib's Figure directly (the Agg canvas), never pyplot, so no GUI
backend is chosen or imported. Every text from a case or an archive is HTML-escaped.
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path
from typing import Any

import av
import av.error
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Polygon

from casebook_player.core.analytics.ctt import FormStats, pass_rates
from casebook_player.core.analytics.stats_sql import CLICK_BIN_PX, ERROR_BIN_MM
from casebook_player.core.case.model import Case, HotspotItem, MeasurementItem
from casebook_player.core.files import write_text_atomically

_STYLE = """body{font-family:sans-serif;max-width:70em;margin:1em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .5em;
text-align:right}th{background:#eee}td.l,th.l{text-align:left}tr.flag{background:#fde2e2}
img{max-width:100%}"""


def html_report(forms: list[tuple[FormStats, Case]]) -> str:
    """The page: per form the test's statistics, each item's, its flags and its plots."""
    body = [f"<h1>Item analysis: {len(forms)} form(s)</h1>"]
    for stats, case in forms:
        body.extend(_form_section(stats, case))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Item analysis</title><style>{_STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def write_report(path: Path, forms: list[tuple[FormStats, Case]]) -> None:
    write_text_atomically(path, html_report(forms))


def _form_section(stats: FormStats, case: Case) -> list[str]:
    overall = stats.overall
    dc = stats.consistency
    lines = [
        f"<h2>{escape(case.title)} ({escape(case.id)} {escape(case.version)})</h2>",
        f"<p>Form {escape(stats.form[:12])}…: {stats.candidates} first attempts, "
        f"{overall['k']} items, cut score {stats.cut_score:g} %.</p>",
        "<h3>The test</h3>",
        _table(
            ["domain", "items", "mean", "SD", "KR-20/alpha", "SEM"],
            [
                [
                    "overall" if r["domain_id"] == "" else _domain_name(case, r["domain_id"]),
                    r["k"],
                    _n(r["mean"]),
                    _n(r["sd"]),
                    _n(r["alpha"]),
                    _n(r["sem"]),
                ]
                for r in stats.reliability
            ],
        ),
    ]
    if dc is not None:
        lines.append(
            "<p>Decision consistency at the cut (Subkoviak): agreement P<sub>A</sub> = "
            f"{dc.agreement:.3f}, chance P<sub>C</sub> = {dc.chance:.3f}, "
            f"kappa = {_n(dc.kappa)}.</p>"
        )
    lines.append(_image(_score_plot(stats)))
    lines.append("<h3>Items</h3>")
    lines.append(_items_table(stats))
    lines.append(_image(_item_map(stats)))
    lines.append("<h3>Choices</h3>")
    lines.append(_options_table(stats))
    for item in case.items():
        if isinstance(item, HotspotItem):
            lines.append(f"<h3>Click map: {escape(item.id)}</h3>")
            lines.append(_image(_click_plot(stats, case, item)))
        elif isinstance(item, MeasurementItem):
            lines.append(f"<h3>Measurement errors: {escape(item.id)}</h3>")
            lines.append(_image(_error_plot(stats, item)))
    return lines


def _domain_name(case: Case, domain_id: str) -> str:
    return next((d.name for d in case.domains if d.id == domain_id), domain_id)


def _n(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _table(head: list[str], rows: list[list[Any]], flagged: list[bool] | None = None) -> str:
    cells = "".join(
        f'<th class="{"l" if i == 0 else ""}">{escape(h)}</th>' for i, h in enumerate(head)
    )
    out = [f"<table><tr>{cells}</tr>"]
    for n, row in enumerate(rows):
        mark = ' class="flag"' if flagged and flagged[n] else ""
        left = {0, len(row) - 1} if flagged else {0}
        tds = "".join(
            f'<td class="{"l" if i in left else ""}">{escape(str(v))}</td>'
            for i, v in enumerate(row)
        )
        out.append(f"<tr{mark}>{tds}</tr>")
    return "".join(out) + "</table>"


def _items_table(stats: FormStats) -> str:
    rows, flagged = [], []
    for i in stats.items:
        flags = stats.flags.get(i["item_id"], [])
        rows.append(
            [
                i["item_id"],
                i["n"],
                _n(i["p"]),
                f"{i['mean_score']:.2f}/{i['max_points']:g}",
                _n(i["r_rest"]),
                _n(i["d_upper_lower"]),
                _n(i["omitted"]),
                "; ".join(flags),
            ]
        )
        flagged.append(bool(flags))
    head = ["item", "n", "p", "mean score", "r item-rest", "D (27 %)", "omitted", "flags"]
    return _table(head, rows, flagged)


def _options_table(stats: FormStats) -> str:
    rows = [
        [
            o["item_id"],
            o["option_id"] + (" (key)" if o["is_key"] else ""),
            _n(o["share"]),
            _n(o["mean_total"], 2),
            _n(o["share_upper"]),
            _n(o["share_lower"]),
        ]
        for o in stats.options
    ]
    return _table(["item", "choice", "share", "mean total", "upper 27 %", "lower 27 %"], rows)


def _image(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<p><img alt="plot" src="data:image/png;base64,{data}"></p>'


def _score_plot(stats: FormStats) -> Figure:
    figure = Figure(figsize=(9, 3))
    scores, impact = figure.subplots(1, 2)
    percents = [r["percent"] for r in stats.distribution]
    weights = [r["candidates"] for r in stats.distribution]
    scores.hist(percents, bins=20, range=(0, 100), weights=weights, color="#4a7fb5")
    scores.axvline(stats.cut_score, color="#c0392b", label=f"cut {stats.cut_score:g} %")
    scores.set(xlabel="percent score", ylabel="candidates", title="Scores (first attempts)")
    scores.legend()
    rates = pass_rates(stats.distribution)
    impact.plot([c for c, _ in rates], [100 * r for _, r in rates], color="#4a7fb5")
    impact.axvline(stats.cut_score, color="#c0392b")
    impact.set(
        xlabel="cut score (%)", ylabel="pass rate (%)", title="Impact: pass rate at each cut"
    )
    return figure


def _item_map(stats: FormStats) -> Figure:
    figure = Figure(figsize=(6, 4))
    axes = figure.subplots()
    for i in stats.items:
        bad = i["item_id"] in stats.flags
        r = i["r_rest"] if i["r_rest"] is not None else 0.0
        axes.scatter(i["p"], r, color="#c0392b" if bad else "#4a7fb5")
        axes.annotate(
            i["item_id"], (i["p"], r), fontsize=7, xytext=(3, 3), textcoords="offset points"
        )
    axes.axhline(0, color="#888", linewidth=0.8)
    axes.axvspan(0, 0.2, color="#fde2e2", zorder=0)
    axes.axvspan(0.95, 1, color="#fde2e2", zorder=0)
    axes.set(
        xlim=(0, 1),
        xlabel="difficulty p",
        ylabel="item-rest correlation",
        title="Items (flagged in red)",
    )
    return figure


def _click_plot(stats: FormStats, case: Case, item: HotspotItem) -> Figure:
    figure = Figure(figsize=(6, 4.5))
    axes = figure.subplots()
    media = next(kp.media_by_id(item.target) for _, kp in case.key_points() if item in kp.items)
    picture = first_picture(media.path)
    if picture is not None:
        axes.imshow(picture, cmap="gray")
    bins = [c for c in stats.click_map if c["item_id"] == item.id]
    half = CLICK_BIN_PX / 2
    for hit, colour in ((False, "#e67e22"), (True, "#27ae60")):
        chosen = [c for c in bins if (c["hits"] > 0) == hit]
        axes.scatter(
            [c["x"] + half for c in chosen],
            [c["y"] + half for c in chosen],
            s=[8 + 4 * c["clicks"] for c in chosen],
            color=colour,
            alpha=0.6,
            label="scored" if hit else "not scored",
        )
    for region in item.regions:
        keyed = region.id in item.answer
        style = {"fill": False, "linewidth": 2, "edgecolor": "#27ae60" if keyed else "#7f8c8d"}
        if region.center is not None:
            axes.add_patch(Circle(region.center, region.radius, **style))
        else:
            axes.add_patch(Polygon(region.polygon, closed=True, **style))
    if media.size:
        axes.set(xlim=(0, media.size[0]), ylim=(media.size[1], 0))
    else:
        axes.invert_yaxis()
    axes.set_aspect("equal")
    axes.legend(fontsize=7)
    axes.set(title=f"{item.id}: clicks (key regions outlined in green)")
    return figure


def first_picture(path: Path) -> Any:
    """The still, or a clip's first frame, as an RGB array; None when it cannot be read.

    A click map is read against the picture the candidates clicked on."""
    try:
        with av.open(str(path)) as container:
            for frame in container.decode(video=0):
                return frame.to_ndarray(format="rgb24")
    except (av.error.FFmpegError, OSError, ValueError):
        return None
    return None


def _error_plot(stats: FormStats, item: MeasurementItem) -> Figure:
    figure = Figure(figsize=(6, 3))
    axes = figure.subplots()
    bins = [e for e in stats.measurement_errors if e["item_id"] == item.id]
    axes.bar(
        [e["error_mm"] + ERROR_BIN_MM / 2 for e in bins],
        [e["candidates"] for e in bins],
        width=ERROR_BIN_MM,
        color="#4a7fb5",
    )
    axes.axvspan(
        -item.tolerance_mm,
        item.tolerance_mm,
        color="#d5f5e3",
        zorder=0,
        label=f"tolerance ±{item.tolerance_mm:g} mm",
    )
    axes.axvline(0, color="#27ae60")
    axes.set(xlabel=f"measured − key ({item.value_mm:g} mm), mm", ylabel="candidates")
    axes.legend(fontsize=7)
    return figure


def write_item_tables(forms: list[tuple[FormStats, Case]], folder: Path) -> list[Path]:
    """items.csv and items.parquet: one row per form and item, with its flags."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        (
            case.id,
            case.version,
            stats.form,
            i["item_id"],
            i["n"],
            i["p"],
            i["mean_score"],
            i["max_points"],
            i["r_rest"],
            i["d_upper_lower"],
            i["omitted"],
            "; ".join(stats.flags.get(i["item_id"], [])),
        )
        for stats, case in forms
        for i in stats.items
    ]
    written = [folder / "items.csv", folder / "items.parquet"]
    with duckdb.connect() as connection:
        connection.execute(
            "CREATE TABLE items (case_id VARCHAR, case_version VARCHAR, form VARCHAR, "
            "item_id VARCHAR, n BIGINT, p DOUBLE, mean_score DOUBLE, max_points DOUBLE, "
            "r_rest DOUBLE, d_upper_lower DOUBLE, omitted DOUBLE, flags VARCHAR)"
        )
        if rows:
            connection.executemany(f"INSERT INTO items VALUES ({', '.join('?' * 12)})", rows)
        for path, form in zip(written, ("CSV, HEADER", "PARQUET"), strict=True):
            target = str(path).replace("'", "''")
            connection.execute(f"COPY items TO '{target}' (FORMAT {form})")
    return written

"""Writes src/madad/linkage/matching/default_parameters.json: the model trained on 100,000 synthetic
records, which the duplicate check uses until an organisation's first batch run has trained
its own. Run it again after changing the comparisons: `python -m bench.linkage.defaults`."""

from __future__ import annotations

import json
from pathlib import Path

from bench.linkage.generate import generate
from madad.linkage.matching import link
from madad.linkage.matching.features import prepare

TARGET = Path(__file__).resolve().parents[2] / "src/madad/linkage/matching/default_parameters.json"


def main(n: int = 100_000) -> None:
    records = ({**record, "age_year": record["recorded_year"]} for record, _ in generate(n, 7))
    result = link(prepare(records), threshold=0.5)
    data = result.params.to_dict()
    data["trained_on"] = f"bench/linkage synthetic records, n={n}, seed=7"
    TARGET.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

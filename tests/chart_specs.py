"""Helpers the chart and dashboard tests share: walk a Vega-Lite spec as altair writes it."""


def find(spec, key):
    """Every value stored under ``key`` anywhere in a nested spec."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                yield v
            yield from find(v, key)
    elif isinstance(spec, list):
        for item in spec:
            yield from find(item, key)


def main_dataset(spec: dict) -> list[dict]:
    """The records of the chart's own (top-level) data, as the browser receives them."""
    return spec["datasets"][spec["data"]["name"]]

"""The matrix as values: expansion, names, the call-to-action dimension."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from storyreel.variants.matrix import VariantMatrix


def test_the_matrix_expands_language_first() -> None:
    matrix = VariantMatrix.parse("zh,en,ja", "16:9,9:16", "15,30")
    variants = matrix.variants()
    assert len(variants) == 12
    names = [v.name("spring_tea") for v in variants]
    assert names[:3] == [
        "spring_tea.zh.16x9.15s",
        "spring_tea.zh.16x9.30s",
        "spring_tea.zh.9x16.15s",
    ]
    assert "spring_tea.ja.9x16.30s" in names
    assert len(set(names)) == 12


def test_one_cta_is_on_every_film_several_are_a_dimension() -> None:
    one = VariantMatrix.parse("en", "16:9", "15", ["Buy now"]).variants()
    assert [(v.cta, v.key) for v in one] == [("Buy now", "en.16x9.15s")]
    two = VariantMatrix.parse("en", "16:9", "15", ["Buy now", "Try it"]).variants()
    assert [v.key for v in two] == ["en.16x9.15s.cta1", "en.16x9.15s.cta2"]


def test_repeats_collapse_and_bad_values_are_refused() -> None:
    matrix = VariantMatrix.parse("en,EN,zh-CN", "16:9,16:9", "15,15s")
    assert (matrix.languages, matrix.aspects, matrix.lengths) == (("en", "zh"), ("16:9",), (15,))
    with pytest.raises(ValueError, match="whole seconds"):
        VariantMatrix.parse("en", "16:9", "fifteen")
    with pytest.raises(ValidationError, match="5 to 180"):
        VariantMatrix.parse("en", "16:9", "2")
    with pytest.raises(ValueError, match="unknown aspect"):
        VariantMatrix.parse("en", "4:3", "15")

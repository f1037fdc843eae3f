"""Pairwise precision, recall and F1 against the known truth."""

from __future__ import annotations

from collections import Counter

import numpy as np


def true_pair_count(truth: np.ndarray) -> int:
    counts = Counter(truth.tolist())
    return sum(c * (c - 1) // 2 for c in counts.values())


def scores(left: np.ndarray, right: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """left/right: record positions of the predicted pairs (each pair once)."""
    total_true = true_pair_count(truth)
    if len(left):
        lo, hi = np.minimum(left, right), np.maximum(left, right)
        codes = np.unique((lo.astype(np.int64) << 32) | hi.astype(np.int64))
        lo, hi = codes >> 32, codes & 0xFFFFFFFF
        correct = int((truth[lo] == truth[hi]).sum())
        predicted = len(codes)
    else:
        correct = predicted = 0
    precision = correct / predicted if predicted else 0.0
    recall = correct / total_true if total_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predicted": predicted,
        "true_pairs": total_true,
    }

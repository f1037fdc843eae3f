"""Madad's person matcher, on plain records (dicts): no database, no Django.

The app feeds it decrypted persons in memory (madad.linkage.services); the benchmark feeds it
synthetic records (bench/linkage). The steps:

1. `features.prepare` turns records into columns: name forms in each script, consonant-skeleton
   tokens shared by both scripts (people.names), birth year, CNIC digits, phone, sex, place,
   household.
2. `blocking.candidate_pairs` finds the pairs worth comparing without comparing all of them.
3. `compare.levels` grades each pair field by field (agree exactly, nearly, somewhat, disagree,
   or missing).
4. `model.FellegiSunter` turns the grades into a match probability: u (how often two records
   of different people agree by chance) from the values' frequencies and random pairs, m (how
   often records of one person agree) and the share of matches by expectation maximisation.
"""

from madad.linkage.matching.engine import LinkResult, link, score_against

__all__ = ["LinkResult", "link", "score_against"]

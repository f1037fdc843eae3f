"""Staff pages for cases: `cases` (list, one case, opening and editing), `actions` (status,
approvals, notes, tasks, assessments) and `day` (the caseworker's day, the coordinator's view).
"""

"""The monthly village review and the quarter's close (issue 12 part 2).

Each month every village of a commune gets a review, done by its collaborator or village
head on a phone: each listed child is confirmed as still in the group, changed, moved away
or not found, and new children are proposed. Nothing the reviewer says changes the
register by itself: the caseworker applies or rejects each answer, then closes the review.
Each quarter the caseworker closes the quarter with a summary the supervisor reads.

The review is a workflow instance of ``workflows/definitions/registry_review.yaml``: its
clock, ladder and escalations are the engine's, the same rows as a case's.
"""

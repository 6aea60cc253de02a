"""Small factory functions per feature: add + flush, return the row."""

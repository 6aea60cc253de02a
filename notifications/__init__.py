"""Notifications: the transactional outbox and (next) its relay and channels. It knows
nothing about children: a message is a kind, a recipient and a context without personal data."""

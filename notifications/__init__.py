"""Notifications: the transactional outbox, its relay and channels (SMTP, SMS gateways, the
console) and message rendering. It knows nothing about children: a message is a kind, a
recipient's address and a context without personal data; Casework supplies the words."""

from tests.servers import sms_gateway, smtp_server  # noqa: F401  (fixtures)

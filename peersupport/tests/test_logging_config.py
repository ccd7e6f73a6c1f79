"""The logging settings: the access log's anchor reaches syslog when an address is set."""

from peersupport.logging_config import logging_config


def test_without_a_syslog_address_everything_goes_to_the_console() -> None:
    config = logging_config("", "WARNING")
    assert set(config["handlers"]) == {"console"}
    assert config["root"]["level"] == "WARNING"
    assert config["loggers"]["peersupport.audit.anchor"]["handlers"] == ["console"]


def test_a_host_and_port_or_a_socket_path_send_the_anchor_to_syslog() -> None:
    by_host = logging_config("logs.hospital.nl:514", "INFO")
    assert by_host["handlers"]["syslog"]["address"] == ("logs.hospital.nl", 514)
    assert by_host["loggers"]["peersupport.audit.anchor"]["handlers"] == ["console", "syslog"]
    assert logging_config("/dev/log", "INFO")["handlers"]["syslog"]["address"] == "/dev/log"
    # django-axes' names and addresses never reach our logs.
    assert by_host["loggers"]["axes"]["level"] == "ERROR"

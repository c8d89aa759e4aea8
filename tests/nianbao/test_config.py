import pytest

from nianbao.config import ConfigError, describe, load_settings


def test_defaults_put_everything_under_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}).home == tmp_path / "data"


def test_database_url_comes_from_the_conventional_variable():
    assert load_settings(environ={"DATABASE_URL": "postgresql+psycopg://x/y"}).db_url == "postgresql+psycopg://x/y"


def test_default_database_is_sqlite_in_home(tmp_path):
    assert load_settings(environ={"NIANBAO_HOME": str(tmp_path)}).db_url.endswith(f"{tmp_path}/nianbao.db")


def test_typed_values_are_converted():
    assert load_settings(environ={"NIANBAO_DOWNLOAD_DELAY": "2.5"}).download_delay == 2.5


def test_unknown_environment_key_is_rejected():
    with pytest.raises(ConfigError, match="NIANBAO_DOWNLOAD_DELAYS"):
        load_settings(environ={"NIANBAO_DOWNLOAD_DELAYS": "1"})


def test_unknown_file_key_is_rejected(tmp_path):
    (tmp_path / "nianbao.toml").write_text("speed = 3\n")
    with pytest.raises(ConfigError, match="speed"):
        load_settings(environ={"NIANBAO_HOME": str(tmp_path)})


def test_invalid_value_names_the_setting():
    with pytest.raises(ConfigError, match="concurrent_per_host"):
        load_settings(environ={"NIANBAO_CONCURRENT_PER_HOST": "0"})


def test_every_setting_has_help_text():
    assert all(help_text for _, _, help_text in describe())

import pytest
from sqlmodel import select

from nianbao.db import session
from nianbao.registry import Portal, RegistryError, Unit, UnitAlias, UnitCode, UnitMatcher, import_registry

CSV = """code,name,level,parent_code,aliases,portal_urls
230000000000,黑龙江省,province,,,
230500000000,双鸭山市,city,230000000000,,
230522000000,友谊县,county,230500000000,,http://www.hljyy.gov.cn/zwgk/zfxxgknb/
230522100000,兴隆镇,township,230522000000,兴隆镇人民政府|友谊县兴隆镇,
230522001000,东城街道,township,230522000000,,
,红星农场,township,230522000000,,
"""


def _import(engine, text=CSV):
    with session(engine) as s:
        return import_registry(s, text)


def _count(engine, model):
    with session(engine) as s:
        return len(s.exec(select(model)).all())


def test_import_creates_every_unit(engine):
    assert _import(engine).created == 6


def test_import_keeps_the_portal(engine):
    _import(engine)
    with session(engine) as s:
        assert [p.url for p in s.exec(select(Portal))] == ["http://www.hljyy.gov.cn/zwgk/zfxxgknb/"]


def test_reimport_is_idempotent(engine):
    _import(engine)
    result = _import(engine)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert (_count(engine, Unit), _count(engine, UnitAlias), _count(engine, Portal)) == (6, 2, 1)


def test_rename_updates_the_unit_and_keeps_the_code_history(engine):
    _import(engine)
    _import(engine, CSV.replace("230522100000,兴隆镇,", "230522100000,兴隆新镇,"))
    with session(engine) as s:
        unit = s.exec(select(Unit).where(Unit.code == "230522100000")).one()
        names = {c.name for c in s.exec(select(UnitCode).where(UnitCode.unit_id == unit.id))}
    assert (unit.name, names) == ("兴隆新镇", {"兴隆镇", "兴隆新镇"})


def test_unit_without_code_is_found_again_by_name_and_parent(engine):
    _import(engine)
    _import(engine)
    with session(engine) as s:
        assert len(s.exec(select(Unit).where(Unit.name == "红星农场")).all()) == 1


@pytest.mark.parametrize("name, county, expected", [
    ("兴隆镇人民政府", "友谊县", "兴隆镇"),
    ("友谊县兴隆镇", None, "兴隆镇"),
    ("东城街道办事处", "友谊县人民政府", "东城街道"),
    ("兴隆镇", "别的县", None),
])
def test_matcher_finds_the_township(engine, name, county, expected):
    _import(engine)
    with session(engine) as s:
        unit = UnitMatcher(s).match(name, level="township", county=county)
        assert (unit.name if unit else None) == expected


@pytest.mark.parametrize("text, message", [
    ("code,name\n1,x\n", "header lacks"),
    ("code,name,level,parent_code,aliases,portal_urls\n230000000000,黑龙江省,state,,,\n", "level 'state'"),
    ("code,name,level,parent_code,aliases,portal_urls\n2300,黑龙江省,province,,,\n", "12-digit"),
    ("code,name,level,parent_code,aliases,portal_urls\n230522100000,兴隆镇,township,230522000000,,\n", "parent_code"),
])
def test_bad_files_are_rejected_with_the_line(engine, text, message):
    with pytest.raises(RegistryError, match=message):
        _import(engine, text)

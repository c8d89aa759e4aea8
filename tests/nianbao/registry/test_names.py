import pytest

from nianbao.registry.names import candidate_stems, stem


@pytest.mark.parametrize("name, expected", [
    ("兴隆镇人民政府", "兴隆镇"),
    ("兴隆镇", "兴隆镇"),
    ("东城街道办事处", "东城街道"),
    ("东城街道", "东城街道"),
    ("东城办事处", "东城街道"),
    ("七星乡 人民政府", "七星乡"),
    ("冶金工业园（锦丰镇）", "冶金工业园(锦丰镇)"),
    ("友谊县人民政府", "友谊县"),
])
def test_stem(name, expected):
    assert stem(name) == expected


@pytest.mark.parametrize("name, prefixes, expected", [
    ("友谊县兴隆镇", ["友谊县"], ["友谊县兴隆镇", "兴隆镇"]),
    ("友谊县兴隆镇人民政府", ["友谊县"], ["友谊县兴隆镇", "兴隆镇"]),
    ("虎林市迎春镇人民政府", ["双鸭山市", "虎林市"], ["虎林市迎春镇", "迎春镇"]),
    ("兴隆镇", ["友谊县"], ["兴隆镇"]),
])
def test_county_prefix_is_dropped_for_matching(name, prefixes, expected):
    assert candidate_stems(name, prefixes) == expected

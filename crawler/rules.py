"""Rules as data: the link texts, URL slugs and titles the crawler recognises.

Each table is a tuple of compiled patterns (or strings) that code walks; add
a row here rather than a branch in code. Texts are matched after
:func:`crawler.discovery.clean_text` (NFKC, whitespace removed).
"""

from __future__ import annotations

import re


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


# Links into the 政府信息公开 area of a portal (one hop closer to the 年报 column).
GK_AREA_TEXT = _rx(r"^(政府)?信息公开(目录|专栏|平台)?$", r"^政务公开$", r"^法定主动公开内容$")
GK_AREA_SLUG = _rx(r"/(zfxxgk|xxgk|zwgk|gkml|gkmlpt|xxgkml|public)(/|$|\.|_)", r"/XxgkContent/", r"/gkmlpt/index")

# Links to, and pages that are, a 年报 column.
NIANBAO_COLUMN_TEXT = _rx(
    r"^(政府)?信息公开(工作)?年(度)?报(告)?(专栏)?$",
    r"^(政府信息公开)?年度报告$",
    r"^年报$",
    r"^政府信息公开工作年度报告$",
    # a township's own 年报 sub-column (placement A): a unit name, no year
    r"^[\u4e00-\u9fff()]{1,15}(镇|乡|街道|办事处)(人民政府)?(政府)?信息公开(工作)?年(度)?报(告)?$",
)
NIANBAO_COLUMN_SLUG = _rx(r"/(zfxxgknb|xxgknb|gknb|ndbg|zwgknb)[^/]*/?((index|list|default)\.s?html?)?$", r"/XxgkContent/showList/\d+/(nb|ndbg|\d+)/", r"xxgkAnnualReport",
                         r"/zfxxgklby_nb\.shtml$")

# Inside a 年报 column: groupings to descend into (year folders, 乡镇街道 groups, per-township sub-columns).
GROUPING_TEXT = _rx(
    r"^(19|20)\d{2}(年度?)?(年报)?$",
    r"^(乡镇|街道|乡镇街道|镇街|乡镇\(街道\)|镇\(街道\)|乡镇\(街道办事处\))(年报|信息公开年报|政府信息公开年报)?$",
    r"^[\u4e00-\u9fff()]{1,12}(镇|乡|街道|街道办事处|办事处)(人民政府)?$",
)
GROUPING_SLUG = _rx(r"/(xzjd|xzjdb|xzjdxxgknb|xzjdnb)[^/]*/", r"/(19|20)\d{2}n?/")

# Report titles; a look-alike match wins over a report match.
REPORT_TITLE = _rx(
    r"政府信息公开工作年度报告",
    r"信息公开.{0,6}年度报告",
    r"年报$",
    r"(19|20)\d{2}年度?.{0,30}报告",
)
LOOKALIKE_TITLE = _rx(r"解读", r"图解", r"公布情况", r"指南", r"制度", r"要点", r"通知",
                      r"(公告|通告|公示|指引)$")

# URL shapes of detail pages in the CMS families of DOMAIN.md §4.1.
DETAIL_URL = _rx(
    r"/t(19|20)\d{6}_\d+\.s?html?$",           # TRS ./YYYYMM/tYYYYMMDD_<id>.html
    r"/art/(19|20)\d{2}/(\d{1,2}/\d{1,2}/)?art_\w+\.html$",  # Hanweb classic and jpaas
    r"/post_\d+\.html$",                      # gkmlpt / NFCMS
    r"/XxgkAnnualReport/show/\d+\.html$",     # Anhui
    r"/content_\d+\.html?$",
    r"/doc_[0-9a-f]{24}\.html$",
    r"/c\d+/(19|20)\d{4}/[0-9a-f]{32}\.shtml$",  # 开普云 /<site>/c<col>/YYYYMM/<32hex>.shtml
    r"/c\d+/c01_\d+\.shtml$",                    # 开普云 older ids
)

# Attachments: by extension, or by a download endpoint.
ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "rtf",
                         "jpg", "jpeg", "png", "gif", "tif", "tiff", "zip", "rar")
ATTACHMENT_URL = _rx(r"/module/download/downfile\.jsp", r"/attachment/\d+/\d+/\d+/\d+\.\w+$", r"/downfile\.jsp",
                     r"/system/_content/download\.jsp")

# Redirect shells: ~160-byte pages that only send the browser elsewhere.
REDIRECT_SCRIPT = _rx(
    r"""location\.replace\(\s*['"]([^'"]+)['"]\s*\)""",
    r"""(?:window|self|top|document)\.location(?:\.href)?\s*=\s*['"]([^'"]+)['"]""",
    r"""location\.href\s*=\s*['"]([^'"]+)['"]""",
)
REDIRECT_SHELL_MAX_BYTES = 2048

# Pagination link texts for the generic adapter.
NEXT_PAGE_TEXT = _rx(r"^下一?页$", r"^下页$", r"^>$", r"^›$", r"^»$", r"^next$")

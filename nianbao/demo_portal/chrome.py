"""Page chrome shared by every family: the HTML shell, government meta tags,
the home page, article bodies, and the dates a page shows.

The dates an article page carries follow ``Article.date_mode`` exactly (see
``world.Article``); nothing else on a page (footer, nav) contains a date, so
an undated article really has no date anywhere.
"""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

from nianbao.demo_portal.formats import blocks_html
from nianbao.demo_portal.report import report_blocks
from nianbao.demo_portal.world import Article, County

WRONG_SITE_NAME = "宁安市人民政府"   # a copied template's SiteName
_ICP = {"黑龙江省": "黑", "山东省": "鲁"}


def esc(text: object) -> str:
    return html.escape(str(text))


def page(county: County, title: str, body: str, *, metas: dict[str, str] | None = None,
         charset: str = "utf-8", head: str = "") -> str:
    """A full HTML page with the county's header, nav and footer."""
    meta_html = "".join(f'\n<meta name="{k}" content="{esc(v)}">' for k, v in (metas or {}).items())
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">{meta_html}
<title>{esc(title)}</title>
{head}</head>
<body>
<div class="header"><div class="logo">{esc(county.government)}</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="{county.gk_path}">政府信息公开</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="main">
{body}
</div>
<div class="footer"><p>主办：{esc(county.government)}办公室　网站标识码：{county.site_id_code}</p>
<p>{_ICP.get(county.province, "京")}ICP备{county.code}号　政府网站找错</p></div>
</body>
</html>
"""


def article_metas(county: County, article: Article, column: str) -> dict[str, str]:
    """Government meta tags for an article page (defects per ``Article``)."""
    metas = {"SiteName": WRONG_SITE_NAME if article.meta_defect == "wrong_site" else county.government,
             "SiteDomain": county.domain, "SiteIDCode": county.site_id_code, "ColumnName": column,
             "ArticleTitle": article.title}
    if article.date_mode == "meta" and article.published:
        metas["PubDate"] = article.published.strftime("%Y-%m-%d %H:%M")
    elif article.meta_defect == "null":
        metas["PubDate"] = "null"
    if article.date_mode in ("meta", "page"):
        metas["ContentSource"] = article.township.agency if article.township else county.government
    else:  # url-, signature- and undated pages come from an older template: fewer tags
        del metas["ColumnName"]
    return metas


def shown_date(article: Article, label: str = "发布日期", with_time: bool = False) -> str:
    """The 发布日期 text shown on the page, or "" when the page shows none."""
    if article.date_mode not in ("meta", "page") or not article.published:
        return ""
    return f"{label}：{article.published.strftime('%Y-%m-%d %H:%M' if with_time else '%Y-%m-%d')}"


def list_date(article: Article) -> str:
    """The date a list shows for an item: only when its page shows one too
    (so a report's best date source is exactly ``Article.date_mode``)."""
    if article.date_mode not in ("meta", "page") or not article.published:
        return ""
    return f"{article.published:%Y-%m-%d}"


@lru_cache(maxsize=8)
def seed_text(name: str) -> str:
    return resources.files("nianbao.demo_portal").joinpath("seeds", name).read_text(encoding="utf-8")


def seed_html(name: str) -> str:
    """One ``<p>`` per seed line, text untouched (tabs and odd spaces kept)."""
    return "\n".join(f"<p>{esc(line)}</p>" for line in seed_text(name).split("\n"))


def text_paragraphs(county: County, article: Article) -> list[str]:
    who = article.township.agency if article.township else county.government
    if article.lookalike == "公布情况":
        rows = [f"{t.agency}：{'已公布' if county.statuses[(t.name, article.year)] != 'missing' else '未公布'}"
                for t in county.townships]
        return [f"根据工作安排，现将全{county.name[-1]}各乡镇（街道）{article.year}年政府信息公开工作年度报告公布情况通报如下："] + rows
    if article.lookalike in ("解读", "图解"):
        return [f"为便于公众理解{who}{article.year}年政府信息公开工作年度报告，现从主动公开、依申请公开、"
                "行政复议和行政诉讼等方面进行解读。", "一、主动公开情况较上年有所增加。", "二、依申请公开办理及时规范。"]
    if article.lookalike in ("department", "county_gov"):
        return ["一、总体情况", f"{article.year}年，{article.title[:article.title.index(str(article.year))]}认真贯彻落实《中华人民共和国政府信息公开条例》。",
                "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    if article.lookalike == "指南":
        return ["为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。",
                "一、主动公开", "二、依申请公开", "三、监督和救济"]
    return [f"各有关单位：现将{article.title}有关事项通知如下。", "请各单位认真贯彻执行。", who]


def article_body(county: County, article: Article, attachment: str = "") -> str:
    """The article's content area: report tables, a seed's lines, or prose."""
    if article.fmt == "seed":
        return seed_html(article.seed or "")
    if article.kind == "report" and article.fmt == "html":
        return blocks_html(report_blocks(county, article))
    if article.kind == "report":
        return (f'<p style="text-indent:2em">现将《{esc(article.title)}》予以公开，详见附件。</p>\n'
                f'<p>附件：{attachment}</p>')
    return "\n".join(f'<p style="text-indent:2em">{esc(p)}</p>' for p in text_paragraphs(county, article))


def home_page(county: County, links: list[tuple[str, str]], notices: list[tuple[str, str]], charset: str = "utf-8",
              extra_metas: dict[str, str] | None = None) -> str:
    """The portal home: nav to the 公开 area (``links``) plus a news box."""
    nav = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in links)
    news = "".join(f'<li><a href="{href}" target="_blank">{esc(text)}</a></li>' for text, href in notices)
    body = (f'<div class="banner"><h1>{esc(county.government)}</h1></div>\n<ul class="menu">{nav}</ul>\n'
            f'<div class="news"><h3>政务要闻</h3><ul>{news}</ul></div>')
    metas = {**(extra_metas or {}), "SiteName": county.government, "SiteDomain": county.domain,
             "SiteIDCode": county.site_id_code, "ColumnName": "首页"}
    return page(county, county.government, body, metas=metas, charset=charset)

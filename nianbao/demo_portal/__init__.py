"""The demo portal: loopback web servers imitating real county portals.

``DemoPortal(scale=1, base_port=None, quiet=True, transfer_quirks=True)``
serves a deterministic world (``site.build_world``) of counties, one
``ThreadingHTTPServer`` each on 127.0.0.1, in four CMS families:

- ``trs``     TRS WCM, per-township sub-columns, static ``index_N`` paging (友谊县, 虎林市);
- ``hanweb``  Hanweb classic, year columns with a 乡镇街道 group, datastore + dataproxy.jsp (宝山区);
- ``gkmlpt``  a JavaScript shell listing through a JSON API (栖霞市);
- ``anhui``   the Anhui 年报 module, GBK pages (方正县).

It knows its own ground truth (``truth()``, ``lookalikes()``) and registry
(``registry_csv()``). Each family module's docstring lists its URL shapes.
"""

from datetime import date

from nianbao.demo_portal.server import DemoPortal

# "Today" in the demo world: after every deadline and every publication it serves.
DEMO_AS_OF = date(2024, 6, 30)

__all__ = ["DEMO_AS_OF", "DemoPortal"]

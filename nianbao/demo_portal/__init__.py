"""The demo portal: loopback web servers imitating real county portals.

``DemoPortal`` serves a deterministic world of counties (TRS WCM, Hanweb,
gkmlpt-like JSON shell, GBK Anhui module) and knows its own ground truth.
See ``server.DemoPortal`` for the API and each family module for URL shapes.
"""

from nianbao.demo_portal.server import DemoPortal

__all__ = ["DemoPortal"]

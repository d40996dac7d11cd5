#!/usr/bin/env python3
"""Builds index.html from index.html.in for this release (run by install.sh).

Fills in the site name, release, version and environment from the environment
Conveyor passes. The markers <!--books-->, <!--archive-version--> and
<!--archive-status--> stay in the page: webview_server.py fills them per request.
"""

import html
import os
import string

HERE = os.path.dirname(os.path.realpath(__file__))


def main():
    with open(os.path.join(HERE, "VERSION"), encoding="utf-8") as f:
        file_version = f.read().strip()
    values = {
        "site_name": os.environ.get("SITE_NAME") or "Connexions",
        "release": os.environ.get("CONVEYOR_RELEASE") or "dev",
        "version": os.environ.get("CONVEYOR_VERSION") or file_version,
        "environment": os.environ.get("CONVEYOR_ENVIRONMENT") or "local",
    }
    with open(os.path.join(HERE, "index.html.in"), encoding="utf-8") as f:
        template = string.Template(f.read())
    page = template.substitute({k: html.escape(v) for k, v in values.items()})
    target = os.path.join(HERE, "index.html")
    with open(target + ".tmp", "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(target + ".tmp", target)
    print("webview: wrote %s for release %s" % (target, values["release"]))


if __name__ == "__main__":
    main()

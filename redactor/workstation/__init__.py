"""The review workstation: a local web application to make the release decision page by page.

``redactor review SOURCE RULES`` serves it on 127.0.0.1 with a random token; every action
writes a rule to the rule file and re-plans (docs/review.md).
"""

"""Roadshow: the web application of Confindustria Lombardia's internationalisation roadshow."""

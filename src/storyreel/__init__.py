"""storyreel: a self-hosted AI film studio. A story goes in; a directed, voiced and cut
film comes out."""

__version__ = "0.1.0"

"""Ingest: fetch or read a capture, store it byte-for-byte, parse it, load it in one transaction."""

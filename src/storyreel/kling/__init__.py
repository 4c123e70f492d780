"""Kling's hosted video API: its contract (schemas), its tokens (auth), its errors and a
client. The render engine that uses them is storyreel.render.engines.kling; a
Kling-compatible server can reuse the schemas and `verify_token`."""

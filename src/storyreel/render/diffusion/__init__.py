"""Shared machinery for the open-model video engines built on Hugging Face diffusers
(Wan, Wan VACE, LTX-Video, CogVideoX): options and presets, model folders, pipeline
loading with the memory and speed options, segment chaining and writing the take.

Nothing here imports torch, diffusers or transformers at module level: they are the
optional `storyreel[diffusers]` extra, and `storyreel engines` must list the engines
without it. They are imported inside the functions that need them.
"""

"""Tiny random-weight diffusers pipelines built from config, for CPU tests.

Every part is made locally (no Hub access at all): a one- or two-layer transformer with
a few small heads, a VAE with a handful of channels, a two-layer T5 encoder and a
word-level tokenizer. Saved with `save_pretrained`, the folders look exactly like the
real model folders, so the engines load them through their real `model_path` code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

# Words the tiny tokenizer knows; anything else in a prompt is one unknown token.
_WORDS = (
    "shot",
    "medium",
    "close",
    "wide",
    "static",
    "camera",
    "slowly",
    "pushes",
    "in",
    "pulls",
    "out",
    "pans",
    "tracking",
    "mei",
    "says",
    "hello",
    "park",
    "hilltop",
    "exterior",
    "interior",
    "day",
    "night",
    "cinematic",
    "lighting",
    "consistent",
    "characters",
    "blurry",
    "low",
    "quality",
    "text",
    "subtitles",
    "watermark",
    "people",
    "the",
    "a",
)
TEXT_DIM = 32


def diffusers() -> Any:
    """diffusers, untyped: its classes take their settings as plain keywords."""
    return importlib.import_module("diffusers")


def transformers() -> Any:
    return importlib.import_module("transformers")


def tokenizer() -> Any:
    """A word-level tokenizer with T5's special tokens, built without a download."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {"<pad>": 0, "</s>": 1, "<unk>": 2}
    for word in _WORDS:
        vocab.setdefault(word, len(vocab))
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    return transformers().PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )


def vocab_size() -> int:
    return 3 + len(dict.fromkeys(_WORDS)) + 5


def t5(umt5: bool = False) -> Any:

    settings: dict[str, Any] = {
        "vocab_size": vocab_size(),
        "d_model": TEXT_DIM,
        "d_kv": 8,
        "d_ff": 37,
        "num_layers": 2,
        "num_heads": 4,
        "relative_attention_num_buckets": 8,
        "pad_token_id": 0,
        "eos_token_id": 1,
    }
    torch.manual_seed(0)
    if umt5:
        return transformers().UMT5EncoderModel(transformers().UMT5Config(**settings)).eval()
    return transformers().T5EncoderModel(transformers().T5Config(**settings)).eval()


def _wan_vae(z_dim: int = 16, **extra: Any) -> Any:

    return diffusers().AutoencoderKLWan(
        z_dim=z_dim,
        dim_mult=[1, 1, 1, 1],
        num_res_blocks=1,
        temperal_downsample=[False, True, True],
        latents_mean=[0.0] * z_dim,
        latents_std=[1.0] * z_dim,
        **({"base_dim": 3} | extra),
    )


def _wan_transformer(in_channels: int, **extra: Any) -> Any:

    return diffusers().WanTransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=in_channels,
        text_dim=TEXT_DIM,
        freq_dim=256,
        ffn_dim=32,
        num_layers=2,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
        **({"out_channels": 16} | extra),
    )


def _wan(
    folder: Path,
    *,
    vae: Callable[[], Any] = _wan_vae,
    channels: int = 16,
    experts: int = 1,
    shift: float = 7.0,
    **config: Any,
) -> Path:
    """A Wan text-to-video folder: one transformer, or Wan 2.2's two experts."""
    torch.manual_seed(0)
    parts = {
        "tokenizer": tokenizer(),
        "text_encoder": t5(umt5=True),
        "vae": vae(),
        "scheduler": diffusers().FlowMatchEulerDiscreteScheduler(shift=shift),
        "transformer": _wan_transformer(channels, out_channels=channels),
    }
    if experts == 2:
        parts["transformer_2"] = _wan_transformer(channels, out_channels=channels)
    diffusers().WanPipeline(**parts, **config).save_pretrained(folder)
    return folder


def wan_t2v(folder: Path) -> Path:
    return _wan(folder)


def wan_a14b(folder: Path) -> Path:
    """Wan 2.2's two experts: `transformer` denoises the noisy half of the schedule,
    `transformer_2` the rest."""
    return _wan(folder, experts=2, boundary_ratio=0.5)


def _wan22_vae(z_dim: int = 8) -> Any:
    """Wan 2.2's VAE: 2x2 pixel patches folded into channels, 16x smaller each side."""
    return _wan_vae(
        z_dim,
        base_dim=4,
        is_residual=True,
        in_channels=12,
        out_channels=12,
        patch_size=2,
        scale_factor_spatial=16,
        scale_factor_temporal=4,
    )


def wan_ti2v(folder: Path) -> Path:
    """Wan 2.2 TI2V-5B: one model for text and image, over Wan 2.2's VAE, with a
    timestep per frame."""
    return _wan(folder, vae=_wan22_vae, channels=8, shift=5.0, expand_timesteps=True)


def wan_i2v(folder: Path) -> Path:
    """Wan 2.1 image-to-video: the first frame enters as 20 extra latent channels
    (4 mask + 16 latent) and as CLIP image features through a tiny vision encoder."""

    torch.manual_seed(0)
    vision = (
        transformers()
        .CLIPVisionModel(
            transformers().CLIPVisionConfig(
                hidden_size=4,
                projection_dim=4,
                num_hidden_layers=2,
                num_attention_heads=2,
                image_size=32,
                intermediate_size=16,
                patch_size=1,
            )
        )
        .eval()
    )
    pipe = diffusers().WanImageToVideoPipeline(
        tokenizer=tokenizer(),
        text_encoder=t5(umt5=True),
        vae=_wan_vae(),
        scheduler=diffusers().FlowMatchEulerDiscreteScheduler(shift=7.0),
        image_processor=transformers().CLIPImageProcessor(crop_size=32, size=32),
        image_encoder=vision,
        transformer=_wan_transformer(36, image_dim=4),
    )
    pipe.save_pretrained(folder)
    return folder


def wan_vace(folder: Path) -> Path:

    torch.manual_seed(0)
    transformer = diffusers().WanVACETransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=16,
        out_channels=16,
        text_dim=TEXT_DIM,
        freq_dim=256,
        ffn_dim=32,
        num_layers=3,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
        vace_layers=[0, 2],
        vace_in_channels=96,
    )
    pipe = diffusers().WanVACEPipeline(
        tokenizer=tokenizer(),
        text_encoder=t5(umt5=True),
        vae=_wan_vae(),
        scheduler=diffusers().FlowMatchEulerDiscreteScheduler(shift=7.0),
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    return folder


def ltx(folder: Path) -> Path:

    torch.manual_seed(0)
    transformer = diffusers().LTXVideoTransformer3DModel(
        in_channels=8,
        out_channels=8,
        patch_size=1,
        patch_size_t=1,
        num_attention_heads=4,
        attention_head_dim=8,
        cross_attention_dim=32,
        num_layers=1,
        caption_channels=TEXT_DIM,
    )
    vae = diffusers().AutoencoderKLLTXVideo(
        in_channels=3,
        out_channels=3,
        latent_channels=8,
        block_out_channels=(8, 8, 8, 8),
        decoder_block_out_channels=(8, 8, 8, 8),
        layers_per_block=(1, 1, 1, 1, 1),
        decoder_layers_per_block=(1, 1, 1, 1, 1),
        spatio_temporal_scaling=(True, True, False, False),
        decoder_spatio_temporal_scaling=(True, True, False, False),
        decoder_inject_noise=(False, False, False, False, False),
        upsample_residual=(False, False, False, False),
        upsample_factor=(1, 1, 1, 1),
        timestep_conditioning=False,
        patch_size=1,
        patch_size_t=1,
        encoder_causal=True,
        decoder_causal=False,
    )
    pipe = diffusers().LTXPipeline(
        scheduler=diffusers().FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=t5(),
        tokenizer=tokenizer(),
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    return folder


def _cogvideox_vae() -> Any:

    return diffusers().AutoencoderKLCogVideoX(
        in_channels=3,
        out_channels=3,
        down_block_types=("CogVideoXDownBlock3D",) * 4,
        up_block_types=("CogVideoXUpBlock3D",) * 4,
        block_out_channels=(8, 8, 8, 8),
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=2,
        temporal_compression_ratio=4,
    )


def _cogvideox_transformer(in_channels: int, **extra: Any) -> Any:

    settings: dict[str, Any] = {"num_attention_heads": 4, "attention_head_dim": 8} | extra
    return diffusers().CogVideoXTransformer3DModel(
        in_channels=in_channels,
        out_channels=4,
        time_embed_dim=2,
        text_embed_dim=TEXT_DIM,
        num_layers=1,
        sample_width=4,
        sample_height=4,
        sample_frames=9,
        patch_size=2,
        temporal_compression_ratio=4,
        max_text_seq_length=16,
        **settings,
    )


def cogvideox_t2v(folder: Path) -> Path:

    torch.manual_seed(0)
    pipe = diffusers().CogVideoXPipeline(
        tokenizer=tokenizer(),
        text_encoder=t5(),
        vae=_cogvideox_vae(),
        transformer=_cogvideox_transformer(4),
        scheduler=diffusers().CogVideoXDDIMScheduler(),
    )
    pipe.save_pretrained(folder)
    return folder


def cogvideox_i2v(folder: Path) -> Path:
    """CogVideoX image-to-video: the first frame's latents ride in 4 extra channels."""

    torch.manual_seed(0)
    pipe = diffusers().CogVideoXImageToVideoPipeline(
        tokenizer=tokenizer(),
        text_encoder=t5(),
        vae=_cogvideox_vae(),
        transformer=_cogvideox_transformer(
            8,
            # Rotary embeddings split each head three ways (time, height, width) into
            # even parts, which a head of 8 cannot give.
            attention_head_dim=16,
            use_rotary_positional_embeddings=True,
            use_learned_positional_embeddings=True,
        ),
        scheduler=diffusers().CogVideoXDDIMScheduler(),
    )
    pipe.save_pretrained(folder)
    return folder


BUILDERS = {
    "wan-t2v": wan_t2v,
    "wan-a14b": wan_a14b,
    "wan-ti2v": wan_ti2v,
    "wan-i2v": wan_i2v,
    "wan-vace": wan_vace,
    "ltx": ltx,
    "cogvideox-t2v": cogvideox_t2v,
    "cogvideox-i2v": cogvideox_i2v,
}

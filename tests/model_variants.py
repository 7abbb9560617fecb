"""A small random model of every registered architecture, for the tests that every one must pass."""

import torch

from translator_app.core.models import build_model, config_from_dict

VOCAB = 40
SMALL = {
    "lstm": {"emb_dim": 16, "hidden_dim": 24, "num_layers": 2},
    "lstm-untied": {"emb_dim": 16, "hidden_dim": 24, "num_layers": 1, "tie_embeddings": False},
    "gru": {"emb_dim": 16, "hidden_dim": 24},
    "attention": {"emb_dim": 16, "enc_hidden_dim": 20, "dec_hidden_dim": 24, "attn_dim": 18},
    "packed_attention": {"emb_dim": 16, "enc_hidden_dim": 20, "dec_hidden_dim": 24, "attn_dim": 18, "cell": "lstm"},
    "convs2s": {"emb_dim": 16, "hidden_dim": 24, "encoder_layers": 1, "decoder_layers": 2, "kernel_size": 3, "max_positions": 32},
    "transformer": {"d_model": 32, "num_heads": 4, "ff_dim": 64, "encoder_layers": 1, "decoder_layers": 2},
}


def small_model(variant: str):
    torch.manual_seed(0)
    architecture = variant.split("-")[0]
    config = config_from_dict(architecture, {"vocab_size": VOCAB, "dropout": 0.0, **SMALL[variant]})
    return build_model(config).eval()

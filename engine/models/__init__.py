"""Model families, chosen by ModelConfig.family (a registry)."""
from .decoder_only import DecoderOnlyModel
from .encoder_decoder import EncoderDecoderModel
from .encoder_only import EncoderOnlyModel

FAMILIES = {
    "decoder": DecoderOnlyModel,
    "encoder": EncoderOnlyModel,
    "encoder-decoder": EncoderDecoderModel,
}


def build_model(cfg):
    return FAMILIES[cfg.family](cfg)

"""Forced and banned tokens come from generation_config.json, else from config.json (as transformers reads them)."""
import json

from engine.config import ModelConfig
from engine.loading.generation_config import apply_generation_config


def _cfg():
    return ModelConfig(family="encoder-decoder", architecture="X", vocab_size=50, d_model=8, n_layers=1,
                       n_heads=2, d_mlp=8, n_ctx=16, decoder_start_token_id=0)


def test_generation_config_file_wins_over_config_json(tmp_path):
    hf = {"forced_eos_token_id": 2, "forced_bos_token_id": 7}
    cfg = _cfg()
    apply_generation_config(cfg, tmp_path, hf)  # no file: config.json's keys
    assert (cfg.forced_bos_token_id, cfg.forced_eos_token_id) == (7, 2)
    (tmp_path / "generation_config.json").write_text(json.dumps(
        {"forced_eos_token_id": [3, 4], "decoder_start_token_id": 5, "bad_words_ids": [[0], [6, 7]]}))
    cfg = _cfg()
    apply_generation_config(cfg, tmp_path, hf)
    assert (cfg.forced_bos_token_id, cfg.forced_eos_token_id, cfg.decoder_start_token_id) == (None, [3, 4], 5)
    assert cfg.bad_words_ids == [[0], [6, 7]]


def test_a_forced_token_outside_the_vocabulary_is_ignored_with_a_note(tmp_path):
    cfg = _cfg()
    apply_generation_config(cfg, tmp_path, {"forced_bos_token_id": 99, "bad_words_ids": [[1], [2, 50]]})
    assert cfg.forced_bos_token_id is None and cfg.bad_words_ids is None
    assert "forced_bos_token_id 99" in cfg.extra["notes"][0]
    assert "bad_words_ids" in cfg.extra["notes"][1]

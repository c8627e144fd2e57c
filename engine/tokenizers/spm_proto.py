"""A SentencePiece model file read with the `sentencepiece` package's own protobuf classes
(`sentencepiece_model_pb2`), never by hand: pieces, scores, piece types and the normalizer spec."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelLoadError

# sentencepiece_model.proto: ModelProto.SentencePiece.Type and TrainerSpec.ModelType
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
MODEL_TYPES = {1: "Unigram", 2: "BPE", 3: "word", 4: "char"}


@dataclass
class SpmFile:
    path: Path
    proto: object  # sentencepiece_model_pb2.ModelProto

    @property
    def kind(self) -> str:
        """'Unigram' or 'BPE' ('word' / 'char' models are refused when read)."""
        return MODEL_TYPES[self.proto.trainer_spec.model_type]

    @property
    def pieces(self) -> list[tuple[str, float]]:
        return [(p.piece, p.score) for p in self.proto.pieces]

    @property
    def types(self) -> list[int]:
        return [p.type for p in self.proto.pieces]

    @property
    def byte_fallback(self) -> bool:
        return bool(self.proto.trainer_spec.byte_fallback)

    @property
    def unk_id(self) -> int:
        return int(self.proto.trainer_spec.unk_id)

    @property
    def charsmap(self) -> bytes | None:
        """The precompiled normalisation rules (nmt_nfkc…); None for identity."""
        return bytes(self.proto.normalizer_spec.precompiled_charsmap) or None

    @property
    def normalizer_spec(self):
        return self.proto.normalizer_spec

    def control_and_user(self) -> list[tuple[int, str, bool]]:
        """(id, piece, is control) for control and user-defined pieces, which are matched whole."""
        return [(i, p.piece, p.type == CONTROL) for i, p in enumerate(self.proto.pieces)
                if p.type in (CONTROL, USER_DEFINED)]


def read_spm(path: Path) -> SpmFile:
    try:
        from sentencepiece import sentencepiece_model_pb2
    except ImportError:  # pragma: no cover - a declared dependency
        raise ModelLoadError(f"{path} is a SentencePiece model; install the 'sentencepiece' package "
                             "to read it") from None
    proto = sentencepiece_model_pb2.ModelProto()
    try:
        proto.ParseFromString(Path(path).read_bytes())
    except Exception as e:  # protobuf's DecodeError, or any malformed message
        raise ModelLoadError(f"{path} is not a SentencePiece model ({type(e).__name__}: {e})") from None
    if not proto.pieces:
        raise ModelLoadError(f"{path} is not a SentencePiece model (it holds no pieces)")
    kind = MODEL_TYPES.get(proto.trainer_spec.model_type)
    if kind not in ("Unigram", "BPE"):
        raise ModelLoadError(f"{path} is a SentencePiece {kind or proto.trainer_spec.model_type!r} model; "
                             "only Unigram and BPE models are supported")
    return SpmFile(Path(path), proto)

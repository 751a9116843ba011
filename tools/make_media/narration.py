"""Narration: espeak-ng speaks each sentence to a WAV, the sentences are joined with short
pauses, and the segment is encoded as small mono AAC (.m4a). Sentence times come back so
captions and key points can be placed exactly where the audio is."""

from __future__ import annotations

import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

VOICE = "en-us"
WORDS_PER_MINUTE = 150
RATE = 22050
LEAD_IN_S = 0.4
GAP_S = 0.35
TAIL_S = 0.8
BITRATE = "28k"


# Written one way in captions and transcripts, said another way by the voice.
SAY_INSTEAD = {"Mr ": "Mister ", "Mrs ": "Missus ", "eFAST": "E fast", "FAST": "fast"}


def spoken_form(text: str) -> str:
    for written, said in SAY_INSTEAD.items():
        text = text.replace(written, said)
    return text


@dataclass(frozen=True)
class Spoken:
    text: str
    start: float
    end: float


def speak(text: str, wav: Path) -> np.ndarray:
    """16-bit mono samples of one sentence at RATE, trailing silence trimmed."""
    subprocess.run(
        ["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(wav), spoken_form(text)],
        check=True,
        capture_output=True,
    )
    with wave.open(str(wav), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise RuntimeError(f"unexpected espeak-ng output format in {wav}")
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    if rate != RATE:
        idx = np.arange(0, len(pcm), rate / RATE)
        pcm = np.interp(idx, np.arange(len(pcm)), pcm).astype(np.int16)
    loud = np.nonzero(np.abs(pcm) > 200)[0]
    if len(loud):
        pcm = pcm[max(0, loud[0] - 200) : loud[-1] + 600]
    return pcm


def narrate(sentences: list[str], out_m4a: Path) -> tuple[list[Spoken], float]:
    """Speak, join and encode; returns sentence timings and the encoded file's duration."""
    parts: list[np.ndarray] = [np.zeros(int(LEAD_IN_S * RATE), np.int16)]
    spoken: list[Spoken] = []
    pos = len(parts[0])
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(sentences):
            pcm = speak(text, Path(tmp) / f"s{i}.wav")
            spoken.append(Spoken(text, pos / RATE, (pos + len(pcm)) / RATE))
            parts.append(pcm)
            pos += len(pcm)
            gap = np.zeros(int((GAP_S if i < len(sentences) - 1 else TAIL_S) * RATE), np.int16)
            parts.append(gap)
            pos += len(gap)
        joined = Path(tmp) / "joined.wav"
        with wave.open(str(joined), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(np.concatenate(parts).tobytes())
        out_m4a.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", "-i", str(joined), "-c:a", "aac",
             "-b:a", BITRATE, "-ac", "1", "-ar", str(RATE), "-movflags", "+faststart",
             "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
             str(out_m4a)],
            check=True,
        )  # fmt: skip
    return spoken, pos / RATE

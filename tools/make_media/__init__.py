"""Generator of the sample case library: synthetic ultrasound, narration, captions, case.yaml.

Run `python -m tools.make_media` from the repository root (needs ffmpeg and espeak-ng).
"""

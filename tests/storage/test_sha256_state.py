"""A SHA-256 whose state is saved and resumed: the same digest as hashlib, always."""

import hashlib
import os
import random

import pytest

from storage import sha256_state
from storage.sha256_state import ResumableSha256, StateError


def test_libcrypto_is_found_here():
    # Python's own hashlib links libcrypto on every supported platform of ours
    assert sha256_state.available()


@pytest.mark.parametrize("seed", range(5))
def test_saving_and_resuming_at_any_cut_gives_hashlibs_digest(seed):
    rng = random.Random(seed)
    data = os.urandom(rng.randrange(1, 300_000))
    cuts = sorted(rng.randrange(len(data) + 1) for _ in range(rng.randrange(1, 8)))
    sha, start = ResumableSha256(), 0
    for cut in [*cuts, len(data)]:
        sha = ResumableSha256(sha.state())  # as if the next chunk came to a new process
        sha.update(data[start:cut])
        start = cut
    assert sha.size == len(data)
    assert sha.hexdigest() == hashlib.sha256(data).hexdigest()


def test_the_digest_can_be_read_midway_and_hashing_go_on():
    sha = ResumableSha256()
    sha.update(b"phuong trinh ")
    assert sha.hexdigest() == hashlib.sha256(b"phuong trinh ").hexdigest()
    sha.update(memoryview(b"bac hai"))
    assert sha.hexdigest() == hashlib.sha256(b"phuong trinh bac hai").hexdigest()


def test_empty_input_has_the_empty_digest():
    assert ResumableSha256().hexdigest() == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    "damage",
    [
        lambda state: state[:-1],
        lambda state: state + b"\x00",
        lambda state: b"X" + state[1:],
        lambda state: b"",
        lambda state: state[:40] + bytes([state[40] ^ 1]) + state[41:],  # torn/changed
    ],
)
def test_a_damaged_state_is_refused(damage):
    sha = ResumableSha256()
    sha.update(b"abc")
    with pytest.raises(StateError):
        ResumableSha256(damage(sha.state()))

"""Issue 18: encrypt_many (the import's batch encryption) makes Fernet tokens with the primary key, and
blind_index with its keyed state copied gives the same HMAC as a fresh one."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet

from union_portal import crypto

VALUES = [
    "330603199001011234",  # two blocks
    "13812345678",  # one block
    "6222021234567890123",
    "a" * 16,  # a whole block: a full block of padding follows
    "a" * 15,
    "x",
    "",
    "张三" * 9,  # three blocks of UTF-8
    "b" * 40,
]


def _primary(settings) -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())


def test_encrypt_many_gives_fernet_tokens_byte_for_byte(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
    fernet = _primary(settings)

    tokens = crypto.encrypt_many(VALUES)

    assert len(tokens) == len(VALUES)
    for value, token in zip(VALUES, tokens, strict=True):
        raw = base64.urlsafe_b64decode(token)
        stamp, iv = int.from_bytes(raw[1:9], "big"), raw[9:25]
        # The token Fernet itself makes with the same time and IV.
        assert fernet._encrypt_from_parts(value.encode(), stamp, iv) == token.encode()
        assert fernet.decrypt(token.encode()).decode() == value
        assert crypto.decrypt(token) == value


def test_encrypt_many_uses_a_fresh_iv_for_each_value(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    tokens = crypto.encrypt_many(["13812345678"] * 50)

    assert len({base64.urlsafe_b64decode(t)[9:25] for t in tokens}) == 50
    assert crypto.encrypt_many([]) == []


def test_encrypt_many_without_configured_keys_uses_the_derived_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []

    token = crypto.encrypt_many(["330603199001011234"])[0]

    assert crypto.decrypt(token) == "330603199001011234"


def test_blind_index_is_the_hmac_of_the_configured_key(settings):
    settings.FIELD_HMAC_KEY = "one key"
    first = crypto.blind_index("ric:330603199001011234")
    settings.FIELD_HMAC_KEY = "another key"
    second = crypto.blind_index("ric:330603199001011234")

    assert first == hmac.new(b"one key", b"ric:330603199001011234", hashlib.sha256).hexdigest()
    assert second == hmac.new(b"another key", b"ric:330603199001011234", hashlib.sha256).hexdigest()
    assert crypto.blind_index("mobile:13812345678") == (
        hmac.new(b"another key", b"mobile:13812345678", hashlib.sha256).hexdigest()
    )

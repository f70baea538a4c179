"""A passkey authenticator in software, for the passkeys service's tests: it answers the
options the server sends as a browser and a phone would (``none`` attestation, an ES256 key,
the counter it is told), and can be told to lie (another origin, no user verification, a
counter that goes back, another user handle)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "https://calf.example"
UP, UV, AT = 0x01, 0x04, 0x40


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftAuthenticator:
    """One passkey (made by `create`), and its counter."""

    origin: str = ORIGIN
    count: int = 0
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(16))
    user_handle: str | None = None

    def create(self, options: str, *, verified: bool = True, origin: str | None = None) -> str:
        """``navigator.credentials.create`` with these options: the credential's JSON."""
        asked = json.loads(options)
        self.user_handle = asked["user"]["id"]
        numbers = self.key.public_key().public_numbers()
        cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big")}  # fmt: skip
        attested = (struct.pack(">H", len(self.credential_id)) + self.credential_id
                    + cbor2.dumps(cose))  # fmt: skip
        data = self._data(asked["rp"]["id"], UP | AT | (UV if verified else 0))
        data += bytes(16) + attested  # AAGUID: none
        client = self._client("webauthn.create", asked["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": data})
        return json.dumps({"id": b64(self.credential_id), "rawId": b64(self.credential_id),
                           "type": "public-key",
                           "response": {"clientDataJSON": b64(client),
                                        "attestationObject": b64(attestation)}})  # fmt: skip

    def get(self, options: str, *, verified: bool = True, origin: str | None = None,
            count: int | None = None, user_handle: str | None = None) -> str:  # fmt: skip
        """``navigator.credentials.get`` with these options: the assertion's JSON (the
        counter one more than last time unless ``count`` says)."""
        asked = json.loads(options)
        self.count = self.count + 1 if count is None else count
        data = self._data(asked["rpId"], UP | (UV if verified else 0))
        client = self._client("webauthn.get", asked["challenge"], origin)
        signature = self.key.sign(data + hashlib.sha256(client).digest(), ec.ECDSA(hashes.SHA256()))
        response = {"clientDataJSON": b64(client), "authenticatorData": b64(data),
                    "signature": b64(signature),
                    "userHandle": user_handle or self.user_handle}  # fmt: skip
        return json.dumps({"id": b64(self.credential_id), "rawId": b64(self.credential_id),
                           "type": "public-key", "response": response})  # fmt: skip

    def _data(self, rp_id: str, flags: int) -> bytes:
        return (
            hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.count)
        )

    def _client(self, kind: str, challenge: str, origin: str | None) -> bytes:
        body = {"type": kind, "challenge": challenge, "origin": origin or self.origin,
                "crossOrigin": False}  # fmt: skip
        return json.dumps(body).encode()

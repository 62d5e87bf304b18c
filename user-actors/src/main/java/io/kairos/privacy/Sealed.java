package io.kairos.privacy;

import io.kairos.serialization.CborSerializable;

/**
 * An event or snapshot of a person as the journal and the snapshot store hold it: encrypted under the person's key
 * ({@link Seals}). Once the key is erased nobody can read it, so the journal is never rewritten to forget a person.
 *
 * @param data format byte, nonce and AES-GCM ciphertext with its tag
 */
public record Sealed(byte[] data) implements CborSerializable {}

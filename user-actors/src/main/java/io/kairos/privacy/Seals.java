package io.kairos.privacy;

import akka.actor.typed.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts what a person's journal holds under the person's key and decrypts it back (crypto-shredding): AES-128-GCM
 * with a random 96-bit nonce per value, the persistence id as associated data (a value copied into another journal does
 * not decrypt), the value serialized as Akka serializes it (its serializer and manifest travel inside, so its schema
 * migrations apply when it is read back). The plaintext also carries the subject (the shopper id or identity the
 * journal belongs to), so a read side that finds the journal by pseudonym learns whose it is, and only while the key
 * exists. One per node; thread-safe.
 */
public final class Seals {
    /** A value as Akka serializes it: serializer id and manifest, then its bytes. */
    private static final byte FORMAT = 1;
    /** A string (a decision record's JSON): its UTF-8 bytes, no serializer to find or ask. */
    private static final byte TEXT = 2;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
        }
    });

    private final Serialization serialization;
    private final SecureRandom random = new SecureRandom();

    public Seals(Serialization serialization) {
        this.serialization = serialization;
    }

    public static Seals create(ActorSystem<?> system) {
        return new Seals(SerializationExtension.get(system));
    }

    /** A value and whose it is, as decrypted. */
    public record Opened(String subject, Object value) {}

    /** {@code value} of {@code subject}, encrypted under {@code key} for the journal {@code persistenceId}. */
    public Sealed seal(String persistenceId, PersonSecret key, String subject, Object value) {
        var bytes = new ByteArrayOutputStream(256);
        try (var out = new DataOutputStream(bytes)) {
            out.writeUTF(subject);
            if (value instanceof String text) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } else {
                var serializer = serialization.findSerializerFor(value);
                out.writeInt(serializer.identifier());
                out.writeUTF(Serializers.manifestFor(serializer, value));
                out.write(serializer.toBinary(value));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            var cipher = cipher(Cipher.ENCRYPT_MODE, persistenceId, key, nonce);
            var plain = bytes.toByteArray();
            var data = new byte[1 + NONCE_BYTES + cipher.getOutputSize(plain.length)];
            data[0] = value instanceof String ? TEXT : FORMAT;
            System.arraycopy(nonce, 0, data, 1, NONCE_BYTES);
            cipher.doFinal(plain, 0, plain.length, data, 1 + NONCE_BYTES);
            return new Sealed(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a value of " + persistenceId, e);
        }
    }

    /**
     * The value {@link #seal} encrypted. Fails if {@code key} is not the one it was sealed with or the data was altered
     * (GCM checks both), or it belongs to another journal.
     */
    public Opened open(String persistenceId, PersonSecret key, Sealed sealed) {
        var data = sealed.data();
        if (data.length < 1 + NONCE_BYTES || (data[0] != FORMAT && data[0] != TEXT)) {
            throw new IllegalArgumentException("not a sealed value of a known format in " + persistenceId);
        }
        byte[] plain;
        try {
            var nonce = Arrays.copyOfRange(data, 1, 1 + NONCE_BYTES);
            plain = cipher(Cipher.DECRYPT_MODE, persistenceId, key, nonce)
                    .doFinal(data, 1 + NONCE_BYTES, data.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("a sealed value of " + persistenceId + " does not decrypt", e);
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(plain))) {
            var subject = in.readUTF();
            if (data[0] == TEXT) {
                int start = plain.length - in.available();
                return new Opened(subject, new String(plain, start, plain.length - start, StandardCharsets.UTF_8));
            }
            int serializerId = in.readInt();
            var manifest = in.readUTF();
            var payload = in.readAllBytes();
            return new Opened(
                    subject,
                    serialization.deserialize(payload, serializerId, manifest).get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Cipher cipher(int mode, String persistenceId, PersonSecret key, byte[] nonce)
            throws GeneralSecurityException {
        var cipher = CIPHER.get();
        cipher.init(mode, new SecretKeySpec(key.bytes(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(persistenceId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}

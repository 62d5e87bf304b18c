package io.kairos.serialization;

/**
 * Marker for every message and persisted event or snapshot that crosses a node boundary or is written to the journal.
 * Bound to Akka's Jackson CBOR serializer in {@code serialization.conf}; nothing else is serialized with Java
 * serialization, which stays disabled.
 */
public interface CborSerializable {}

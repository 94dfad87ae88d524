package io.searchloop.schemas.registry;

import org.apache.avro.Schema;

/**
 * The subset of a Confluent-API schema registry that the serde needs: register a schema under a
 * subject, fetch a schema by its global id, find the id of an already-registered schema, and ask
 * whether a schema is compatible with a subject's latest version. Implementations are thread-safe.
 * Failures are reported as {@link SchemaRegistryException} subclasses, never as null.
 */
public interface SchemaRegistry {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with global id {@code id}; {@link UnknownSchemaIdException} if there is none. */
    Schema schemaById(int id);

    /**
     * The id of {@code schema} already registered under {@code subject}; {@link
     * SchemaNotRegisteredException} if not.
     */
    int idOf(String subject, Schema schema);

    /**
     * Whether {@code schema} may be registered as the next version of {@code subject}; true for a
     * new subject.
     */
    boolean isCompatible(String subject, Schema schema);
}

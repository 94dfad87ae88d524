package io.searchloop.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches ids and schemas both ways in front of a remote registry: a schema's global id never
 * changes once assigned, so every answer is cached forever. Compatibility answers are not cached
 * (the subject's latest version can move).
 */
public final class CachingSchemaRegistry implements SchemaRegistry {
    /**
     * Keyed by the schema itself: Avro caches a schema's hash and compares the same instance by
     * identity, so a hit costs no JSON rendering.
     */
    private record SubjectSchema(String subject, Schema schema) {}

    private final SchemaRegistry delegate;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> registered = new ConcurrentHashMap<>();

    public CachingSchemaRegistry(SchemaRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer id = registered.get(key);
        if (id == null) {
            id = delegate.register(subject, schema);
            remember(key, id, schema);
        }
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, delegate::schemaById);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer id = registered.get(key);
        if (id == null) {
            id = delegate.idOf(subject, schema);
            remember(key, id, schema);
        }
        return id;
    }

    private void remember(SubjectSchema key, int id, Schema schema) {
        registered.put(key, id);
        schemasById.putIfAbsent(id, schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }
}

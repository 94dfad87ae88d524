package io.searchloop.schemas.registry;

import io.searchloop.schemas.evolution.BackwardCompatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * An in-memory registry behind {@code mock://<scope>} URLs: one instance per scope name, shared by
 * every client in the JVM that names the same scope (Confluent's tools use the same convention).
 * Behaves like a real registry in BACKWARD compatibility mode: ids are global and start at 1, an
 * identical schema gets the same id under any subject, and an incompatible new version is refused.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    /** The registry shared by everyone in this JVM who names {@code scope}. */
    public static InMemorySchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets a scope, so that the next {@link #scope} call starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existing = idsByText.get(schema.toString());
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        if (!versions.isEmpty()) {
            Schema latest = schemasById.get(versions.get(versions.size() - 1) - 1);
            BackwardCompatibility.Verdict verdict = BackwardCompatibility.check(schema, latest);
            if (!verdict.compatible()) {
                throw new IncompatibleSchemaException(
                        "schema for subject "
                                + subject
                                + " is incompatible with its latest version: "
                                + verdict.problems(),
                        409);
            }
        }
        int id = existing != null ? existing : addSchema(schema);
        versions.add(id);
        return id;
    }

    private int addSchema(Schema schema) {
        schemasById.add(schema);
        int id = schemasById.size();
        idsByText.put(schema.toString(), id);
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new UnknownSchemaIdException("schema id " + id + " not found", 40403);
        }
        return schemasById.get(id - 1);
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaNotRegisteredException("subject " + subject + " not found", 40401);
        }
        Integer id = idsByText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaNotRegisteredException(
                    "schema not registered under subject " + subject, 40403);
        }
        return id;
    }

    /** Whether anything was ever registered under {@code subject}. */
    public synchronized boolean hasSubject(String subject) {
        return versionsBySubject.containsKey(subject);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return true;
        }
        Schema latest = schemasById.get(versions.get(versions.size() - 1) - 1);
        return BackwardCompatibility.check(schema, latest).compatible();
    }
}

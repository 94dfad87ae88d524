package io.searchloop.schemas.evolution;

import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * searchloop's schema evolution rule: backward compatibility only. A new (reader) schema must be
 * able to read every record written with any earlier (writer) version, so consumers can be upgraded
 * before producers. The verdict explains itself so that a build failure or a refused registration
 * names the offending field.
 */
public final class BackwardCompatibility {

    /** The outcome of one reader/writer check; {@code problems} is empty when compatible. */
    public record Verdict(boolean compatible, String problems) {}

    private BackwardCompatibility() {}

    public static Verdict check(Schema reader, Schema writer) {
        SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return new Verdict(true, "");
        }
        String problems =
                result.getResult().getIncompatibilities().stream()
                        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                        .collect(Collectors.joining("; "));
        return new Verdict(false, problems);
    }
}

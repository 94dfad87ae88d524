package io.searchloop.schemas.topics;

import java.util.List;

/**
 * What a provisioning run did: topics created, topics already as specified, and differences it
 * found but left alone.
 */
public record ProvisionReport(
        List<String> created, List<String> unchanged, List<String> mismatches) {
    public ProvisionReport {
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
        mismatches = List.copyOf(mismatches);
    }
}

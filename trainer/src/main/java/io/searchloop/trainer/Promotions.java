package io.searchloop.trainer;

import io.searchloop.events.ModelStatus;
import io.searchloop.schemas.outbox.OutboxRelay;
import io.searchloop.trainer.artifacts.ArtifactStore;
import io.searchloop.trainer.store.VersionRepository;
import io.searchloop.trainer.store.VersionRow;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Status changes of model versions: the gate's verdict on a candidate, and rollbacks. Each is
 * committed to the database together with its outbox row, then the {@link OutboxRelay} is asked to
 * publish; a broker that is down delays the event, it never loses it or leaves the database and the
 * topic disagreeing.
 */
public final class Promotions {
    private final VersionRepository versions;
    private final OutboxRelay<VersionRow> relay;
    private final String modelName;

    public Promotions(VersionRepository versions, OutboxRelay<VersionRow> relay, String modelName) {
        this.versions = versions;
        this.relay = relay;
        this.modelName = modelName;
    }

    /** Records a new candidate; its event follows through the outbox. */
    public void candidate(VersionRow row) throws SQLException {
        versions.insert(row);
        relay.publishQuietly();
    }

    /**
     * Moves {@code row} to {@code status} with {@code reason}; the event follows through the
     * outbox.
     */
    public VersionRow change(VersionRow row, ModelStatus status, String reason)
            throws SQLException {
        Instant at = Instant.now();
        versions.updateStatus(modelName, row.version(), status, reason, at);
        relay.publishQuietly();
        return new VersionRow(
                row.modelName(),
                row.version(),
                row.versionNumber(),
                row.parentVersion(),
                row.baseModel(),
                row.artifactUri(),
                row.sha256(),
                status,
                reason,
                row.metrics(),
                row.pairCount(),
                row.createdAt(),
                at);
    }

    /**
     * Re-promotes an earlier version whose artifact is intact: the current one becomes ROLLED_BACK,
     * the target PROMOTED.
     */
    public void rollback(String targetVersion, String reason) throws SQLException, IOException {
        VersionRow target =
                versions.find(modelName, targetVersion)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "model "
                                                        + modelName
                                                        + " has no version "
                                                        + targetVersion));
        verifiedDirectory(target);
        Optional<VersionRow> current = versions.production(modelName);
        if (current.isPresent() && current.get().version().equals(targetVersion)) {
            throw new IllegalArgumentException(
                    targetVersion + " is already the production version of " + modelName);
        }
        List<VersionRepository.StatusChange> changes = new ArrayList<>();
        current.ifPresent(
                c ->
                        changes.add(
                                new VersionRepository.StatusChange(
                                        c.version(),
                                        ModelStatus.ROLLED_BACK,
                                        "rolled back to " + targetVersion + ": " + reason)));
        changes.add(
                new VersionRepository.StatusChange(
                        targetVersion,
                        ModelStatus.PROMOTED,
                        "rollback"
                                + current.map(c -> " from " + c.version()).orElse("")
                                + ": "
                                + reason));
        versions.updateStatuses(
                modelName,
                changes,
                Instant.now()); // both or neither, so production never goes missing
        relay.publishQuietly();
    }

    /** The artifact directory of a version, after checking its sha256. */
    public static Path verifiedDirectory(VersionRow v) throws IOException {
        Path dir = Path.of(URI.create(v.artifactUri()));
        ArtifactStore.verify(dir, v.sha256());
        return dir;
    }
}

package io.searchloop.trainer;

import io.searchloop.events.ModelStatus;
import io.searchloop.trainer.artifacts.ArtifactStore;
import io.searchloop.trainer.store.TrainerStore;
import io.searchloop.trainer.store.VersionRow;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Status changes of model versions, recorded in the database and published as events in the
 * same order: the gate's verdict on a candidate, and rollbacks.
 */
public final class Promotions {
    private final TrainerStore store;
    private final ModelEvents events;
    private final String modelName;

    public Promotions(TrainerStore store, ModelEvents events, String modelName) {
        this.store = store;
        this.events = events;
        this.modelName = modelName;
    }

    /** Records and publishes a new candidate. */
    public void candidate(VersionRow row) throws SQLException {
        store.insertVersion(row);
        events.publish(row);
    }

    /** Moves {@code row} to {@code status} with {@code reason}, in the database and on the topic. */
    public VersionRow change(VersionRow row, ModelStatus status, String reason) throws SQLException {
        Instant at = Instant.now();
        store.updateStatus(modelName, row.version(), status, reason, at);
        VersionRow changed = new VersionRow(row.modelName(), row.version(), row.versionNumber(), row.parentVersion(), row.baseModel(),
                row.artifactUri(), row.sha256(), status, reason, row.metrics(), row.pairCount(), row.createdAt(), at);
        events.publish(changed);
        return changed;
    }

    /** Re-promotes an earlier version whose artifact is intact: the current one becomes ROLLED_BACK, the target PROMOTED. */
    public void rollback(String targetVersion, String reason) throws SQLException, IOException {
        VersionRow target = store.version(modelName, targetVersion)
                .orElseThrow(() -> new IllegalArgumentException("model " + modelName + " has no version " + targetVersion));
        verifiedDirectory(target);
        Optional<VersionRow> current = store.production(modelName);
        if (current.isPresent() && current.get().version().equals(targetVersion)) {
            throw new IllegalArgumentException(targetVersion + " is already the production version of " + modelName);
        }
        if (current.isPresent()) {
            change(current.get(), ModelStatus.ROLLED_BACK, "rolled back to " + targetVersion + ": " + reason);
        }
        change(target, ModelStatus.PROMOTED, "rollback" + current.map(c -> " from " + c.version()).orElse("") + ": " + reason);
    }

    /** The artifact directory of a version, after checking its sha256. */
    public static Path verifiedDirectory(VersionRow v) throws IOException {
        Path dir = Path.of(URI.create(v.artifactUri()));
        ArtifactStore.verify(dir, v.sha256());
        return dir;
    }
}

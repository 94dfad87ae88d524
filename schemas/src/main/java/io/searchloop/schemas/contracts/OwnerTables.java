package io.searchloop.schemas.contracts;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a reader tells "the owning service has not created its tables yet" from a real failure. */
final class OwnerTables {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerTables.class);

    /** PostgreSQL's undefined_table. */
    private static final String UNDEFINED_TABLE = "42P01";

    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private OwnerTables() {}

    /**
     * Whether the failure only says the owner has not migrated yet (start-up order); anything else
     * is rethrown by the caller. The first time per view it says so at WARN: a view that never
     * appears means the owner is older than its reader, or the search path is wrong.
     */
    static boolean notYetCreated(SQLException e, String view) {
        if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
            return false;
        }
        if (REPORTED.add(view)) {
            LOG.warn(
                    "{} does not exist in this database yet: its owning service has not migrated"
                            + " (start or upgrade it before its readers), or the search path is"
                            + " wrong; read as empty until it appears",
                    view);
        }
        return true;
    }
}

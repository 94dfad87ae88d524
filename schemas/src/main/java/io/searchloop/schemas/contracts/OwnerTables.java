package io.searchloop.schemas.contracts;

import java.sql.SQLException;

/** How a reader tells "the owning service has not created its tables yet" from a real failure. */
final class OwnerTables {
    /** PostgreSQL's undefined_table. */
    private static final String UNDEFINED_TABLE = "42P01";

    private OwnerTables() {}

    /**
     * Whether the failure only says the owner has not migrated yet (start-up order); anything else
     * is rethrown by the caller.
     */
    static boolean notYetCreated(SQLException e) {
        return UNDEFINED_TABLE.equals(e.getSQLState());
    }
}

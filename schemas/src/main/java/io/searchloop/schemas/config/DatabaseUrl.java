package io.searchloop.schemas.config;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * A PostgreSQL connection as the services read it from {@code DATABASE_URL}: either a JDBC URL or
 * the 12-factor {@code postgres://user:password@host:port/db} form. {@link #toString()} hides the
 * password.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(2);

    /** Accepts {@code jdbc:postgresql://…} or {@code postgres(ql)://user:password@host:port/db}. */
    public static DatabaseUrl parse(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, null, null);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            // The message would quote the URL, password included: say where, not what.
            throw new IllegalArgumentException(
                    "DATABASE_URL is not a valid URL ("
                            + e.getReason()
                            + " at index "
                            + e.getIndex()
                            + ")");
        }
        if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must be jdbc:postgresql://… or postgres://…, got scheme "
                            + uri.getScheme());
        }
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : null;
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String query = uri.getQuery() == null ? "" : "?" + uri.getQuery();
        return new DatabaseUrl(
                "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath() + query,
                user,
                password);
    }

    /**
     * Opens a connection with bounded waits (unless the URL sets its own): 10 s to connect or log
     * in, and a 120 s socket timeout so a network partition fails a statement instead of hanging
     * its thread for ever (a longer job, such as building an HNSW index, raises it on its
     * connection with {@link Connection#setNetworkTimeout}). Keep-alive detects a peer that
     * vanished.
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, connectionProperties());
    }

    /** The driver properties {@link #connect()} uses; parameters in the URL take precedence. */
    public Properties connectionProperties() {
        Properties props = new Properties();
        props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        props.setProperty("tcpKeepAlive", "true");
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /**
     * The same database with {@code schema} first on the search path (and {@code public}, home of
     * the vector type, after it).
     */
    public DatabaseUrl withSchema(String schema) {
        String separator = jdbcUrl.contains("?") ? "&" : "?";
        return new DatabaseUrl(
                jdbcUrl + separator + "currentSchema=" + schema + ",public", user, password);
    }

    /**
     * One JDBC URL carrying the user and password too, as {@code DATABASE_URL} may be given to a
     * service.
     */
    public String withCredentialsInUrl() {
        StringBuilder url = new StringBuilder(jdbcUrl);
        String separator = jdbcUrl.contains("?") ? "&" : "?";
        if (user != null) {
            url.append(separator)
                    .append("user=")
                    .append(
                            java.net.URLEncoder.encode(
                                    user, java.nio.charset.StandardCharsets.UTF_8));
            separator = "&";
        }
        if (password != null && !password.isEmpty()) {
            url.append(separator)
                    .append("password=")
                    .append(
                            java.net.URLEncoder.encode(
                                    password, java.nio.charset.StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + redacted(jdbcUrl) + ", user=" + user + ", password=****]";
    }

    /**
     * {@code url} with the value of any {@code password} parameter masked, for logs and messages.
     */
    public static String redacted(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1****");
    }
}

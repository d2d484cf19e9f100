package io.sightline.dashboard;

import io.sightline.access.HttpAuth;
import io.sightline.access.TlsKeystore;
import java.util.Optional;

/**
 * Who may read the dashboard, and how it is served: the page, the events API and the snapshots behind {@code auth}
 * (basic or bearer, read-only), over TLS when a keystore is given; {@code /metrics} behind the same login unless
 * {@code openMetrics}.
 */
public record DashboardAccess(HttpAuth auth, Optional<TlsKeystore> tls, boolean openMetrics) {

    /** Everything open, plain HTTP: as on loopback. */
    public static DashboardAccess open() {
        return new DashboardAccess(HttpAuth.open(), Optional.empty(), true);
    }

    String scheme() {
        return tls.isPresent() ? "https" : "http";
    }
}

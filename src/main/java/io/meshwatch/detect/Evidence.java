package io.meshwatch.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;

/**
 * When a failure began, as one piece of evidence tells it: an instant, or an interval when the
 * evidence only bounds it (a BGP session closed by its hold timer lost its path up to one hold time
 * before it closed). Event times. Immutable.
 *
 * @param kind     what the evidence is; it names the failover clock in the API
 * @param earliest the earliest instant the failure can have begun
 * @param latest   the latest; equal to {@code earliest} for exact evidence
 */
record Evidence(Kind kind, Instant earliest, Instant latest) {

    /** Kinds of evidence, from the most direct to the least. */
    enum Kind {
        /** A circuit's A-end interface went oper-down. */
        INTERFACE,
        /** The tunnel's own state went down (IKE, dead-peer detection, a cloud provider's status). */
        TUNNEL,
        /** The circuit's probe rounds started losing everything. */
        CIRCUIT_PROBES,
        /** A BGP session closed (a NOTIFICATION, a reset, BFD): the close is the failure. */
        BGP_SESSION,
        /** A BGP session closed by hold-timer expiry: the failure lies up to one hold time before. */
        BGP_HOLD_TIMER,
        /**
         * A BGP session the router closed without saying why (FRR 8.4): perhaps its hold timer, so
         * the failure lies between one hold time before the close and the close.
         */
        BGP_LOCAL_CLOSE;

        /** The API's name, e.g. {@code bgp-hold-timer}. */
        String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    Evidence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(earliest, "earliest");
        Objects.requireNonNull(latest, "latest");
        if (latest.isBefore(earliest)) {
            latest = earliest;
        }
    }

    static Evidence at(Kind kind, Instant t) {
        return new Evidence(kind, t, t);
    }

    boolean exact() {
        return earliest.equals(latest);
    }

    Duration width() {
        return Duration.between(earliest, latest);
    }

    boolean overlaps(Evidence o) {
        return !o.latest.isBefore(earliest) && !o.earliest.isAfter(latest);
    }

    /**
     * The start the evidence gives together: the piece that shows the failure earliest (smallest
     * latest bound; on a tie the narrower), narrowed by every other piece that overlaps it. Null when
     * there is none. Pieces that do not overlap it speak of another failure and are left out.
     */
    static Evidence combine(Collection<Evidence> all) {
        Evidence best = null;
        for (Evidence e : all) {
            if (e != null && (best == null || e.latest.isBefore(best.latest)
                    || e.latest.equals(best.latest) && e.width().compareTo(best.width()) < 0)) {
                best = e;
            }
        }
        if (best == null) {
            return null;
        }
        Instant lo = best.earliest;
        Instant hi = best.latest;
        for (Evidence e : all) {
            if (e != null && e != best && best.overlaps(e)) {
                lo = e.earliest.isAfter(lo) ? e.earliest : lo;
                hi = e.latest.isBefore(hi) ? e.latest : hi;
            }
        }
        return new Evidence(best.kind, lo, hi);
    }
}

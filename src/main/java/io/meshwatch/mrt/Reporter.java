package io.meshwatch.mrt;

import io.meshwatch.bgp.IssueReporter;
import io.meshwatch.bgp.WireIssue;

/**
 * Where decoders report something they left out; bound to the offset of the record being decoded.
 * Issues of the shared BGP wire decoder are counted under the {@link SkipReason} of the same name.
 */
@FunctionalInterface
interface Reporter extends IssueReporter {
    void skip(SkipReason reason, String message);

    @Override
    default void report(WireIssue issue, String message) {
        skip(SkipReason.valueOf(issue.name()), message);
    }
}

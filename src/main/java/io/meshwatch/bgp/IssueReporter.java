package io.meshwatch.bgp;

/** Where the decoder reports a part of a message it left out; decoding goes on. */
@FunctionalInterface
public interface IssueReporter {
    void report(WireIssue issue, String message);
}

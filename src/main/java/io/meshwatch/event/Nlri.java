package io.meshwatch.event;

import io.meshwatch.routing.Prefix;

/** A prefix with its ADD-PATH path identifier (0 when ADD-PATH is not in use). */
public record Nlri(Prefix prefix, long pathId) {
}

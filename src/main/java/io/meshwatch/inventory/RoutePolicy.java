package io.meshwatch.inventory;

import java.util.List;

/**
 * What a watched prefix's routes must look like, for the route policy alerts. It applies to the
 * prefix itself and to every more-specific of it that the inventory does not list on its own (a
 * listed more-specific is judged by its own entry): together they are the prefix's range, as an
 * RPKI ROA names an origin and a maximum length. Empty lists and nulls are not checked.
 *
 * @param origins    AS numbers that may originate the range (the last AS of the AS path; a path
 *                   ending in an AS_SET has no single origin and never matches)
 * @param neighbours AS numbers the range may be learned through (the first AS of the AS path)
 * @param asPath     a regular expression (Java syntax) the AS path's text must contain a match of,
 *                   for example {@code ^65001( 65010)* 16509$}; the text is the ASes separated by
 *                   single spaces, an AS_SET written {@code {64500,64501}}
 * @param maxLength  the longest prefix length the range may be announced with; null means the
 *                   prefix's own length (no more-specific is expected)
 */
public record RoutePolicy(List<Long> origins, List<Long> neighbours, String asPath, Integer maxLength) {

    public RoutePolicy {
        origins = origins == null ? List.of() : List.copyOf(origins);
        neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
    }
}

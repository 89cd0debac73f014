package io.meshwatch.detect;

import java.util.List;

/**
 * The blast radius of an incident, from the signals it holds (root and children, firing or
 * resolved since it opened). Each list is sorted and names one thing per entry.
 *
 * @param sessionsDown        BGP sessions that went down, as {@code router vrf peer}
 * @param tunnelGroupsFailedOver tunnel groups that failed over, were slow to, or went down entirely
 * @param prefixesMoved       watched prefixes whose best path moved to a backup, as {@code router prefix}
 * @param prefixesUnreachable prefixes that lost their last path, as {@code router prefix}
 */
public record Impact(List<String> sessionsDown, List<String> tunnelGroupsFailedOver, List<String> prefixesMoved,
                     List<String> prefixesUnreachable) {

    public Impact {
        sessionsDown = List.copyOf(sessionsDown);
        tunnelGroupsFailedOver = List.copyOf(tunnelGroupsFailedOver);
        prefixesMoved = List.copyOf(prefixesMoved);
        prefixesUnreachable = List.copyOf(prefixesUnreachable);
    }
}
